/**
 * Reports of formats not asked for this time, left in the output folder by an earlier run: a CI job
 * publishing the folder would publish stale results, so every command that writes reports says so.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The files among `names` (those of the formats not written this time) present in `outputDir`. */
export function staleReports(outputDir: string, names: readonly string[]): string[] {
  return names.map((name) => join(outputDir, name)).filter((path) => existsSync(path));
}

/** One line per stale report file. */
export function staleReportNotes(stale: readonly string[]): string {
  return stale.map((path) => `note: ${path} is from an earlier run (its format was not asked for this time); it was left as it was.\n`).join('');
}
