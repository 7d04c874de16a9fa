/**
 * A `trailaudit.json` report read back as the findings and report context that produced it, for
 * `security-hub import` and `security-hub compare` (issue 14). The enabled checks are the
 * report's `controls`, resolved against the loaded check definitions (the shipped ones, or
 * `--checks-dir`) with the report's effective severity. A malformed report is a
 * {@link ReportFileError} naming the file and the JSON path (exit 2), like a bad baseline.
 *
 * Every field a Finding or the import's scope is built from is checked, because a wrong scope
 * would let the import archive what the run never evaluated. Extra fields (a later minor version)
 * are ignored. What the report does not carry is rebuilt as closely as it can be: `allowUnknown`
 * is false and `baseline` null; each suppression's `matched` is found again with the engine's
 * matcher.
 */
import { SEVERITIES, STATUSES } from '../engine/types.js';
import type { CheckDefinition, Finding, Severity, SuppressionMark, SuppressionRecord, SuppressionState } from '../engine/types.js';
import { UNKNOWN_REASONS, type FactSource, type ResourceRef, type SourceLocation, type UnknownDetail, type UnknownReason } from '../facts/core.js';
import { suppressionMatches } from '../engine/suppress.js';
import { SKIP_REASONS, type SkipReason } from '../facts/organization.js';
import type { InputIssue } from '../errors.js';
import { REPORT_SCHEMA_VERSION } from '../report/json.js';
import type { OrganizationScope, ReportContext } from '../report/types.js';
import { jsonParseErrorPosition } from './jsonParseError.js';
import { readInputFile } from './inputFile.js';
import { closestName } from './suggest.js';
import { describeJsonValue, isJsonObject, JsonFileError, type JsonObject } from './jsonValue.js';

export interface LoadedReport {
  readonly file: string;
  readonly findings: readonly Finding[];
  readonly context: ReportContext;
}

/** A report that cannot be read back; `path` is a JSONPath into it. Exit 2. */
export class ReportFileError extends JsonFileError {
  override readonly name = 'ReportFileError';
}

const SOURCES: readonly FactSource[] = ['live', 'cloudformation', 'terraform', 'iac'];
const SUPPRESSION_STATES: readonly SuppressionState[] = ['active', 'expired', 'unused'];


/** Typed field readers that fail with the file and the JSON path of the bad value. */
class Reader {
  constructor(readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new ReportFileError(this.file, path, problem);
  }

  object(value: unknown, path: string): JsonObject {
    return isJsonObject(value) ? value : this.fail(path, `expected an object, found ${describeJsonValue(value)}`);
  }

  array(value: unknown, path: string): readonly unknown[] {
    return Array.isArray(value) ? value : this.fail(path, `expected an array, found ${describeJsonValue(value)}`);
  }

  str(obj: JsonObject, key: string, path: string): string {
    const value = obj[key];
    return typeof value === 'string' ? value : this.fail(`${path}.${key}`, `expected a string, found ${describeJsonValue(value)}`);
  }

  optStr(obj: JsonObject, key: string, path: string): string | undefined {
    return obj[key] === undefined ? undefined : this.str(obj, key, path);
  }

