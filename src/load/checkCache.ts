/**
 * The shipped checks, parsed and validated at build time (scripts/cacheChecks.ts writes
 * dist/checks.cache.json). Parsing the YAML with positions and validating it costs tens of
 * milliseconds on every run before the first AWS call; a check file whose name and bytes match a
 * cache entry is known to give exactly that definition. Anything else — an edited or user check —
 * takes the full path with its located errors. Only the CLI uses the cache, so tests of the loader
 * always exercise the full path.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CheckDefinition } from '../engine/types.js';
import { packagePath } from './packagePaths.js';

export const CHECK_CACHE_FILE = packagePath('dist', 'checks.cache.json');

export type CheckCache = ReadonlyMap<string, CheckDefinition>;

/** The file name matters as much as the text: a check's id must equal its file name. */
export function checkCacheKey(fileName: string, text: string): string {
  return createHash('sha256').update(fileName).update('\0').update(text).digest('hex');
}

/** The cache, or an empty one when it is missing or unreadable (everything is then parsed). */
export function readCheckCache(file: string = CHECK_CACHE_FILE): CheckCache {
  return readCacheFile<CheckDefinition>(file);
}

/** A build-time cache file (a JSON object of entries by key); empty when missing or unreadable. */
export function readCacheFile<T>(file: string): ReadonlyMap<string, T> {
  try {
    const entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, T>;
    return new Map(Object.entries(entries));
  } catch {
    return new Map();
  }
}
