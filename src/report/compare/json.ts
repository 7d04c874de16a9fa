/** `trailaudit-compare.json`: the comparison as data (pure; the CLI writes it). */
import type { CompareResult } from '../../securityhub/compareTypes.js';

export const COMPARE_JSON_FILE = 'trailaudit-compare.json';

export function formatCompareJson(result: CompareResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
