/**
 * validate-logs --from-dir on a copy where a log file, a digest or a digest's metadata sidecar is
 * a FIFO or a device: every such file is refused before it is read (a FIFO would block the read
 * forever, /dev/zero never ends), so the run ends at once, and never as "valid".
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/runCli.js';
import { MOTO_ACCOUNT_ID } from '../../support/moto/clients.js';
import { FixtureBucket, newSigningKey, publicKeysJson } from './helpers/cloudtrailFixtures.js';

describe('validate-logs --from-dir with special files in the copy', function () {
  this.timeout(30_000);
  const arn = `arn:aws:cloudtrail:us-east-1:${MOTO_ACCOUNT_ID}:trail/special`;
  let scratch: string;
  let fixture: FixtureBucket;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'trailaudit-special-'));
    const key = newSigningKey('spki');
    writeFileSync(join(scratch, 'keys.json'), publicKeysJson([key]));
    fixture = new FixtureBucket({ accountId: MOTO_ACCOUNT_ID, trailName: 'special', homeRegion: 'us-east-1', bucket: 'logs' }, key);
    fixture.addChain({ sourceRegion: 'us-east-1', start: new Date('2025-03-01T00:00:00Z'), hours: 3 });
    fixture.writeToDir(join(scratch, 'copy'));
  });
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  const validate = () =>
    runCli(
      ['validate-logs', '--trail', arn, '--start-time', '2025-03-01T00:00:00Z', '--end-time', '2025-03-01T03:00:00Z', '--public-keys', 'keys.json', '--from-dir', 'copy', '--format', 'json', '--output-dir', 'out'],
      { cwd: scratch },
    );
  const pathOf = (key: string): string => join(scratch, 'copy', ...key.split('/'));

  it('a log file that is a FIFO or /dev/zero: the run ends, not valid (exit 1 or 3)', async () => {
    const [first, second] = fixture.logKeysOf(fixture.digests[1]!);
    rmSync(pathOf(first!));
    execFileSync('mkfifo', [pathOf(first!)]);
    rmSync(pathOf(second!));
    symlinkSync('/dev/zero', pathOf(second!));
    const result = await validate();
    assert.ok(result.code === 1 || result.code === 3, `exit ${String(result.code)}: ${result.stderr}`);
    assert.match(result.stdout, /and 2 log files could not be verified/u);
  });

  it('a digest that is a FIFO: the run ends, not valid', async () => {
    rmSync(pathOf(fixture.digests[1]!));
    execFileSync('mkfifo', [pathOf(fixture.digests[1]!)]);
    const result = await validate();
    assert.notEqual(result.code, 0, result.stdout + result.stderr);
  });
});
