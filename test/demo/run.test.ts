/**
 * `npm run demo` as a newcomer runs it (after the build): both audits run, and each report says
 * what was seeded — the single account's misconfigurations (audited twice into a history, one
 * fixed in between: a trend, a fixed finding, failing-since dates), and the organization's verdicts
 * (coverage by the organization trail, the log-archive bucket read by its owner, a member's FAIL).
 * It writes reports/demo and reports/demo-org in the repository, as the demo always does.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runDemo(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'demo', 'run.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, output });
    });
  });
}

describe('npm run demo (moto)', function () {
  this.timeout(180_000);

  it('audits the demo account and the demo organization and finds everything seeded', async () => {
    const { code, output } = await runDemo();
    assert.equal(code, 0, output);
    assert.match(output, /^Seeded misconfigurations still reported as FAIL: ([1-9]\d*) of \1\.$/mu, output);
    assert.match(output, /^The fixed one, CloudTrail\.9 \S+app-audit: PASS now\.$/mu, output);
    const single = JSON.parse(readFileSync(join(ROOT, 'reports', 'demo', 'trailaudit.json'), 'utf8')) as {
      findings: { status: string; failingSince?: string }[];
      history?: { runs: { count: number; first: string }; trend: unknown[]; fixedSinceLastRun: { control: string; resourceId: string }[] };
    };
    assert.equal(single.history?.runs.count, 2, 'a new history of two runs each demo');
    assert.equal(single.history.trend.length, 2);
    assert.deepEqual(single.history.fixedSinceLastRun.map((fix) => fix.control), ['CloudTrail.9']);
    const failing = single.findings.filter((finding) => finding.status === 'FAIL');
    assert.ok(failing.length > 0 && failing.every((finding) => finding.failingSince === single.history?.runs.first), 'failing since the first run');
    assert.ok(existsSync(join(ROOT, 'reports', 'demo', 'trailaudit.html')));
    assert.ok(existsSync(join(ROOT, 'reports', 'demo-org', 'trailaudit.html')));
    assert.match(output, /^Seeded organization verdicts reported: ([1-9]\d*) of \1\.$/mu, output);
    assert.doesNotMatch(output, /not reported:/u, output);
    const report = JSON.parse(readFileSync(join(ROOT, 'reports', 'demo-org', 'trailaudit.json'), 'utf8')) as { scope: { accounts: string[]; organization?: { id: string | null } } };
    assert.equal(report.scope.accounts.length, 4);
    assert.match(report.scope.organization?.id ?? '', /^o-/u);
    assert.ok(existsSync(join(ROOT, 'reports', 'demo-org', 'trailaudit.md')));
  });
});
