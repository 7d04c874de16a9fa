/**
 * The CLI end to end, as a user runs it: the built `bin/trailaudit.js` against a real moto_server,
 * checking files written, exit codes 0/1/2/3, malformed configuration, snapshots and baselines.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv } from 'ajv';
import {
  AddTagsCommand,
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutBucketAclCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_CREDENTIALS } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { BUILT_IN_CHECK_IDS } from '../helpers/builtInChecks.js';
import { runCli } from './runCli.js';

interface ReportFinding {
  control: string;
  status: string;
  reason: string | null;
  suppressed: { reason: string; expires: string } | null;
  resource: { id: string; region: string; type: string };
}
interface Report {
  summary: Record<string, number>;
  stats: { apiCalls: Record<string, number> };
  findings: ReportFinding[];
}

const REPO = new URL('../../', import.meta.url);

function readReport(dir: string): Report {
  return JSON.parse(readFileSync(join(dir, 'trailaudit.json'), 'utf8')) as Report;
}

function validateReport(data: unknown): void {
  const schema = JSON.parse(readFileSync(new URL('schemas/report.schema.json', REPO), 'utf8')) as { $schema?: string };
  const ajv = schema.$schema?.includes('2020-12') === true ? new Ajv2020({ strict: false, validateFormats: false }) : new Ajv({ strict: false, validateFormats: false });
  const validate = ajv.compile(schema);
  assert.equal(validate(data), true, JSON.stringify(validate.errors, null, 2));
}

function find(report: Report, control: string, idPart: string, region?: string): ReportFinding {
  const found = report.findings.filter(
    (finding) => finding.control === control && finding.resource.id.includes(idPart) && (region === undefined || finding.resource.region === region),
  );
  assert.equal(found.length, 1, `expected one ${control} finding for ${idPart}, got ${JSON.stringify(report.findings.filter((f) => f.control === control))}`);
  return found[0]!;
}

describe('CLI end to end against moto', function () {
  this.timeout(60_000);
  const moto = useMoto();
  let work: string;

  const clients = (region: string): { trail: CloudTrailClient; s3: S3Client } => ({
    trail: new CloudTrailClient({ region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS }),
    s3: new S3Client({ region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, forcePathStyle: true }),
  });

  /** A compliant multi-Region trail homed in us-east-1 and a legacy single-Region trail in eu-west-1. */
  async function seedAccount(): Promise<void> {
    const east = clients('us-east-1');
    const west = clients('eu-west-1');
    await east.s3.send(new CreateBucketCommand({ Bucket: 'org-trail-logs' }));
    await east.s3.send(new CreateBucketCommand({ Bucket: 'legacy-trail-logs' }));
    await east.s3.send(new PutBucketAclCommand({ Bucket: 'legacy-trail-logs', ACL: 'public-read' }));
    const main = await east.trail.send(
      new CreateTrailCommand({
        Name: 'main',
        S3BucketName: 'org-trail-logs',
        IsMultiRegionTrail: true,
        EnableLogFileValidation: true,
        KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
        CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:trail:*',
        CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/trail-logs',
      }),
    );
    await east.trail.send(new StartLoggingCommand({ Name: 'main' }));
    await east.trail.send(new AddTagsCommand({ ResourceId: main.TrailARN, TagsList: [{ Key: 'owner', Value: 'security' }] }));
    await west.trail.send(new CreateTrailCommand({ Name: 'legacy-west', S3BucketName: 'legacy-trail-logs' }));
    await west.trail.send(
      new PutEventSelectorsCommand({
        TrailName: 'legacy-west',
        EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }],
      }),
    );
  }

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-cli-'));
  });

  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  const audit = (extra: string[]): ReturnType<typeof runCli> =>
    runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1,eu-west-1', '--output-dir', 'out', ...extra], { cwd: work });

  it('writes JSON, JUnit and Markdown with the verdicts of Security Hub and exits 1 on failures', async () => {
    await seedAccount();
    const result = await audit(['--format', 'json,junit,markdown,asff']);
    assert.equal(result.code, 1, result.stderr);
    const out = join(work, 'out');
    assert.deepEqual(readdirSync(out).sort(), ['trailaudit.asff.json', 'trailaudit.json', 'trailaudit.junit.xml', 'trailaudit.md']);
    const asff = JSON.parse(readFileSync(join(out, 'trailaudit.asff.json'), 'utf8')) as { Compliance: { Status: string }; GeneratorId: string }[];
    assert.ok(asff.some((finding) => finding.GeneratorId === 'trailaudit/CloudTrail.4' && finding.Compliance.Status === 'FAILED'));
    const report = readReport(out);
    validateReport(report);
    for (const finding of report.findings) {
      assert.equal(typeof finding.control, 'string');
      assert.equal(typeof finding.status, 'string');
      assert.ok('suppressed' in finding);
      assert.equal(typeof finding.resource.id, 'string');
      assert.equal(typeof finding.resource.region, 'string');
    }
    assert.equal(find(report, 'CloudTrail.1', '123456789012').status, 'PASS');
    assert.equal(find(report, 'CloudTrail.3', '123456789012', 'eu-west-1').status, 'PASS');
    assert.equal(find(report, 'CloudTrail.4', 'trail/main').status, 'PASS');
    assert.equal(find(report, 'CloudTrail.4', 'trail/legacy-west').status, 'FAIL');
    assert.equal(find(report, 'CloudTrail.2', 'trail/legacy-west').status, 'FAIL');
    assert.equal(find(report, 'CloudTrail.9', 'trail/main').status, 'PASS');
    assert.equal(find(report, 'CloudTrail.6', 'legacy-trail-logs').status, 'FAIL');
    assert.equal(find(report, 'CloudTrail.6', 'org-trail-logs').status, 'PASS');
    // The multi-Region trail is listed from both Regions but evaluated once.
    assert.equal(report.findings.filter((f) => f.control === 'CloudTrail.4').length, 2);
    assert.match(result.stderr, /report: .*trailaudit\.json/u);
  });

  it('exits 0 when nothing fails at or above the threshold, and 3 when verdicts are UNKNOWN', async () => {
    await seedAccount();
    const clean = await audit(['--checks', 'CloudTrail.1,CloudTrail.3', '--format', 'json']);
    assert.equal(clean.code, 0, clean.stderr);
    // moto does not implement CloudTrail Lake: CloudTrail.10 cannot be determined there.
    const incomplete = await audit(['--checks', 'CloudTrail.10', '--format', 'json']);
    assert.equal(incomplete.code, 3, incomplete.stderr);
    const report = readReport(join(work, 'out'));
    assert.ok(report.findings.length > 0);
    assert.ok(report.findings.every((finding) => finding.status === 'UNKNOWN'));
    const allowed = await audit(['--checks', 'CloudTrail.10', '--format', 'json', '--allow-unknown']);
    assert.equal(allowed.code, 0);
    const threshold = await audit(['--checks', 'CloudTrail.4', '--format', 'json', '--fail-on', 'medium']);
    assert.equal(threshold.code, 0, 'a LOW failure does not fail a --fail-on medium run');
  });

  it('applies suppressions from rules.yaml, and ignores and reports expired ones', async () => {
    await seedAccount();
    // Within the default one-year suppression horizon, whenever the test runs.
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(
      join(work, 'rules.yaml'),
      [
        'version: 1',
        'suppressions:',
        '  - check: CloudTrail.4',
        '    resource: "arn:aws:cloudtrail:*:*:trail/legacy-*"',
        '    reason: legacy trail, replaced in Q3 (SEC-123)',
        `    expires: ${expires}`,
        '  - check: CloudTrail.2',
        '    resource: "*legacy-west"',
        '    reason: expired exception',
        '    expires: 2020-01-01',
      ].join('\n'),
    );
    const result = await audit(['--checks', 'CloudTrail.2,CloudTrail.4', '--format', 'json,markdown']);
    assert.equal(result.code, 1, 'the expired suppression must not hide the CloudTrail.2 failure');
    const report = readReport(join(work, 'out'));
    const suppressed = find(report, 'CloudTrail.4', 'legacy-west');
    assert.equal(suppressed.status, 'FAIL', 'a suppression never changes the status');
    assert.equal(suppressed.suppressed?.expires, expires);
    assert.equal(find(report, 'CloudTrail.2', 'legacy-west').suppressed, null);
    const markdown = readFileSync(join(work, 'out', 'trailaudit.md'), 'utf8');
    assert.match(markdown, /expired/iu);
    assert.match(markdown, /2020-01-01/u);
  });

  it('rejects a malformed rules.yaml with file, line and column, exit 2, and leaves reports untouched', async () => {
    await seedAccount();
    mkdirSync(join(work, 'out'));
    writeFileSync(join(work, 'out', 'trailaudit.json'), 'previous report');
    writeFileSync(join(work, 'bad.yaml'), 'version: 1\nchecks:\n  CloudTrail.9:\n    parameters:\n      requiredTagKeys: owner\n');
    const result = await audit(['--rules', 'bad.yaml']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad\.yaml:5:24: checks\.CloudTrail\.9\.parameters\.requiredTagKeys: expected a list of strings/u);
    assert.equal(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8'), 'previous report');

    writeFileSync(join(work, 'syntax.yaml'), 'version: 1\nchecks: [unclosed\n');
    const syntax = await audit(['--rules', 'syntax.yaml']);
    assert.equal(syntax.code, 2);
    assert.match(syntax.stderr, /syntax\.yaml:\d+:\d+: invalid YAML/u);

    const missing = await audit(['--rules', 'nope.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.yaml: cannot read rules file/u);
  });

  it('rejects a malformed check file with its location, exit 2', async () => {
    const checksDir = join(work, 'checks');
    cpSync(new URL('checks/', REPO), checksDir, { recursive: true });
    const file = join(checksDir, 'cloudtrail', 'CloudTrail.4.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('assert: { path: logFileValidationEnabled, op: eq,', 'assert: { path: logFileValidationEnabled, op: equals,'));
    const result = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1', '--checks-dir', 'checks'], { cwd: work });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /CloudTrail\.4\.yaml:\d+:\d+: assert\.op: expected one of "eq"/u);
    assert.equal(existsSync(join(work, 'reports')), false, 'nothing is written on bad input');
  });

  it('rejects a --checks-dir check with a misspelled fact path (a false PASS on a public bucket before), exit 2, report untouched', async () => {
    await seedAccount();
    const checksDir = join(work, 'checks');
    cpSync(new URL('checks/', REPO), checksDir, { recursive: true });
    const file = join(checksDir, 'cloudtrail', 'CloudTrail.6.yaml');
    const shipped = readFileSync(file, 'utf8');
    writeFileSync(file, shipped.replace('assert: { path: publicAccess.isPublic, op: eq, value: false }', 'assert: { path: publicAcess.isPublic, op: ne, value: true }'));
    mkdirSync(join(work, 'out'));
    writeFileSync(join(work, 'out', 'trailaudit.json'), 'previous report');
    const result = await audit(['--checks-dir', 'checks', '--checks', 'CloudTrail.6', '--format', 'json']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /CloudTrail\.6\.yaml:15:17: assert\.path: unknown fact path "publicAcess\.isPublic": .*did you mean "publicAccess"\?/u);
    assert.equal(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8'), 'previous report');
  });

  it('audits an emulator with no credentials anywhere, through AWS_ENDPOINT_URL', async () => {
    await seedAccount();
    const result = await runCli(['audit', '--regions', 'us-east-1', '--checks', 'CloudTrail.4', '--format', 'json', '--output-dir', 'out'], {
      cwd: work,
      env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_REGION: undefined, AWS_ENDPOINT_URL: moto.endpoint },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(find(readReport(join(work, 'out')), 'CloudTrail.4', 'trail/main').status, 'PASS');
  });

  it('rejects bad usage with exit 2', async () => {
    assert.equal((await runCli(['audit', '--format', 'pdf'], { cwd: work })).code, 2);
    assert.equal((await runCli(['audit', '--regions', 'mars-north-1x'], { cwd: work })).code, 2);
    assert.equal((await runCli(['audit', '--checks', 'CloudTrail.8', '--endpoint-url', moto.endpoint], { cwd: work })).code, 2);
    assert.equal((await runCli(['no-such-command'], { cwd: work })).code, 2);
    assert.equal((await runCli(['--help'], { cwd: work })).code, 0);
  });

  it('lists the exit codes in the help of audit and evaluate', async () => {
    for (const command of ['audit', 'evaluate']) {
      const help = await runCli([command, '--help'], { cwd: work });
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Exit codes:\n {2}0 {2}nothing failing[^\n]*\n {2}1 [^\n]*\n {2}2 [^\n]*\n {2}3 {2}[^\n]*UNKNOWN/, command);
    }
  });

  it('saves a snapshot that `evaluate` re-evaluates offline to the same verdicts', async () => {
    await seedAccount();
    const audited = await audit(['--format', 'json', '--save-snapshot', 'facts.json']);
    assert.equal(audited.code, 1);
    const live = readReport(join(work, 'out'));
    await moto.server.reset(); // the snapshot must not need AWS
    const evaluated = await runCli(['evaluate', 'facts.json', '--format', 'json', '--output-dir', 'offline'], { cwd: work });
    assert.equal(evaluated.code, 1, evaluated.stderr);
    const offline = readReport(join(work, 'offline'));
    const verdicts = (report: Report): string[] => report.findings.map((f) => `${f.control} ${f.resource.id} ${f.resource.region} ${f.status}`);
    assert.deepEqual(verdicts(offline), verdicts(live));

    writeFileSync(join(work, 'broken.json'), '{"schemaVersion": 1, "trails": []}');
    const broken = await runCli(['evaluate', 'broken.json'], { cwd: work });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.json/u);
  });

  it('adds "changes since last audit" with --baseline: new failures, fixed, still failing', async () => {
    await seedAccount();
    await audit(['--checks', 'CloudTrail.2,CloudTrail.4', '--format', 'json', '--output-dir', 'before']);
    const west = clients('eu-west-1');
    // Fix one failure and introduce another between the two audits.
    await west.trail.send(new UpdateTrailCommand({ Name: 'legacy-west', EnableLogFileValidation: true }));
    await west.trail.send(new CreateTrailCommand({ Name: 'newcomer', S3BucketName: 'legacy-trail-logs' }));
    const result = await audit(['--checks', 'CloudTrail.2,CloudTrail.4', '--format', 'markdown', '--baseline', join('before', 'trailaudit.json')]);
    assert.equal(result.code, 1);
    const markdown = readFileSync(join(work, 'out', 'trailaudit.md'), 'utf8');
    // --format markdown alone still writes the JSON evidence the Markdown cites by its SHA-256.
    const evidence = createHash('sha256').update(readFileSync(join(work, 'out', 'trailaudit.json'))).digest('hex');
    assert.ok(markdown.includes(evidence), 'the Markdown names the SHA-256 of the trailaudit.json written beside it');
    const changes = markdown.slice(markdown.search(/#+ Changes since last audit/iu));
    assert.notEqual(markdown.search(/#+ Changes since last audit/iu), -1);
    const section = (title: RegExp): string => {
      const start = changes.search(title);
      assert.notEqual(start, -1, `no ${String(title)} in ${changes}`);
      const rest = changes.slice(start + 1);
      const end = rest.search(/\n#+ /u);
      return end === -1 ? rest : rest.slice(0, end);
    };
    assert.match(section(/\n#+ New failures/iu), /CloudTrail\.4[^\n]*newcomer|newcomer[^\n]*CloudTrail\.4/u);
    assert.match(section(/\n#+ Fixed/iu), /CloudTrail\.4[^\n]*legacy-west/u);
    assert.match(section(/\n#+ Still failing/iu), /CloudTrail\.2[^\n]*legacy-west/u);
    const bad = await audit(['--format', 'markdown', '--baseline', 'missing.json']);
    assert.equal(bad.code, 2);
  });

  it('prints an IAM policy that covers every API call the audit makes', async () => {
    await seedAccount();
    const result = await audit(['--format', 'json']);
    assert.notEqual(result.code, 2);
    const calls = Object.keys(readReport(join(work, 'out')).stats.apiCalls);
    assert.ok(calls.length >= 10, `expected a full audit, got ${calls.join(', ')}`);
    const policy = await runCli(['iam-policy'], { cwd: work });
    assert.equal(policy.code, 0);
    const document = JSON.parse(policy.stdout) as { Statement: { Action: string[]; Effect: string }[] };
    const allowed = new Set(document.Statement.flatMap((statement) => statement.Action));
    for (const call of calls) {
      assert.ok(allowed.has(call), `${call} is called but not in the IAM policy`);
    }
    assert.ok([...allowed].every((action) => /^[a-z0-9]+:(Get|List|Describe)/u.test(action)), 'read-only actions only');
  });

  it('prints the check catalogue, also as Markdown', async () => {
    const text = await runCli(['checks'], { cwd: work });
    assert.equal(text.code, 0);
    const ids = text.stdout.trim().split('\n').map((line) => line.split(/\s+/u)[0]);
    assert.deepEqual(ids, BUILT_IN_CHECK_IDS);
    const markdown = await runCli(['checks', '--format', 'markdown'], { cwd: work });
    assert.match(markdown.stdout, /^### CloudTrail\.6$/mu);
    assert.match(markdown.stdout, /s3:GetBucketAcl/u);
  });
});
