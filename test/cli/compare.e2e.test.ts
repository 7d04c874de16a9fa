/**
 * `trailaudit security-hub compare` end to end, as a user runs it: a real moto_server with trails,
 * `trailaudit audit` through the built CLI, Security Hub's own control findings seeded with
 * BatchImportFindings (moto accepts any product, so they carry Security Hub's ProductArn), agreeing
 * and disagreeing, plus noise the compare must ignore: another product, a control not audited, an
 * ARCHIVED finding, another account's finding and our own imported finding (moto returns them all,
 * whatever the filters).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { BatchImportFindingsCommand, EnableSecurityHubCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { cloudTrailClient, MOTO_ACCOUNT_ID, motoClientConfig, s3Client } from '../../support/moto/clients.js';
import { seedExampleOrganization } from '../../support/moto/exampleOrganization.js';
import { useMoto } from '../../support/moto/mocha.js';
import { memberCredentials } from '../../support/moto/organization.js';
import type { CompareResult } from '../../src/securityhub/compareTypes.js';
import { compileCompareSchema } from '../securityhub/compareSchema.js';
import { runCli } from './runCli.js';

const REGION = 'us-east-1';
const OTHER_ACCOUNT = '210987654321';
const PRODUCT = `arn:aws:securityhub:${REGION}::product/aws/securityhub`;
const trailArn = (name: string): string => `arn:aws:cloudtrail:${REGION}:${MOTO_ACCOUNT_ID}:trail/${name}`;
/** Before any audit of this test run: Security Hub's verdict predates ours. */
const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString();

