/**
 * Why several fact sets cannot be evaluated as one organization. Thrown by mergeFactSets with a
 * message that names no file (the sets may come from a collector or from snapshot files); the
 * snapshot loader (src/load/loadSnapshots.ts) turns it into an input error naming the files.
 */
export class FactSetMergeError extends Error {
  /** Indexes, in the caller's list, of the sets that disagree. */
  readonly sets: readonly number[];
  /** Dotted path of the disagreeing part of a set (`organization.id`, `accounts`). */
  readonly path: string;

  constructor(message: string, sets: readonly number[], path: string) {
    super(message);
    this.name = 'FactSetMergeError';
    this.sets = sets;
    this.path = path;
  }
}
