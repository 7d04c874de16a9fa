/**
 * Build step: parse and validate the shipped checks once and write dist/checks.cache.json, keyed
 * by file name and content (src/load/checkCache.ts says why). A check that does not load fails
 * the build with the loader's own located error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/cli/files.js';
import { CHECK_CACHE_FILE, checkCacheKey } from '../src/load/checkCache.js';
import { DEFAULT_CHECKS_DIR, loadCheckText } from '../src/load/loadChecks.js';

const entries: Record<string, unknown> = {};
for (const name of readdirSync(DEFAULT_CHECKS_DIR).filter((file) => /\.ya?ml$/u.test(file))) {
  const text = readFileSync(join(DEFAULT_CHECKS_DIR, name), 'utf8');
  entries[checkCacheKey(name, text)] = loadCheckText(text, join(DEFAULT_CHECKS_DIR, name));
}
writeFileAtomic(CHECK_CACHE_FILE, JSON.stringify(entries));
