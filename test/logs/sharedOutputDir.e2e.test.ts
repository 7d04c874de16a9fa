/**
 * An audit's reports (`trailaudit.*`) and a log validation's (`trailaudit-logs.*`) written to the
 * same --output-dir keep each other: neither command overwrites, removes or claims the other's
 * files. Both run offline through the built CLI (`npm run build` first): `scan` on a template
 * writes the audit's reports, `validate-logs --from-dir --public-keys` makes no AWS call.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/runCli.js';
import { FixtureBucket, newSigningKey, publicKeysJson } from './helpers/cloudtrailFixtures.js';

const AUDIT_REPORTS = ['trailaudit.json', 'trailaudit.junit.xml', 'trailaudit.md'];
const LOGS_REPORTS = ['trailaudit-logs.json', 'trailaudit-logs.junit.xml', 'trailaudit-logs.md'];
const TEMPLATE = new URL('../fixtures/cloudformation/compliant.yaml', import.meta.url).pathname;

describe('an audit and a log validation into the same --output-dir (bin/trailaudit.js)', function () {
  this.timeout(60_000);
  let scratch: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'trailaudit-shared-out-'));
    const key = newSigningKey('spki');
    writeFileSync(join(scratch, 'keys.json'), publicKeysJson([key]));
    const fixture = new FixtureBucket({ accountId: '123456789012', trailName: 'shared', homeRegion: 'us-east-1', bucket: 'shared-logs' }, key);
    fixture.addChain({ sourceRegion: 'us-east-1', start: new Date('2025-03-01T00:00:00Z'), hours: 2 });
    fixture.writeToDir(join(scratch, 'copy'));
  });

  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  const validateLogs = (...extra: string[]): ReturnType<typeof runCli> =>
    runCli(
      [
        'validate-logs',
        '--trail',
        'arn:aws:cloudtrail:us-east-1:123456789012:trail/shared',
        '--start-time',
        '2025-03-01T00:00:00Z',
        '--end-time',
        '2025-03-01T02:00:00Z',
        '--from-dir',
        'copy',
        '--public-keys',
        'keys.json',
        '--output-dir',
        'out',
        ...extra,
      ],
      { cwd: scratch },
    );
  // --allow-unknown: a template cannot show whether its trail delivers (TrailHealth.1–4 are
  // UNKNOWN there); this test is about the shared output directory, not the verdicts.
  const scan = (): ReturnType<typeof runCli> => runCli(['scan', TEMPLATE, '--output-dir', 'out', '--allow-unknown'], { cwd: scratch });
  const read = (name: string): string => readFileSync(join(scratch, 'out', name), 'utf8');

  it('keeps both sets of reports, whichever command runs first, and each is its own command\'s', async () => {
    const audit = await scan();
    assert.equal(audit.code, 0, audit.stderr);
    const logs = await validateLogs();
    assert.equal(logs.code, 0, logs.stderr);
    assert.deepEqual(readdirSync(join(scratch, 'out')).sort(), [...AUDIT_REPORTS, ...LOGS_REPORTS].sort());
    for (const name of LOGS_REPORTS) {
      assert.match(logs.stderr, new RegExp(`^report: .*/out/${name.replace(/\./gu, '\\.')}$`, 'mu'), `validate-logs names ${name}`);
    }

    const auditJson = JSON.parse(read('trailaudit.json')) as { findings?: unknown[]; files?: unknown };
    assert.ok(Array.isArray(auditJson.findings), 'trailaudit.json is still the audit report');
    assert.equal(auditJson.files, undefined);
    const logsJson = JSON.parse(read('trailaudit-logs.json')) as { files?: unknown[]; findings?: unknown };
    assert.equal(logsJson.files?.length, 6, 'trailaudit-logs.json lists the 2 digests and 4 log files');
    assert.equal(logsJson.findings, undefined);

    // The other order: an audit after a validation leaves the validation's reports byte for byte.
    const before = LOGS_REPORTS.map(read);
    const again = await scan();
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(LOGS_REPORTS.map(read), before);
    assert.doesNotMatch(again.stderr, /trailaudit-logs/u, 'the audit does not call the validation\'s reports stale ones of its own');
    assert.ok(Array.isArray((JSON.parse(read('trailaudit.json')) as { findings?: unknown[] }).findings));
  });

  it('validate-logs says which of its own reports are from an earlier run, and never names the audit\'s', async () => {
    assert.equal((await validateLogs()).code, 0);
    const jsonOnly = await validateLogs('--format', 'json');
    assert.equal(jsonOnly.code, 0, jsonOnly.stderr);
    for (const name of ['trailaudit-logs.junit.xml', 'trailaudit-logs.md']) {
      assert.match(jsonOnly.stderr, new RegExp(`^note: .*/out/${name.replace(/\./gu, '\\.')} is from an earlier run`, 'mu'), name);
    }
    assert.doesNotMatch(jsonOnly.stderr, /note: .*\/out\/trailaudit\.(json|md|junit\.xml|sarif)/u);
  });
});
