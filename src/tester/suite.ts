/**
 * `trailaudit test-checks`: every case table beside the checks of a directory, run with the tester
 * the project's own tests use, as data the command prints (one result per case).
 */
import { AssertionError } from 'node:assert';
import { lstatSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { CheckDefinition } from '../engine/types.js';
import { InputError, type InputIssue } from '../errors.js';
import { caseTableFileOf, checkIdOfFile, listCaseTableFiles, listCheckFiles } from '../load/checkFiles.js';
import { loadChecks } from '../load/loadChecks.js';
import { coverageProblem, loadCaseTable, locatedTableError, type CaseTable, type CheckCase } from './caseTable.js';
import { TableError } from './compact.js';
import { COVERAGE, NO_TABLE, TABLE_KIND, type CaseResult } from './results.js';
import { checkCase } from './run.js';

export { COVERAGE, NO_TABLE, TABLE_KIND, type CaseResult } from './results.js';

/** Cases run between two turns of the event loop (each takes well under a millisecond). */
const CASES_BETWEEN_TURNS = 50;

/**
 * Load the checks of `dir` as `--checks-dir` does, then run each one's case table. Malformed
 * checks or case tables, a case table with no check beside it and a case whose facts cannot be
 * built are bad input: all of them are thrown together as one InputError, located. A check without
 * a case table is a failed result (untested is not passing).
 */
export async function runCaseTables(dir: string, loaded?: readonly CheckDefinition[]): Promise<CaseResult[]> {
  const checks = loaded ?? loadChecks(dir);
  const files = listCheckFiles(dir);
  const issues: InputIssue[] = [];
  const checkFiles = new Set(files.map(({ file }) => caseTableFileOf(file)));
  for (const { file } of listCaseTableFiles(dir)) {
    if (!checkFiles.has(file)) {
      const id = checkIdOfFile(file).replace(/\.cases$/u, '');
      const check = files.find((candidate) => checkIdOfFile(candidate.file) === id && dirname(candidate.file) === dirname(file));
      // A table takes its check's extension too (CloudTrail.4.yaml → CloudTrail.4.cases.yaml).
      const message =
        check === undefined ? `a case table without its check: expected ${id}.yaml beside it` : `a case table of ${check.name} must be named ${basename(caseTableFileOf(check.file))}`;
      issues.push({ file, line: 0, column: 0, path: '', message });
    }
  }
  const results: CaseResult[] = [];
  for (const { file } of files) {
    const checkId = checkIdOfFile(file);
    const tableFile = caseTableFileOf(file);
    // lstat, not exists: a dangling or looping link is a table that cannot be read (exit 2), not a missing one.
    if (lstatSync(tableFile, { throwIfNoEntry: false }) === undefined) {
      results.push({ check: checkId, case: NO_TABLE, kind: TABLE_KIND, outcome: 'failed', detail: `no case table: expected ${tableFile}` });
      continue;
    }
    let table: CaseTable;
    try {
      table = loadCaseTable(tableFile, checkId);
    } catch (error) {
      issues.push(...issuesOf(error));
      continue;
    }
    const problem = coverageProblem(table);
    if (problem !== null) {
      results.push({ check: checkId, case: COVERAGE, kind: TABLE_KIND, outcome: 'failed', detail: problem });
    }
    for (const [index, testCase] of table.cases.entries()) {
      if (index % CASES_BETWEEN_TURNS === CASES_BETWEEN_TURNS - 1) {
        // Let the event loop run now and then, so that Ctrl-C ends a long run at once.
        await new Promise((resolve) => setImmediate(resolve));
      }
      try {
        results.push(runOne(checks, checkId, testCase));
      } catch (error) {
        if (error instanceof InputError) {
          // The case's params, which rules.yaml's loader judged: said at the case's params.
          const at = { file: tableFile, ...table.locate(['cases', index, 'params']), path: `cases.${index}.params` };
          issues.push(...error.issues.map((issue) => ({ ...at, message: `case "${testCase.name}": ${issue.path}: ${issue.message}` })));
        } else {
          // Facts that cannot be built; also a fact of a shape the builders did not foresee (a
          // string where the ACL list goes): the table's mistake too, said at the case's facts,
          // never an internal error. (A failed expectation never gets here: runOne returns it.)
          const message = error instanceof TableError ? error.message : `case "${testCase.name}": facts could not be built: ${error instanceof Error ? error.message : String(error)}`;
          issues.push(...locatedTableError(new TableError(message, ['cases', index, 'facts']), tableFile, table.locate).issues);
        }
      }
    }
  }
  if (issues.length > 0) {
    throw new InputError(issues);
  }
  return results;
}

/** A case's result; a TableError or InputError (facts or params that cannot be built) is thrown. */
function runOne(checks: readonly CheckDefinition[], checkId: string, testCase: CheckCase): CaseResult {
  const base = { check: checkId, case: testCase.name, kind: testCase.kind };
  let failure: string | null = null;
  try {
    checkCase(checks, checkId, testCase);
  } catch (error) {
    if (!(error instanceof AssertionError)) {
      throw error;
    }
    failure = error.message;
  }
  if (testCase.pending !== undefined) {
    return failure === null
      ? { ...base, outcome: 'failed', detail: `marked pending (${testCase.pending}) but passes now: remove "pending"` }
      : { ...base, outcome: 'pending', detail: testCase.pending };
  }
  return failure === null ? { ...base, outcome: 'passed', detail: null } : { ...base, outcome: 'failed', detail: failure };
}

function issuesOf(error: unknown): readonly InputIssue[] {
  if (error instanceof InputError) {
    return error.issues;
  }
  throw error;
}
