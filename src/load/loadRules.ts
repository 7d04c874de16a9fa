import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isRealDate } from '../calendarDate.js';
import { InputError, type InputIssue } from '../errors.js';
import type { EnabledCheck } from '../engine/evaluate.js';
import type { CheckDefinition, CheckOverride, Severity, Suppression } from '../engine/types.js';
import type { ReportFormat } from '../report/formats.js';
import type { RulesConfig } from './rulesConfig.js';
import { readInputFile } from './inputFile.js';
import { packagePath } from './packagePaths.js';
import { globToRegExp } from '../engine/suppress.js';
import { parameterProblem } from './parameters.js';
import { schemaIssues, schemaValidator } from './schemaValidation.js';
import { rulesCacheKey, type RulesCache } from './rulesCache.js';
import { DEFAULT_SUPPRESSION_HORIZON_DAYS, expiryBeyondHorizon } from './suppressionHorizon.js';
import { parseYaml } from './yamlDocument.js';
import { reasonProblem } from './suppressionReason.js';

export const DEFAULT_RULES_FILE = packagePath('rules.yaml');

interface RawRules {
  version: 1;
  checks?: Record<string, 'on' | 'off' | boolean | { enabled?: boolean; severity?: Severity; parameters?: Record<string, unknown> }>;
  suppressions?: { check: string; resource?: string; region?: string; reason: string; expires: string }[];
  suppressionHorizonDays?: number;
  failOn?: Severity;
  reports?: ReportFormat[];
}

/**
 * Which rules file applies: `--rules` if given (it must exist), else ./rules.yaml in the working
 * directory, else the defaults shipped with the package.
 */
export function resolveRulesFile(explicit: string | undefined, cwd: string): string {
  if (explicit !== undefined) {
    return resolve(cwd, explicit);
  }
  const local = resolve(cwd, 'rules.yaml');
  return existsSync(local) ? local : DEFAULT_RULES_FILE;
}

/**
 * Load and validate a rules file against the loaded checks. A file whose text, with these checks,
 * is in `cache` (see rulesCache.ts) is not parsed again. Suppression expiries are checked against
 * the horizon from `today` on every load, cached or not: that check depends on the day.
 */
export function loadRules(
  file: string,
  checks: readonly CheckDefinition[],
  cache: RulesCache = new Map(),
  today: string = new Date().toISOString().slice(0, 10),
): RulesConfig {
  const text = readInputFile(file, 'rules');
  const cached = cache.size === 0 ? undefined : cache.get(rulesCacheKey(text, checks));
  const rules = cached === undefined ? parseRules(text, file, checks) : { ...cached, file };
  checkExpiryHorizon(rules, text, file, today);
  return rules;
}

/** Rejects suppressions expiring beyond the horizon, located in the file (parsed again only then). */
export function checkExpiryHorizon(rules: RulesConfig, text: string, file: string, today: string): void {
  const limit = { today, horizonDays: rules.suppressionHorizonDays };
  const beyond = rules.suppressions.flatMap((suppression, index) => {
    const problem = expiryBeyondHorizon(suppression.expires, limit);
    return problem === null ? [] : [{ index, problem }];
  });
  if (beyond.length === 0) {
    return;
  }
  const document = parseYaml(text, file);
  throw new InputError(
    beyond.map(({ index, problem }) => ({
      file,
      ...document.locate(['suppressions', index, 'expires']),
      path: `suppressions.${index}.expires`,
      message: problem,
    })),
  );
}