  num(obj: JsonObject, key: string, path: string): number {
    const value = obj[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : this.fail(`${path}.${key}`, `expected a number, found ${describeJsonValue(value)}`);
  }

  oneOf<T extends string>(obj: JsonObject, key: string, path: string, allowed: readonly T[]): T {
    const value = this.str(obj, key, path);
    return (allowed as readonly string[]).includes(value)
      ? (value as T)
      : this.fail(`${path}.${key}`, `expected one of ${allowed.join(', ')}, found ${JSON.stringify(value)}`);
  }

  strings(value: unknown, path: string): string[] {
    return this.array(value, path).map((item, index) =>
      typeof item === 'string' ? item : this.fail(`${path}[${index}]`, `expected a string, found ${describeJsonValue(item)}`),
    );
  }

  /** An ISO 8601 timestamp: the import's scope and its "older than Security Hub" test rely on it. */
  timestamp(obj: JsonObject, key: string, path: string): string {
    const value = this.str(obj, key, path);
    return Number.isNaN(Date.parse(value)) ? this.fail(`${path}.${key}`, `expected an ISO 8601 timestamp, found ${JSON.stringify(value)}`) : value;
  }

  location(value: unknown, path: string): SourceLocation {
    const obj = this.object(value, path);
    return { file: this.str(obj, 'file', path), line: this.num(obj, 'line', path), column: this.num(obj, 'column', path) };
  }
}

function parseRoot(text: string, r: Reader): JsonObject {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const position = jsonParseErrorPosition(text, detail);
    return r.fail('$', `not valid JSON (${detail}${position === undefined ? '' : `; line ${String(position.line)}, column ${String(position.column)}`})`);
  }
  if (!isJsonObject(root)) {
    return r.fail('$', `expected a trailaudit JSON report object, found ${describeJsonValue(root)}`);
  }
  if (root.schemaVersion !== REPORT_SCHEMA_VERSION) {
    r.fail('$.schemaVersion', `expected ${REPORT_SCHEMA_VERSION} (a trailaudit.json report), found ${describeJsonValue(root.schemaVersion)}`);
  }
  return root;
}

function readResource(value: unknown, path: string, r: Reader): ResourceRef {
  const res = r.object(value, path);
  const accountId = res.accountId;
  if (accountId !== null && typeof accountId !== 'string') {
    r.fail(`${path}.accountId`, `expected a string or null, found ${describeJsonValue(accountId)}`);
  }
  const name = r.optStr(res, 'name', path);
  return {
    type: r.str(res, 'type', path),
    id: r.str(res, 'id', path),
    ...(name === undefined ? {} : { name }),
    accountId,
    region: r.str(res, 'region', path),
    ...(res.location === undefined ? {} : { location: r.location(res.location, `${path}.location`) }),
  };
}

function readUnknown(value: unknown, path: string, r: Reader): UnknownDetail {
  const obj = r.object(value, path);
  const operation = r.optStr(obj, 'operation', path);
  const region = r.optStr(obj, 'region', path);
  const account = r.optStr(obj, 'account', path);
  return {
    reason: r.oneOf(obj, 'reason', path, UNKNOWN_REASONS),
    message: r.str(obj, 'message', path),
    ...(operation === undefined ? {} : { operation }),
    ...(region === undefined ? {} : { region }),
    ...(account === undefined ? {} : { account }),
  };
}

function readFrameworks(value: unknown, path: string, r: Reader): Record<string, string[]> {
  const obj = r.object(value, path);
  return Object.fromEntries(Object.entries(obj).map(([name, ids]) => [name, r.strings(ids, `${path}.${name}`)]));
}

function readFinding(value: unknown, path: string, r: Reader): Finding {
  const raw = r.object(value, path);
  const reason = raw.reason;
  if (reason !== null && !(typeof reason === 'string' && (UNKNOWN_REASONS as readonly string[]).includes(reason))) {
    r.fail(`${path}.reason`, `expected null or one of ${UNKNOWN_REASONS.join(', ')}, found ${describeJsonValue(reason)}`);
  }
  const mark = raw.suppressed;
  let suppressed: SuppressionMark | null = null;
  if (mark !== null) {
    const markPath = `${path}.suppressed`;
    const obj = r.object(mark, markPath);
    suppressed = { reason: r.str(obj, 'reason', markPath), expires: r.str(obj, 'expires', markPath), resource: r.str(obj, 'resource', markPath) };
  }
  const evidence = r.object(raw.evidence, `${path}.evidence`);
  return {
    checkId: r.str(raw, 'checkId', path),
    control: r.str(raw, 'control', path),
    title: r.str(raw, 'title', path),
    severity: r.oneOf(raw, 'severity', path, SEVERITIES.map((s) => s.toUpperCase() as Uppercase<Severity>)),
    status: r.oneOf(raw, 'status', path, STATUSES),
    reason: reason as UnknownReason | null,
    resource: readResource(raw.resource, `${path}.resource`, r),
    location: raw.location === null ? null : r.location(raw.location, `${path}.location`),
    message: r.str(raw, 'message', path),
    evidence,
    remediation: r.str(raw, 'remediation', path),
    frameworks: readFrameworks(raw.frameworks, `${path}.frameworks`, r),
    suppressed,
    unknowns: r.array(raw.unknowns, `${path}.unknowns`).map((u, i) => readUnknown(u, `${path}.unknowns[${i}]`, r)),
  };
}

