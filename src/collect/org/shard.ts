/**
 * `--shard K/N`: which accounts of the list in scope one shard audits.
 *
 * The rule: an account belongs to shard (id mod N) + 1, its 12-digit id read as a number. Each
 * account's shard depends on its own id only, never on which other accounts a shard job saw, so
 * shard jobs that list the organization at slightly different moments (an account created or
 * closed in between) still never audit one account twice, and every account all of them saw is
 * audited by exactly one. The parts are balanced in expectation (AWS account ids are spread
 * evenly), not exactly: a small organization may leave a shard with few or no accounts.
 */
import { UsageError } from '../../errors.js';
import type { ShardSpec } from '../../facts/organization.js';

const SHARD_PATTERN = /^(\d{1,6})\/(\d{1,6})$/u;

/** `K/N` → {index: K, count: N}; a usage error (exit 2) unless 1 ≤ K ≤ N. */
export function parseShard(text: string): ShardSpec {
  const match = SHARD_PATTERN.exec(text.trim());
  if (match === null) {
    throw new UsageError(`--shard '${text}' is not K/N (this run's part K of N parts, e.g. 2/4)`);
  }
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) {
    throw new UsageError(`--shard '${text}': the number of shards N must be at least 1`);
  }
  if (index < 1 || index > count) {
    throw new UsageError(`--shard '${text}': the shard K must be between 1 and N (${count})`);
  }
  return { index, count };
}

/** The shard (1-based) an account id belongs to among `count` shards. */
export function shardOfAccount(accountId: string, count: number): number {
  return Number(BigInt(accountId) % BigInt(count)) + 1;
}

/** The entries of `shard`, in their order. */
export function shardPart<T extends { readonly id: string }>(entries: readonly T[], shard: ShardSpec | undefined): T[] {
  if (shard === undefined) {
    return [...entries];
  }
  return entries.filter((entry) => shardOfAccount(entry.id, shard.count) === shard.index);
}
