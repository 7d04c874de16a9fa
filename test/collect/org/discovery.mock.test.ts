/**
 * Account discovery against mocked Organizations answers (aws-sdk-client-mock), ONLY for what
 * moto cannot produce (test/MOTO_GAPS.md): moto has no way to suspend or close an account, never
 * denies ListAccounts (a member gets an empty list), and never throttles.
 */
import { strict as assert } from 'node:assert';
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { ClientFactory } from '../../../src/collect/live/clients.js';
import { CollectionError } from '../../../src/collect/live/errors.js';
import { ApiScheduler } from '../../../src/collect/live/scheduler.js';
import { discoverAccounts, type DiscoveryContext } from '../../../src/collect/org/discovery.js';
import { DEFAULT_ROLE_NAME, DEFAULT_ROLE_SESSION_NAME, type OrganizationScopeOptions } from '../../../src/collect/org/options.js';
import { UsageError } from '../../../src/errors.js';

const CALLER = '111111111111';
const ORG = 'o-abcdef1234';
const BASE: OrganizationScopeOptions = { org: true, roleName: DEFAULT_ROLE_NAME, roleSessionName: DEFAULT_ROLE_SESSION_NAME };

function awsError(code: string, status: number): Error {
  return Object.assign(new Error(`${code} (mocked)`), {
    name: code,
    Code: code,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, attempts: 1 },
  });
}

function account(id: string, state: string, status?: string): Account {
  return { Id: id, Name: `n-${id}`, State: state as Account['State'], ...(status === undefined ? {} : { Status: status as Account['Status'] }) };
}

describe('account discovery: what moto cannot produce (mocked Organizations)', () => {
  let organizations: AwsClientStub<OrganizationsClient>;
  let clients: ClientFactory;

  function context(): DiscoveryContext {
    // The endpoint is an unused loopback port: a second guard, the mock answers first.
    clients = new ClientFactory({ credentials: { accessKeyId: 'mock', secretAccessKey: 'mock' }, endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1 });
    const scheduler = new ApiScheduler({ concurrency: 4, perEndpointConcurrency: 2 });
    return { clients, scheduler, region: 'us-east-1', caller: { accountId: CALLER, partition: 'aws', arn: `arn:aws:iam::${CALLER}:role/auditor` } };
  }

  beforeEach(() => {
    organizations = mockClient(OrganizationsClient);
    organizations.on(DescribeOrganizationCommand).resolves({ Organization: { Id: ORG, MasterAccountId: CALLER } });
  });

  afterEach(() => {
    organizations.restore();
    clients.destroy();
  });

  it('audits ACTIVE accounts only: SUSPENDED skipped as suspended, PENDING_CLOSURE as not_active, naming the status and organization', async () => {
    organizations.on(ListAccountsCommand).resolves({
      Accounts: [
        account(CALLER, 'ACTIVE'),
        account('222222222222', 'SUSPENDED'),
        account('333333333333', 'PENDING_CLOSURE'),
        // Only the older Status field: still read.
        { Id: '444444444444', Status: 'ACTIVE' },
      ],
    });
    const plan = await discoverAccounts(context(), BASE);
    assert.deepEqual(plan.inScope.map((e) => e.id), [CALLER, '444444444444']);
    assert.deepEqual(
      plan.skipped.map((s) => [s.accountId, s.reason]),
      [
        ['222222222222', 'suspended'],
        ['333333333333', 'not_active'],
      ],
    );
    assert.match(plan.skipped[0]?.message ?? '', new RegExp(`SUSPENDED in organization ${ORG}`, 'u'));
    assert.match(plan.skipped[1]?.message ?? '', new RegExp(`PENDING_CLOSURE in organization ${ORG}`, 'u'));
  });

  it('a suspended account named by --accounts is skipped as suspended, not audited', async () => {
    organizations.on(ListAccountsCommand).resolves({ Accounts: [account(CALLER, 'ACTIVE'), account('222222222222', 'SUSPENDED')] });
    const plan = await discoverAccounts(context(), { ...BASE, accounts: ['222222222222', CALLER] });
    assert.deepEqual(plan.inScope.map((e) => e.id), [CALLER]);
    assert.deepEqual(plan.skipped.map((s) => s.reason), ['suspended']);
  });

  for (const [code, status] of [
    ['AccessDeniedException', 400],
    ['AWSOrganizationsNotInUseException', 400],
  ] as const) {
    it(`ListAccounts answering ${code} ends the run with a CollectionError (exit 2) saying who may discover`, async () => {
      organizations.on(ListAccountsCommand).rejects(awsError(code, status));
      await assert.rejects(discoverAccounts(context(), BASE), (error: unknown) => {
        assert.ok(error instanceof CollectionError, String(error));
        assert.equal(error.exitCode, 2);
        assert.match(error.message, new RegExp(code, 'u'));
        assert.match(error.message, /management account of the organization or a delegated administrator/u);
        assert.match(error.message, /organizations:ListAccounts/u);
        return true;
      });
    });
  }

  it('a throttled ListAccounts (after retries) is not a partial list: the run ends naming the cause', async () => {
    organizations.on(ListAccountsCommand).rejects(awsError('TooManyRequestsException', 400));
    await assert.rejects(discoverAccounts(context(), BASE), (error: unknown) => {
      assert.ok(error instanceof CollectionError, String(error));
      assert.match(error.message, /throttled/u);
      return true;
    });
  });

  it('a second page that fails is not a partial list either', async () => {
    organizations
      .on(ListAccountsCommand)
      .resolvesOnce({ Accounts: [account(CALLER, 'ACTIVE')], NextToken: 'page-2' })
      .rejects(awsError('ServiceException', 500));
    await assert.rejects(discoverAccounts(context(), BASE), CollectionError);
  });

  it('DescribeOrganization denied with --accounts only: the list is audited, the organization id left null', async () => {
    organizations.on(DescribeOrganizationCommand).rejects(awsError('AccessDeniedException', 400));
    const plan = await discoverAccounts(context(), { ...BASE, org: false, accounts: ['222222222222'] });
    assert.equal(plan.organizationId, null);
    assert.deepEqual(plan.inScope, [{ id: '222222222222' }]);
    assert.equal(organizations.commandCalls(ListAccountsCommand).length, 0);
  });

  it('nothing left to audit is a usage error', async () => {
    organizations.on(ListAccountsCommand).resolves({ Accounts: [account(CALLER, 'ACTIVE')] });
    await assert.rejects(discoverAccounts(context(), { ...BASE, excludeAccounts: [CALLER] }), (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.match(error.message, new RegExp(`${CALLER} excluded`, 'u'));
      return true;
    });
  });
});
