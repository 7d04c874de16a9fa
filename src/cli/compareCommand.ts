/**
 * CONTRACT STUB (issue 14, part C implements): `trailaudit security-hub compare REPORT.json`.
 */
import type { Command } from 'commander';

export function registerCompareCommand(securityHub: Command, cwd: string, setExitCode: (code: number) => void): void {
  securityHub
    .command('compare')
    .argument('<report>', 'a trailaudit.json report of a live audit')
    .description("compare a report's verdicts with Security Hub's own control findings")
    .action(() => {
      process.stderr.write(`trailaudit: security-hub compare is not implemented yet (${cwd})\n`);
      setExitCode(2);
    });
}
