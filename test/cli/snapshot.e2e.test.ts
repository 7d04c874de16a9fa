/**
 * `evaluate` never trusts a snapshot's derived verdicts and rejects a snapshot that lacks the raw
 * facts it claims to hold: the built CLI against snapshots saved from real moto audits, edited as
 * a tester did.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutBucketAclCommand, S3Client } from '@aws-sdk/client-s3';
import { collectLive } from '../../src/collect/live/index.js';
import { deriveFacts } from '../../src/facts/derive.js';
import { FACT_NEEDS, type FactSet } from '../../src/facts/model.js';
import { schemaValidator } from '../../src/load/schemaValidation.js';
import { DEMO_REGIONS, seedDemoAccount } from '../../demo/seed.js';
import { MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { runCli } from './runCli.js';

interface Finding {
  control: string;
  status: string;
  message: string;
  resource: { id: string };
}

type Json = Record<string, unknown>;

function assertLoadsUnchanged(facts: FactSet): void {
  const saved = JSON.parse(JSON.stringify(facts)) as FactSet;
  const validate = schemaValidator('facts.schema.json');
  assert.equal(validate(saved), true, JSON.stringify(validate.errors, null, 1));
  // Re-deriving what the collector derived changes nothing.
  assert.deepEqual(deriveFacts(saved), saved);
}

describe('evaluate recomputes derived facts and rejects incomplete snapshots (moto)', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let work: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-snapshot-'));
  });

  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  /** A multi-Region trail logging read-only management events into a public-read bucket. */
  async function seed(): Promise<void> {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    const cloudTrail = new CloudTrailClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    await s3.send(new CreateBucketCommand({ Bucket: 'public-logs' }));
    await s3.send(new PutBucketAclCommand({ Bucket: 'public-logs', ACL: 'public-read' }));
    await cloudTrail.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'public-logs', IsMultiRegionTrail: true }));
    await cloudTrail.send(new StartLoggingCommand({ Name: 'main' }));
    await cloudTrail.send(new PutEventSelectorsCommand({ TrailName: 'main', EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }));
    s3.destroy();
    cloudTrail.destroy();
  }

  async function saveSnapshot(): Promise<Json> {
    const audited = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--output-dir', 'audit', '--save-snapshot', 'snap.json'], { cwd: work });
    assert.equal(audited.code, 1, audited.stderr);
    return JSON.parse(readFileSync(join(work, 'snap.json'), 'utf8')) as Json;
  }

  const items = (snapshot: Json, collection: 'buckets' | 'trails'): Json[] => snapshot[collection] as Json[];

  async function evaluate(snapshot: Json, checks: string): ReturnType<typeof runCli> {
    writeFileSync(join(work, 'edited.json'), JSON.stringify(snapshot));
    return runCli(['evaluate', 'edited.json', '--checks', checks, '--format', 'json', '--output-dir', 'out'], { cwd: work });
  }

  function findings(control: string): Finding[] {
    const report = JSON.parse(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8')) as { findings: Finding[] };
    return report.findings.filter((finding) => finding.control === control);
  }

  it('a saved live snapshot validates and re-derives to itself', async () => {
    await seed();
    const snapshot = await saveSnapshot();
    assertLoadsUnchanged(snapshot as unknown as FactSet);
    const bucket = items(snapshot, 'buckets')[0] as { publicAccess: { isPublic: unknown } };
    assert.equal(bucket.publicAccess.isPublic, true);
  });

  it('a bucket edited to isPublic=false, or without its verdict, still FAILs CloudTrail.6', async () => {
    await seed();
    const snapshot = await saveSnapshot();
    const bucket = items(snapshot, 'buckets')[0] as { publicAccess?: { isPublic: boolean; via: string[] } };
    assert.ok(bucket.publicAccess);
    bucket.publicAccess.isPublic = false;
    bucket.publicAccess.via = [];
    const tampered = await evaluate(snapshot, 'CloudTrail.6,CloudTrail.7');
    assert.equal(tampered.code, 1, tampered.stderr);
    assert.deepEqual(findings('CloudTrail.6').map((finding) => finding.status), ['FAIL']);

    delete bucket.publicAccess;
    const deleted = await evaluate(snapshot, 'CloudTrail.6,CloudTrail.7');
    assert.equal(deleted.code, 1, deleted.stderr);
    const [finding] = findings('CloudTrail.6');
    assert.equal(finding?.status, 'FAIL');
    assert.doesNotMatch(finding.message, /\(\(none\)\)/u);
    assert.match(finding.message, /acl/iu);
  });

  it('an edited managementEvents does not make CloudTrail.1 pass', async () => {
    await seed();
    const snapshot = await saveSnapshot();
    const trail = items(snapshot, 'trails')[0] as { managementEvents?: Json };
    assert.equal(trail.managementEvents?.allInOneSelector, false);
    trail.managementEvents = { source: 'basic', read: true, write: true, excludedSources: [], allInOneSelector: true, explanation: 'edited' };
    const tampered = await evaluate(snapshot, 'CloudTrail.1');
    assert.equal(tampered.code, 1, tampered.stderr);
    assert.deepEqual(findings('CloudTrail.1').map((finding) => finding.status), ['FAIL']);
    delete trail.managementEvents;
    const deleted = await evaluate(snapshot, 'CloudTrail.1');
    assert.equal(deleted.code, 1, deleted.stderr);
    assert.deepEqual(findings('CloudTrail.1').map((finding) => finding.status), ['FAIL']);
  });

  it('a snapshot missing raw facts it claims, or holding garbage, exits 2 and leaves the reports alone', async () => {
    await seed();
    const snapshot = await saveSnapshot();
    const good = await evaluate(snapshot, 'CloudTrail.1,CloudTrail.6,CloudTrail.7');
    assert.equal(good.code, 1, good.stderr);
    const report = join(work, 'out', 'trailaudit.json');
    const before = { text: readFileSync(report, 'utf8'), mtime: statSync(report).mtimeMs };

    const cases: { readonly edit: (copy: Json) => void; readonly expected: RegExp }[] = [
      { edit: (copy) => delete items(copy, 'buckets')[0]?.logging, expected: /buckets\.0: missing required property "logging"/u },
      { edit: (copy) => ((items(copy, 'buckets')[0] as Json).acl = 'garbage'), expected: /buckets\.0\.acl: expected a list of ACL grants/u },
      { edit: (copy) => delete items(copy, 'buckets')[0]?.policy, expected: /buckets\.0: missing required property "policy"/u },
      { edit: (copy) => delete items(copy, 'trails')[0]?.eventSelectors, expected: /trails\.0: missing required property "eventSelectors"/u },
      { edit: (copy) => ((items(copy, 'trails')[0] as Json).eventSelectors = { basic: 'all' }), expected: /trails\.0\.eventSelectors: expected normalised event selectors/u },
      { edit: (copy) => delete items(copy, 'trails')[0]?.isLogging, expected: /trails\.0: missing required property "isLogging"/u },
      { edit: (copy) => ((items(copy, 'trails')[0] as Json).tags = ['owner']), expected: /trails\.0\.tags: expected a map of tag keys/u },
      { edit: (copy) => ((items(copy, 'buckets')[0] as Json).surprise = true), expected: /buckets\.0\.surprise: unexpected property/u },
    ];
    for (const { edit, expected } of cases) {
      const copy = JSON.parse(JSON.stringify(snapshot)) as Json;
      edit(copy);
      const result = await evaluate(copy, 'CloudTrail.1,CloudTrail.6,CloudTrail.7');
      assert.equal(result.code, 2, `${String(expected)}: ${result.stderr}`);
      assert.match(result.stderr, /edited\.json/u);
      assert.match(result.stderr, expected);
    }
    assert.equal(readFileSync(report, 'utf8'), before.text);
    assert.equal(statSync(report).mtimeMs, before.mtime);
  });

  it('the demo account’s snapshot validates and re-derives to itself', async () => {
    await seedDemoAccount(moto.endpoint);
    const facts = await collectLive({ needs: new Set(FACT_NEEDS), regions: [...DEMO_REGIONS], endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS });
    assert.ok(facts.buckets.length > 0 && facts.trails.length > 0, `the demo account has trails and buckets: ${facts.trails.length}, ${facts.buckets.length}`);
    assertLoadsUnchanged(facts);
  });
});
