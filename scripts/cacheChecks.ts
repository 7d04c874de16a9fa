/**
 * Build step: parse and validate the shipped checks once and write dist/checks.cache.json, keyed
 * by file name and content (src/load/checkCache.ts says why); then the shipped rules.yaml against
 * those checks into dist/rules.cache.json (src/load/rulesCache.ts). A check or rules file that
 * does not load fails the build with the loader's own located error.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../src/cli/files.js';
import { CHECK_CACHE_FILE, checkCacheKey, readCheckCache } from '../src/load/checkCache.js';
import { listCheckFiles } from '../src/load/checkFiles.js';
import { DEFAULT_CHECKS_DIR, loadChecks, loadCheckText } from '../src/load/loadChecks.js';
import { DEFAULT_RULES_FILE, parseRules } from '../src/load/loadRules.js';
import { RULES_CACHE_FILE, rulesCacheKey } from '../src/load/rulesCache.js';

const entries: Record<string, unknown> = {};
for (const { name, file } of listCheckFiles(DEFAULT_CHECKS_DIR)) {
  const text = readFileSync(file, 'utf8');
  entries[checkCacheKey(name, text)] = loadCheckText(text, file);
}
writeFileAtomic(CHECK_CACHE_FILE, JSON.stringify(entries));

// The checks exactly as the CLI will load them (in its order, through the cache just written).
const checks = loadChecks(DEFAULT_CHECKS_DIR, readCheckCache());
const rulesText = readFileSync(DEFAULT_RULES_FILE, 'utf8');
const { file: _file, ...rules } = parseRules(rulesText, DEFAULT_RULES_FILE, checks);
writeFileAtomic(RULES_CACHE_FILE, JSON.stringify({ [rulesCacheKey(rulesText, checks)]: rules }));
