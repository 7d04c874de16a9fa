/**
 * `security-hub import`'s check for findings newer than a saved report (src/cli/securityHubNewer.ts).
 * aws-sdk-client-mock, because moto ignores every GetFindings filter (test/MOTO_GAPS.md SI1, SB1):
 * here the filters sent can be read, and the answer can hold what a real filter would have dropped
 * (another generator, an archived finding, an older one, an aggregated copy), which the check must
 * drop itself. The refusal end to end on moto: securityHub.e2e.test.ts.
 */
import { strict as assert } from 'node:assert';
import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding, type GetFindingsCommandInput } from '@aws-sdk/client-securityhub';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { after, afterEach, before, beforeEach, describe, it } from 'mocha';
import { newerFindings } from '../../src/cli/securityHubNewer.js';
import type { LoadedReport } from '../../src/load/loadReport.js';
import type { HubAccess } from '../../src/securityhub/types.js';
import { ACCOUNT, OTHER_ACCOUNT, makeContext } from '../report/fixtures.js';

const FINISHED = '2026-12-01T10:00:00.000Z';
const LATER = '2026-12-02T10:00:00.000Z';

function report(): LoadedReport {
  const context = makeContext({ finishedAt: FINISHED, scope: { source: 'live', accounts: [ACCOUNT], regions: ['eu-west-1'], inputs: [] } });
  return { file: 'r.json', findings: [], context };
}

function product(account: string, region: string): string {
  return `arn:aws:securityhub:${region}:${account}:product/${account}/default`;
}

function finding(id: string, overrides: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding {
  return {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: product(ACCOUNT, 'eu-west-1'),
    GeneratorId: 'trailaudit/CloudTrail.4',
    AwsAccountId: ACCOUNT,
    Region: 'eu-west-1',
    Types: [],
    CreatedAt: FINISHED,
    UpdatedAt: LATER,
    LastObservedAt: LATER,
    RecordState: 'ACTIVE',
    Severity: { Label: 'LOW' },
    Title: 't',
    Description: 'd',
    Resources: [],
    ...overrides,
  };
}

describe('security-hub import: findings newer than the report', () => {
  // Created in `before`, not when mocha loads this file: a mock of the class replaces send() for
  // every SecurityHubClient in the process, the e2e tests' own read-back clients included.
  let mock: AwsClientStub<SecurityHubClient>;
  const sent: { target: string; input: GetFindingsCommandInput }[] = [];
  const clients = new Map<SecurityHubClient, string>();
  let answers: Map<string, AwsSecurityFinding[][]>;
  let failing: Set<string>;

  const targetOf = (client: unknown): string => clients.get(client as SecurityHubClient) ?? '?';

  const access: HubAccess = {
    callerAccountId: ACCOUNT,
    partition: 'aws',
    client: (accountId, region) => {
      const client = new SecurityHubClient({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
      clients.set(client, `${accountId}/${region}`);
      return Promise.resolve({ ok: true, client });
    },
    close: () => undefined,
  };

  before(() => {
    mock = mockClient(SecurityHubClient);
  });

  beforeEach(() => {
    sent.length = 0;
    answers = new Map();
    failing = new Set();
    mock.reset();
    mock.on(GetFindingsCommand).callsFake((input: GetFindingsCommandInput, getClient) => {
      const target = targetOf(getClient());
      sent.push({ target, input });
      if (failing.has(target)) {
        throw Object.assign(new Error('Account is not subscribed to AWS Security Hub'), { name: 'InvalidAccessException' });
      }
      const pages = answers.get(target) ?? [[]];
      const index = input.NextToken === undefined ? 0 : Number(input.NextToken);
      return { Findings: pages[index] ?? [], ...(index + 1 < pages.length ? { NextToken: String(index + 1) } : {}) };
    });
  });
  afterEach(() => {
    for (const client of clients.keys()) {
      client.destroy();
    }
    clients.clear();
  });
  after(() => {
    mock.restore();
  });

  it('asks each (account, Region) of the report, the account-level Region too, for our ACTIVE findings observed after it', async () => {
    await newerFindings(report(), access, 'us-east-1');
    assert.deepEqual(sent.map((s) => s.target).sort(), [`${ACCOUNT}/eu-west-1`, `${ACCOUNT}/us-east-1`]);
    const east = sent.find((s) => s.target === `${ACCOUNT}/us-east-1`);
    assert.deepEqual(east?.input.Filters, {
      ProductArn: [{ Value: product(ACCOUNT, 'us-east-1'), Comparison: 'EQUALS' }],
      GeneratorId: [{ Value: 'trailaudit/', Comparison: 'PREFIX' }],
      AwsAccountId: [{ Value: ACCOUNT, Comparison: 'EQUALS' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      LastObservedAt: [{ Start: '2026-12-01T10:00:00.001Z', End: '9999-12-31T23:59:59.999Z' }],
    });
    assert.equal(east.input.MaxResults, 100);
  });

  it('applies the filters again (an answer holds what a real filter drops), over every page', async () => {
    answers.set(`${ACCOUNT}/eu-west-1`, [
      [
        finding('newer-1'),
        finding('same-time', { LastObservedAt: FINISHED }),
        finding('older', { LastObservedAt: '2026-11-30T00:00:00.000Z' }),
        finding('archived', { RecordState: 'ARCHIVED' }),
      ],
      [
        finding('other-generator', { GeneratorId: 'prowler/cloudtrail' }),
        finding('aggregated', { ProductArn: product(OTHER_ACCOUNT, 'eu-west-1'), AwsAccountId: OTHER_ACCOUNT }),
        finding('newer-2', { LastObservedAt: '2026-12-01T10:00:00.001Z' }),
      ],
    ]);
    const newer = await newerFindings(report(), access, 'us-east-1');
    assert.deepEqual(
      newer.map((n) => [n.id, n.accountId, n.region]),
      [
        ['newer-1', ACCOUNT, 'eu-west-1'],
        ['newer-2', ACCOUNT, 'eu-west-1'],
      ],
    );
    assert.equal(sent.filter((s) => s.target === `${ACCOUNT}/eu-west-1`).length, 2, 'both pages read');
  });

  it('a target it cannot read is left to the import, which reports it and sends nothing there', async () => {
    failing.add(`${ACCOUNT}/eu-west-1`);
    answers.set(`${ACCOUNT}/us-east-1`, [[finding('east', { ProductArn: product(ACCOUNT, 'us-east-1'), Region: 'us-east-1' })]]);
    const newer = await newerFindings(report(), access, 'us-east-1');
    assert.deepEqual(newer.map((n) => n.id), ['east']);
  });
});
