/**
 * `trailaudit evaluate S1.json S2.json …`: several snapshots evaluated as one organization (the
 * shards of `audit --shard K/N --save-snapshot`). Each file is loaded and validated on its own
 * (loadSnapshot), then the sets are merged (facts/merge.ts), where the organization joins happen:
 * a member in one shard is credited by the organization trail collected in another. One file
 * behaves exactly as `evaluate S.json` always did.
 */
import { InputError, type InputIssue } from '../errors.js';
import { FactSetMergeError, mergeFactSets } from '../facts/merge.js';
import type { FactSet } from '../facts/model.js';
import { loadSnapshot } from './loadSnapshot.js';

export function loadSnapshots(files: readonly string[]): FactSet {
  // Every file's own problems are reported together, not only the first file's.
  const sets: FactSet[] = [];
  const issues: InputIssue[] = [];
  for (const file of files) {
    try {
      sets.push(loadSnapshot(file));
    } catch (error) {
      if (!(error instanceof InputError)) {
        throw error;
      }
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) {
    throw new InputError(issues);
  }
  try {
    return mergeFactSets(sets);
  } catch (error) {
    if (!(error instanceof FactSetMergeError)) {
      throw error;
    }
    const named = error.sets.map((index) => files[index]).filter((file): file is string => file !== undefined);
    const [first = files[0] ?? '', ...others] = named;
    const together = others.length === 0 ? '' : ` (evaluated together with ${others.join(', ')})`;
    throw new InputError([{ file: first, line: 0, column: 0, path: error.path, message: `${error.message}${together}` }]);
  }
}
