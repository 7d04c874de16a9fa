/**
 * The fixtures are written "exactly in AWS's format" only if the AWS CLI's own validator accepts
 * them: run its DigestTraverser and Sha256RSADigestValidator (python3, installed awscli, offline,
 * S3 and ListPublicKeys stubbed) on the same local copy trailaudit validates, and compare.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FixtureBucket, newSigningKey, publicKeysJson } from './helpers/cloudtrailFixtures.js';
import { runScenario } from './helpers/runScenario.js';

const SCRIPT = fileURLToPath(new URL('../fixtures/digest/awscli_validate.py', import.meta.url));
const awscliAvailable = spawnSync('python3', ['-c', 'import awscli.customizations.cloudtrail.validation, rsa'], { stdio: 'ignore' }).status === 0;

interface AwsCliResult {
  validDigests: string[];
  invalid: string[];
  validLogs: number;
  invalidLogs: string[];
  gaps: number;
}

describe('cross-check with the AWS CLI validator (python3 awscli, offline)', function () {
  this.timeout(60_000);
  const account = '123456789012';
  const arn = `arn:aws:cloudtrail:us-east-1:${account}:trail/cross`;
  const range = { start: '2025-03-01T00:00:00Z', end: '2025-03-01T06:00:00Z' };

  before(function () {
    if (!awscliAvailable) {
      this.skip();
    }
  });

  const awscli = (fixture: FixtureBucket, keysJson: string): AwsCliResult => {
    const scratch = mkdtempSync(join(tmpdir(), 'trailaudit-awscli-'));
    try {
      fixture.writeToDir(join(scratch, 'copy'), 'all');
      writeFileSync(join(scratch, 'keys.json'), keysJson);
      const run = spawnSync('python3', [SCRIPT, join(scratch, 'copy'), join(scratch, 'keys.json'), range.start, range.end, fixture.layout.bucket, account, 'cross', 'us-east-1'], {
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stderr);
      return JSON.parse(run.stdout) as AwsCliResult;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  };

  it('the AWS CLI accepts the generated chain (with a gap) and so does trailaudit', async () => {
    const key = newSigningKey();
    const fixture = new FixtureBucket({ accountId: account, trailName: 'cross', homeRegion: 'us-east-1', bucket: 'cross-logs' }, key);
    const digests = fixture.addChain({ sourceRegion: 'us-east-1', start: new Date(range.start), hours: 6, gapHours: [3] });
    const cli = awscli(fixture, publicKeysJson([key]));
    assert.deepEqual(cli.invalid, []);
    assert.deepEqual(cli.validDigests, [...digests].reverse());
    assert.equal(cli.validLogs, digests.length * 2);
    assert.equal(cli.gaps, 1);
    const ours = await runScenario(fixture, { mode: 'dir', trailArn: arn, keys: [key], ...range });
    assert.equal(ours.code, 0);
    assert.deepEqual(
      ours.report.files.filter((file) => file.kind === 'digest').map((file) => file.key),
      cli.validDigests,
      'same digests, same order',
    );
    assert.equal(ours.report.gaps.length, 1);
  });

  it('the AWS CLI and trailaudit reject the same forged digest', async () => {
    const key = newSigningKey();
    const fixture = new FixtureBucket({ accountId: account, trailName: 'cross', homeRegion: 'us-east-1', bucket: 'cross-logs' }, key);
    const digests = fixture.addChain({ sourceRegion: 'us-east-1', start: new Date(range.start), hours: 4 });
    fixture.forgeDigest(digests[2]!, (document) => (document.newestEventTime = null), newSigningKey(), true);
    const cli = awscli(fixture, publicKeysJson([key]));
    assert.equal(cli.invalid.length, 1);
    assert.match(cli.invalid[0]!, new RegExp(`${digests[2]!.replace(/[.]/gu, '\\.')}\\tINVALID: signature verification failed`, 'u'));
    const ours = await runScenario(fixture, { mode: 'dir', trailArn: arn, keys: [key], ...range, sidecars: 'all' });
    assert.equal(ours.statusOf(digests[2]!), 'INVALID:bad_signature');
    assert.equal(ours.code, 1);
  });
});
