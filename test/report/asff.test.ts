import { strict as assert } from 'node:assert';
import { formatAsff } from '../../src/report/asff.js';
import { findingId } from '../../src/securityhub/findingIdentity.js';
import { ACCOUNT, EXPECTED_SUMMARY, FINDINGS, makeContext, makeFinding } from './fixtures.js';

type Json = Record<string, unknown>;

function render(findings = FINDINGS): Json[] {
  return JSON.parse(formatAsff(findings, makeContext())) as Json[];
}

// Required by the BatchImportFindings model, plus Severity and Types (required by the ASFF docs).
const REQUIRED = ['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'CreatedAt', 'UpdatedAt', 'Title', 'Description', 'Resources', 'Severity', 'Types'];

describe('ASFF report', () => {
  it('exports every finding but NOT_APPLICABLE, with the required fields and limits', () => {
    const exported = render();
    const expected = FINDINGS.filter((f) => f.status !== 'NOT_APPLICABLE' && f.resource.accountId !== null).length;
    assert.equal(exported.length, expected);
    assert.ok(exported.length >= EXPECTED_SUMMARY.PASS + EXPECTED_SUMMARY.FAIL);
    for (const finding of exported) {
      for (const field of REQUIRED) {
        assert.ok(field in finding, `${field} missing`);
      }
      assert.equal(finding.SchemaVersion, '2018-10-08');
      assert.match(String(finding.AwsAccountId), /^\d{12}$/u);
      assert.ok(String(finding.Id).length <= 512);
      assert.ok(String(finding.Title).length <= 256);
      assert.ok(String(finding.Description).length <= 1024);
      const resources = finding.Resources as Json[];
      assert.ok(resources.length >= 1 && resources.length <= 32);
      assert.equal(finding.ProductArn, `arn:aws:securityhub:${String(finding.Region)}:${String(finding.AwsAccountId)}:product/${String(finding.AwsAccountId)}/default`);
    }
  });

  it('maps statuses to Compliance.Status and keeps ids stable', () => {
    const statusOf = new Map(render().map((f) => [String(f.Id), (f.Compliance as Json).Status]));
    for (const finding of FINDINGS) {
      const id = findingId(finding, finding.resource.accountId ?? ACCOUNT);
      const expected = { PASS: 'PASSED', FAIL: 'FAILED', UNKNOWN: 'NOT_AVAILABLE', NOT_APPLICABLE: undefined }[finding.status];
      if (finding.resource.accountId !== null) {
        assert.equal(statusOf.get(id), expected, id);
      }
    }
    assert.equal(formatAsff(FINDINGS, makeContext()), formatAsff(FINDINGS, makeContext()));
  });

  it('writes related requirements as Security Hub does and marks suppressed findings', () => {
    const finding = makeFinding({
      checkId: 'CloudTrail.4',
      status: 'FAIL',
      resource: { type: 'AWS::CloudTrail::Trail', id: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/x`, accountId: ACCOUNT, region: 'eu-west-1' },
      frameworks: { 'cis-aws-1.4.0': ['3.2'], 'pci-dss-3.2.1': ['10.5.2'], 'nist-800-53-r5': ['AU-9'], securityhub: ['CloudTrail.4'] },
      suppressed: { reason: 'legacy', expires: '2099-01-01', resource: '*' },
    });
    const [exported] = render([finding]);
    assert.ok(exported);
    assert.deepEqual((exported.Compliance as Json).RelatedRequirements, [
      'CIS AWS Foundations Benchmark v1.4.0/3.2',
      'PCI DSS v3.2.1/10.5.2',
      'NIST.800-53.r5 AU-9',
    ]);
    assert.deepEqual(exported.Workflow, { Status: 'SUPPRESSED' });
    assert.deepEqual((exported.Resources as Json[])[0], {
      Type: 'AwsCloudTrailTrail',
      Id: finding.resource.id,
      Partition: 'aws',
      Region: 'eu-west-1',
      Details: { AwsCloudTrailTrail: { TrailArn: finding.resource.id, Name: 'x' } },
    });
    assert.equal((exported.Compliance as Json).SecurityControlId, 'CloudTrail.4');
    assert.equal(
      ((exported.Remediation as Json).Recommendation as Json).Url,
      'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-4',
    );
  });

  it('names no SecurityControlId for a check outside Security Hub, and links its own reference', () => {
    const finding = {
      ...makeFinding({
        checkId: 'CloudTrail.4',
        status: 'FAIL',
        resource: { type: 'AWS::CloudTrail::Trail', id: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/x`, accountId: ACCOUNT, region: 'eu-west-1' },
      }),
      checkId: 'TrailHealth.1',
      control: 'TrailHealth.1',
      frameworks: { 'cis-aws-5.0.0': ['3.2'] },
    };
    const [exported] = JSON.parse(formatAsff([finding], makeContext({ checks: [] }))) as Json[];
    assert.ok(exported);
    assert.equal(exported.GeneratorId, 'trailaudit/TrailHealth.1');
    assert.ok(!('SecurityControlId' in (exported.Compliance as Json)));
    assert.deepEqual((exported.Compliance as Json).RelatedRequirements, ['CIS AWS Foundations Benchmark v5.0.0/3.2']);
    // Not a Security Hub control: no Security Hub page to link, and the context lists no check here.
    assert.ok(!('Url' in ((exported.Remediation as Json).Recommendation as Json)));
  });

  it('keeps a suppressed failure FAILED (an accepted risk, never PASSED) with the reason and expiry in Note', () => {
    const suppressed = FINDINGS.filter((f) => f.suppressed !== null);
    assert.ok(suppressed.length > 0);
    const byId = new Map(render().map((f) => [String(f.Id), f]));
    for (const finding of suppressed) {
      const exported = byId.get(findingId(finding, finding.resource.accountId ?? ACCOUNT));
      assert.ok(exported);
      assert.equal((exported.Compliance as Json).Status, 'FAILED');
      assert.deepEqual(exported.Workflow, { Status: 'SUPPRESSED' });
      assert.match(String((exported.Note as Json).Text), new RegExp(`^Suppressed until ${finding.suppressed?.expires ?? ''}: `, 'u'));
    }
    assert.ok(render().filter((f) => f.Workflow !== undefined).every((f) => (f.Compliance as Json).Status === 'FAILED'));
  });

  it('imports each finding under its own account’s default product, in the partition of its Region', () => {
    const other = '444455556666';
    const foreign = makeFinding({
      checkId: 'CloudTrail.4',
      status: 'FAIL',
      resource: { type: 'AWS::CloudTrail::Trail', id: `arn:aws-us-gov:cloudtrail:us-gov-west-1:${other}:trail/x`, accountId: other, region: 'us-gov-west-1' },
    });
    const [exported] = render([foreign]);
    assert.equal(exported?.AwsAccountId, other);
    assert.equal(exported.ProductArn, `arn:aws-us-gov:securityhub:us-gov-west-1:${other}:product/${other}/default`);
    assert.equal((exported.Resources as Json[])[0]?.Partition, 'aws-us-gov');
  });

  it('names account-level resources AWS::::Account:<id> in a real Region, and skips findings without an account', () => {
    const account = makeFinding({
      checkId: 'CloudTrail.1',
      status: 'FAIL',
      resource: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'global' },
    });
    const iac = makeFinding({
      checkId: 'CloudTrail.4',
      status: 'FAIL',
      resource: { type: 'AWS::CloudTrail::Trail', id: 'Trail', accountId: null, region: '(deployment region)' },
    });
    const exported = render([account]);
    assert.equal(exported.length, 1);
    const scanContext = makeContext({ scope: { source: 'cloudformation', accounts: [], regions: [], inputs: ['template.yaml'] } });
    assert.deepEqual(JSON.parse(formatAsff([iac], scanContext)), []);
    const resource = (exported[0]!.Resources as Json[])[0]!;
    assert.equal(resource.Id, `AWS::::Account:${ACCOUNT}`);
    assert.match(String(resource.Region), /^[a-z]{2}-[a-z]+-\d$/u);
  });
});
