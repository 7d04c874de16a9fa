/** `trailaudit checks`: the check catalogue, grouped by service folder, optionally one framework's checks. */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { checkFolders } from '../load/checkFiles.js';
import { frameworkNamed, type FrameworkName } from '../load/frameworks.js';
import { DEFAULT_CHECKS_DIR } from '../load/loadChecks.js';
import { DEFAULT_RULES_FILE, loadRules } from '../load/loadRules.js';
import { readRulesCache } from '../load/rulesCache.js';
import { checksOfFramework } from '../load/selectChecks.js';
import { formatCatalogue } from '../report/catalogue.js';
import { frameworkOption } from './options.js';
import { loadCheckSet } from './pipeline.js';

interface RawChecksOptions {
  format: 'text' | 'markdown' | 'json';
  checksDir?: string;
  framework?: FrameworkName;
}

function printCatalogue(raw: RawChecksOptions, cwd: string): void {
  const checks = loadCheckSet(raw.checksDir, cwd);
  const framework = raw.framework === undefined ? undefined : frameworkNamed(raw.framework);
  const listed = framework === undefined ? checks : checksOfFramework(checks, framework);
  const folders = checkFolders(raw.checksDir === undefined ? DEFAULT_CHECKS_DIR : resolve(cwd, raw.checksDir));
  // "Default" is what a user gets without a rules file of their own: the built-in rules.yaml
  // (which names only built-in checks; any other check is on unless a rules file turns it off).
  const defaults = loadRules(DEFAULT_RULES_FILE, checks, readRulesCache());
  const entries = listed.map((check) => ({ check, folder: folders.get(check.id) ?? '', enabledByDefault: defaults.checks[check.id]?.enabled ?? true }));
  process.stdout.write(formatCatalogue(entries, raw.format, framework));
}

export function registerChecksCommand(program: Command, cwd: string): void {
  program
    .command('checks')
    .description('list the check catalogue')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--checks-dir <dir>', 'load check definitions from this directory')
    .addOption(frameworkOption('list only the checks mapped to this framework; checks of our own such as TrailHealth.1 are in none'))
    .action((raw: RawChecksOptions) => {
      printCatalogue(raw, cwd);
    });
}
