/**
 * The exit codes an error can end a command with (DESIGN §1): 2 bad usage or bad input (nothing
 * evaluated), 3 incomplete. Never 0, and never 1, which means "failures found": an error is not a
 * finding.
 */
export type ErrorExitCode = 2 | 3;

/**
 * The base of every error that ends a command with a message for its user, carrying the exit
 * code: the CLI catches this one class, so an error class added later is handled without being
 * listed anywhere. Anything else that reaches the CLI is a bug (an internal error, exit 2).
 */
export class TrailauditError extends Error {
  /** 2 (bad usage or input) unless a subclass says otherwise. */
  readonly exitCode: ErrorExitCode = 2;

  /** What the CLI prints after `trailaudit: `; the message unless a subclass frames it. */
  get userMessage(): string {
    return this.message;
  }
}

/** Bad usage a command finds itself (an option's value commander cannot judge): exit 2, nothing run. */
export class UsageError extends TrailauditError {}

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
export class InputError extends TrailauditError {
  readonly issues: readonly InputIssue[];

  constructor(issues: readonly InputIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'InputError';
    this.issues = issues;
  }

  override get userMessage(): string {
    return `invalid input, nothing was evaluated and no report was written:\n${this.message}`;
  }
}
