/** One problem in an input file, located as precisely as the input allows. */
export interface InputIssue {
  readonly file: string;
  /** 1-based; 0 when the position is not known. */
  readonly line: number;
  readonly column: number;
  /** Dotted path inside the document (`checks.CloudTrail.9.parameters`), '' for the whole file. */
  readonly path: string;
  readonly message: string;
}

export function formatIssue(issue: InputIssue): string {
  const position = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const where = issue.path === '' ? '' : ` ${issue.path}:`;
  return `${position}:${where} ${issue.message}`;
}

/**
 * Bad input (rules, checks, snapshots, templates): the CLI reports every issue and exits 2
 * without evaluating anything or touching existing reports.
 */
export class InputError extends Error {
  readonly issues: readonly InputIssue[];

  constructor(issues: readonly InputIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'InputError';
    this.issues = issues;
  }
}