function readOrganization(value: unknown, path: string, r: Reader): OrganizationScope {
  const org = r.object(value, path);
  const nullableStr = (key: string): string | null => (org[key] === null ? null : r.str(org, key, path));
  const names = r.object(org.accountNames, `${path}.accountNames`);
  const shard = (v: unknown, p: string): { index: number; count: number } => {
    const obj = r.object(v, p);
    return { index: r.num(obj, 'index', p), count: r.num(obj, 'count', p) };
  };
  return {
    id: nullableStr('id'),
    managementAccountId: nullableStr('managementAccountId'),
    callerAccountId: r.str(org, 'callerAccountId', path),
    roleName: r.str(org, 'roleName', path),
    accountNames: Object.fromEntries(Object.keys(names).map((id) => [id, r.str(names, id, `${path}.accountNames`)])),
    skipped: r.array(org.skipped, `${path}.skipped`).map((v, i) => {
      const p = `${path}.skipped[${i}]`;
      const obj = r.object(v, p);
      const name = r.optStr(obj, 'name', p);
      return {
        accountId: r.str(obj, 'accountId', p),
        ...(name === undefined ? {} : { name }),
        reason: r.oneOf<SkipReason>(obj, 'reason', p, SKIP_REASONS),
        message: r.str(obj, 'message', p),
      };
    }),
    unreachable: r.array(org.unreachable, `${path}.unreachable`).map((v, i) => {
      const p = `${path}.unreachable[${i}]`;
      const obj = r.object(v, p);
      return { accountId: r.str(obj, 'accountId', p), reason: r.str(obj, 'reason', p), message: r.str(obj, 'message', p) };
    }),
    ...(org.shard === undefined ? {} : { shard: shard(org.shard, `${path}.shard`) }),
    ...(org.shards === undefined ? {} : { shards: r.array(org.shards, `${path}.shards`).map((v, i) => shard(v, `${path}.shards[${i}]`)) }),
    accountsInScope: r.num(org, 'accountsInScope', path),
    ...(typeof org.wholeOrganization === 'boolean' ? { wholeOrganization: org.wholeOrganization } : {}),
  };
}

function readScope(value: unknown, r: Reader): ReportContext['scope'] {
  const path = '$.scope';
  const scope = r.object(value, path);
  const principalArn = r.optStr(scope, 'principalArn', path);
  const framework = r.optStr(scope, 'framework', path);
  return {
    source: r.oneOf(scope, 'source', path, SOURCES),
    accounts: r.strings(scope.accounts, `${path}.accounts`),
    regions: r.strings(scope.regions, `${path}.regions`),
    ...(typeof scope.allRegions === 'boolean' ? { allRegions: scope.allRegions } : {}),
    ...(principalArn === undefined ? {} : { principalArn }),
    inputs: r.strings(scope.inputs, `${path}.inputs`),
    ...(framework === undefined ? {} : { framework }),
    ...(scope.organization === undefined ? {} : { organization: readOrganization(scope.organization, `${path}.organization`, r) }),
  };
}

