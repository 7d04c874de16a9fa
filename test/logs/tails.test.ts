/**
 * Issue 10's "deleted evidence reads all valid": the newest digests of one Region and their log
 * files deleted, which leaves a chain that is valid to its (early) end. From S3 (a real
 * moto_server) and from a local copy, through the CLI entry point. GetTrailStatus cases moto cannot
 * produce (a StopLoggingTime in the past, a denied call) use aws-sdk-client-mock for CloudTrail only;
 * S3 stays moto.
 */
import assert from 'node:assert/strict';
import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { FixtureBucket, newSigningKey, type SigningKey } from './helpers/cloudtrailFixtures.js';
import { runScenario, type Mode } from './helpers/runScenario.js';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';
const START = new Date('2025-03-01T00:00:00Z');
const HOUR = 3_600_000;
const HOURS = 45;
const RANGE = { start: '2025-03-01T00:00:00Z', end: '2025-03-02T21:00:00Z' };

describe('validate-logs: missing tails (a Region whose newest digests were deleted)', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let aws: SigningKey;

  before(() => {
    aws = newSigningKey();
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  });

  const trail = (name: string): { arn: string; fixture: FixtureBucket } => ({
    arn: `arn:aws:cloudtrail:${HOME}:${MOTO_ACCOUNT_ID}:trail/${name}`,
    fixture: new FixtureBucket({ accountId: MOTO_ACCOUNT_ID, trailName: name, homeRegion: HOME, bucket: `logs-${name}` }, aws),
  });

  /** Deletes the newest `hours` digests of a chain and every log file they list. */
  const deleteNewest = (fixture: FixtureBucket, chain: readonly string[], hours: number): void => {
    for (const digest of chain.slice(-hours)) {
      for (const log of fixture.logKeysOf(digest)) {
        fixture.objects.delete(log);
      }
      fixture.objects.delete(digest);
    }
  };

  for (const mode of ['s3', 'dir'] as const satisfies readonly Mode[]) {
    describe(`from ${mode === 's3' ? 'S3 (moto)' : 'a directory'}`, () => {
      const run = (arn: string, fixture: FixtureBucket, extra: Partial<Parameters<typeof runScenario>[1]> = {}) =>
        // A copy made after the deletion: its newest digest's signature saved as a sidecar, as the README says.
        runScenario(fixture, { mode, endpoint: mode === 's3' ? moto.endpoint : undefined, trailArn: arn, keys: [aws], multiRegion: true, sidecars: 'all', ...RANGE, ...extra });

      it('reports the newest 6 hours of us-east-1 deleted as a missing tail, exit 3 (the other Region reaches the end)', async () => {
        const { arn, fixture } = trail('tail');
        const home = fixture.addChain({ sourceRegion: HOME, start: START, hours: HOURS });
        fixture.addChain({ sourceRegion: OTHER, start: START, hours: HOURS });
        deleteNewest(fixture, home, 6);
        const result = await run(arn, fixture, { extraArgs: ['--allow-unverified'] });
        assert.equal(result.code, 3, '--allow-unverified does not excuse missing digests');
        const { report } = result;
        assert.equal(report.summary.status, 'incomplete');
        // Everything that is there is valid, as before: the tail is what was missing from the verdict.
        assert.deepEqual(report.summary.digest, { valid: 84, INVALID: 0 });
        assert.deepEqual(report.summary.log, { valid: 168, INVALID: 0 });
        assert.deepEqual(report.found, { start: '2025-03-01T00:00:00Z', end: '2025-03-02T21:00:00Z' }, 'one range for all Regions hides the short chain');
        assert.deepEqual(
          report.regions.map((region) => [region.region, region.found?.end, region.newestDigestEnd, region.digest.valid, region.log.valid]),
          [
            [HOME, '2025-03-02T15:00:00Z', '2025-03-02T15:00:00Z', 39, 78],
            [OTHER, '2025-03-02T21:00:00Z', '2025-03-02T21:00:00Z', 45, 90],
          ],
        );
        assert.deepEqual(
          report.missingTails.map(({ region, kind, start, end, expectedDigests }) => ({ region, kind, start, end, expectedDigests })),
          [{ region: HOME, kind: 'missing', start: '2025-03-02T15:00:00Z', end: '2025-03-02T21:00:00Z', expectedDigests: 6 }],
        );
        if (mode === 's3') {
          // moto creates trails not logging and without a StopLoggingTime: no evidence of a stop.
          assert.equal(report.trailStatus.state, 'read');
          assert.equal(report.trailStatus.isLogging, false);
          assert.match(report.notes.join('\n'), /is not logging, but cloudtrail:GetTrailStatus gives no StopLoggingTime/u);
          assert.equal(report.stats.apiCalls['cloudtrail:GetTrailStatus'], 1);
        } else {
          assert.equal(report.trailStatus.state, 'not_read', 'a local copy with a key file makes no AWS call');
          assert.match(report.notes.join('\n'), /was not read \(offline/u);
        }
      });

      it('accepts a chain that ends within two delivery intervals of the requested end (exit 0)', async () => {
        const { arn, fixture } = trail('tolerance');
        const home = fixture.addChain({ sourceRegion: HOME, start: START, hours: HOURS });
        deleteNewest(fixture, home, 2);
        const result = await run(arn, fixture, { multiRegion: false });
        assert.equal(result.code, 0, JSON.stringify(result.report.missingTails));
        assert.deepEqual(result.report.missingTails, []);
      });

      it('does not take a Region added later (its chain starts late) for a missing tail', async () => {
        const { arn, fixture } = trail('late');
        fixture.addChain({ sourceRegion: HOME, start: START, hours: HOURS });
        fixture.addChain({ sourceRegion: OTHER, start: new Date(START.getTime() + 30 * HOUR), hours: HOURS - 30 });
        const result = await run(arn, fixture);
        assert.equal(result.code, 0, JSON.stringify(result.report.missingTails));
        assert.equal(result.report.regions.find((region) => region.region === OTHER)?.found?.start, '2025-03-02T06:00:00Z');
      });

      it(`${mode === 's3' ? 'does not hold' : 'holds (offline, IsMultiRegionTrail unknown)'} other Regions to the end for a trail that is single-Region now`, async () => {
        const { arn, fixture } = trail('single');
        fixture.addChain({ sourceRegion: HOME, start: START, hours: HOURS });
        fixture.addChain({ sourceRegion: OTHER, start: START, hours: 10 });
        const result = await run(arn, fixture, { multiRegion: false });
        assert.deepEqual(result.report.summary.digest, { valid: 55, INVALID: 0 }, 'the old chain is verified either way');
        if (mode === 's3') {
          assert.equal(result.code, 0, JSON.stringify(result.report.missingTails));
          assert.match(result.report.notes.join('\n'), /is not multi-Region now \(cloudtrail:DescribeTrails\)/u);
        } else {
          assert.equal(result.code, 3);
          assert.deepEqual(result.report.missingTails.map((tail) => [tail.region, tail.start]), [[OTHER, '2025-03-01T10:00:00Z']]);
        }
      });

      it('measures the tail against now when --end-time is omitted: a chain delivered up to the last hour is complete', async () => {
        const { arn, fixture } = trail('recent');
        const recentStart = new Date(Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR);
        fixture.addChain({ sourceRegion: HOME, start: recentStart, hours: 5 });
        const result = await run(arn, fixture, { multiRegion: false, start: recentStart.toISOString(), end: undefined });
        assert.equal(result.code, 0, JSON.stringify(result.report.missingTails));
        assert.deepEqual(result.report.summary.digest, { valid: 5, INVALID: 0 });
      });

      it('reports a trail with no digest at all in the range as incomplete (exit 3), never "No digests found" and 0', async () => {
        const { arn, fixture } = trail('empty');
        fixture.addChain({ sourceRegion: HOME, start: new Date('2025-04-01T00:00:00Z'), hours: 2 });
        const result = await run(arn, fixture, { multiRegion: false, start: '2025-03-01T00:00:00Z', end: '2025-03-01T01:00:00Z' });
        assert.equal(result.code, 3);
        assert.equal(result.report.summary.status, 'incomplete');
      });
    });
  }

  it('does not excuse a tail by a stop that came after it began (moto: StopLoggingTime is the time of the call)', async () => {
    const { arn, fixture } = trail('stoppedlate');
    const home = fixture.addChain({ sourceRegion: HOME, start: START, hours: HOURS });
    deleteNewest(fixture, home, 6);
    const cloudtrail = new CloudTrailClient({ region: HOME, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    try {
      // Started and stopped after runScenario created the trail, so StopLoggingTime is now.
      const result = await runScenario(fixture, {
        mode: 's3',
        endpoint: moto.endpoint,
        trailArn: arn,
        keys: [aws],
        ...RANGE,
        beforeRun: async () => {
          await cloudtrail.send(new StartLoggingCommand({ Name: 'stoppedlate' }));
          await cloudtrail.send(new StopLoggingCommand({ Name: 'stoppedlate' }));
        },
      });
      assert.equal(result.code, 3);
      assert.equal(result.report.trailStatus.isLogging, false);
      assert.ok(typeof result.report.trailStatus.stopLoggingTime === 'string' && result.report.trailStatus.stopLoggingTime > RANGE.end);
      assert.deepEqual(
        result.report.missingTails.map((tail) => [tail.kind, tail.start, tail.end]),
        [['missing', '2025-03-02T15:00:00Z', '2025-03-02T21:00:00Z']],
      );
    } finally {
      cloudtrail.destroy();
    }
  });

  describe('GetTrailStatus answers moto cannot give (aws-sdk-client-mock for CloudTrail; S3 is moto)', () => {
    const mocked = (name: string) => {
      const cloudtrail = mockClient(CloudTrailClient);
      cloudtrail.on(DescribeTrailsCommand).resolves({
        trailList: [{ Name: name, TrailARN: `arn:aws:cloudtrail:${HOME}:${MOTO_ACCOUNT_ID}:trail/${name}`, S3BucketName: `logs-${name}`, HomeRegion: HOME, IsOrganizationTrail: false }],
      });
      return cloudtrail;
    };

    it('reports a tail after the trail stopped logging as a gap with the stop time, exit 0', async () => {
      const { arn, fixture } = trail('stopped');
      const home = fixture.addChain({ sourceRegion: HOME, start: START, hours: HOURS });
      deleteNewest(fixture, home, 6);
      const cloudtrail = mocked('stopped');
      cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: false, StopLoggingTime: new Date('2025-03-02T15:05:00Z'), StartLoggingTime: new Date('2025-02-01T00:00:00Z') });
      try {
        const result = await runScenario(fixture, { mode: 's3', endpoint: moto.endpoint, trailArn: arn, keys: [aws], ...RANGE });
        assert.equal(result.code, 0, JSON.stringify(result.report.missingTails));
        assert.deepEqual(
          result.report.missingTails.map((tail) => [tail.kind, tail.start, tail.end]),
          [['logging_off', '2025-03-02T15:05:00Z', '2025-03-02T21:00:00Z']],
        );
        assert.match(result.report.missingTails[0]?.message ?? '', /stopped logging at 2025-03-02T15:05:00Z .*a gap, not tampering/u);
        assert.equal(cloudtrail.commandCalls(GetTrailStatusCommand)[0]?.args[0].input.Name, arn, 'asked by ARN');
      } finally {
        cloudtrail.restore();
      }
    });

    it('keeps the tail missing when GetTrailStatus is denied, and says the status could not be read', async () => {
      const { arn, fixture } = trail('denied');
      const home = fixture.addChain({ sourceRegion: HOME, start: START, hours: HOURS });
      deleteNewest(fixture, home, 6);
      const cloudtrail = mocked('denied');
      cloudtrail.on(GetTrailStatusCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
      try {
        const result = await runScenario(fixture, { mode: 's3', endpoint: moto.endpoint, trailArn: arn, keys: [aws], ...RANGE });
        assert.equal(result.code, 3);
        assert.deepEqual(result.report.missingTails.map((tail) => tail.kind), ['missing']);
        assert.equal(result.report.trailStatus.state, 'unreadable');
        assert.equal(result.report.trailStatus.reason, 'access_denied');
        assert.match(result.report.notes.join('\n'), /could not be read \(access_denied: .*cloudtrail:GetTrailStatus/u);
      } finally {
        cloudtrail.restore();
      }
    });
  });
});
