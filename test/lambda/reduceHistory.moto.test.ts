/**
 * Reduce and its S3 history (TRAILAUDIT_HISTORY) when the history cannot take the run: another
 * Reduce commits first every time (a loopback proxy in front of moto answers the index's
 * conditional PUT with S3's 412, which moto gives only to a real race), an object the index does
 * not list (a Reduce killed between its two writes), a retried Reduce of a run already recorded.
 * The run's reports, latest/ and its result must never depend on the history (README "Scheduled
 * audits"); orphan removal is tested on moto directly, since moto cannot backdate an object.
 */
import { strict as assert } from 'node:assert';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { reduce } from '../../src/lambda/index.js';
import { healOrphans, ORPHAN_AGE_MS } from '../../src/lambda/historyOrphans.js';
import { RunStore } from '../../src/lambda/runStore.js';
import { s3Client } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { startDenyingProxy } from '../helpers/denyingProxy.js';
import { auditRun, BUCKET, handlerEnvironment, keysUnder, PREFIX, readText, REGION, seedRunWorld, setEnvironment } from './motoRun.js';

const HISTORY = `s3://${BUCKET}/${PREFIX}/history`;

interface Report {
  readonly collectedAt: string;
  readonly history?: { runs: { count: number; last: string } };
  readonly findings: { status: string; firstSeen?: string; failingSince?: string }[];
}

