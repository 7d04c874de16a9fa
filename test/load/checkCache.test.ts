/**
 * The build-time cache of the shipped checks (dist/checks.cache.json, written by `npm run build`,
 * which `npm test` runs first) must give exactly what the full loader gives, and must never stand
 * in for a check file whose name or bytes differ.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { checkCacheKey, readCheckCache } from '../../src/load/checkCache.js';
import { loadChecks, loadCheckText } from '../../src/load/loadChecks.js';
import { BUILT_IN_CHECK_FILES, builtInCheckFile } from '../helpers/builtInChecks.js';

describe('build-time check cache', () => {

  it('holds every shipped check, each equal to what the full loader gives', () => {
    const cache = readCheckCache();
    assert.equal(cache.size, BUILT_IN_CHECK_FILES.length);
    for (const file of BUILT_IN_CHECK_FILES) {
      const name = basename(file);
      const text = readFileSync(file, 'utf8');
      assert.deepEqual(cache.get(checkCacheKey(name, text)), loadCheckText(text, file), name);
    }
  });

  it('is empty when the cache file is missing or unreadable, so everything is parsed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailaudit-cache-'));
    try {
      assert.equal(readCheckCache(join(dir, 'missing.json')).size, 0);
      writeFileSync(join(dir, 'broken.json'), '{not json');
      assert.equal(readCheckCache(join(dir, 'broken.json')).size, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not used for an edited check: its errors are still reported with their line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailaudit-cache-'));
    try {
      for (const file of BUILT_IN_CHECK_FILES) {
        copyFileSync(file, join(dir, basename(file)));
      }
      const edited = join(dir, 'CloudTrail.2.yaml');
      writeFileSync(edited, readFileSync(edited, 'utf8').replace(/^severity: .*$/mu, 'severity: SEVERE'));
      assert.throws(
        () => loadChecks(dir, readCheckCache()),
        (error: unknown) => error instanceof InputError && error.issues.some((issue) => issue.file === edited && issue.path === 'severity' && issue.line > 1),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is keyed by file name too: the same bytes under another name are loaded in full', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailaudit-cache-'));
    try {
      copyFileSync(builtInCheckFile('CloudTrail.2'), join(dir, 'Renamed.yaml'));
      assert.throws(
        () => loadChecks(dir, readCheckCache()),
        (error: unknown) => error instanceof InputError && error.issues.some((issue) => issue.path === 'id' && /file name must equal the id/u.test(issue.message)),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
