/**
 * S3.22 / S3.23 end to end against moto_server: basic and advanced event selectors put on real
 * (emulated) trails, read back by the live collector and judged by the CLI.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand, type PutEventSelectorsCommandInput } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { runCli } from './runCli.js';

interface ReportFinding {
  control: string;
  status: string;
  message: string;
}

describe('S3.22 / S3.23 from basic and advanced selectors (CLI end to end against moto)', function () {
  this.timeout(60_000);
  const moto = useMoto();
  let work: string;
  let cloudtrail: CloudTrailClient;
  let s3: S3Client;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-s3-data-'));
    cloudtrail = new CloudTrailClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
    cloudtrail.destroy();
    s3.destroy();
  });

  /** One logging trail with the given selectors (multi-Region unless said otherwise). */
  async function trailWith(selectors: Omit<PutEventSelectorsCommandInput, 'TrailName'>, multiRegion = true): Promise<void> {
    await s3.send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
    await cloudtrail.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-logs', IsMultiRegionTrail: multiRegion }));
    await cloudtrail.send(new PutEventSelectorsCommand({ TrailName: 'main', ...selectors }));
    await cloudtrail.send(new StartLoggingCommand({ Name: 'main' }));
  }

  async function verdicts(): Promise<{ code: number | null; byControl: Record<string, string>; findings: ReportFinding[] }> {
    const run = await runCli(
      ['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--checks', 'S3.22,S3.23', '--format', 'json', '--output-dir', 'out'],
      { cwd: work },
    );
    const report = JSON.parse(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8')) as { findings: ReportFinding[] };
    return { code: run.code, byControl: Object.fromEntries(report.findings.map((f) => [f.control, f.status])), findings: report.findings };
  }

  it('a basic WriteOnly selector for every bucket: S3.22 PASS, S3.23 FAIL (exit 1)', async () => {
    await trailWith({
      EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
    });
    const { code, byControl } = await verdicts();
    assert.deepEqual(byControl, { 'S3.22': 'PASS', 'S3.23': 'FAIL' });
    assert.equal(code, 1);
  });

  it('an advanced Data / AWS::S3::Object selector logs both directions (exit 0)', async () => {
    await trailWith({
      AdvancedEventSelectors: [
        { Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        {
          Name: 'every object',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          ],
        },
      ],
    });
    const { code, byControl } = await verdicts();
    assert.deepEqual(byControl, { 'S3.22': 'PASS', 'S3.23': 'PASS' });
    assert.equal(code, 0);
  });

  it('an advanced selector narrowed to one bucket does not count', async () => {
    await trailWith({
      AdvancedEventSelectors: [
        {
          Name: 'payroll only',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::payroll/'] },
          ],
        },
      ],
    });
    const { byControl, findings } = await verdicts();
    assert.deepEqual(byControl, { 'S3.22': 'FAIL', 'S3.23': 'FAIL' });
    assert.match(findings.find((f) => f.control === 'S3.22')?.message ?? '', /who wrote or deleted an object/u);
  });

  it('a single-Region trail logging every object event does not count', async () => {
    await trailWith(
      { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::'] }] }] },
      false,
    );
    const { byControl } = await verdicts();
    assert.deepEqual(byControl, { 'S3.22': 'FAIL', 'S3.23': 'FAIL' });
  });
});
