import { strict as assert } from 'node:assert';
import { InputError } from '../../src/errors.js';
import type { InputIssue } from '../../src/errors.js';

/**
 * 1-based line and column (what an editor shows) of the `occurrence`-th `needle` in `text`,
 * moved `shift` characters to the right (to point inside the needle, e.g. past `id: `).
 */
export function positionOf(text: string, needle: string, occurrence = 1, shift = 0): { line: number; column: number } {
  let offset = -1;
  for (let i = 0; i < occurrence; i += 1) {
    offset = text.indexOf(needle, offset + 1);
    assert.ok(offset >= 0, `"${needle}" occurs ${occurrence} time(s) in the test text`);
  }
  offset += shift;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}

/** Run `fn`, require an InputError, and return its issues. */
export function inputIssues(fn: () => unknown): readonly InputIssue[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.ok(error.issues.length > 0, 'an InputError lists at least one issue');
    return error.issues;
  }
  assert.fail('expected an InputError, but the input was accepted');
}

export interface ExpectedIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: RegExp;
}

/** Issues equal the expected ones, in order: same file, position and path; message matching. */
export function assertIssues(actual: readonly InputIssue[], expected: readonly ExpectedIssue[]): void {
  assert.deepEqual(
    actual.map(({ file, line, column, path }) => ({ file, line, column, path })),
    expected.map(({ file, line, column, path }) => ({ file, line, column, path })),
    `issues: ${JSON.stringify(actual, null, 1)}`,
  );
  actual.forEach((issue, index) => {
    assert.match(issue.message, expected[index]!.message);
  });
}
