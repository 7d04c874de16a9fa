/**
 * --history through the built CLI on moto: audits with changes between them (a fix, a check not
 * run, a regression, a suppressed failure), `evaluate --history`, and the refusals (a corrupt or
 * foreign file: exit 2 naming it; a run whose reports cannot be written leaves the history as it was).
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutBucketAclCommand } from '@aws-sdk/client-s3';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { useMoto } from '../../support/moto/mocha.js';
import { runCli, type CliResult } from '../cli/runCli.js';
import { MAIN_TRAIL, PUBLIC_LOG_BUCKET, useSeededWorkspace } from '../helpers/publicLogTrail.js';
import { findingOf } from '../helpers/reportFindings.js';

interface Finding {
  control: string;
  status: string;
  resource: { id: string };
  suppressed: unknown;
  firstSeen?: string;
  failingSince?: string;
}
interface Report {
  startedAt: string;
  /** When the facts were collected: the time a history gives the run. */
  collectedAt: string;
  findings: Finding[];
  history?: { runs: { count: number; first: string }; fixedSinceLastRun: { control: string; resourceId: string; how: string; failingSince: string }[]; trend: unknown[]; meanTimeToFix: { fixes: number; days: number | null } };
}

const TRAIL = MAIN_TRAIL;
const BUCKET = PUBLIC_LOG_BUCKET;
const RULES = `version: 1
suppressions:
  - check: CloudTrail.4
    resource: "${TRAIL}"
    reason: "accepted for the test"
    expires: "${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}"
`;

