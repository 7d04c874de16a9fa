/**
 * What a run started by hand or a Security Hub import needs from the handlers' settings, on moto:
 * the external id reaching Security Hub's AssumeRole (read from the STS request bodies by a
 * loopback proxy in front of moto, which accepts any AssumeRole), execution input fields refused
 * or carried to Reduce, a narrowed run leaving latest/ alone, RecordFailure ignoring an account
 * the run does not list, and the reports' content types.
 */
import { strict as assert } from 'node:assert';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { auditAccounts, listAccounts, recordFailure, reduce } from '../../src/lambda/index.js';
import { MOTO_ACCOUNT_ID, s3Client } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import type { SeededOrganization } from '../../support/moto/organization.js';
import { startDenyingProxy } from '../helpers/denyingProxy.js';
import { auditRun, BUCKET, handlerEnvironment, keysUnder, PREFIX, readText, REGION, seedRunWorld, setEnvironment } from './motoRun.js';

describe('Lambda handlers: run settings, execution input and report files (moto)', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let restore: () => void;
  let s3: S3Client;
  let seeded: SeededOrganization;

  beforeEach(async () => {
    restore = setEnvironment(handlerEnvironment(moto.endpoint));
    seeded = await seedRunWorld(moto.endpoint);
    s3 = s3Client(moto.endpoint, REGION);
  });

  afterEach(() => {
    s3.destroy();
    restore();
  });

  it('passes the run\'s external id when Reduce assumes the members\' role for Security Hub, as the audit does', async () => {
    const assumed: URLSearchParams[] = [];
    const proxy = await startDenyingProxy(moto.endpoint, (_request, body) => {
      const form = new URLSearchParams(body);
      if (form.get('Action') === 'AssumeRole') {
        assumed.push(form);
      }
      return null;
    });
    const restoreEndpoint = setEnvironment({ AWS_ENDPOINT_URL: proxy.url, TRAILAUDIT_EXTERNAL_ID: 'ext-123' });
    try {
      await auditRun('ext-1');
      const reduced = await reduce({ runId: 'ext-1', formats: 'json', securityHub: { enabled: true } });
      assert.ok(reduced.securityHub);
      assert.deepEqual(reduced.securityHub.failures, []);
    } finally {
      restoreEndpoint();
      await proxy.close();
    }
    const member = seeded.accountId('a');
    const hub = assumed.filter((form) => form.get('RoleSessionName') === 'trailaudit-security-hub');
    assert.ok(hub.length > 0, 'Reduce assumed a role to import the member\'s findings');
    for (const form of [...hub, ...assumed]) {
      assert.equal(form.get('ExternalId'), 'ext-123', `${form.get('RoleSessionName') ?? ''} ${form.get('RoleArn') ?? ''}`);
    }
    assert.ok(hub.every((form) => (form.get('RoleArn') ?? '').includes(`:${member}:`)), 'only into the member (the caller imports its own findings itself)');
    assert.ok(assumed.length > hub.length, 'the audit assumed the role too');
  });

  it('refuses unknown execution input fields, naming the accepted ones, and the history as a deployment parameter', async () => {
    await assert.rejects(listAccounts({ runId: 'typo', execution: { regionz: ['us-east-1'] } as never }), /the execution's input: unknown field "regionz"; accepted: runId, bucket, prefix, roleName, externalId, regions, checks, ou, excludeAccounts, logArchiveAccounts, accountConcurrency, maxItemsPerBatch, maxConcurrency, toleratedFailurePercentage, formats, securityHub$/u);
    await assert.rejects(listAccounts({ runId: 'typo', execution: { history: 's3://elsewhere/h' } as never }), /history is a deployment parameter/u);
    await assert.rejects(listAccounts({ runId: 'typo', execution: ['us-east-1'] as never }), /the execution's input must be a JSON object/u);
    // The run id is the execution's name (the state machine passes it): another one in the input is refused, not ignored.
    await assert.rejects(listAccounts({ runId: 'typo', execution: { runId: 'mine' } }), /runId "mine" differs from the run id typo, which is the execution's name: start the execution with --name mine/u);
    await assert.rejects(listAccounts({ runId: 'typo', execution: { securityHub: { enable: true } } as never }), /securityHub: unknown field "enable"; accepted: enabled, region, roleName/u);
    await assert.rejects(listAccounts({ runId: 'typo', execution: { formats: 'json,pdf' } }), /formats \/ TRAILAUDIT_FORMATS: pdf is not one of/u);
    await assert.rejects(reduce({ runId: 'typo', formatz: 'json' } as never), /the Reduce event: unknown field "formatz"/u);
    assert.deepEqual(await keysUnder(s3, `${PREFIX}/runs/typo/`), [], 'nothing written for a refused run');
  });

  it('carries formats and securityHub of the execution\'s input to Reduce: {"securityHub":{"enabled":false}} imports nothing', async () => {
    const restoreHub = setEnvironment({ TRAILAUDIT_SECURITY_HUB: 'true' });
    try {
      await auditRun('carried', { formats: 'json', securityHub: { enabled: false } });
      const reduced = await reduce({ runId: 'carried' });
      assert.equal(reduced.securityHub, undefined, 'no import');
      assert.deepEqual(reduced.reports, [`${PREFIX}/runs/carried/reports/trailaudit.json`]);
      // Reduce's own event still wins (a library caller).
      const own = await reduce({ runId: 'carried', formats: 'json,markdown' });
      assert.deepEqual([...own.reports].sort(), [`${PREFIX}/runs/carried/reports/trailaudit.json`, `${PREFIX}/runs/carried/reports/trailaudit.md`]);
    } finally {
      restoreHub();
    }
  });

  it('leaves latest/ to runs of the deployment\'s full scope: a run narrowed by its execution\'s input does not replace it', async () => {
    await auditRun('full-1');
    assert.equal((await reduce({ runId: 'full-1', formats: 'json' })).latest, 'updated');
    const full = await readText(s3, `${PREFIX}/latest/trailaudit.json`);
    await auditRun('narrow', { checks: ['CloudTrail.1'] });
    const run = JSON.parse(await readText(s3, `${PREFIX}/runs/narrow/run.json`)) as { narrowedBy?: string[] };
    assert.deepEqual(run.narrowedBy, ['checks']);
    const narrowed = await reduce({ runId: 'narrow', formats: 'json' });
    assert.equal(narrowed.latest, 'kept_narrower');
    assert.equal(await readText(s3, `${PREFIX}/latest/trailaudit.json`), full);
    assert.deepEqual(await keysUnder(s3, `${PREFIX}/runs/narrow/reports/`), [`${PREFIX}/runs/narrow/reports/trailaudit.json`]);
    // The same values as the environment's, or settings that do not narrow the scope, are a full run.
    await auditRun('same', { regions: [REGION], maxConcurrency: 3 });
    assert.equal((JSON.parse(await readText(s3, `${PREFIX}/runs/same/run.json`)) as { narrowedBy?: string[] }).narrowedBy, undefined);
    assert.equal((await reduce({ runId: 'same', formats: 'json' })).latest, 'updated');
  });

  it('ignores (and logs) a failed batch\'s account that the run does not list, so Reduce still evaluates the run', async () => {
    const listed = await listAccounts({ runId: 'bogus' });
    const items = JSON.parse(await readText(s3, listed.key)) as { id: string; name: string; member: boolean }[];
    const [first, second] = items;
    assert.ok(first && second);
    await auditAccounts({ Items: [first], BatchInput: { runId: 'bogus' } });
    const recorded = await recordFailure({ Items: [{ id: '999999999999', name: '', member: true }, second], BatchInput: { runId: 'bogus' }, error: { Error: 'States.Timeout' } });
    assert.deepEqual({ accounts: recorded.accounts, unreachable: recorded.unreachable, ignored: recorded.ignored }, { accounts: 1, unreachable: 1, ignored: 1 });
    const alone = await recordFailure({ Items: [{ id: '999999999998', name: '', member: true }], BatchInput: { runId: 'bogus' }, error: { Error: 'States.Timeout' } });
    assert.deepEqual({ accounts: alone.accounts, ignored: alone.ignored }, { accounts: 0, ignored: 1 });
    const reduced = await reduce({ runId: 'bogus', formats: 'json' });
    assert.equal(reduced.accounts, 2);
    assert.equal(reduced.unreachableAccounts, 1);
    const report = JSON.parse(await readText(s3, `${PREFIX}/runs/bogus/reports/trailaudit.json`)) as { scope: { accounts: string[] } };
    assert.deepEqual([...report.scope.accounts].sort(), [MOTO_ACCOUNT_ID, seeded.accountId('a')].sort());
  });

  it('keeps the snapshot a batch wrote before it failed: recordFailure never replaces what was read with stand-ins', async () => {
    const listed = await listAccounts({ runId: 'late-fail' });
    const items = JSON.parse(await readText(s3, listed.key)) as { id: string; name: string; member: boolean }[];
    const audited = await auditAccounts({ Items: items, BatchInput: { runId: 'late-fail' } });
    const before = await readText(s3, audited.key);
    // The batch timed out after its PutObject: Step Functions' Catch still runs recordFailure.
    const recorded = await recordFailure({ Items: items, BatchInput: { runId: 'late-fail' }, error: { Error: 'States.Timeout' } });
    assert.equal(recorded.key, audited.key);
    assert.deepEqual({ kept: recorded.keptSnapshot, unreachable: recorded.unreachable }, { kept: true, unreachable: 0 });
    assert.equal(await readText(s3, audited.key), before, 'the snapshot is as the batch wrote it');
    const reduced = await reduce({ runId: 'late-fail', formats: 'json' });
    assert.equal(reduced.unreachableAccounts, 0);
  });

  it('stores every report with its content type, under the run and in latest/', async () => {
    await auditRun('types');
    await reduce({ runId: 'types', formats: 'json,markdown,junit,sarif,asff,html' });
    const expected: Record<string, string> = {
      'trailaudit.json': 'application/json',
      'trailaudit.md': 'text/markdown; charset=utf-8',
      'trailaudit.junit.xml': 'application/xml',
      'trailaudit.sarif': 'application/sarif+json',
      'trailaudit.asff.json': 'application/json',
      'trailaudit.html': 'text/html; charset=utf-8',
    };
    for (const folder of [`${PREFIX}/runs/types/reports`, `${PREFIX}/latest`]) {
      assert.deepEqual((await keysUnder(s3, `${folder}/`)).map((key) => key.slice(folder.length + 1)), Object.keys(expected).sort());
      for (const [name, type] of Object.entries(expected)) {
        const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${folder}/${name}` }));
        assert.equal(head.ContentType, type, `${folder}/${name}`);
      }
    }
  });
});
