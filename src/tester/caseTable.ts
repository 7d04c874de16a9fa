/**
 * Case tables: the file format (`<CheckId>.cases.yaml`, beside `<CheckId>.yaml`), parsed and
 * validated strictly, since a misspelt key would otherwise silently test nothing. Every problem is
 * an InputError located at its line and column.
 */
import type { Status } from '../engine/types.js';
import { STATUSES } from '../engine/types.js';
import { InputError } from '../errors.js';
import { UNKNOWN_REASONS, type UnknownReason } from '../facts/model.js';
import { parseYaml, type LocatedDocument } from '../load/yamlDocument.js';
import { TableError, isRecord, requireKeys, type Compact } from './compact.js';
import { FACT_KEYS } from './facts.js';
import { InputFileError, readInputFile } from '../load/inputFile.js';

export type CaseKind = 'pass' | 'fail' | 'not_applicable' | 'unknown';
export const CASE_KINDS: readonly CaseKind[] = ['pass', 'fail', 'not_applicable', 'unknown'];
export const KIND_STATUS: Readonly<Record<CaseKind, Status>> = {
  pass: 'PASS',
  fail: 'FAIL',
  not_applicable: 'NOT_APPLICABLE',
  unknown: 'UNKNOWN',
};

export interface Expectation {
  readonly status: Status;
  /** Matches the finding's resource.id or resource.name. */
  readonly resource: string;
  readonly region?: string;
  readonly reason?: UnknownReason;
  /** A substring the finding's message must contain. */
  readonly message?: string;
}

export interface CheckCase {
  readonly name: string;
  readonly kind: CaseKind;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly facts: Compact;
  readonly expect: readonly Expectation[];
  /**
   * Known disagreement between the code and CONTROLS.md: the case states what CONTROLS.md asks
   * for, is reported as pending while it fails, and fails once it passes (remove the marker then).
   */
  readonly pending?: string;
}

export interface CaseTable {
  readonly file: string;
  readonly check: string;
  /**
   * Kinds the check cannot produce, with the reason (only `not_applicable` may be declared: every
   * check reads facts that can be unreadable, and must be able to pass and fail).
   */
  readonly unreachable: Readonly<Partial<Record<CaseKind, string>>>;
  readonly cases: readonly CheckCase[];
  /** Where a node of the table is written (for problems found while running a case). */
  readonly locate: Locate;
}

type Locate = (path: readonly (string | number)[]) => { line: number; column: number };

/** The keys a case table, a case and an expectation accept (documented in the README). */
export const TABLE_KEYS = ['check', 'unreachable', 'cases'] as const;
export const CASE_KEYS = ['name', 'kind', 'params', 'facts', 'expect', 'pending'] as const;
export const EXPECTATION_KEYS = ['status', 'resource', 'region', 'reason', 'message'] as const;

type Path = readonly (string | number)[];

function validateExpectation(where: string, raw: unknown, path: Path): Expectation {
  if (!isRecord(raw)) {
    throw new TableError(`${where}: an expectation must be a mapping`, path);
  }
  requireKeys(where, raw, EXPECTATION_KEYS, ['status', 'resource'], path);
  if (!STATUSES.includes(raw.status as Status)) {
    throw new TableError(`${where}: status must be one of ${STATUSES.join(', ')}`, [...path, 'status']);
  }
  if (typeof raw.resource !== 'string' || raw.resource === '') {
    throw new TableError(`${where}: resource must be a non-empty string`, [...path, 'resource']);
  }
  if (raw.reason !== undefined && !UNKNOWN_REASONS.includes(raw.reason as UnknownReason)) {
    throw new TableError(`${where}: reason must be one of ${UNKNOWN_REASONS.join(', ')}`, [...path, 'reason']);
  }
  if (raw.reason !== undefined && raw.status !== 'UNKNOWN') {
    throw new TableError(`${where}: only an UNKNOWN finding has a reason`, [...path, 'reason']);
  }
  for (const key of ['region', 'message'] as const) {
    // An empty (or blank) text would match every finding: an expectation that asserts nothing.
    if (raw[key] !== undefined && (typeof raw[key] !== 'string' || raw[key].trim() === '')) {
      throw new TableError(`${where}: ${key} must be a non-empty string`, [...path, key]);
    }
  }
  return raw as unknown as Expectation;
}

