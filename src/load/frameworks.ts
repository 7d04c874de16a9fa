/**
 * The frameworks `--framework` selects, in one table: the CLI name, the key under a check file's
 * `frameworks` that maps a check to it, and the CloudWatch metric-filter pattern set
 * (CONTROLS §2.2) its checks compare against. The check catalogue, the CLI and the reports read
 * it from here, so a framework is added in one place.
 */
import type { CheckDefinition } from '../engine/types.js';

export interface Framework {
  /** What `--framework` takes, and what the report records (`scope.framework`). */
  readonly name: string;
  /** The key under a check's `frameworks` whose non-empty id list maps the check to it. */
  readonly key: string;
  /** The value given to a check's `patternSet` parameter (unless rules.yaml sets it). */
  readonly patternSet: string;
  /** A heading for people: the catalogue's column, the Markdown report's scope row. */
  readonly label: string;
}

export const FRAMEWORKS = [
  { name: 'securityhub', key: 'securityhub', patternSet: 'securityhub', label: 'Security Hub' },
  { name: 'cis-1.4', key: 'cis-aws-1.4.0', patternSet: 'cis-1.4', label: 'CIS 1.4.0' },
  { name: 'cis-3.0', key: 'cis-aws-3.0.0', patternSet: 'cis-3.0', label: 'CIS 3.0.0' },
  { name: 'cis-5.0', key: 'cis-aws-5.0.0', patternSet: 'cis-5.0', label: 'CIS 5.0.0' },
] as const satisfies readonly Framework[];

export type FrameworkName = (typeof FRAMEWORKS)[number]['name'];

export const FRAMEWORK_NAMES: readonly FrameworkName[] = FRAMEWORKS.map((framework) => framework.name);

/** The parameter a framework fills in: the metric-filter patterns of CloudWatch.1–14 differ per framework. */
export const PATTERN_SET_PARAMETER = 'patternSet';

/** The framework of a CLI name; `undefined` for any other string (commander's choices refuse those first). */
export function frameworkNamed(name: string): Framework | undefined {
  return FRAMEWORKS.find((framework) => framework.name === name);
}

/** The framework's ids for the check (e.g. CIS `["3.1"]`); empty when the check is not mapped to it. */
export function frameworkIds(check: CheckDefinition, framework: Framework): readonly string[] {
  return check.frameworks[framework.key] ?? [];
}

/**
 * Whether the framework selects the check: a non-empty id list under its key. An empty list is
 * "not part of it" (a check file may keep the key as a reminder); a check of our own
 * (TrailHealth.N) has no such key and is selected by no framework.
 */
export function isMappedTo(check: CheckDefinition, framework: Framework): boolean {
  return frameworkIds(check, framework).length > 0;
}
