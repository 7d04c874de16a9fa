/**
 * Issue 4's tampering cases, each from S3 (a real moto_server) and from a local copy: the same
 * fixture, written in AWS's format, validated through the CLI entry point.
 */
import assert from 'node:assert/strict';
import { FixtureBucket, newSigningKey, type SigningKey } from './helpers/cloudtrailFixtures.js';
import { runScenario, type Mode } from './helpers/runScenario.js';
import { MOTO_ACCOUNT_ID } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';

const HOME = 'us-east-1';
const START = new Date('2025-03-01T00:00:00Z');
const RANGE = { start: '2025-03-01T00:00:00Z', end: '2025-03-01T04:00:00Z' };
const HOUR = 3_600_000;

describe('validate-logs: digest chains in AWS format', function () {
  this.timeout(60_000);
  const moto = useMoto();
  let aws: SigningKey;
  let forger: SigningKey;

  before(() => {
    aws = newSigningKey();
    forger = newSigningKey();
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  });

  const trail = (name: string): { arn: string; fixture: FixtureBucket } => ({
    arn: `arn:aws:cloudtrail:${HOME}:${MOTO_ACCOUNT_ID}:trail/${name}`,
    fixture: new FixtureBucket({ accountId: MOTO_ACCOUNT_ID, trailName: name, homeRegion: HOME, bucket: `logs-${name}`, prefix: 'org/trails' }, aws),
  });

  for (const mode of ['s3', 'dir'] as const satisfies readonly Mode[]) {
    describe(`from ${mode === 's3' ? 'S3 (moto)' : 'a directory'}`, () => {
      const run = (arn: string, fixture: FixtureBucket, extra: Partial<Parameters<typeof runScenario>[1]> = {}) =>
        runScenario(fixture, { mode, endpoint: mode === 's3' ? moto.endpoint : undefined, trailArn: arn, keys: [aws], ...RANGE, ...extra });

      it('accepts an intact chain: every digest and log file valid, exit 0', async () => {
        const { arn, fixture } = trail('intact');
        const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 4 });
        const result = await run(arn, fixture);
        assert.equal(result.code, 0, JSON.stringify(result.report.unverified));
        assert.deepEqual(result.report.summary.digest, { valid: 4, INVALID: 0 });
        assert.deepEqual(result.report.summary.log, { valid: 8, INVALID: 0 });
        assert.equal(result.report.files.length, 12);
        assert.deepEqual(result.report.unverified, []);
        for (const key of digests) {
          assert.equal(result.statusOf(key), 'valid');
        }
        const first = result.report.files[0];
        assert.equal(first?.kind, 'digest');
        assert.equal(first.key, digests[3], 'newest digest first, as the AWS CLI walks');
      });

      it('reports a modified log file as hash_mismatch', async () => {
        const { arn, fixture } = trail('modified');
        const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 4 });
        const log = fixture.logKeysOf(digests[1]!)[0]!;
        fixture.modifyLog(log);
        const result = await run(arn, fixture);
        assert.equal(result.code, 1);
        assert.equal(result.statusOf(log), 'INVALID:hash_mismatch');
        assert.deepEqual(result.report.summary.log, { valid: 7, INVALID: 1 });
        assert.deepEqual(result.report.summary.digest, { valid: 4, INVALID: 0 });
      });

      it('reports a deleted log file as not_found', async () => {
        const { arn, fixture } = trail('deletedlog');
        const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 4 });
        const log = fixture.logKeysOf(digests[2]!)[1]!;
        fixture.objects.delete(log);
        const result = await run(arn, fixture);
        assert.equal(result.code, 1);
        assert.equal(result.statusOf(log), 'INVALID:not_found');
      });

      it('reports a deleted digest as not_found and continues with the next older digest', async () => {
        const { arn, fixture } = trail('deleteddigest');
        const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 4 });
        fixture.objects.delete(digests[1]!);
        const result = await run(arn, fixture);
        assert.equal(result.code, 1);
        assert.equal(result.statusOf(digests[1]!), 'INVALID:not_found');
        assert.equal(result.statusOf(digests[3]!), 'valid');
        assert.equal(result.statusOf(digests[2]!), 'valid');
        // The oldest digest's signature lived only in S3 metadata and in the deleted successor:
        // a local copy without its sidecar cannot verify it, and says so.
        assert.equal(result.statusOf(digests[0]!), mode === 's3' ? 'valid' : 'UNVERIFIED:signature_unavailable');
      });

      it('reports a digest forged and re-signed with another key keeping the fingerprint as bad_signature', async () => {
        const { arn, fixture } = trail('forged');
        const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 4 });
        const log = fixture.logKeysOf(digests[2]!)[0]!;
        fixture.modifyLog(log);
        fixture.forgeDigest(
          digests[2]!,
          (document) => {
            // The forger hides the log change by recording a hash of its own choosing.
            (document.logFiles as { hashValue: string }[])[0]!.hashValue = '0'.repeat(64);
          },
          forger,
          true,
        );
        const result = await run(arn, fixture, { sidecars: 'all' });
        assert.equal(result.code, 1);
        assert.equal(result.statusOf(digests[2]!), 'INVALID:bad_signature');
        assert.equal(result.statusOf(digests[3]!), 'valid');
        assert.equal(result.statusOf(digests[1]!), 'valid');
        assert.equal(result.statusOf(log), 'absent', 'logs of an invalid digest are not vouched for');
      });

      it('reports a digest re-signed with a key CloudTrail never published as unknown_public_key', async () => {
        const { arn, fixture } = trail('forgedkey');
        const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 4 });
        fixture.forgeDigest(digests[3]!, () => undefined, forger, false);
        const result = await run(arn, fixture);
        assert.equal(result.code, 1);
        assert.equal(result.statusOf(digests[3]!), 'INVALID:unknown_public_key');
      });

      it('reports a forged predecessor in a local copy through the signature its successor recorded', async () => {
        const { arn, fixture } = trail('forgedlocal');
        const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 4 });
        fixture.forgeDigest(digests[1]!, (document) => (document.newestEventTime = '2025-03-01T01:59:59Z'), forger, true);
        const result = await run(arn, fixture);
        assert.equal(result.code, 1);
        assert.equal(result.statusOf(digests[1]!), 'INVALID:bad_signature');
      });

      it('reports a digest replaced by another validly signed one as chain_broken (its successor recorded another)', async () => {
        const { arn, fixture } = trail('chainbroken');
        const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 4 });
        // Re-signed with CloudTrail's own key (as if the key leaked): its signature verifies, but
        // the next digest recorded the hash and signature of the original.
        fixture.forgeDigest(digests[1]!, (document) => (document.newestEventTime = '2025-03-01T01:59:59Z'), aws, true);
        const result = await run(arn, fixture, { sidecars: 'all' });
        assert.equal(result.code, 1);
        assert.equal(result.statusOf(digests[1]!), 'INVALID:chain_broken');
        assert.equal(result.statusOf(digests[2]!), 'valid');
      });

      it('reports a digest copied to another key as moved', async () => {
        const { arn, fixture } = trail('moved');
        const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 4 });
        const copy = fixture.digestKeyFor(HOME, new Date(START.getTime() + 5 * HOUR));
        const original = fixture.objects.get(digests[3]!)!;
        fixture.objects.set(copy, { body: original.body, metadata: { ...original.metadata } });
        const result = await run(arn, fixture);
        assert.equal(result.code, 1);
        assert.equal(result.statusOf(copy), 'INVALID:moved');
        for (const key of digests) {
          assert.equal(result.statusOf(key), 'valid');
        }
      });

      it('reports a gap (logging off: null previous pointers) with its times, and no INVALID', async () => {
        const { arn, fixture } = trail('gap');
        const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 6, gapHours: [2, 3] });
        const result = await run(arn, fixture, { end: '2025-03-01T06:00:00Z' });
        assert.equal(result.code, 0, JSON.stringify(result.report.unverified));
        assert.equal(digests.length, 4);
        assert.deepEqual(result.report.gaps, [{ sourceRegion: HOME, backfill: false, start: '2025-03-01T02:00:00Z', end: '2025-03-01T04:00:00Z' }]);
        assert.deepEqual(result.report.summary.digest, { valid: 4, INVALID: 0 });
      });

      it('validates a backfill digest and its late log files', async () => {
        const { arn, fixture } = trail('backfill');
        fixture.addChain({ sourceRegion: HOME, start: START, hours: 3 });
        const late = fixture.addLog(HOME, new Date(START.getTime() + 30 * 60_000));
        const backfill = fixture.putDigest(HOME, new Date(START.getTime() + HOUR), new Date(START.getTime() + 2 * HOUR), [late], null, { backfill: true });
        fixture.modifyLog(fixture.logKeysOf(fixture.digests[0]!)[0]!);
        const result = await run(arn, fixture);
        assert.equal(result.statusOf(backfill.key), 'valid');
        assert.equal(result.statusOf(late.s3Object), 'valid');
        assert.deepEqual(result.report.summary.backfillDigest, { valid: 1, INVALID: 0 });
        assert.equal(result.report.files.find((file) => file.key === backfill.key)?.backfill, true);
        assert.equal(result.code, 1, 'the modified standard log still fails the run');
      });

      it('follows the organization-trail layout AWSLogs/<o-id>/<account>/', async () => {
        const member = '111122223333';
        const name = 'orgtrail';
        const arn = `arn:aws:cloudtrail:${HOME}:${MOTO_ACCOUNT_ID}:trail/${name}`;
        const fixture = new FixtureBucket({ accountId: member, trailName: name, homeRegion: HOME, bucket: 'logs-org', organizationId: 'o-abcde12345' }, aws);
        const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 3 });
        const result = await run(arn, fixture, { organizationTrail: true, extraArgs: ['--account-id', member] });
        assert.equal(result.code, 0, JSON.stringify(result.report));
        assert.ok(digests[0]!.startsWith(`AWSLogs/o-abcde12345/${member}/CloudTrail-Digest/`));
        assert.deepEqual(result.report.summary.digest, { valid: 3, INVALID: 0 });
        assert.deepEqual(result.report.summary.log, { valid: 6, INVALID: 0 });
      });

      it('validates every source region of a multi-region trail, each as its own chain', async () => {
        const { arn, fixture } = trail('multi');
        const regions = [HOME, 'eu-west-1', 'ap-southeast-2'];
        const byRegion = new Map(regions.map((region) => [region, fixture.addChain({ sourceRegion: region, start: START, hours: 3 })]));
        const tampered = fixture.logKeysOf(byRegion.get('eu-west-1')![1]!)[0]!;
        fixture.modifyLog(tampered);
        const result = await run(arn, fixture, { multiRegion: true });
        assert.equal(result.code, 1);
        assert.deepEqual(result.report.summary.digest, { valid: 9, INVALID: 0 });
        assert.equal(result.statusOf(tampered), 'INVALID:hash_mismatch');
        // Home region first, then the others alphabetically.
        assert.deepEqual([...new Set(result.report.files.map((file) => file.sourceRegion))], [HOME, 'ap-southeast-2', 'eu-west-1']);
        assert.ok(byRegion.get('eu-west-1')![0]!.includes('_CloudTrail-Digest_eu-west-1_multi_us-east-1_'));
      });
    });
  }

  it('says what a local copy without any sidecar could not verify (exit 3), and verifies the rest', async () => {
    const { arn, fixture } = trail('nosidecar');
    const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 3 });
    const result = await runScenario(fixture, { mode: 'dir', trailArn: arn, keys: [aws], ...RANGE, sidecars: 'none' });
    assert.equal(result.code, 3);
    assert.equal(result.statusOf(digests[2]!), 'UNVERIFIED:signature_unavailable');
    assert.equal(result.statusOf(fixture.logKeysOf(digests[2]!)[0]!), 'UNVERIFIED:digest_unverified');
    assert.equal(result.statusOf(digests[1]!), 'valid');
    assert.equal(result.statusOf(digests[0]!), 'valid');
    assert.equal(result.report.summary.status, 'incomplete');
  });

  it('still reports a modified log of the newest digest in a local copy without sidecars (INVALID, not just unverified)', async () => {
    const { arn, fixture } = trail('nosidecar-tampered');
    const digests = fixture.addChain({ sourceRegion: HOME, start: START, hours: 3 });
    const [tampered, untouched] = fixture.logKeysOf(digests[2]!);
    fixture.modifyLog(tampered!);
    const result = await runScenario(fixture, { mode: 'dir', trailArn: arn, keys: [aws], ...RANGE, sidecars: 'none' });
    assert.equal(result.code, 1, 'a log that does not match the digest listing it is tampering, signature or not');
    assert.equal(result.statusOf(tampered!), 'INVALID:hash_mismatch');
    assert.equal(result.statusOf(digests[2]!), 'UNVERIFIED:signature_unavailable');
    if (untouched !== undefined) {
      assert.equal(result.statusOf(untouched), 'UNVERIFIED:digest_unverified', 'a match against an unauthenticated digest proves nothing');
    }
  });
});
