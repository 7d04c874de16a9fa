/**
 * The shipped rules.yaml, parsed and validated at build time (scripts/cacheChecks.ts writes
 * dist/rules.cache.json). Parsing it with positions and validating it against the checks is cold
 * code on every run, about 40 ms before the first AWS call, for a file that almost never changes.
 * What a rules file means depends on the checks it configures (their ids and parameters), so the
 * key covers the loaded checks as well as the text: an edited rules file, or the same file with
 * other checks (`--checks-dir`), takes the full path with its located errors. Only the CLI uses
 * the cache, so tests of the loader always exercise the full path.
 */
import { createHash } from 'node:crypto';
import type { CheckDefinition } from '../engine/types.js';
import type { RulesConfig } from './rulesConfig.js';
import { readCacheFile } from './checkCache.js';
import { packagePath } from './packagePaths.js';

export const RULES_CACHE_FILE = packagePath('dist', 'rules.cache.json');

/** A parsed rules file without its path: the same text may be read from anywhere. */
export type CachedRules = Omit<RulesConfig, 'file'>;

export type RulesCache = ReadonlyMap<string, CachedRules>;

export function rulesCacheKey(text: string, checks: readonly CheckDefinition[]): string {
  return createHash('sha256').update(text).update('\0').update(JSON.stringify(checks)).digest('hex');
}

/** The cache, or an empty one when it is missing or unreadable (the rules are then parsed). */
export function readRulesCache(file: string = RULES_CACHE_FILE): RulesCache {
  return readCacheFile<CachedRules>(file);
}
