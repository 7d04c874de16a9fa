/**
 * `--accounts-file FILE`: the accounts to audit, in one of three forms a user already has at hand:
 * - one 12-digit id a line (blank lines and `#` comments, whole-line or trailing, ignored);
 * - a JSON array of ids (strings: a number would lose an id's leading zeros);
 * - the JSON `aws organizations list-accounts` prints (`{"Accounts": [{"Id": …, "State"/"Status": …}]}`),
 *   where accounts not ACTIVE are left out and returned apart, so the CLI can say so.
 * Every problem is an InputError with file, line and column and what was expected (exit 2, before
 * any AWS call).
 */
import { InputError, type InputIssue } from '../errors.js';
import { readInputFile } from './inputFile.js';
import { jsonParseErrorPosition } from './jsonParseError.js';
import { lineLocator, visitJson, type TextPosition } from './jsonPositions.js';

export const ACCOUNT_ID_PATTERN = /^\d{12}$/u;

export interface AccountsFileContent {
  /** ACTIVE (or stateless) account ids, in file order, each once. */
  readonly accountIds: readonly string[];
  /** Accounts of a list-accounts document whose state is not ACTIVE: left out. */
  readonly notActive: readonly { readonly id: string; readonly state: string }[];
}

/** At most this many problems are listed: a wrong file gives one per line otherwise. */
const MAX_ISSUES = 20;

function parseLines(text: string, file: string): { ids: string[]; issues: InputIssue[] } {
  const ids: string[] = [];
  const issues: InputIssue[] = [];
  text.split('\n').forEach((raw, index) => {
    const hash = raw.indexOf('#');
    const content = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    if (content === '') {
      return;
    }
    if (ACCOUNT_ID_PATTERN.test(content)) {
      ids.push(content);
      return;
    }
    issues.push({
      file,
      line: index + 1,
      column: raw.indexOf(content) + 1,
      path: '',
      message: `expected a 12-digit AWS account id (one a line, # for comments), found ${JSON.stringify(content)}`,
    });
  });
  return { ids, issues };
}

/** Where each value starts, by its JSON path (`[3]`, `Accounts[2].Id`). */
function valuePositions(text: string): Map<string, TextPosition> {
  const locate = lineLocator(text);
  const positions = new Map<string, TextPosition>();
  const record = (offset: number, path: readonly (string | number)[]): void => {
    positions.set(pathText(path), locate(offset));
  };
  visitJson(text, {
    onLiteralValue: (_value, offset, _length, _line, _column, path) => {
      record(offset, path());
    },
    onObjectBegin: (offset, _length, _line, _column, path) => {
      record(offset, path());
    },
    onArrayBegin: (offset, _length, _line, _column, path) => {
      record(offset, path());
    },
  });
  return positions;
}

function pathText(path: readonly (string | number)[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'object') {
    return 'an object';
  }
  // What is left is a string, number or boolean, or nothing (a missing "Id").
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function parseJson(text: string, file: string): { ids: string[]; notActive: { id: string; state: string }[]; issues: InputIssue[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = jsonParseErrorPosition(text, message);
    return { ids: [], notActive: [], issues: [{ file, line: position?.line ?? 0, column: position?.column ?? 0, path: '', message: `not valid JSON: ${message}` }] };
  }
  const positions = valuePositions(text);
  const issues: InputIssue[] = [];
  const issue = (path: string, message: string): void => {
    const at = positions.get(path);
    issues.push({ file, line: at?.line ?? 0, column: at?.column ?? 0, path, message });
  };
  const ids: string[] = [];
  const notActive: { id: string; state: string }[] = [];
  const idAt = (value: unknown, path: string): string | null => {
    if (typeof value === 'string' && ACCOUNT_ID_PATTERN.test(value)) {
      return value;
    }
    issue(path, `expected a 12-digit AWS account id as a string, found ${describeValue(value)}`);
    return null;
  };
  if (Array.isArray(data)) {
    data.forEach((value: unknown, index) => {
      const id = idAt(value, `[${index}]`);
      if (id !== null) {
        ids.push(id);
      }
    });
  } else if (typeof data === 'object' && data !== null && Array.isArray((data as { Accounts?: unknown }).Accounts)) {
    ((data as { Accounts: unknown[] }).Accounts).forEach((entry, index) => {
      const path = `Accounts[${index}]`;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        issue(path, `expected an account object with an "Id", found ${describeValue(entry)}`);
        return;
      }
      const account = entry as { Id?: unknown; State?: unknown; Status?: unknown };
      const id = idAt(account.Id, account.Id === undefined ? path : `${path}.Id`);
      // `Status` is being retired in favour of `State`; read either, as list-accounts prints both.
      const state = account.State ?? account.Status;
      if (id === null) {
        return;
      }
      if (state !== undefined && typeof state !== 'string') {
        issue(`${path}.${account.State === undefined ? 'Status' : 'State'}`, `expected an account state such as "ACTIVE", found ${describeValue(state)}`);
      } else if (state === undefined || state === 'ACTIVE') {
        ids.push(id);
      } else {
        notActive.push({ id, state });
      }
    });
  } else {
    issue('', 'expected one 12-digit account id a line, a JSON array of ids, or the JSON of `aws organizations list-accounts` ({"Accounts": [...]})');
  }
  return { ids, notActive, issues };
}

/** Parse the text of an accounts file (exported for tests; the CLI calls {@link readAccountsFile}). */
export function parseAccountsFile(text: string, file: string): AccountsFileContent {
  const start = text.replace(/^\uFEFF/u, '').trimStart();
  const parsed = start.startsWith('[') || start.startsWith('{') ? parseJson(text.replace(/^\uFEFF/u, ''), file) : { ...parseLines(text, file), notActive: [] };
  if (parsed.issues.length > 0) {
    throw new InputError(parsed.issues.slice(0, MAX_ISSUES));
  }
  if (parsed.ids.length === 0 && parsed.notActive.length === 0) {
    throw new InputError([{ file, line: 0, column: 0, path: '', message: 'names no account (expected 12-digit account ids)' }]);
  }
  return { accountIds: [...new Set(parsed.ids)], notActive: parsed.notActive };
}

export function readAccountsFile(path: string, display: string = path): AccountsFileContent {
  return parseAccountsFile(readInputFile(path, 'accounts', display), display);
}
