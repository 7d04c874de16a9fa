/**
 * The build-time cache of the shipped rules.yaml (dist/rules.cache.json, written by `npm run
 * build`, which `npm test` runs first) must give exactly what the full loader gives, and must
 * never stand in for other rules text or for the same text with other checks.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { readCheckCache } from '../../src/load/checkCache.js';
import { DEFAULT_CHECKS_DIR, loadChecks } from '../../src/load/loadChecks.js';
import { DEFAULT_RULES_FILE, loadRules, parseRules } from '../../src/load/loadRules.js';
import { readRulesCache, rulesCacheKey } from '../../src/load/rulesCache.js';
import { BUILT_IN_CHECK_FILES } from '../helpers/builtInChecks.js';

describe('build-time rules cache', () => {
  const checks = loadChecks(DEFAULT_CHECKS_DIR, readCheckCache());
  const shipped = readFileSync(DEFAULT_RULES_FILE, 'utf8');
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailaudit-rules-cache-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the shipped rules.yaml with the shipped checks, equal to what the full loader gives', () => {
    const cache = readRulesCache();
    const cached = cache.get(rulesCacheKey(shipped, checks));
    assert.ok(cached, 'the shipped rules are cached');
    assert.deepEqual({ ...cached, file: DEFAULT_RULES_FILE }, parseRules(shipped, DEFAULT_RULES_FILE, checks));
  });

  it('names the file it was read from, wherever the same text lives', () => {
    const copy = join(dir, 'rules.yaml');
    copyFileSync(DEFAULT_RULES_FILE, copy);
    assert.equal(loadRules(copy, checks, readRulesCache()).file, copy);
  });

  it('is not used for edited rules: their errors are still reported with their line', () => {
    const edited = join(dir, 'rules.yaml');
    writeFileSync(edited, shipped.replace(/^failOn: \w+/mu, 'failOn: catastrophic'));
    assert.throws(
      () => loadRules(edited, checks, readRulesCache()),
      (error: unknown) => error instanceof InputError && error.issues.some((issue) => issue.file === edited && issue.path === 'failOn' && issue.line > 1),
    );
  });

  it('is not used for the same rules with other checks: a check they configure but that is missing is reported', () => {
    const fewer = BUILT_IN_CHECK_FILES.filter((file) => basename(file) !== 'CloudTrail.9.yaml');
    for (const file of fewer) {
      copyFileSync(file, join(dir, basename(file)));
    }
    const otherChecks = loadChecks(dir, readCheckCache());
    assert.equal(otherChecks.length, checks.length - 1);
    // A user's copy of the shipped rules (same text, so the same cache entry would match on text
    // alone); the shipped file itself ignores entries for checks not loaded (loadRules.test.ts).
    const copy = join(dir, 'rules.yaml');
    copyFileSync(DEFAULT_RULES_FILE, copy);
    assert.throws(
      () => loadRules(copy, otherChecks, readRulesCache()),
      (error: unknown) => error instanceof InputError && error.issues.some((issue) => issue.path === 'checks.CloudTrail.9' && /unknown check/u.test(issue.message)),
    );
  });

  it('is empty when the cache file is missing or unreadable, so the rules are parsed', () => {
    assert.equal(readRulesCache(join(dir, 'missing.json')).size, 0);
    writeFileSync(join(dir, 'broken.json'), '{not json');
    assert.equal(readRulesCache(join(dir, 'broken.json')).size, 0);
  });
});