describe('Reduce with an S3 history that cannot take the run (moto)', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let restore: () => void;
  let s3: S3Client;

  beforeEach(async () => {
    restore = setEnvironment({ ...handlerEnvironment(moto.endpoint), TRAILAUDIT_HISTORY: HISTORY });
    await seedRunWorld(moto.endpoint);
    s3 = s3Client(moto.endpoint, REGION);
  });

  afterEach(() => {
    s3.destroy();
    restore();
  });

  const report = async (key: string): Promise<Report> => JSON.parse(await readText(s3, key)) as Report;
  const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

  it('writes the reports (without a history section), updates latest/ and says why when another run commits first every time', async () => {
    await auditRun('h-1');
    await pause();
    await auditRun('h-2');
    assert.equal((await reduce({ runId: 'h-1', formats: 'json,markdown' })).history?.appended, true);
    const indexBefore = await readText(s3, `${PREFIX}/history/index.json`);
    // Every conditional PUT of the index loses, as to a Reduce started by hand committing first.
    const proxy = await startDenyingProxy(moto.endpoint, (request) =>
      request.method === 'PUT' && (request.url ?? '').startsWith(`/${BUCKET}/${PREFIX}/history/index.json`)
        ? { status: 412, xml: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-Match</Condition></Error>' }
        : null,
    );
    const restoreEndpoint = setEnvironment({ AWS_ENDPOINT_URL: proxy.url });
    let reduced;
    try {
      reduced = await reduce({ runId: 'h-2', formats: 'json,markdown' });
    } finally {
      restoreEndpoint();
      await proxy.close();
    }
    assert.equal(proxy.denied(), 3, 'three attempts, each reading the history again');
    assert.ok(reduced.history);
    assert.equal(reduced.history.appended, false);
    assert.equal(reduced.history.failed, true, 'an operator must see it: the state machine fails the execution after Reduce');
    assert.equal(reduced.history.reason, 'conflict');
    assert.equal(reduced.history.reports, 'none');
    assert.match(reduced.history.message ?? '', /another run updated the history after this run read it/u);
    // Never the Lambda's temp disk as if it were where the reports are.
    assert.doesNotMatch(reduced.history.message ?? '', /\/tmp\/|reports were written/u);
    // The run's product is complete: its reports, latest/, and its audit result.
    assert.deepEqual([...reduced.reports].sort(), [`${PREFIX}/runs/h-2/reports/trailaudit.json`, `${PREFIX}/runs/h-2/reports/trailaudit.md`]);
    assert.equal(reduced.latest, 'updated');
    assert.equal(reduced.exitCode, 1);
    const written = await report(`${PREFIX}/runs/h-2/reports/trailaudit.json`);
    assert.equal(written.history, undefined, 'no history section claims an append that did not happen');
    assert.ok(written.findings.every((finding) => finding.firstSeen === undefined));
    assert.equal(await readText(s3, `${PREFIX}/latest/trailaudit.json`), await readText(s3, `${PREFIX}/runs/h-2/reports/trailaudit.json`));
    // The history is as h-1 left it: its index, h-1's run object and nothing of h-2's.
    assert.equal(await readText(s3, `${PREFIX}/history/index.json`), indexBefore);
    assert.equal((await keysUnder(s3, `${PREFIX}/history/runs/`)).length, 1);
  });

  it('lets two overlapping Reduces both finish with their reports; the history records what it can, each report saying only what happened', async () => {
    await auditRun('o-1');
    await pause();
    await auditRun('o-2');
    const results = await Promise.all([reduce({ runId: 'o-1', formats: 'json' }), reduce({ runId: 'o-2', formats: 'json' })]);
    const index = JSON.parse(await readText(s3, `${PREFIX}/history/index.json`)) as { runs: { startedAt: string }[] };
    assert.equal(index.runs.length, results.filter((result) => result.history?.appended === true).length);
    assert.ok(index.runs.length >= 1);
    for (const result of results) {
      assert.ok(result.history);
      assert.equal(result.history.failed, false, JSON.stringify(result.history));
      const written = await report(`${PREFIX}/runs/${result.runId}/reports/trailaudit.json`);
      assert.equal(written.history !== undefined, result.history.appended, `${result.runId}: a history section only when appended`);
      if (!result.history.appended) {
        // Only an older run loses for good: the newer one is in the history.
        assert.equal(result.history.reason, 'newer_in_history');
        assert.equal(result.runId, 'o-1');
      }
    }
  });

  it('writes the reports and names the object when an object the index does not list blocks the history, and recovers once it is gone', async () => {
    await auditRun('b-1');
    await pause();
    await auditRun('b-2');
    assert.equal((await reduce({ runId: 'b-1', formats: 'json' })).history?.appended, true);
    const orphan = `${PREFIX}/history/runs/2026-01-01T00-00-00.000Z-abcdef.json`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: orphan, Body: '{"someone":"else"}' }));
    const blocked = await reduce({ runId: 'b-2', formats: 'json' });
    assert.equal(blocked.history?.appended, false);
    assert.equal(blocked.history.failed, true);
    assert.equal(blocked.history.reason, 'orphan');
    assert.ok(blocked.history.message?.includes(`s3://${BUCKET}/${orphan}`), blocked.history.message);
    // Not this deployment's report: never removed by Reduce.
    assert.match(blocked.history.message ?? '', /left for a person to delete/u);
    assert.ok((await keysUnder(s3, `${PREFIX}/history/runs/`)).includes(orphan));
    assert.equal(blocked.latest, 'updated');
    assert.equal((await report(`${PREFIX}/runs/b-2/reports/trailaudit.json`)).history, undefined);

    // Deleted by hand: the next Reduce of the same run appends it (a retry after the fix).
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: orphan }));
    const retried = await reduce({ runId: 'b-2', formats: 'json' });
    assert.equal(retried.history?.appended, true);
    assert.equal((await report(`${PREFIX}/runs/b-2/reports/trailaudit.json`)).history?.runs.count, 2);
  });

  it('removes an orphan only when it is an old report of one of this deployment\'s own runs', async () => {
    await auditRun('k-1');
    await reduce({ runId: 'k-1', formats: 'json' });
    // A Reduce of k-1 killed between its writes left its report unlisted; a foreign object and one of another prefix's run too.
    const own = `${PREFIX}/history/runs/2026-02-01T00-00-00.000Z-aaaaaa.json`;
    const foreign = `${PREFIX}/history/runs/2026-02-02T00-00-00.000Z-bbbbbb.json`;
    const otherDeployment = `${PREFIX}/history/runs/2026-02-03T00-00-00.000Z-cccccc.json`;
    const body = await readText(s3, `${PREFIX}/runs/k-1/reports/trailaudit.json`);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: own, Body: body }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: foreign, Body: '{"scope":{"inputs":["/tmp/x.json"]}}' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: otherDeployment, Body: body.replaceAll(`s3://${BUCKET}/${PREFIX}/runs/`, `s3://${BUCKET}/elsewhere/runs/`) }));
    const store = new RunStore(moto.endpoint);
    try {
      const runs = { store, where: { bucket: BUCKET, prefix: PREFIX, runId: 'k-2' } };
      const history = { bucket: BUCKET, prefix: `${PREFIX}/history` };
      // Written just now: a Reduce may be between its two writes, so nothing is removed.
      const young = await healOrphans({ history, endpointUrl: moto.endpoint, runs, now: new Date() });
      assert.deepEqual(young.removed, []);
      assert.equal(young.young, 1);
      // Older than a Lambda can run: only the deployment's own report goes.
      const later = await healOrphans({ history, endpointUrl: moto.endpoint, runs, now: new Date(Date.now() + ORPHAN_AGE_MS + 60_000) });
      assert.deepEqual(later.removed, [`s3://${BUCKET}/${own}`]);
      assert.match(later.kept, new RegExp(`${foreign}: not a report of one of this deployment's runs`, 'u'));
      assert.match(later.kept, new RegExp(`${otherDeployment}: not a report`, 'u'));
      const left = await keysUnder(s3, `${PREFIX}/history/runs/`);
      assert.ok(!left.includes(own) && left.includes(foreign) && left.includes(otherDeployment));
      assert.equal(left.length, 3, 'the listed run of k-1 is untouched');
    } finally {
      store.destroy();
    }
  });

  it('keeps a retried Reduce\'s first reports, with their history, instead of rewriting them without it', async () => {
    await auditRun('r-1');
    await pause();
    await auditRun('r-2');
    await reduce({ runId: 'r-1', formats: 'json,markdown' });
    const second = await reduce({ runId: 'r-2', formats: 'json,markdown' });
    assert.equal(second.history?.appended, true);
    const first = { json: await readText(s3, `${PREFIX}/runs/r-2/reports/trailaudit.json`), md: await readText(s3, `${PREFIX}/runs/r-2/reports/trailaudit.md`) };
    assert.equal((JSON.parse(first.json) as Report).history?.runs.count, 2);
    const retried = await reduce({ runId: 'r-2', formats: 'json,markdown' });
    assert.deepEqual({ appended: retried.history?.appended, failed: retried.history?.failed, reason: retried.history?.reason, reports: retried.history?.reports }, { appended: false, failed: false, reason: 'already_recorded', reports: 'first_attempt' });
    assert.equal(await readText(s3, `${PREFIX}/runs/r-2/reports/trailaudit.json`), first.json);
    assert.equal(await readText(s3, `${PREFIX}/runs/r-2/reports/trailaudit.md`), first.md);
    assert.equal(await readText(s3, `${PREFIX}/latest/trailaudit.json`), first.json, 'latest/ from the kept reports, history included');
    const kept = JSON.parse(first.json) as Report;
    assert.ok(kept.findings.some((finding) => finding.status === 'FAIL' && finding.failingSince !== undefined));

    // A retry asking for a format the first attempt did not write: the first reports stay as they
    // are (the history as of this run cannot be computed again), the new format is added.
    const partial = await reduce({ runId: 'r-2', formats: 'json,junit' });
    assert.equal(partial.history?.reports, 'first_attempt');
    assert.equal(await readText(s3, `${PREFIX}/runs/r-2/reports/trailaudit.json`), first.json);
    assert.equal(await readText(s3, `${PREFIX}/runs/r-2/reports/trailaudit.md`), first.md);
    assert.match(await readText(s3, `${PREFIX}/runs/r-2/reports/trailaudit.junit.xml`), /<testsuites/u);
    assert.equal((await report(`${PREFIX}/runs/r-2/reports/trailaudit.json`)).history?.runs.count, 2);
  });
});
