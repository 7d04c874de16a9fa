/**
 * The built-in checks as files in checks/ (grouped by service, each beside its case table), read
 * here independently of the loader, so tests take the list of checks from checks/ instead of
 * spelling it out, and a test of the loader can compare against it.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_CHECKS_DIR } from '../../src/load/loadChecks.js';

const collator = new Intl.Collator('en', { numeric: true });

/** Every check file (not case tables) under checks/, in check-id order (CloudTrail.10 after .9). */
export const BUILT_IN_CHECK_FILES: readonly string[] = readdirSync(DEFAULT_CHECKS_DIR, { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.yaml') && !path.endsWith('.cases.yaml'))
  .map((path) => join(DEFAULT_CHECKS_DIR, path))
  .sort((a, b) => collator.compare(basename(a), basename(b)));

/** The built-in check ids, in the order the loader gives them. */
export const BUILT_IN_CHECK_IDS: readonly string[] = BUILT_IN_CHECK_FILES.map((file) => basename(file, '.yaml'));

/** The file of a built-in check, wherever its service folder is. */
export function builtInCheckFile(id: string): string {
  const file = BUILT_IN_CHECK_FILES.find((path) => basename(path) === `${id}.yaml`);
  if (file === undefined) {
    throw new Error(`no built-in check ${id} under ${DEFAULT_CHECKS_DIR}`);
  }
  return file;
}
