/**
 * `--format html` with `--history` through the built CLI on moto, two audits with a fix between
 * them, the second run's page opened in headless Chromium: the trend chart drawn over both runs,
 * the fixed finding listed as fixed, and a still-failing finding failing since the first run.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutBucketAclCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { runCli } from '../cli/runCli.js';
import { assertChromium, openReport } from './chromium.js';

interface Report {
  collectedAt: string;
  findings: { control: string; status: string; resource: { id: string }; failingSince?: string }[];
}

const BUCKET = 'arn:aws:s3:::public-logs';

describe('--format html with --history (built CLI, moto, Chromium)', function () {
  this.timeout(180_000);
  const moto = useMoto();
  let work: string;

  before(assertChromium);

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-html-history-'));
  });

  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('shows the trend over both runs, the fix and a failing-since date from the first run', async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    const cloudTrail = new CloudTrailClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'public-logs' }));
      await s3.send(new PutBucketAclCommand({ Bucket: 'public-logs', ACL: 'public-read' }));
      await cloudTrail.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'public-logs', IsMultiRegionTrail: true }));
      await cloudTrail.send(new StartLoggingCommand({ Name: 'main' }));
      const audit = async (): Promise<Report> => {
        const result = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--format', 'json,html', '--output-dir', 'out', '--history', 'hist'], { cwd: work });
        assert.ok(result.code === 1 || result.code === 3, result.stderr);
        return JSON.parse(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8')) as Report;
      };
      const run1 = await audit();
      await s3.send(new PutBucketAclCommand({ Bucket: 'public-logs', ACL: 'private' }));
      const run2 = await audit();
      const stillFailing = run2.findings.find((f) => f.status === 'FAIL' && f.failingSince === run1.collectedAt);
      assert.ok(stillFailing, 'no finding failing since the first run');

      const opened = await openReport(join(work, 'out', 'trailaudit.html'));
      try {
        assert.deepEqual(opened.problems, []);
        assert.equal(opened.requests.length, 1);
        // Three lines (FAIL, UNKNOWN, PASS), a point per run on each.
        assert.equal(await opened.page.locator('#history svg.trend circle').count(), 6);
        assert.ok(((await opened.page.locator('#history svg.trend').boundingBox())?.width ?? 0) > 100, 'the trend chart was not drawn');
        const fixed = await opened.page.locator('#history table', { hasText: 'Fixed since the last run' }).innerText();
        assert.match(fixed, /CloudTrail\.6\s+\S*\s+us-east-1\s+arn:aws:s3:::public-logs[\s\S]*passes now/);
        const since = await opened.page.locator(`#findings-table time[datetime="${run1.collectedAt}"]`).count();
        assert.equal(since, run2.findings.filter((f) => f.failingSince === run1.collectedAt).length);
        assert.ok(since > 0);
        assert.ok(run2.findings.some((f) => f.resource.id === BUCKET && f.status === 'PASS'));
      } finally {
        await opened.close();
      }
    } finally {
      s3.destroy();
      cloudTrail.destroy();
    }
  });
});
