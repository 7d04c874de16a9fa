/** `trailaudit-diff.json`: the comparison of two reports as data (pure; the CLI writes it). */
import type { DiffResult } from './result.js';

export const DIFF_JSON_FILE = 'trailaudit-diff.json';

export function formatDiffJson(result: DiffResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
