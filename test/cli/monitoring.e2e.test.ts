/**
 * CloudWatch.1–14, CIS.4.15 and CIS.4.16 through the built CLI: `evaluate` on a snapshot (the live
 * readers of these kinds are other work; a snapshot holds what they collect), every report format,
 * `--framework` and its pattern set, `checks --format markdown` and `iam-policy`.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFacts } from '../../src/tester/facts.js';
import { parseXml } from '../report/xml.js';
import { sarifSchemaErrors } from '../report/sarifSchema.js';
import { runCli } from './runCli.js';

type Json = Record<string, unknown>;
interface ReportFinding {
  readonly checkId: string;
  readonly status: string;
  readonly reason: string | null;
  readonly message: string;
  readonly resource: { readonly id: string; readonly region: string };
  readonly evidence: Json;
}

const SH_CW5 = '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}';
const SUPERSET_CW5 = SH_CW5.replace('}', ' || ($.eventName=PutEventSelectors)}');
const SG = ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup', 'ModifySecurityGroupRules'];
const CIS3_CW10 = `{ ${SG.map((name) => `($.eventName = ${name})`).join(' || ')} }`;

/** One account: root-usage monitored, CloudTrail changes with a superset filter, CIS 3.0 security groups, Security Hub off in eu-west-1. */
const SNAPSHOT = buildFacts({
  regions: ['us-east-1', 'eu-west-1'],
  trails: [{ name: 'main' }],
  buckets: [{ name: 'trail-logs' }],
  logGroups: [
    {
      trail: 'main',
      filters: [
        { name: 'root', prescribed: 'CloudWatch.1' },
        { name: 'trail-changes', pattern: SUPERSET_CW5 },
        { name: 'sg', pattern: CIS3_CW10 },
      ],
    },
  ],
  alarms: [{ name: 'root' }, { name: 'trail-changes' }, { name: 'sg' }],
  topics: [{ name: 'security-alerts' }],
  securityHubs: [{ region: 'us-east-1' }, { region: 'eu-west-1', enabled: false }],
});

describe('monitoring checks through the CLI (evaluate, reports, --framework, catalogue, iam-policy)', function () {
  this.timeout(60_000);
  let work: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-monitoring-'));
    writeFileSync(join(work, 'facts.json'), JSON.stringify(SNAPSHOT));
  });

  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  const read = (file: string): string => readFileSync(join(work, 'out', file), 'utf8');
  const findings = (): ReportFinding[] => (JSON.parse(read('trailaudit.json')) as { findings: ReportFinding[] }).findings;

  it('gives one finding per account and control, the superset FAIL saying why, in every report format', async () => {
    const result = await runCli(
      ['evaluate', 'facts.json', '--checks', 'CloudWatch.1,CloudWatch.5,CloudWatch.10,CIS.4.15,CIS.4.16', '--format', 'json,junit,markdown,sarif,asff', '--output-dir', 'out'],
      { cwd: work },
    );
    assert.equal(result.code, 1, result.stderr);
    const all = findings();
    const byCheck = (id: string): ReportFinding[] => all.filter((finding) => finding.checkId === id);
    for (const id of ['CloudWatch.1', 'CloudWatch.5', 'CloudWatch.10', 'CIS.4.15']) {
      assert.equal(byCheck(id).length, 1, `${id}: one account finding, not one per monitoring item`);
      assert.equal(byCheck(id)[0]?.resource.id, '123456789012');
    }
    assert.equal(byCheck('CloudWatch.1')[0]?.status, 'PASS');
    const superset = byCheck('CloudWatch.5')[0];
    assert.ok(superset !== undefined);
    assert.equal(superset.status, 'FAIL');
    assert.match(superset.message, /Security Hub fails any filter that is not exactly the prescribed pattern/u);
    assert.match(superset.message, /PutEventSelectors/u);
    assert.equal(superset.evidence.filterName, 'trail-changes');
    // The CIS 3.0 security-group filter has one term more than Security Hub's (default pattern set).
    assert.equal(byCheck('CloudWatch.10')[0]?.status, 'FAIL');
    assert.equal(byCheck('CIS.4.15')[0]?.status, 'FAIL');
    assert.deepEqual(byCheck('CIS.4.16').map((finding) => [finding.resource.region, finding.status]).sort(), [
      ['eu-west-1', 'FAIL'],
      ['us-east-1', 'PASS'],
    ]);

    const asff = JSON.parse(read('trailaudit.asff.json')) as Json[];
    const compliance = (id: string): Json[] => asff.filter((finding) => String(finding.GeneratorId).endsWith(id)).map((finding) => finding.Compliance as Json);
    assert.equal(compliance('CloudWatch.5')[0]?.SecurityControlId, 'CloudWatch.5');
    for (const id of ['CIS.4.15', 'CIS.4.16']) {
      assert.ok(compliance(id).length > 0, id);
      assert.ok(compliance(id).every((entry) => !('SecurityControlId' in entry)), `${id} is no Security Hub control`);
    }
    for (const finding of asff) {
      for (const field of ['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'CreatedAt', 'UpdatedAt', 'Title', 'Description', 'Resources', 'Severity', 'Types']) {
        assert.ok(field in finding, `${field} missing in ${String(finding.Id)}`);
      }
      assert.ok(String(finding.Title).length <= 256 && String(finding.Description).length <= 1024);
    }
    assert.deepEqual(sarifSchemaErrors(JSON.parse(read('trailaudit.sarif'))), []);
    const junit = parseXml(read('trailaudit.junit.xml'));
    assert.ok(JSON.stringify(junit).includes('CloudWatch.5'));
    assert.match(read('trailaudit.md'), /CIS\.4\.16/u);
  });

  it('--framework cis-3.0 compares against the CIS 3.0 patterns and selects CIS.4.16', async () => {
    const result = await runCli(['evaluate', 'facts.json', '--framework', 'cis-3.0', '--format', 'json', '--output-dir', 'out'], { cwd: work });
    assert.ok(result.code === 1 || result.code === 3, result.stderr);
    const all = findings();
    const cw10 = all.find((finding) => finding.checkId === 'CloudWatch.10');
    assert.ok(cw10 !== undefined);
    assert.equal(cw10.status, 'PASS', cw10.message);
    assert.match(cw10.message, /cis-3\.0 pattern/u);
    assert.ok(all.some((finding) => finding.checkId === 'CIS.4.16'));
    assert.ok(all.some((finding) => finding.checkId === 'CIS.4.15'));
  });

  it('lists the new checks in the catalogue and their calls in the IAM policy', async () => {
    const catalogue = await runCli(['checks', '--format', 'markdown'], { cwd: work });
    assert.equal(catalogue.code, 0, catalogue.stderr);
    for (const id of [...Array.from({ length: 14 }, (_unused, index) => `CloudWatch.${String(index + 1)}`), 'CIS.4.15', 'CIS.4.16']) {
      assert.match(catalogue.stdout, new RegExp(`${id.replace(/\./gu, '\\.')}\\b`, 'u'), id);
    }
    const policy = await runCli(['iam-policy', '--checks', 'CloudWatch.5,CIS.4.16'], { cwd: work });
    assert.equal(policy.code, 0, policy.stderr);
    for (const action of ['logs:DescribeMetricFilters', 'cloudwatch:DescribeAlarms', 'sns:ListSubscriptionsByTopic', 'securityhub:DescribeHub', 'cloudtrail:GetEventSelectors']) {
      assert.ok(policy.stdout.includes(action), action);
    }
  });
});
