/**
 * Reading Security Hub's control findings for `security-hub compare`, with aws-sdk-client-mock:
 * moto ignores every GetFindings filter (so it cannot show which filters are sent), answers
 * GetFindings even where the hub was never enabled (AWS: InvalidAccessException), and never denies
 * access — the mock stands in for those answers. The end-to-end read against moto is in
 * test/cli/compare.e2e.test.ts.
 */
import { strict as assert } from 'node:assert';
import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding, type GetFindingsCommandInput } from '@aws-sdk/client-securityhub';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { controlFindingFilters, MAX_FILTER_VALUES, PAGE_SIZE, readControlFindings } from '../../src/securityhub/controlFindings.js';
import type { HubAccess } from '../../src/securityhub/types.js';

const ACCOUNT = '111122223333';
const MEMBER = '444455556666';
const PRODUCT = (region: string): string => `arn:aws:securityhub:${region}::product/aws/securityhub`;

function control(id: string, status: string, extra: Partial<AwsSecurityFinding> = {}, region = 'us-east-1', account = ACCOUNT): AwsSecurityFinding {
  return {
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:securityhub:${region}:${account}:security-control/${id}/finding/${Math.random().toString(16).slice(2)}`,
    ProductArn: PRODUCT(region),
    GeneratorId: `security-control/${id}`,
    AwsAccountId: account,
    Region: region,
    CreatedAt: '2026-01-01T00:00:00.000Z',
    UpdatedAt: '2026-01-02T00:00:00.000Z',
    Title: id,
    Description: id,
    RecordState: 'ACTIVE',
    Compliance: { Status: status, SecurityControlId: id },
    Resources: [{ Type: 'AwsAccount', Id: `AWS::::Account:${account}` }],
    ...extra,
  } as AwsSecurityFinding;
}

describe('security-hub compare: reading Security Hub (aws-sdk-client-mock)', () => {
  // Made in before(), not at load time: mockClient patches every SecurityHubClient, and other
  // test files (the moto end-to-end ones) load before this describe's tests run.
  let hub: AwsClientStub<SecurityHubClient>;
  const clients: SecurityHubClient[] = [];

  /** The caller's own account has a client; any other account has no role, as createHubAccess says. */
  const access: HubAccess = {
    callerAccountId: ACCOUNT,
    partition: 'aws',
    client: (accountId, region) => {
      if (accountId !== ACCOUNT) {
        return Promise.resolve({ ok: false, code: 'no_role', message: `no role for ${accountId}` });
      }
      const client = new SecurityHubClient({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      clients.push(client);
      return Promise.resolve({ ok: true, client });
    },
    close: () => undefined,
  };

  before(() => {
    hub = mockClient(SecurityHubClient);
  });
  beforeEach(() => {
    hub.reset();
  });
  after(() => {
    hub.restore();
    for (const client of clients) {
      client.destroy();
    }
  });

  const sent = (): GetFindingsCommandInput[] => hub.commandCalls(GetFindingsCommand).map((call) => call.args[0].input);

  it('sends the product, control, state, account and Region filters, 100 a page', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [] });
    await readControlFindings(access, [{ accountId: ACCOUNT, region: 'eu-west-1' }], ['CloudTrail.1', 'S3.22']);
    const [input] = sent();
    assert.ok(input);
    assert.deepEqual(input, {
      Filters: {
        ProductArn: [{ Value: PRODUCT('eu-west-1'), Comparison: 'EQUALS' }],
        ComplianceSecurityControlId: [
          { Value: 'CloudTrail.1', Comparison: 'EQUALS' },
          { Value: 'S3.22', Comparison: 'EQUALS' },
        ],
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        AwsAccountId: [{ Value: ACCOUNT, Comparison: 'EQUALS' }],
        Region: [{ Value: 'eu-west-1', Comparison: 'EQUALS' }],
      },
      MaxResults: PAGE_SIZE,
    });
    assert.deepEqual(input.Filters, controlFindingFilters({ accountId: ACCOUNT, region: 'eu-west-1' }, ['CloudTrail.1', 'S3.22'], 'aws'));
  });

  it('splits more than 20 controls over several queries (20 values per filter field)', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [control('CloudWatch.3', 'PASSED')] });
    const controls = Array.from({ length: 25 }, (_, index) => `CloudWatch.${String(index + 1)}`);
    const read = await readControlFindings(access, [{ accountId: ACCOUNT, region: 'us-east-1' }], controls);
    assert.deepEqual(
      sent().map((input) => input.Filters?.ComplianceSecurityControlId?.length),
      [MAX_FILTER_VALUES, 5],
    );
    // Both queries returned the same finding (as moto, which ignores the filter, would): kept once.
    assert.equal(read.findings.length, 1);
    assert.equal(read.calls, 2);
  });

  it('follows NextToken to the last page', async () => {
    hub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [control('CloudTrail.1', 'PASSED')], NextToken: 't1' })
      .resolvesOnce({ Findings: [control('CloudTrail.3', 'FAILED')], NextToken: 't2' })
      .resolvesOnce({ Findings: [control('S3.22', 'FAILED')] });
    const read = await readControlFindings(access, [{ accountId: ACCOUNT, region: 'us-east-1' }], ['CloudTrail.1', 'CloudTrail.3', 'S3.22']);
    assert.deepEqual(
      sent().map((input) => input.NextToken),
      [undefined, 't1', 't2'],
    );
    assert.deepEqual(
      read.findings.map((finding) => [finding.control, finding.status]),
      [
        ['CloudTrail.1', 'PASSED'],
        ['CloudTrail.3', 'FAILED'],
        ['S3.22', 'FAILED'],
      ],
    );
  });

  it('applies every filter again to what comes back', async () => {
    hub.on(GetFindingsCommand).resolves({
      Findings: [
        control('CloudTrail.1', 'PASSED'),
        control('CloudTrail.1', 'FAILED', { ProductArn: 'arn:aws:securityhub:us-east-1::product/prowler/prowler' }),
        control('CloudTrail.1', 'FAILED', { ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`, GeneratorId: 'trailaudit/CloudTrail.1' }),
        control('CloudTrail.1', 'FAILED', { RecordState: 'ARCHIVED' }),
        control('IAM.1', 'FAILED'),
        control('CloudTrail.1', 'FAILED', {}, 'us-east-1', MEMBER),
        // An aggregation Region's copy of another Region's finding.
        control('CloudTrail.1', 'FAILED', {}, 'eu-west-1'),
        control('CloudTrail.1', 'NOT_A_STATUS'),
        // Security Hub's findings that name no resource pass the filters: kept with '' so the
        // compare can count them (it never makes a row of them).
        control('CloudTrail.1', 'FAILED', { Resources: [] }),
        control('CloudTrail.1', 'FAILED', { Resources: [{ Type: 'AwsAccount', Id: '' }] }),
      ],
    });
    const read = await readControlFindings(access, [{ accountId: ACCOUNT, region: 'us-east-1' }], ['CloudTrail.1']);
    assert.deepEqual(
      read.findings.map((finding) => [finding.control, finding.status, finding.accountId, finding.region, finding.resourceId]),
      [
        ['CloudTrail.1', 'PASSED', ACCOUNT, 'us-east-1', `AWS::::Account:${ACCOUNT}`],
        ['CloudTrail.1', 'FAILED', ACCOUNT, 'us-east-1', ''],
        ['CloudTrail.1', 'FAILED', ACCOUNT, 'us-east-1', ''],
      ],
    );
  });

  it('takes the control id from a security-control GeneratorId when Compliance has none', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [control('CloudTrail.4', 'FAILED', { Compliance: { Status: 'FAILED' } })] });
    const read = await readControlFindings(access, [{ accountId: ACCOUNT, region: 'us-east-1' }], ['CloudTrail.4']);
    assert.deepEqual(
      read.findings.map((finding) => finding.control),
      ['CloudTrail.4'],
    );
  });

  it('reports a hub that is not enabled, access denied and a missing role as unreadable, and keeps no partial listing', async () => {
    const notEnabled = Object.assign(new Error('Account 111122223333 is not subscribed to AWS Security Hub'), { name: 'InvalidAccessException' });
    const denied = Object.assign(new Error('User is not authorized to perform: securityhub:GetFindings'), { name: 'AccessDeniedException' });
    const filtersOf = (region: string): { Filters: ReturnType<typeof controlFindingFilters> } => ({ Filters: controlFindingFilters({ accountId: ACCOUNT, region }, ['CloudTrail.1'], 'aws') });
    hub.on(GetFindingsCommand, filtersOf('eu-west-1')).rejects(notEnabled);
    hub
      .on(GetFindingsCommand, filtersOf('us-east-1'))
      .resolvesOnce({ Findings: [control('CloudTrail.1', 'PASSED')], NextToken: 'next' })
      .rejectsOnce(denied);
    hub.on(GetFindingsCommand, filtersOf('us-west-2')).resolves({ Findings: [control('CloudTrail.1', 'FAILED', {}, 'us-west-2')] });
    const read = await readControlFindings(
      access,
      [
        { accountId: ACCOUNT, region: 'eu-west-1' },
        { accountId: ACCOUNT, region: 'us-east-1' },
        { accountId: ACCOUNT, region: 'us-west-2' },
        { accountId: MEMBER, region: 'us-east-1' },
      ],
      ['CloudTrail.1'],
    );
    assert.deepEqual(
      read.unreadable.map((target) => [target.accountId, target.region, target.code]),
      [
        [ACCOUNT, 'eu-west-1', 'not_enabled'],
        [ACCOUNT, 'us-east-1', 'AccessDeniedException'],
        [MEMBER, 'us-east-1', 'no_role'],
      ],
    );
    assert.match(read.unreadable[0]?.message ?? '', /not enabled/u);
    // The first page of us-east-1 is dropped with the failed second page: only us-west-2 remains.
    assert.deepEqual(
      read.findings.map((finding) => [finding.region, finding.status]),
      [['us-west-2', 'FAILED']],
    );
  });
});