export function parseRules(text: string, file: string, checks: readonly CheckDefinition[]): RulesConfig {
  const document = parseYaml(text, file);
  const validate = schemaValidator('rules.schema.json');
  if (!validate(document.data)) {
    throw new InputError(schemaIssues(document, validate.errors ?? []));
  }
  const raw = document.data as RawRules;
  const issues: InputIssue[] = [];
  const known = new Map(checks.map((check) => [check.id, check]));
  const overrides: Record<string, CheckOverride> = {};
  for (const [id, setting] of Object.entries(raw.checks ?? {})) {
    const check = known.get(id);
    if (check === undefined && file === DEFAULT_RULES_FILE) {
      // The built-in defaults configure the built-in checks; with a --checks-dir of one's own they
      // name checks that are not loaded, which is nobody's mistake: those entries do not apply.
      continue;
    }
    if (check === undefined) {
      issues.push({
        file,
        ...document.locate(['checks'], id),
        path: `checks.${id}`,
        message: `unknown check "${id}"; known checks: ${[...known.keys()].join(', ')}`,
      });
      continue;
    }
    if (typeof setting !== 'object') {
      overrides[id] = { enabled: setting === true || setting === 'on', parameters: {} };
      continue;
    }
    const parameters = setting.parameters ?? {};
    for (const [name, value] of Object.entries(parameters)) {
      const definition = check.parameters[name];
      const path = ['checks', id, 'parameters', name];
      if (definition === undefined) {
        const names = Object.keys(check.parameters);
        issues.push({
          file,
          ...document.locate(['checks', id, 'parameters'], name),
          path: path.join('.'),
          message: `unknown parameter "${name}" for ${id}; ${names.length === 0 ? 'it takes no parameters' : `expected one of ${names.join(', ')}`}`,
        });
        continue;
      }
      const problem = parameterProblem(definition, value);
      if (problem !== null) {
        issues.push({ file, ...document.locate(path), path: path.join('.'), message: problem });
      }
    }
    // No `severity: undefined` key: the parsed rules round-trip through JSON (the build-time cache).
    overrides[id] = { enabled: setting.enabled ?? true, ...(setting.severity === undefined ? {} : { severity: setting.severity }), parameters };
  }
  const suppressions: Suppression[] = (raw.suppressions ?? []).map((entry, index) => {
    // A suppression naming no check would silently suppress nothing: most likely a typo, and the
    // finding the user meant to accept would keep failing the run without saying why.
    const pattern = globToRegExp(entry.check);
    if (!checks.some((check) => pattern.test(check.id))) {
      const sameLetters = checks.find((check) => check.id.toLowerCase() === entry.check.toLowerCase());
      issues.push({
        file,
        ...document.locate(['suppressions', index, 'check']),
        path: `suppressions.${index}.check`,
        message: `"${entry.check}" matches no check${sameLetters === undefined ? '' : ` (check ids are case-sensitive: ${sameLetters.id}?)`}; known checks: ${checks.map((check) => check.id).join(', ')}`,
      });
    }
    const badReason = reasonProblem(entry.reason);
    if (badReason !== null) {
      issues.push({ file, ...document.locate(['suppressions', index, 'reason']), path: `suppressions.${index}.reason`, message: badReason });
    }
    if (!isRealDate(entry.expires)) {
      issues.push({
        file,
        ...document.locate(['suppressions', index, 'expires']),
        path: `suppressions.${index}.expires`,
        message: `"${entry.expires}" is not a calendar date`,
      });
    }
    return { check: entry.check, resource: entry.resource ?? '*', region: entry.region, reason: entry.reason, expires: entry.expires };
  });
  if (issues.length > 0) {
    throw new InputError(issues);
  }
  return {
    file,
    checks: overrides,
    suppressions,
    suppressionHorizonDays: raw.suppressionHorizonDays ?? DEFAULT_SUPPRESSION_HORIZON_DAYS,
    failOn: raw.failOn ?? 'informational',
    reports: raw.reports ?? ['junit', 'markdown', 'json'],
  };
}

/**
 * The checks this run evaluates: enabled in rules.yaml, narrowed by `--checks` when given,
 * with severity overrides and parameter values (defaults filled in) applied.
 */
export function enabledChecks(
  checks: readonly CheckDefinition[],
  rules: RulesConfig,
  only: readonly string[] | undefined,
): EnabledCheck[] {
  if (only !== undefined) {
    const unknownIds = only.filter((id) => !checks.some((check) => check.id === id));
    if (unknownIds.length > 0) {
      throw new InputError([
        {
          file: '--checks',
          line: 0,
          column: 0,
          path: '',
          message: `unknown check ${unknownIds.join(', ')}; known checks: ${checks.map((check) => check.id).join(', ')}`,
        },
      ]);
    }
  }
  const selected = checks.filter((check) => (only === undefined ? (rules.checks[check.id]?.enabled ?? true) : only.includes(check.id)));
  if (selected.length === 0) {
    throw new InputError([nothingEnabled(checks, rules, only)]);
  }
  return selected.map((check) => {
    const override = rules.checks[check.id];
    const params: Record<string, unknown> = {};
    for (const [name, definition] of Object.entries(check.parameters)) {
      params[name] = override?.parameters[name] ?? definition.default;
    }
    const severity = override?.severity ?? check.severity;
    return { check: severity === check.severity ? check : { ...check, severity }, params };
  });
}

/**
 * Why no check is enabled. A run that evaluates nothing would report "PASS" with empty reports
 * (and overwrite the previous ones), which reads as a clean audit: it is bad input instead.
 */
function nothingEnabled(checks: readonly CheckDefinition[], rules: RulesConfig, only: readonly string[] | undefined): InputIssue {
  const advice = 'nothing would be evaluated; enable at least one check';
  if (checks.length === 0) {
    return { file: '--checks-dir', line: 0, column: 0, path: '', message: `no check is defined (the checks directory holds no check file): ${advice}` };
  }
  if (only !== undefined) {
    return { file: '--checks', line: 0, column: 0, path: '', message: `selects no check: ${advice}` };
  }
  return {
    file: rules.file ?? 'rules.yaml',
    line: 0,
    column: 0,
    path: 'checks',
    message: `turns off every check (${checks.map((check) => check.id).join(', ')}): ${advice} there, or name checks with --checks`,
  };
}
