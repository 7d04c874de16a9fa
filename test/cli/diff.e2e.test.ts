/**
 * `trailaudit diff` end to end, as a user runs it: two (then three) real audits of a moto account
 * through the built CLI with changes between them, then `diff` of the reports; hand-made report
 * files for the suppressed case; bad input naming the file (exit 2).
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTrailCommand, DeleteTrailCommand, StartLoggingCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { cloudTrailClient, MOTO_ACCOUNT_ID, s3Client } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import type { DiffItem, DiffResult } from '../../src/report/diff/result.js';
import { formatJson } from '../../src/report/json.js';
import { ACCOUNT, TRAIL_LEGACY, makeContext, makeFinding } from '../report/fixtures.js';
import { runCli } from './runCli.js';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** schemas/diff.schema.json as a consumer compiles it (strict; the one format it uses added). */
const validateDiff = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/iu);
  return ajv.compile(JSON.parse(readFileSync(new URL('../../schemas/diff.schema.json', import.meta.url), 'utf8')) as object);
})();

const REGION = 'us-east-1';
const trailArn = (name: string): string => `arn:aws:cloudtrail:${REGION}:${MOTO_ACCOUNT_ID}:trail/${name}`;
const row = (i: DiffItem): string => `${i.control} ${i.resourceId} ${String(i.before)}->${String(i.after)}${i.reason === undefined ? '' : ` ${i.reason}`}`;

