/**
 * The checks a run evaluates: rules.yaml and `--checks` (loadRules.ts' enabledChecks), narrowed
 * by `--framework` to the checks mapped to that framework, which also chooses the metric-filter
 * pattern set of the checks that take one.
 *
 * Precedence, from the strongest:
 * 1. `--checks` names checks explicitly (and, as without a framework, enables one rules.yaml
 *    turns off); with `--framework` every id must be in the framework, else exit 2.
 * 2. rules.yaml `off` wins over `--framework`: a framework only narrows, it never turns a check on.
 * 3. A `patternSet` set in rules.yaml for a check wins over the framework's set: explicit
 *    configuration is the user's decision; the framework only replaces the check file's default.
 */
import type { EnabledCheck } from '../engine/evaluate.js';
import type { CheckDefinition } from '../engine/types.js';
import { InputError, type InputIssue } from '../errors.js';
import { isMappedTo, PATTERN_SET_PARAMETER, type Framework } from './frameworks.js';
import { enabledChecks } from './loadRules.js';
import { parameterProblem } from './parameters.js';
import type { RulesConfig } from './rulesConfig.js';

export function selectChecks(
  checks: readonly CheckDefinition[],
  rules: RulesConfig,
  only: readonly string[] | undefined,
  framework: Framework | undefined,
): EnabledCheck[] {
  if (framework === undefined) {
    return enabledChecks(checks, rules, only);
  }
  if (only?.some((id) => !checks.some((check) => check.id === id)) === true) {
    // An id that names no check at all: the error every --checks typo gets, listing every known check.
    return enabledChecks(checks, rules, only);
  }
  const mapped = checks.filter((check) => isMappedTo(check, framework));
  const selects = `--framework ${framework.name} selects the checks mapped to ${framework.key}: ${mapped.length === 0 ? 'none of the loaded checks' : mapped.map((check) => check.id).join(', ')}`;
  const outside = (only ?? []).filter((id) => !mapped.some((check) => check.id === id));
  if (outside.length > 0) {
    throw new InputError([issue('--checks', `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not in framework ${framework.name}; ${selects}`)]);
  }
  if (mapped.length === 0) {
    checksOfFramework(checks, framework);
  }
  if (only === undefined && mapped.every((check) => rules.checks[check.id]?.enabled === false)) {
    throw new InputError([
      { ...issue(rules.file ?? 'rules.yaml', `turns off every check of --framework ${framework.name} (${mapped.map((check) => check.id).join(', ')}): nothing would be evaluated`), path: 'checks' },
    ]);
  }
  return enabledChecks(mapped, rules, only).map((entry) => withFrameworkPatternSet(entry, rules, framework));
}

/** The checks mapped to the framework; none is bad input (exit 2): nothing would be evaluated or listed. */
export function checksOfFramework(checks: readonly CheckDefinition[], framework: Framework): CheckDefinition[] {
  const mapped = checks.filter((check) => isMappedTo(check, framework));
  if (mapped.length === 0) {
    throw new InputError([issue('--framework', `no loaded check is mapped to ${framework.name} (a non-empty list under frameworks.${framework.key})`)]);
  }
  return mapped;
}

/** The framework's pattern set for a check that declares the parameter, unless rules.yaml sets it. */
function withFrameworkPatternSet(entry: EnabledCheck, rules: RulesConfig, framework: Framework): EnabledCheck {
  const definition = entry.check.parameters[PATTERN_SET_PARAMETER];
  if (definition === undefined || rules.checks[entry.check.id]?.parameters[PATTERN_SET_PARAMETER] !== undefined) {
    return entry;
  }
  const problem = parameterProblem(definition, framework.patternSet);
  if (problem !== null) {
    // A check file whose patternSet cannot take the framework's set: running it with its default
    // would silently compare against another framework's patterns.
    throw new InputError([issue('--framework', `${entry.check.id} cannot take ${PATTERN_SET_PARAMETER} "${framework.patternSet}" of framework ${framework.name}: ${problem}`)]);
  }
  return { ...entry, params: { ...entry.params, [PATTERN_SET_PARAMETER]: framework.patternSet } };
}

function issue(file: string, message: string): InputIssue {
  return { file, line: 0, column: 0, path: '', message };
}