function validateCase(raw: unknown, index: number, names: Set<string>, unreachable: Record<string, unknown>): CheckCase {
  const path: Path = ['cases', index];
  const where = `case #${index + 1}`;
  if (!isRecord(raw)) {
    throw new TableError(`${where}: a case must be a mapping`, path);
  }
  requireKeys(where, raw, CASE_KEYS, ['name', 'kind', 'facts', 'expect'], path);
  if (typeof raw.name !== 'string' || raw.name === '') {
    throw new TableError(`${where}: name must be a non-empty string`, [...path, 'name']);
  }
  const named = `case "${raw.name}"`;
  if (raw.name.split('(').length !== raw.name.split(')').length) {
    throw new TableError(`${named}: unbalanced parentheses in the name (in YAML, " #" starts a comment: quote the name)`, [...path, 'name']);
  }
  if (names.has(raw.name)) {
    throw new TableError(`${named}: duplicate case name`, [...path, 'name']);
  }
  names.add(raw.name);
  if (!CASE_KINDS.includes(raw.kind as CaseKind)) {
    throw new TableError(`${named}: kind must be one of ${CASE_KINDS.join(', ')}`, [...path, 'kind']);
  }
  if (raw.params !== undefined && !isRecord(raw.params)) {
    throw new TableError(`${named}: params must be a mapping`, [...path, 'params']);
  }
  const facts = raw.facts ?? {};
  if (!isRecord(facts)) {
    throw new TableError(`${named}: facts must be a mapping`, [...path, 'facts']);
  }
  requireKeys(`${named} facts`, facts, FACT_KEYS, [], [...path, 'facts']);
  if (!Array.isArray(raw.expect) || raw.expect.length === 0) {
    throw new TableError(`${named}: expect must be a non-empty list (every evaluation yields at least one finding)`, [...path, 'expect']);
  }
  const expect = (raw.expect as unknown[]).map((entry, i) => validateExpectation(`${named} expect #${i + 1}`, entry, [...path, 'expect', i]));
  const kind = raw.kind as CaseKind;
  if (!expect.some((expectation) => expectation.status === KIND_STATUS[kind])) {
    throw new TableError(`${named}: a "${kind}" case must expect at least one ${KIND_STATUS[kind]} finding`, [...path, 'expect']);
  }
  if (kind in unreachable) {
    throw new TableError(`${named}: kind ${kind} is declared unreachable`, [...path, 'kind']);
  }
  if (raw.pending !== undefined && (typeof raw.pending !== 'string' || raw.pending.length < 20)) {
    throw new TableError(`${named}: pending needs a reason (at least 20 characters)`, [...path, 'pending']);
  }
  return {
    name: raw.name,
    kind,
    facts,
    expect,
    ...(raw.params === undefined ? {} : { params: raw.params }),
    ...(raw.pending === undefined ? {} : { pending: raw.pending }),
  };
}

function validateTable(document: LocatedDocument): CaseTable {
  const data = document.data;
  if (!isRecord(data)) {
    throw new TableError('a case table must be a mapping');
  }
  requireKeys('case table', data, TABLE_KEYS, ['check', 'cases']);
  if (typeof data.check !== 'string') {
    throw new TableError('check must be a string', ['check']);
  }
  const unreachable = data.unreachable ?? {};
  if (!isRecord(unreachable)) {
    throw new TableError('unreachable must be a mapping of kind to reason', ['unreachable']);
  }
  requireKeys('unreachable', unreachable, ['not_applicable'], [], ['unreachable']);
  for (const [kind, why] of Object.entries(unreachable)) {
    if (typeof why !== 'string' || why.length < 20) {
      throw new TableError(`unreachable.${kind} needs a reason (at least 20 characters)`, ['unreachable', kind]);
    }
  }
  if (!Array.isArray(data.cases) || data.cases.length === 0) {
    throw new TableError('cases must be a non-empty list', ['cases']);
  }
  const names = new Set<string>();
  const cases = (data.cases as unknown[]).map((raw, index) => validateCase(raw, index, names, unreachable));
  return { file: document.file, check: data.check, unreachable, cases, locate: (path) => document.locate(path) };
}

/** A TableError as an input error at its line and column in `document`. */
export function locatedTableError(error: TableError, file: string, locate: Locate): InputError {
  return new InputError([{ file, ...locate(error.path), path: error.path.join('.'), message: error.message }]);
}

/** Parse and validate a case table (structure, kinds, duplicate names); problems are located. */
export function parseCaseTable(text: string, file: string): CaseTable {
  const document = parseYaml(text, file);
  try {
    return validateTable(document);
  } catch (error) {
    throw error instanceof TableError ? locatedTableError(error, file, (path) => document.locate(path)) : error;
  }
}

/** Read the case table `file`, which must be the one of `checkId`. */
export function loadCaseTable(file: string, checkId: string): CaseTable {
  let text: string;
  try {
    // Bounded and regular files only: a FIFO or /dev/zero in a user's directory must not hang.
    text = readInputFile(file, 'caseTable');
  } catch (error) {
    const problem = error instanceof InputFileError ? error.problem : (error as Error).message;
    throw new InputError([{ file, line: 0, column: 0, path: '', message: `no case table for ${checkId}: ${problem}` }]);
  }
  const table = parseCaseTable(text, file);
  if (table.check !== checkId) {
    throw new InputError([{ file, ...table.locate(['check']), path: 'check', message: `check is ${table.check}, expected ${checkId}` }]);
  }
  return table;
}

/** Every check must be shown passing, failing, not applicable and unknown (pending cases do not count). */
export function missingKinds(table: Pick<CaseTable, 'unreachable' | 'cases'>): CaseKind[] {
  return CASE_KINDS.filter(
    (kind) => !(kind in table.unreachable) && !table.cases.some((testCase) => testCase.kind === kind && testCase.pending === undefined),
  );
}

/** What a table lacks to show its check in all four outcomes, or null when it shows them all. */
export function coverageProblem(table: CaseTable): string | null {
  const missing = missingKinds(table);
  if (missing.length === 0) {
    return null;
  }
  return `${table.file}: ${table.check} has no ${missing.join(', ')} case (every check needs pass, fail, not_applicable and unknown cases; only not_applicable may be declared unreachable, with a reason)`;
}