/** The report's controls as check definitions, with the effective severity the report shows. */
function resolveChecks(value: unknown, checks: readonly CheckDefinition[], r: Reader): CheckDefinition[] {
  const byId = new Map(checks.map((check) => [check.id, check]));
  return r.array(value, '$.controls').map((v, i) => {
    const path = `$.controls[${i}]`;
    const obj = r.object(v, path);
    const id = r.str(obj, 'control', path);
    const check = byId.get(id);
    if (check === undefined) {
      const near = closestName(id, byId.keys());
      return r.fail(
        `${path}.control`,
        `control "${id}" is not among the loaded checks${near === null ? '' : ` (did you mean "${near}"?)`}; ` +
          'a report made with custom checks is read with the same --checks-dir',
      );
    }
    const severity = r.oneOf(obj, 'severity', path, SEVERITIES.map((s) => s.toUpperCase())).toLowerCase() as Severity;
    return severity === check.severity ? check : { ...check, severity };
  });
}

function readSuppressions(value: unknown, findings: readonly Finding[], r: Reader): SuppressionRecord[] {
  if (value === undefined) {
    return [];
  }
  return r.array(value, '$.suppressions').map((v, i) => {
    const path = `$.suppressions[${i}]`;
    const obj = r.object(v, path);
    const region = r.optStr(obj, 'region', path);
    const file = r.optStr(obj, 'file', path);
    const suppression = {
      check: r.str(obj, 'check', path),
      resource: r.str(obj, 'resource', path),
      ...(region === undefined ? {} : { region }),
      ...(file === undefined ? {} : { file }),
      reason: r.str(obj, 'reason', path),
      expires: r.str(obj, 'expires', path),
    };
    // The engine's own matcher over the same findings gives back the findings it matched.
    const matched = findings.filter((finding) => suppressionMatches(suppression, finding));
    return { suppression, state: r.oneOf(obj, 'state', path, SUPPRESSION_STATES), matched };
  });
}

function readInputErrors(value: unknown, r: Reader): InputIssue[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  return r.array(value, '$.inputErrors').map((v, i) => {
    const path = `$.inputErrors[${i}]`;
    const obj = r.object(v, path);
    return { file: r.str(obj, 'file', path), line: r.num(obj, 'line', path), column: r.num(obj, 'column', path), path: '', message: r.str(obj, 'message', path) };
  });
}

/** Parses a report's text; `file` names it in errors. */
export function parseReport(text: string, file: string, checks: readonly CheckDefinition[]): LoadedReport {
  const r = new Reader(file);
  const root = parseRoot(text, r);
  const tool = r.object(root.tool, '$.tool');
  const stats = r.object(root.stats, '$.stats');
  const apiCalls = r.object(stats.apiCalls, '$.stats.apiCalls');
  const findings = r.array(root.findings, '$.findings').map((v, i) => readFinding(v, `$.findings[${i}]`, r));
  const inputErrors = readInputErrors(root.inputErrors, r);
  const context: ReportContext = {
    tool: { name: r.str(tool, 'name', '$.tool'), version: r.str(tool, 'version', '$.tool') },
    scope: readScope(root.scope, r),
    startedAt: r.timestamp(root, 'startedAt', '$'),
    finishedAt: r.timestamp(root, 'finishedAt', '$'),
    ...(root.collectedAt === undefined ? {} : { collectedAt: r.timestamp(root, 'collectedAt', '$') }),
    stats: {
      apiCalls: Object.fromEntries(Object.keys(apiCalls).map((op) => [op, r.num(apiCalls, op, '$.stats.apiCalls')])),
      durationMs: r.num(stats, 'durationMs', '$.stats'),
    },
    checks: resolveChecks(root.controls, checks, r),
    checkParameters: root.checkParameters === undefined ? {} : (r.object(root.checkParameters, '$.checkParameters') as ReportContext['checkParameters']),
    suppressions: readSuppressions(root.suppressions, findings, r),
    failOn: r.oneOf(root, 'failOn', '$', SEVERITIES),
    allowUnknown: false,
    baseline: null,
    ...(inputErrors === undefined ? {} : { inputErrors }),
  };
  return { file, findings, context };
}

/** Reads a `trailaudit.json` report back (through the input-file limits of a baseline report). */
export function loadReport(file: string, checks: readonly CheckDefinition[]): LoadedReport {
  return parseReport(readInputFile(file, 'report'), file, checks);
}