describe('trailaudit diff (CLI end to end)', function () {
  this.timeout(120_000);
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-diff-'));
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });
  const readDiff = (dir = 'reports'): DiffResult => {
    const result = JSON.parse(readFileSync(join(work, dir, 'trailaudit-diff.json'), 'utf8')) as DiffResult;
    assert.ok(validateDiff(result), JSON.stringify(validateDiff.errors));
    return result;
  };

  describe('two audits of a moto account', () => {
    const moto = useMoto();

    async function trails(change: (client: ReturnType<typeof cloudTrailClient>) => Promise<void>): Promise<void> {
      const client = cloudTrailClient(moto.endpoint, REGION);
      try {
        await change(client);
      } finally {
        client.destroy();
      }
    }
    const audit = async (out: string, checks = 'CloudTrail.1,CloudTrail.3,CloudTrail.4'): Promise<void> => {
      const result = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', REGION, '--checks', checks, '--output-dir', out, '--quiet'], { cwd: work });
      assert.ok(result.code === 0 || result.code === 1, `audit ran: ${result.stderr}`);
    };
    const diff = (args: readonly string[]): ReturnType<typeof runCli> => runCli(['diff', ...args], { cwd: work });

    it('lists the new failure, the fixed trail, the removed trail, and not as fixed what the next run did not evaluate', async () => {
      const s3 = s3Client(moto.endpoint, REGION);
      await s3.send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
      s3.destroy();
      // main: CloudTrail.4 FAIL (no validation); legacy: FAIL, removed before the second run.
      await trails(async (ct) => {
        await ct.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-logs', IsMultiRegionTrail: true }));
        await ct.send(new StartLoggingCommand({ Name: 'main' }));
        await ct.send(new CreateTrailCommand({ Name: 'legacy', S3BucketName: 'trail-logs' }));
      });
      await audit('run1');
      await trails(async (ct) => {
        await ct.send(new UpdateTrailCommand({ Name: 'main', EnableLogFileValidation: true }));
        await ct.send(new DeleteTrailCommand({ Name: 'legacy' }));
        await ct.send(new CreateTrailCommand({ Name: 'added', S3BucketName: 'trail-logs' }));
      });
      await audit('run2');

      const first = await diff(['run1/trailaudit.json', 'run2/trailaudit.json']);
      assert.equal(first.code, 0, first.stderr);
      const result = readDiff();
      const trail4 = (items: readonly DiffItem[]): string[] => items.filter((i) => i.control === 'CloudTrail.4').map(row).sort();
      assert.deepEqual(trail4(result.newFailures), [`CloudTrail.4 ${trailArn('added')} null->FAIL`]);
      assert.deepEqual(trail4(result.fixed), [`CloudTrail.4 ${trailArn('legacy')} FAIL->null resource_gone`, `CloudTrail.4 ${trailArn('main')} FAIL->PASS`]);
      assert.deepEqual(trail4(result.notEvaluated), []);
      assert.equal(result.summary.newFailures, result.newFailures.length);
      assert.equal(result.old.file, join(work, 'run1', 'trailaudit.json'));
      assert.match(first.stderr, /new failures/);
      const markdown = readFileSync(join(work, 'reports', 'trailaudit-diff.md'), 'utf8');
      assert.ok(markdown.indexOf('## New failures') < markdown.indexOf('## Fixed'));
      assert.ok(markdown.includes(trailArn('added')));

      // --fail-on-new: 1 for a new unsuppressed failure, 0 when nothing is new.
      assert.equal((await diff(['run1/trailaudit.json', 'run2/trailaudit.json', '--fail-on-new', '--quiet', '--output-dir', 'gate'])).code, 1);
      copyFileSync(join(work, 'run2', 'trailaudit.json'), join(work, 'run2-copy.json'));
      const same = await diff(['run2/trailaudit.json', 'run2-copy.json', '--fail-on-new', '--output-dir', 'same']);
      assert.equal(same.code, 0, same.stderr);
      const unchanged = readDiff('same');
      assert.equal(unchanged.newFailures.length + unchanged.fixed.length + unchanged.notEvaluated.length, 0);
      assert.ok(unchanged.stillFailing.some((i) => i.resourceId === trailArn('added')));

      // A third run of CloudTrail.1 only: the added trail's failure was not evaluated, not fixed.
      await audit('run3', 'CloudTrail.1');
      assert.equal((await diff(['run2/trailaudit.json', 'run3/trailaudit.json', '--output-dir', 'third', '--format', 'json'])).code, 0);
      const third = readDiff('third');
      assert.deepEqual(trail4(third.notEvaluated), [`CloudTrail.4 ${trailArn('added')} FAIL->null check_not_run`]);
      assert.deepEqual(trail4(third.fixed), []);
      assert.ok(!existsSync(join(work, 'third', 'trailaudit-diff.md')), '--format json writes no Markdown');

      // The other way round: OLD ran CloudTrail.1 only, so NEW's CloudTrail.4 failures are new to the
      // comparison; they still count for --fail-on-new (nothing shows they failed before), marked why.
      const widened = await diff(['run3/trailaudit.json', 'run2/trailaudit.json', '--fail-on-new', '--output-dir', 'widened']);
      assert.equal(widened.code, 1, widened.stderr);
      const wide = readDiff('widened');
      assert.deepEqual(
        wide.newFailures.filter((i) => i.control === 'CloudTrail.4').map((i) => `${i.resourceId} ${String(i.notEvaluatedBefore)}`),
        [`${trailArn('added')} check_not_run`],
      );
      assert.equal(wide.summary.newFailuresNotEvaluatedBefore, wide.newFailures.filter((i) => i.notEvaluatedBefore !== undefined).length);
      assert.ok(wide.newFailures.every((i) => i.control !== 'CloudTrail.1' || i.notEvaluatedBefore === undefined), 'CloudTrail.1 ran in OLD');
      assert.match(readFileSync(join(work, 'widened', 'trailaudit-diff.md'), 'utf8'), /OLD did not evaluate it \(check not run\)/u);
      assert.match(widened.stderr, /warning: OLD .* was collected after NEW/u, 'swapped order is pointed out');

      // One file given twice is a mistake, not an empty diff.
      const twice = await diff(['run2/trailaudit.json', './run2/trailaudit.json', '--output-dir', 'twice']);
      assert.equal(twice.code, 2, twice.stderr);
      assert.match(twice.stderr, /OLD and NEW are the same file/u);
      assert.ok(!existsSync(join(work, 'twice')), 'nothing written');
    });
  });

  describe('hand-made reports and bad input', () => {
    const write = (name: string, content: string): string => {
      mkdirSync(work, { recursive: true });
      writeFileSync(join(work, name), content);
      return name;
    };
    const trail = (suppressed: boolean): ReturnType<typeof makeFinding> =>
      makeFinding({
        checkId: 'CloudTrail.4',
        status: 'FAIL',
        resource: { type: 'AWS::CloudTrail::Trail', id: TRAIL_LEGACY, accountId: ACCOUNT, region: 'us-east-1' },
        ...(suppressed ? { suppressed: { reason: 'migration', expires: '2099-01-01', resource: TRAIL_LEGACY } } : {}),
      });

    it('a failure suppressed now is still failing, and a new suppressed failure does not fail --fail-on-new', async () => {
      const context = makeContext({ suppressions: [] });
      const pass = makeFinding({ checkId: 'CloudTrail.4', status: 'PASS', resource: trail(false).resource });
      const before = write('before.json', formatJson([trail(false)], context));
      const after = write('after.json', formatJson([trail(true)], context));
      const passed = write('passed.json', formatJson([pass], context));
      const still = await runCli(['diff', before, after, '--fail-on-new'], { cwd: work });
      assert.equal(still.code, 0, still.stderr);
      assert.deepEqual(readDiff().stillFailing.map((i) => [i.resourceId, i.suppressedAfter?.expires]), [[TRAIL_LEGACY, '2099-01-01']]);
      assert.equal(readDiff().fixed.length, 0);
      const accepted = await runCli(['diff', passed, after, '--fail-on-new', '--output-dir', 'accepted'], { cwd: work });
      assert.equal(accepted.code, 0, accepted.stderr);
      assert.equal(readDiff('accepted').summary.newFailures, 1);
      assert.equal(readDiff('accepted').summary.newUnsuppressedFailures, 0);
      assert.match(readFileSync(join(work, 'accepted', 'trailaudit-diff.md'), 'utf8'), /FAIL, suppressed until 2099-01-01/);
    });

    it('refuses to compare a live audit with a scan (exit 2, nothing written)', async () => {
      const live = write('live.json', formatJson([trail(false)], makeContext({ suppressions: [] })));
      const base = makeContext({ suppressions: [] });
      const scanned = write('scan.json', formatJson([trail(false)], makeContext({ suppressions: [], scope: { ...base.scope, source: 'cloudformation', inputs: ['template.yaml'] } })));
      const result = await runCli(['diff', live, scanned], { cwd: work });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /live\.json is a live audit and .*scan\.json is a scan \(cloudformation\)/u);
      assert.ok(!existsSync(join(work, 'reports')), 'nothing written');
    });

    for (const [name, content, expected] of [
      ['a missing file', null, /missing\.json: cannot read report/],
      ['a file that is not JSON', 'not json {', /notjson\.json: \$: not valid JSON/],
      ['JSON that is not a report', '{"findings": []}', /notreport\.json: \$\.schemaVersion/],
    ] as const) {
      it(`exits 2 naming the file for ${name}`, async () => {
        const good = write('good.json', formatJson([trail(false)], makeContext({ suppressions: [] })));
        const file = content === null ? 'missing.json' : write(name.includes('not JSON') ? 'notjson.json' : 'notreport.json', content);
        const result = await runCli(['diff', good, file], { cwd: work });
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, expected);
        assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
        assert.ok(!existsSync(join(work, 'reports')), 'nothing written');
      });
    }
  });
});
