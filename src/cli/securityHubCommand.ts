/**
 * `trailaudit security-hub …`: the Security Hub round trip of reports made earlier (issue 14).
 * `import` is built here (part B), `compare` in compareCommand.ts (part C).
 */
import type { Command } from 'commander';
import { registerCompareCommand } from './compareCommand.js';

export function registerSecurityHubCommand(program: Command, cwd: string, setExitCode: (code: number) => void): void {
  const securityHub = program.command('security-hub').description('send reports to AWS Security Hub, or compare them with its own control findings');
  securityHub
    .command('import')
    .argument('<reports...>', 'trailaudit.json reports of live audits (several: the shards of one organization)')
    .description('import report findings into Security Hub (CONTRACT STUB: part B)')
    .action(() => {
      process.stderr.write('trailaudit: security-hub import is not implemented yet\n');
      setExitCode(2);
    });
  registerCompareCommand(securityHub, cwd, setExitCode);
}