let sequence = 0;
function controlFinding(control: string, status: 'PASSED' | 'FAILED', resource: { Type: string; Id: string }, extra: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding {
  sequence += 1;
  const account = extra.AwsAccountId ?? MOTO_ACCOUNT_ID;
  return {
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:securityhub:${REGION}:${account}:security-control/${control}/finding/e2e-${String(sequence)}`,
    ProductArn: PRODUCT,
    ProductName: 'Security Hub',
    GeneratorId: `security-control/${control}`,
    AwsAccountId: account,
    Region: REGION,
    CreatedAt: YESTERDAY,
    UpdatedAt: YESTERDAY,
    Title: control,
    Description: `${control} control finding`,
    Severity: { Label: 'MEDIUM' },
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    RecordState: 'ACTIVE',
    Compliance: { Status: status, SecurityControlId: control },
    Resources: [resource],
    ...extra,
  };
}

const accountResource = { Type: 'AwsAccount', Id: `AWS::::Account:${MOTO_ACCOUNT_ID}` };
const trailResource = (name: string): { Type: string; Id: string } => ({ Type: 'AwsCloudTrailTrail', Id: trailArn(name) });

describe('security-hub compare (CLI end to end against moto)', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let work: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-compare-'));
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  /** A logging multi-Region trail without validation (CloudTrail.4 FAIL) and a stopped single-Region one with it (PASS). */
  async function seedTrails(): Promise<void> {
    const s3 = s3Client(moto.endpoint, REGION);
    const cloudtrail = cloudTrailClient(moto.endpoint, REGION);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
      await cloudtrail.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-logs', IsMultiRegionTrail: true }));
      await cloudtrail.send(new StartLoggingCommand({ Name: 'main' }));
      await cloudtrail.send(new CreateTrailCommand({ Name: 'legacy', S3BucketName: 'trail-logs', EnableLogFileValidation: true }));
    } finally {
      s3.destroy();
      cloudtrail.destroy();
    }
  }

  async function seedSecurityHub(findings: AwsSecurityFinding[]): Promise<void> {
    const hub = new SecurityHubClient(motoClientConfig(moto.endpoint, REGION));
    try {
      await hub.send(new EnableSecurityHubCommand({}));
      const answer = await hub.send(new BatchImportFindingsCommand({ Findings: findings }));
      assert.equal(answer.FailedCount, 0);
    } finally {
      hub.destroy();
    }
  }

  const audit = async (): Promise<void> => {
    const result = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', REGION, '--checks', 'CloudTrail.1,CloudTrail.3,CloudTrail.4', '--output-dir', 'out', '--quiet'], { cwd: work });
    assert.ok(result.code === 0 || result.code === 1, `audit ran: ${result.stderr}`);
  };
  const compare = (extra: readonly string[] = []): ReturnType<typeof runCli> =>
    runCli(['security-hub', 'compare', join('out', 'trailaudit.json'), '--endpoint-url', moto.endpoint, '--output-dir', 'cmp', ...extra], { cwd: work });
  const readResult = (): CompareResult => JSON.parse(readFileSync(join(work, 'cmp', 'trailaudit-compare.json'), 'utf8')) as CompareResult;

  const AGREEING_AND_DISAGREEING = (): AwsSecurityFinding[] => [
    controlFinding('CloudTrail.1', 'FAILED', accountResource),
    controlFinding('CloudTrail.3', 'PASSED', accountResource),
    controlFinding('CloudTrail.4', 'FAILED', trailResource('main')),
    controlFinding('CloudTrail.4', 'FAILED', trailResource('legacy')),
  ];
  const NOISE = (): AwsSecurityFinding[] => [
    // Another product's verdict on a trail we judge.
    controlFinding('CloudTrail.4', 'PASSED', trailResource('main'), { ProductArn: `arn:aws:securityhub:${REGION}::product/prowler/prowler`, ProductName: 'Prowler' }),
    // A control this audit did not run, and one outside our controls altogether.
    controlFinding('CloudTrail.2', 'FAILED', trailResource('main')),
    controlFinding('IAM.1', 'FAILED', accountResource),
    // A resolved finding of a deleted trail.
    controlFinding('CloudTrail.4', 'PASSED', trailResource('deleted'), { RecordState: 'ARCHIVED' }),
    // Another account's finding (an aggregation copy).
    controlFinding('CloudTrail.4', 'PASSED', { Type: 'AwsCloudTrailTrail', Id: `arn:aws:cloudtrail:${REGION}:${OTHER_ACCOUNT}:trail/x` }, { AwsAccountId: OTHER_ACCOUNT }),
    // trailaudit's own imported finding: the custom product, not Security Hub's verdict.
    controlFinding('CloudTrail.4', 'PASSED', trailResource('main'), {
      ProductArn: `arn:aws:securityhub:${REGION}:${MOTO_ACCOUNT_ID}:product/${MOTO_ACCOUNT_ID}/default`,
      GeneratorId: 'trailaudit/CloudTrail.4',
      Id: `trailaudit/CloudTrail.4/${MOTO_ACCOUNT_ID}/${REGION}/${trailArn('main')}`,
    }),
  ];

  it('reports agreements and disagreements with their known reasons, and ignores the noise', async () => {
    await seedTrails();
    await audit();
    await seedSecurityHub([...AGREEING_AND_DISAGREEING(), ...NOISE()]);
    const result = await compare();
    assert.equal(result.code, 0, result.stderr);
    const compared = readResult();
    const validate = compileCompareSchema();
    assert.equal(validate(compared), true, JSON.stringify(validate.errors));
    assert.deepEqual(
      compared.rows.map((row) => [row.control, row.resourceId, row.region, row.trailaudit, row.securityHub, row.agree, row.knownReason?.code ?? null]),
      [
        // The default selector passes CloudTrail.1 for us; the seeded Security Hub fails it.
        ['CloudTrail.1', MOTO_ACCOUNT_ID, REGION, 'PASS', 'FAILED', false, 'default_event_selector'],
        ['CloudTrail.3', MOTO_ACCOUNT_ID, REGION, 'PASS', 'PASSED', true, null],
        ['CloudTrail.4', trailArn('legacy'), REGION, 'PASS', 'FAILED', false, 'stale'],
        ['CloudTrail.4', trailArn('main'), REGION, 'FAIL', 'FAILED', true, null],
      ],
    );
    assert.deepEqual(compared.summary, { rows: 4, agree: 2, disagree: 2, inconclusive: 0, onlyTrailaudit: 0, onlySecurityHub: 0, unreadable: 0 });
    assert.deepEqual(compared.scope.controls, ['CloudTrail.1', 'CloudTrail.3', 'CloudTrail.4']);
    assert.deepEqual(compared.scope.unreadable, []);
    // Our evidence rides on the disagreement.
    const legacy = compared.rows.find((row) => row.resourceId === trailArn('legacy'));
    assert.deepEqual(legacy?.evidence, { logFileValidationEnabled: true, homeRegion: REGION });
    const markdown = readFileSync(join(work, 'cmp', 'trailaudit-compare.md'), 'utf8');
    assert.ok(markdown.indexOf('## Disagreements (2)') < markdown.indexOf('## Agreements (2)'), 'disagreements first');
    assert.match(markdown, /default_event_selector/u);
    assert.match(result.stderr, /compared 4 rows with Security Hub: 2 agree, 2 disagree/u);
  });

  it("names each passing trail's own selector (advanced wins), and lists Security Hub's findings without a resource id instead of making a row of them", async () => {
    await seedTrails();
    // A second multi-Region trail that logs management events through advanced selectors.
    const cloudtrail = cloudTrailClient(moto.endpoint, REGION);
    try {
      await cloudtrail.send(new CreateTrailCommand({ Name: 'adv', S3BucketName: 'trail-logs', IsMultiRegionTrail: true }));
      await cloudtrail.send(new PutEventSelectorsCommand({ TrailName: 'adv', AdvancedEventSelectors: [{ Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] }));
      await cloudtrail.send(new StartLoggingCommand({ Name: 'adv' }));
    } finally {
      cloudtrail.destroy();
    }
    await audit();
    const blank = controlFinding('CloudTrail.4', 'FAILED', { Type: 'AwsCloudTrailTrail', Id: '' });
    await seedSecurityHub([controlFinding('CloudTrail.1', 'FAILED', accountResource), blank]);
    const result = await compare();
    assert.equal(result.code, 0, result.stderr);
    const compared = readResult();
    const validate = compileCompareSchema();
    assert.equal(validate(compared), true, JSON.stringify(validate.errors));
    const ct1 = compared.rows.find((row) => row.control === 'CloudTrail.1');
    assert.deepEqual([ct1?.trailaudit, ct1?.securityHub, ct1?.knownReason?.code], ['PASS', 'FAILED', 'advanced_event_selector']);
    const explanation = ct1?.knownReason?.explanation ?? '';
    assert.ok(explanation.includes(`${trailArn('adv')} passes through advanced event selectors`), explanation);
    assert.ok(explanation.includes(`${trailArn('main')} passes through the AWS default event selector`), explanation);
    assert.doesNotMatch(explanation, /adv\) has no custom event selectors/u);
    // The finding with Resources[0].Id "" is never a row; its id is listed and counted.
    assert.ok(compared.rows.every((row) => row.resourceId !== ''), JSON.stringify(compared.rows.map((row) => row.resourceId)));
    assert.deepEqual(compared.scope.withoutResourceId, [blank.Id]);
    assert.match(result.stderr, /1 Security Hub finding without a resource id \(Resources\[0\]\.Id empty\) not compared/u);
    assert.match(readFileSync(join(work, 'cmp', 'trailaudit-compare.md'), 'utf8'), /## Security Hub findings without a resource id \(1\)/u);
  });

  it('pages through more than 100 Security Hub findings, and exits 1 on a disagreement only when asked', async () => {
    await seedTrails();
    await audit();
    // 150 findings of other resources (Security Hub's verdicts on trails this audit did not see) plus the four above.
    const many = Array.from({ length: 150 }, (_, index) => controlFinding('CloudTrail.4', 'PASSED', trailResource(`other-${String(index)}`)));
    await seedSecurityHub([...AGREEING_AND_DISAGREEING(), ...many]);
    const result = await compare(['--fail-on-disagreement', '--format', 'json']);
    assert.equal(result.code, 1, result.stderr);
    const compared = readResult();
    assert.equal(compared.summary.onlySecurityHub, 150);
    assert.equal(compared.summary.disagree, 2);
    assert.equal(existsSync(join(work, 'cmp', 'trailaudit-compare.md')), false, '--format json writes only the JSON');
  });

  it('exits 2 and says UNREADABLE where Security Hub cannot be read (an account without a role), still writing the reports', async () => {
    await seedTrails();
    await audit();
    await seedSecurityHub(AGREEING_AND_DISAGREEING());
    // The report claims a second audited account; no --role-name reaches it.
    const file = join(work, 'out', 'trailaudit.json');
    const report = JSON.parse(readFileSync(file, 'utf8')) as { scope: { accounts: string[] }; findings: { checkId: string; resource: { accountId: string } }[] };
    report.scope.accounts.push(OTHER_ACCOUNT);
    const ct1 = report.findings.find((finding) => finding.checkId === 'CloudTrail.1');
    assert.ok(ct1);
    report.findings.push({ ...ct1, resource: { ...ct1.resource, accountId: OTHER_ACCOUNT, id: OTHER_ACCOUNT } } as (typeof report.findings)[number]);
    writeFileSync(file, JSON.stringify(report));
    const result = await compare();
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`${OTHER_ACCOUNT}, ${REGION}: no_role`, 'u'));
    const compared = readResult();
    const other = compared.rows.filter((row) => row.accountId === OTHER_ACCOUNT);
    assert.deepEqual(
      other.map((row) => [row.control, row.securityHub, row.comparison, row.agree]),
      [['CloudTrail.1', 'UNREADABLE', 'unreadable', null]],
    );
    // The caller's own account is still compared.
    assert.equal(compared.summary.agree + compared.summary.disagree, 4);
    // --quiet drops the summary, not the reason for exit 2.
    const quiet = await compare(['--quiet']);
    assert.equal(quiet.code, 2);
    assert.match(quiet.stderr, new RegExp(`could not be read in account ${OTHER_ACCOUNT}, ${REGION}: no_role`, 'u'));
    assert.doesNotMatch(quiet.stderr, /compared \d+ rows/u);
    // The no_role message names --security-hub-role-name first: compare takes it (as import does).
    assert.match(result.stderr, /--security-hub-role-name, or --role-name/u);
    const withRole = await compare(['--security-hub-role-name', 'OrganizationAccountAccessRole']);
    assert.doesNotMatch(withRole.stderr, /unknown option/u);
    const reached = readResult().scope.unreadable.filter((target) => target.accountId === OTHER_ACCOUNT);
    assert.ok(reached.every((target) => target.code !== 'no_role'), `the role was used: ${JSON.stringify(reached)}`);
    // Two different roles: refused before anything is read.
    const conflicting = await compare(['--role-name', 'A', '--security-hub-role-name', 'B']);
    assert.equal(conflicting.code, 2);
    assert.match(conflicting.stderr, /different roles/u);
  });

  it("reads each member's Security Hub through the organization audit's role, and explains a member passed by the organization trail", async () => {
    const org = await seedExampleOrganization(moto.endpoint);
    const audited = await runCli(
      ['audit', '--org', '--endpoint-url', moto.endpoint, '--regions', REGION, '--checks', 'CloudTrail.1', '--output-dir', 'out', '--quiet'],
      { cwd: work },
    );
    assert.ok(audited.code === 0 || audited.code === 1, audited.stderr);
    // Each account's own Security Hub (moto keeps accounts apart) fails CloudTrail.1.
    for (const account of [org.management, org.logArchive, org.prod, org.sandbox]) {
      const credentials = account.id === org.management.id ? undefined : await memberCredentials(moto.endpoint, account.id);
      const hub = new SecurityHubClient({ ...motoClientConfig(moto.endpoint, REGION), ...(credentials === undefined ? {} : { credentials }) });
      try {
        const answer = await hub.send(
          new BatchImportFindingsCommand({ Findings: [controlFinding('CloudTrail.1', 'FAILED', { Type: 'AwsAccount', Id: `AWS::::Account:${account.id}` }, { AwsAccountId: account.id })] }),
        );
        assert.equal(answer.FailedCount, 0);
      } finally {
        hub.destroy();
      }
    }
    const result = await compare();
    assert.equal(result.code, 0, result.stderr);
    const rows = readResult().rows.map((row) => [row.accountId, row.trailaudit, row.securityHub, row.knownReason?.code ?? null]);
    // The sandbox has no trail of its own: only the management account's organization trail passes it.
    assert.deepEqual(
      rows.find(([accountId]) => accountId === org.sandbox.id),
      [org.sandbox.id, 'PASS', 'FAILED', 'organization_trail'],
    );
    assert.deepEqual(rows.map(([accountId]) => accountId).sort(), [org.management.id, org.logArchive.id, org.prod.id, org.sandbox.id].sort());
    assert.ok(rows.every(([, ours, theirs]) => ours === 'PASS' && theirs === 'FAILED'), JSON.stringify(rows));
  });

  it("explains a log bucket of another account in one sentence, in the Region of Security Hub's copy", async () => {
    const org = await seedExampleOrganization(moto.endpoint);
    // The management account alone: the organization trail's bucket is the log-archive account's.
    const audited = await runCli(['audit', '--endpoint-url', moto.endpoint, '--regions', REGION, '--checks', 'CloudTrail.6', '--output-dir', 'out', '--quiet'], { cwd: work });
    assert.ok(audited.code === 0 || audited.code === 1 || audited.code === 3, audited.stderr);
    const bucketArn = `arn:aws:s3:::${org.organizationTrail.bucket}`;
    await seedSecurityHub([controlFinding('CloudTrail.6', 'PASSED', { Type: 'AwsS3Bucket', Id: bucketArn }, { AwsAccountId: org.management.id })]);
    const result = await compare();
    assert.equal(result.code, 0, result.stderr);
    const row = readResult().rows.find((candidate) => candidate.resourceId === bucketArn);
    assert.ok(row, JSON.stringify(readResult().rows));
    assert.deepEqual([row.accountId, row.region, row.trailaudit, row.securityHub, row.reason], [org.management.id, REGION, 'UNKNOWN', 'PASSED', 'cross_account']);
    assert.equal(row.knownReason?.code, 'cross_account_bucket');
    assert.equal(
      row.knownReason.explanation,
      `The log bucket ${bucketArn} could not be placed in an audited account, while the trails writing to it are in account ${org.management.id}; Security Hub evaluates a bucket only in the account that owns it.`,
    );
  });

  it('exits 2 on a report that is not a trailaudit.json, without writing anything', async () => {
    writeFileSync(join(work, 'broken.json'), '{"schemaVersion": 1}');
    const result = await runCli(['security-hub', 'compare', 'broken.json', '--endpoint-url', moto.endpoint, '--output-dir', 'cmp'], { cwd: work });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /broken\.json/u);
    assert.doesNotMatch(result.stderr, /\n\s+at /u, 'no stack trace');
    assert.equal(existsSync(join(work, 'cmp')), false);
  });

  it('exits 2 on the report of an infrastructure-code scan: Security Hub judges live accounts', async () => {
    const template = fileURLToPath(new URL('../fixtures/cloudformation/compliant.yaml', import.meta.url));
    const scanned = await runCli(['scan', template, '--format', 'json', '--output-dir', 'out', '--quiet'], { cwd: work });
    assert.ok(existsSync(join(work, 'out', 'trailaudit.json')), scanned.stderr);
    const result = await compare();
    assert.equal(result.code, 2);
    assert.match(result.stderr, /infrastructure-code scan/u);
    assert.equal(existsSync(join(work, 'cmp')), false);
  });
});