describe('--history (built CLI, moto)', function () {
  this.timeout(180_000);
  const moto = useMoto();
  const space = useSeededWorkspace(moto, 'trailaudit-history-', { files: { 'rules.yaml': RULES } });

  async function audit(extra: readonly string[] = [], out = 'out'): Promise<Report> {
    const result = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', out, '--history', 'hist', ...extra], { cwd: space.work });
    assert.ok(result.code === 1 || result.code === 3, result.stderr);
    return JSON.parse(readFileSync(join(space.work, out, 'trailaudit.json'), 'utf8')) as Report;
  }

  it('tracks firstSeen and failingSince across fixes, regressions, suppressions and runs that did not evaluate', async () => {
    // As test/report/json.test.ts: the report schema with the two RFC 3339 formats it uses, strict.
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/u);
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/iu);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8')) as object);
    const run1 = await audit();
    assert.equal(validate(run1), true, JSON.stringify(validate.errors));
    for (const f of run1.findings) {
      assert.equal(f.firstSeen, run1.collectedAt, f.control);
      assert.equal(f.failingSince, f.status === 'FAIL' ? run1.collectedAt : undefined, f.control);
    }
    assert.equal(findingOf(run1, 'CloudTrail.6', BUCKET).status, 'FAIL');
    assert.notEqual(findingOf(run1, 'CloudTrail.4', TRAIL).suppressed, null);

    // Fixed: the bucket is no longer public. CloudTrail.2 is not run this time.
    await space.s3.send(new PutBucketAclCommand({ Bucket: 'public-logs', ACL: 'private' }));
    const run2 = await audit(['--checks', 'CloudTrail.4,CloudTrail.6,CloudTrail.9']);
    assert.equal(validate(run2), true, JSON.stringify(validate.errors));
    const fixed = findingOf(run2, 'CloudTrail.6', BUCKET);
    assert.equal(fixed.status, 'PASS');
    assert.equal(fixed.firstSeen, run1.collectedAt);
    assert.equal(fixed.failingSince, undefined);
    assert.deepEqual(
      run2.history?.fixedSinceLastRun.map(({ control, resourceId, how, failingSince }) => [control, resourceId, how, failingSince]),
      [['CloudTrail.6', BUCKET, 'passed', run1.collectedAt]],
    );
    // A suppressed failure still fails: its streak goes on.
    assert.equal(findingOf(run2, 'CloudTrail.4', TRAIL).failingSince, run1.collectedAt);
    assert.equal(run2.history.runs.count, 2);
    assert.equal(run2.history.meanTimeToFix.fixes, 1);

    // Regressed: public again. CloudTrail.2, not evaluated in run 2, keeps its streak from run 1.
    await space.s3.send(new PutBucketAclCommand({ Bucket: 'public-logs', ACL: 'public-read' }));
    const run3 = await audit();
    const regressed = findingOf(run3, 'CloudTrail.6', BUCKET);
    assert.equal(regressed.status, 'FAIL');
    assert.equal(regressed.firstSeen, run1.collectedAt);
    assert.equal(regressed.failingSince, run3.collectedAt);
    assert.equal(findingOf(run3, 'CloudTrail.2', TRAIL).failingSince, run1.collectedAt);
    assert.deepEqual(run3.history?.fixedSinceLastRun, []);
    assert.equal(run3.history.trend.length, 3);

    const index = JSON.parse(readFileSync(join(space.work, 'hist', 'index.json'), 'utf8')) as { runs: { file: string }[] };
    assert.equal(index.runs.length, 3);
    assert.deepEqual(readdirSync(join(space.work, 'hist', 'runs')).sort(), index.runs.map((run) => run.file.slice('runs/'.length)).sort());
    // Each stored run is that run's JSON report.
    assert.deepEqual(JSON.parse(readFileSync(join(space.work, 'hist', index.runs[2]?.file ?? ''), 'utf8')), run3);
  });

  it('evaluate --history carries firstSeen from the evaluation of an earlier snapshot; the same snapshot twice is refused', async () => {
    for (const snapshot of ['snap1.json', 'snap2.json']) {
      const audited = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', 'audit', '--save-snapshot', snapshot], { cwd: space.work });
      assert.equal(audited.code, 1, audited.stderr);
    }
    const evaluate = async (snapshot: string): Promise<Report> => {
      const result = await runCli(['evaluate', snapshot, '--format', 'json', '--output-dir', 'out', '--history', 'ehist'], { cwd: space.work });
      assert.equal(result.code, 1, result.stderr);
      return JSON.parse(readFileSync(join(space.work, 'out', 'trailaudit.json'), 'utf8')) as Report;
    };
    const first = await evaluate('snap1.json');
    const second = await evaluate('snap2.json');
    assert.notEqual(first.collectedAt, second.collectedAt);
    assert.equal(findingOf(second, 'CloudTrail.6', BUCKET).firstSeen, first.collectedAt);
    assert.equal(findingOf(second, 'CloudTrail.6', BUCKET).failingSince, first.collectedAt);
    assert.equal(second.history?.runs.first, first.collectedAt);
    // The same facts again would count twice in the trend: refused, the history unchanged.
    const index = readFileSync(join(space.work, 'ehist', 'index.json'), 'utf8');
    const again = await runCli(['evaluate', 'snap2.json', '--format', 'json', '--output-dir', 'again', '--history', 'ehist'], { cwd: space.work });
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /already in the history/u);
    assert.equal(readFileSync(join(space.work, 'ehist', 'index.json'), 'utf8'), index);
  });

  it('an old snapshot evaluated after a later run is refused: it would rewind the history (exit 2, nothing written)', async () => {
    const audit = (extra: readonly string[]): Promise<CliResult> =>
      runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', 'a', '--history', 'rhist', ...extra], { cwd: space.work });
    assert.equal((await audit(['--save-snapshot', 'old.json'])).code, 1);
    assert.equal((await audit([])).code, 1);
    const index = readFileSync(join(space.work, 'rhist', 'index.json'), 'utf8');
    const result = await runCli(['evaluate', 'old.json', '--format', 'json', '--output-dir', 'late', '--history', 'rhist'], { cwd: space.work });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /this run's facts were collected at [^,]+, before the history's last run/u);
    assert.equal(readFileSync(join(space.work, 'rhist', 'index.json'), 'utf8'), index);
    assert.ok(!existsSync(join(space.work, 'late', 'trailaudit.json')));
  });

  it('eight runs at once on one folder: each is in the index or refused (exit 2), never dropped; the history stays usable', async () => {
    const template = fileURLToPath(new URL('../fixtures/cloudformation/noncompliant.yaml', import.meta.url));
    const scan = (out: string): Promise<CliResult> => runCli(['scan', template, '--format', 'json', '--output-dir', out, '--history', 'chist'], { cwd: space.work });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => scan(`o${String(i)}`)));
    const recorded = results.filter((r) => r.code === 1).length;
    for (const result of results.filter((r) => r.code !== 1)) {
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /another run added itself to the history|already in the history|before the history's last run/u);
    }
    assert.ok(recorded >= 1, 'at least one run is recorded');
    const index = JSON.parse(readFileSync(join(space.work, 'chist', 'index.json'), 'utf8')) as { runs: { file: string }[] };
    assert.equal(index.runs.length, recorded, 'every run that said it was recorded is in the index');
    assert.deepEqual(readdirSync(join(space.work, 'chist', 'runs')).sort(), index.runs.map((run) => run.file.slice('runs/'.length)).sort(), 'no unlisted run file');
    assert.ok(!existsSync(join(space.work, 'chist', 'index.json.lock')), 'no lock left behind');
    assert.equal((await scan('after')).code, 1, 'the next run appends');
  });

  it('scan --history: a template failing in two scans keeps the first scan\'s failingSince', async () => {
    const template = fileURLToPath(new URL('../fixtures/cloudformation/noncompliant.yaml', import.meta.url));
    const scan = async (): Promise<Report> => {
      const result = await runCli(['scan', template, '--format', 'json', '--output-dir', 'out', '--history', 'shist'], { cwd: space.work });
      assert.equal(result.code, 1, result.stderr);
      return JSON.parse(readFileSync(join(space.work, 'out', 'trailaudit.json'), 'utf8')) as Report;
    };
    const first = await scan();
    const second = await scan();
    const failing = second.findings.filter((f) => f.status === 'FAIL');
    assert.ok(failing.length > 0);
    for (const f of failing) {
      assert.equal(f.failingSince, first.collectedAt, f.control);
      assert.equal(f.firstSeen, first.collectedAt, f.control);
    }
    assert.equal(second.history?.runs.count, 2);
  });

  it('a corrupt or foreign file in the history: exit 2 naming it, nothing written', async () => {
    await audit();
    const hist = join(space.work, 'hist');
    const indexText = readFileSync(join(hist, 'index.json'), 'utf8');
    const attempt = async (): Promise<{ code: number | null; stderr: string }> =>
      runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', 'out2', '--history', 'hist'], { cwd: space.work });

    writeFileSync(join(hist, 'index.json'), '{"format": "trailaudit-history", "version": 1, "runs": [');
    let result = await attempt();
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`${join(hist, 'index.json').replace(/[.]/gu, '\\.')}: not a trailaudit history index: not valid JSON`, 'u'));

    writeFileSync(join(hist, 'index.json'), '{"schemaVersion": 1, "findings": []}');
    result = await attempt();
    assert.equal(result.code, 2);
    assert.match(result.stderr, /index\.json: format: not a trailaudit history index/u);

    writeFileSync(join(hist, 'index.json'), indexText);
    writeFileSync(join(hist, 'notes.txt'), 'mine');
    result = await attempt();
    assert.equal(result.code, 2);
    assert.ok(result.stderr.includes(join(hist, 'notes.txt')), result.stderr);
    rmSync(join(hist, 'notes.txt'));

    const [runFile] = readdirSync(join(hist, 'runs'));
    writeFileSync(join(hist, 'runs', runFile ?? ''), '{"truncated":');
    result = await attempt();
    assert.equal(result.code, 2);
    assert.ok(result.stderr.includes(join(hist, 'runs', runFile ?? '')) && result.stderr.includes('corrupt'), result.stderr);
    assert.equal(readdirSync(join(space.work)).includes('out2'), false, 'no report written');
  });

  it('a run whose reports cannot be written leaves the history as it was', async () => {
    await audit();
    const hist = join(space.work, 'hist');
    const before = readFileSync(join(hist, 'index.json'), 'utf8');
    // A folder where the JSON report goes: the whole set of files (reports, run, index) is refused.
    mkdirSync(join(space.work, 'blocked', 'trailaudit.json'), { recursive: true });
    const result = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', 'blocked', '--history', 'hist'], { cwd: space.work });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(readFileSync(join(hist, 'index.json'), 'utf8'), before);
    assert.equal(readdirSync(join(hist, 'runs')).length, 1);
    assert.deepEqual(readdirSync(hist).sort(), ['index.json', 'runs']);
  });
});
