/**
 * --history s3://bucket/prefix through the built CLI on moto: audits appending to an S3 history
 * (a fix and a regression between them), the objects it keeps, `evaluate` reaching it through
 * AWS_ENDPOINT_URL, and the refusals (a foreign object, a run of the wrong size, a bucket that
 * does not exist, an endpoint that does not answer: exit 2 naming the s3:// URL, no report; a
 * history that cannot be written: exit 2 naming the reports written, through a proxy in front of
 * moto that answers AccessDenied or 412 to chosen PUTs).
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutBucketAclCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { useMoto } from '../../support/moto/mocha.js';
import { startDenyingProxy } from '../helpers/denyingProxy.js';
import { runCli } from '../cli/runCli.js';
import { PUBLIC_LOG_BUCKET, useSeededWorkspace } from '../helpers/publicLogTrail.js';
import { findingOf } from '../helpers/reportFindings.js';

interface Finding {
  control: string;
  status: string;
  resource: { id: string };
  firstSeen?: string;
  failingSince?: string;
}
interface Report {
  collectedAt: string;
  findings: Finding[];
  history?: { runs: { count: number; first: string }; fixedSinceLastRun: { control: string; resourceId: string }[]; trend: unknown[] };
}

const HISTORY_BUCKET = 'audit-history';
const HISTORY = `s3://${HISTORY_BUCKET}/team/trailaudit`;
const LOG_BUCKET = PUBLIC_LOG_BUCKET;

describe('--history s3:// (built CLI, moto)', function () {
  this.timeout(180_000);
  const moto = useMoto();
  const space = useSeededWorkspace(moto, 'trailaudit-s3history-', { otherBuckets: [HISTORY_BUCKET] });

  const auditArgs = (out: string, history: string): string[] => ['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', out, '--history', history];

  async function audit(out = 'out'): Promise<Report> {
    const result = await runCli(auditArgs(out, HISTORY), { cwd: space.work });
    assert.ok(result.code === 1 || result.code === 3, result.stderr);
    return JSON.parse(readFileSync(join(space.work, out, 'trailaudit.json'), 'utf8')) as Report;
  }

  async function objects(): Promise<Map<string, number>> {
    const listed = await space.s3.send(new ListObjectsV2Command({ Bucket: HISTORY_BUCKET }));
    return new Map((listed.Contents ?? []).map((object) => [object.Key ?? '', object.Size ?? -1]));
  }

  async function text(key: string): Promise<string> {
    return (await (await space.s3.send(new GetObjectCommand({ Bucket: HISTORY_BUCKET, Key: key }))).Body?.transformToString('utf8')) ?? '';
  }

  it('three audits append to the S3 history: firstSeen, failingSince and the fix are right, one run object per run', async () => {
    const run1 = await audit();
    assert.equal(findingOf(run1, 'CloudTrail.6', LOG_BUCKET).failingSince, run1.collectedAt);

    await space.s3.send(new PutBucketAclCommand({ Bucket: 'public-logs', ACL: 'private' }));
    const run2 = await audit();
    const fixed = findingOf(run2, 'CloudTrail.6', LOG_BUCKET);
    assert.equal(fixed.status, 'PASS');
    assert.equal(fixed.firstSeen, run1.collectedAt);
    assert.equal(fixed.failingSince, undefined);
    assert.deepEqual(run2.history?.fixedSinceLastRun.map(({ control, resourceId }) => [control, resourceId]), [['CloudTrail.6', LOG_BUCKET]]);

    await space.s3.send(new PutBucketAclCommand({ Bucket: 'public-logs', ACL: 'public-read' }));
    const run3 = await audit();
    const regressed = findingOf(run3, 'CloudTrail.6', LOG_BUCKET);
    assert.equal(regressed.firstSeen, run1.collectedAt);
    assert.equal(regressed.failingSince, run3.collectedAt);
    assert.equal(run3.history?.runs.count, 3);
    assert.equal(run3.history.trend.length, 3);

    // The layout of a folder history: index.json and one object per run, each of the size the index records.
    const stored = await objects();
    const index = JSON.parse(await text('team/trailaudit/index.json')) as { runs: { file: string; bytes: number }[] };
    assert.equal(index.runs.length, 3);
    assert.deepEqual([...stored.keys()].sort(), ['team/trailaudit/index.json', ...index.runs.map((run) => `team/trailaudit/${run.file}`)].sort());
    for (const run of index.runs) {
      assert.equal(stored.get(`team/trailaudit/${run.file}`), run.bytes, run.file);
    }
    assert.deepEqual(JSON.parse(await text(`team/trailaudit/${index.runs[2]?.file ?? ''}`)), run3);
  });

  it('evaluate reaches the S3 history through AWS_ENDPOINT_URL; a bucket root (no prefix) is a history too', async () => {
    for (const snapshot of ['snap1.json', 'snap2.json']) {
      assert.equal((await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', 'a', '--save-snapshot', snapshot], { cwd: space.work })).code, 1);
    }
    const evaluate = async (snapshot: string): Promise<Report> => {
      const result = await runCli(['evaluate', snapshot, '--format', 'json', '--output-dir', 'out', '--history', `s3://${HISTORY_BUCKET}`], { cwd: space.work, env: { AWS_ENDPOINT_URL: moto.endpoint } });
      assert.equal(result.code, 1, result.stderr);
      return JSON.parse(readFileSync(join(space.work, 'out', 'trailaudit.json'), 'utf8')) as Report;
    };
    const first = await evaluate('snap1.json');
    const second = await evaluate('snap2.json');
    assert.equal(findingOf(second, 'CloudTrail.6', LOG_BUCKET).failingSince, first.collectedAt);
    assert.equal(second.history?.runs.count, 2);
    assert.deepEqual([...(await objects()).keys()].filter((key) => !key.startsWith('runs/')), ['index.json']);
  });

  it('scan appends to an S3 history too (AWS_ENDPOINT_URL)', async () => {
    const template = fileURLToPath(new URL('../fixtures/cloudformation/noncompliant.yaml', import.meta.url));
    const scan = async (): Promise<Report> => {
      const result = await runCli(['scan', template, '--format', 'json', '--output-dir', 'out', '--history', `s3://${HISTORY_BUCKET}/scans`], { cwd: space.work, env: { AWS_ENDPOINT_URL: moto.endpoint } });
      assert.equal(result.code, 1, result.stderr);
      return JSON.parse(readFileSync(join(space.work, 'out', 'trailaudit.json'), 'utf8')) as Report;
    };
    const first = await scan();
    const second = await scan();
    const failing = second.findings.filter((f) => f.status === 'FAIL');
    assert.ok(failing.length > 0);
    assert.ok(failing.every((f) => f.failingSince === first.collectedAt));
    assert.equal([...(await objects()).keys()].filter((key) => key.startsWith('scans/runs/')).length, 2);
  });

  it('a foreign object, an unlisted run or a run of the wrong size is refused: exit 2 naming its s3:// URL, no report written', async () => {
    await audit();
    const index = JSON.parse(await text('team/trailaudit/index.json')) as { runs: { file: string }[] };
    const runKey = `team/trailaudit/${index.runs[0]?.file ?? ''}`;
    const report = await text(runKey);
    const refused = async (key: string, body: string, message: string): Promise<void> => {
      await space.s3.send(new PutObjectCommand({ Bucket: HISTORY_BUCKET, Key: key, Body: body }));
      const result = await runCli(auditArgs('out2', HISTORY), { cwd: space.work });
      assert.equal(result.code, 2, result.stderr);
      assert.ok(result.stderr.includes(`s3://${HISTORY_BUCKET}/${key}: ${message}`), result.stderr);
      assert.doesNotMatch(result.stderr, /\n\s+at /u);
      await space.s3.send(new DeleteObjectCommand({ Bucket: HISTORY_BUCKET, Key: key }));
    };
    await refused('team/trailaudit/notes.txt', 'mine', 'not an object of a trailaudit history');
    await refused('team/trailaudit/runs/nested/x.json', '{}', 'not an object of a trailaudit history');
    // A run stopped between its two writes leaves such an object: named, never silently dropped.
    await refused('team/trailaudit/runs/stray.json', '{}', 'not listed in the history index');
    await space.s3.send(new PutObjectCommand({ Bucket: HISTORY_BUCKET, Key: runKey, Body: '{"truncated":' }));
    const result = await runCli(auditArgs('out2', HISTORY), { cwd: space.work });
    assert.equal(result.code, 2, result.stderr);
    assert.ok(result.stderr.includes(`s3://${HISTORY_BUCKET}/${runKey}: corrupt: 13 bytes, the history index recorded ${String(Buffer.byteLength(report))}`), result.stderr);
    assert.equal(existsSync(join(space.work, 'out2')), false, 'no report written');
    // A history next door (team/trailaudit-b) is another history: none of this one's objects is its.
    const other = await runCli(auditArgs('out3', `s3://${HISTORY_BUCKET}/team/trailaudit-b`), { cwd: space.work });
    assert.equal(other.code, 1, other.stderr);
  });

  it('a history that cannot be written: exit 2 listing the reports written, the history as it was (a proxy in front of moto answers S3\'s errors)', async () => {
    assert.equal((await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', 'a', '--history', HISTORY], { cwd: space.work })).code, 1);
    // Facts collected after the history's last run, evaluated into it below.
    assert.equal((await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json', '--output-dir', 'b', '--save-snapshot', 'snap.json'], { cwd: space.work })).code, 1);
    const before = await text('team/trailaudit/index.json');
    const s3Error = (status: number, code: string): { status: number; xml: string } => ({ status, xml: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>` });
    for (const [denied, error, message] of [
      // The run's object PUT denied: nothing reached the history.
      [(url: string) => url.includes('/runs/'), s3Error(403, 'AccessDenied'), /team\/trailaudit\/runs\/[^:]+\.json: PutObject failed: access denied \(AccessDenied: the caller needs s3:PutObject on it\)/u],
      // Another run replaced the index after this one read it: this run's object is deleted again.
      [(url: string) => url.endsWith('/index.json'), s3Error(412, 'PreconditionFailed'), /team\/trailaudit\/index\.json: another run updated the history after this run read it/u],
    ] as const) {
      const proxy = await startDenyingProxy(moto.endpoint, (request) => (request.method === 'PUT' && denied((request.url ?? '').split('?')[0] ?? '') ? error : null));
      try {
        const result = await runCli(['evaluate', 'snap.json', '--format', 'json,markdown', '--output-dir', 'late', '--history', HISTORY], { cwd: space.work, env: { AWS_ENDPOINT_URL: proxy.url } });
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, message);
        assert.ok(result.stderr.includes(`The reports were written (${join(space.work, 'late', 'trailaudit.json')}, ${join(space.work, 'late', 'trailaudit.md')}), but this run is not in the history ${HISTORY}.`), result.stderr);
        assert.doesNotMatch(result.stderr, /\n\s+at /u);
        assert.ok(existsSync(join(space.work, 'late', 'trailaudit.md')));
        assert.equal(proxy.denied(), 1);
      } finally {
        await proxy.close();
      }
      assert.equal(await text('team/trailaudit/index.json'), before);
      assert.equal([...(await objects()).keys()].filter((key) => key.startsWith('team/trailaudit/runs/')).length, 1, 'only the first run\'s object');
    }
  });

  it('a bucket that does not exist, or an endpoint that does not answer: exit 2 naming the URL and operation, no stack trace', async () => {
    const missing = await runCli(auditArgs('out', 's3://no-such-history/h'), { cwd: space.work });
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /s3:\/\/no-such-history\/h\/index\.json: GetObject failed: the bucket does not exist \(NoSuchBucket\)/u);
    assert.doesNotMatch(missing.stderr, /\n\s+at /u);

    const closed = await runCli(['evaluate', 'nothing.json', '--history', 's3://audit-history/h'], { cwd: space.work, env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });
    assert.equal(closed.code, 2, closed.stderr);
    assert.match(closed.stderr, /s3:\/\/audit-history\/h\/index\.json: GetObject failed: .*ECONNREFUSED/u);
    assert.doesNotMatch(closed.stderr, /\n\s+at /u);
  });

  it('refuses an empty --history, s3:// without a bucket, and other schemes (exit 2, before any AWS call)', async () => {
    for (const [value, message] of [
      ['', /--history needs a folder or an s3:\/\/bucket\/prefix URL, got an empty value/u],
      ['s3://', /--history s3:\/\/: names no bucket/u],
      ['s3:///prefix', /names no bucket/u],
      ['s3://Bad_Bucket/p', /is not an S3 bucket name/u],
      ['https://example.com/h', /only a folder or an s3:\/\/bucket\/prefix URL can hold a history/u],
      ['s3://bucket/a/../h', /"\.\." segment/u],
      ['reports', /reports is inside the history folder/u],
      ['s3:/bucket/h', /an S3 history is written s3:\/\/bucket\/prefix \(two slashes\)/u],
      // The reports folder reached through a symbolic link to the history.
      ['linked-history', /reports is inside the history folder/u],
    ] as const) {
      if (value === 'linked-history' && !existsSync(join(space.work, 'linked-history'))) {
        mkdirSync(join(space.work, 'reports'), { recursive: true });
        symlinkSync(join(space.work, 'reports'), join(space.work, 'linked-history'));
      }
      const result = await runCli(['audit', '--endpoint-url', 'http://127.0.0.1:9', '--output-dir', 'reports', '--history', value], { cwd: space.work });
      assert.equal(result.code, 2, `${value}: ${result.stderr}`);
      assert.match(result.stderr, message, value);
    }
    // A snapshot saved into the history would be a foreign file there too.
    const snapshot = await runCli(['audit', '--endpoint-url', 'http://127.0.0.1:9', '--history', 'h', '--save-snapshot', 'h/snap.json'], { cwd: space.work });
    assert.equal(snapshot.code, 2, snapshot.stderr);
    assert.match(snapshot.stderr, /h\/snap\.json is inside the history folder/u);
  });

  it('against an endpoint with no credentials anywhere, reaches the history as the audit does (placeholder credentials)', async () => {
    const result = await runCli(auditArgs('out', HISTORY), { cwd: space.work, env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined } });
    assert.ok(result.code === 1 || result.code === 3, result.stderr);
    assert.ok((await objects()).has('team/trailaudit/index.json'), 'the run is in the history');
  });
});
