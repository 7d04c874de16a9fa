/**
 * `trailaudit test-checks [DIR]`: checks are data, so users test theirs as we test ours. Runs the
 * case table beside each check of DIR (`X.cases.yaml` next to `X.yaml`, loaded as `--checks-dir`
 * loads them) with the project's own tester, prints one line per case and a summary.
 *
 * Exit codes: 0 every case passed; 1 a case failed, or a check has no case table or lacks a case
 * of some kind (untested is not passing); 2 bad input (a malformed check or case table, a case
 * table without its check, facts a case cannot build), located, nothing run.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readCheckCache } from '../load/checkCache.js';
import { DEFAULT_CHECKS_DIR, loadChecks } from '../load/loadChecks.js';
import { TABLE_KIND, type CaseResult } from '../tester/results.js';
import { EXIT } from './exitCode.js';
import { oneLine } from './terminalText.js';

const HELP = `
DIR holds check files (*.yaml), flat or in one level of folders (e.g. cloudtrail/), each with its
case table beside it (X.cases.yaml); without DIR, the built-in checks' tables are run.

Exit codes: 0 every case passed; 1 a case failed, or a check has no case table or lacks a
pass, fail, not_applicable or unknown case; 2 bad input (malformed check or case table), nothing run.`;

const LABEL: Readonly<Record<CaseResult['outcome'], string>> = { passed: 'PASS', failed: 'FAIL', pending: 'PENDING' };

/** The lines printed for a run: one per case (failures with their details indented), then a summary. */
export function formatCaseResults(results: readonly CaseResult[]): string {
  const lines: string[] = [];
  const idWidth = Math.max(0, ...results.map((result) => result.check.length));
  for (const result of results) {
    lines.push(`${LABEL[result.outcome].padEnd(7)}  ${result.check.padEnd(idWidth)}  ${result.kind.padEnd(14)}  ${oneLine(result.case)}`);
    if (result.outcome === 'failed' && result.detail !== null) {
      lines.push(...result.detail.split('\n').map((line) => `         ${oneLine(line)}`));
    }
  }
  const cases = results.filter((result) => result.kind !== TABLE_KIND);
  const count = (outcome: CaseResult['outcome']): number => cases.filter((result) => result.outcome === outcome).length;
  const checks = new Set(results.map((result) => result.check)).size;
  const pending = count('pending');
  const incomplete = results.length - cases.length;
  lines.push(
    '',
    [
      `${checks} ${checks === 1 ? 'check' : 'checks'}, ${cases.length} ${cases.length === 1 ? 'case' : 'cases'}: ${count('passed')} passed, ${count('failed')} failed`,
      ...(pending > 0 ? [`${pending} pending`] : []),
      ...(incomplete > 0 ? [`${incomplete} missing or incomplete case ${incomplete === 1 ? 'table' : 'tables'}`] : []),
    ].join(', '),
  );
  return `${lines.join('\n')}\n`;
}

export function registerTestChecksCommand(program: Command, cwd: string, setExitCode: (code: number) => void): void {
  program
    .command('test-checks')
    .argument('[dir]', 'a checks directory, as given to --checks-dir (default: the built-in checks)')
    .description('run the case tables beside the checks of a directory, with the tester the built-in checks use')
    .addHelpText('after', HELP)
    .action(async (dir: string | undefined) => {
      // Loaded only by this command, so the tester adds nothing to an audit's start-up (bundle.ts).
      const { runCaseTables } = await import('../tester/suite.js');
      const checksDir = dir === undefined ? DEFAULT_CHECKS_DIR : resolve(cwd, dir);
      // As the audit loads checks: the build-time cache only ever stands in for a shipped check.
      const results = await runCaseTables(checksDir, loadChecks(checksDir, readCheckCache()));
      process.stdout.write(formatCaseResults(results));
      setExitCode(results.some((result) => result.outcome === 'failed') ? EXIT.failures : EXIT.ok);
    });
}
