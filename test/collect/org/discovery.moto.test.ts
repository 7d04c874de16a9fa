/**
 * Account discovery against a real moto_server seeded as one organization (support/moto/
 * organization.ts): paging past ListAccounts' 20 a page, --ou recursion through nested units,
 * --accounts, --exclude-accounts, the caller kept, --shard partitions. What moto cannot produce
 * (suspended accounts, a denied ListAccounts) is in discovery.mock.test.ts.
 */
import { strict as assert } from 'node:assert';
import { ClientFactory } from '../../../src/collect/live/clients.js';
import { ApiScheduler } from '../../../src/collect/live/scheduler.js';
import { discoverAccounts, type DiscoveryContext } from '../../../src/collect/org/discovery.js';
import { DEFAULT_ROLE_NAME, DEFAULT_ROLE_SESSION_NAME, type OrganizationScopeOptions } from '../../../src/collect/org/options.js';
import { CollectionError } from '../../../src/collect/live/errors.js';
import { UsageError } from '../../../src/errors.js';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS } from '../../../support/moto/clients.js';
import { useMoto } from '../../../support/moto/mocha.js';
import { memberCredentials, seedOrganization, type SeededOrganization } from '../../../support/moto/organization.js';

const REGION = 'us-east-1';
const BASE: OrganizationScopeOptions = { org: true, roleName: DEFAULT_ROLE_NAME, roleSessionName: DEFAULT_ROLE_SESSION_NAME };

describe('account discovery against a moto organization', function () {
  this.timeout(120_000);
  const moto = useMoto({ resetEachTest: false });
  let organization: SeededOrganization;
  const factories: ClientFactory[] = [];

  function context(credentials: ConstructorParameters<typeof ClientFactory>[0]['credentials'] = MOTO_CREDENTIALS, accountId = MOTO_ACCOUNT_ID) {
    const clients = new ClientFactory({ credentials, endpointUrl: moto.endpoint, maxAttempts: 2 });
    factories.push(clients);
    const scheduler = new ApiScheduler({ concurrency: 8, perEndpointConcurrency: 4, endpointUrl: moto.endpoint });
    const discovery: DiscoveryContext = { clients, scheduler, region: REGION, caller: { accountId, partition: 'aws', arn: `arn:aws:iam::${accountId}:root` } };
    return { discovery, scheduler };
  }

  before(async () => {
    // 25 members (ListAccounts pages hold at most 20), units nested two levels:
    // workloads > prod > payments, and sandbox.
    organization = await seedOrganization(moto.endpoint, {
      units: [{ name: 'workloads' }, { name: 'prod', parent: 'workloads' }, { name: 'payments', parent: 'prod' }, { name: 'sandbox' }],
      accounts: Array.from({ length: 25 }, (_, i) => ({
        name: `member-${String(i).padStart(2, '0')}`,
        ...(i < 3 ? { unit: 'workloads' } : i < 6 ? { unit: 'prod' } : i < 8 ? { unit: 'payments' } : i < 10 ? { unit: 'sandbox' } : {}),
      })),
    });
  });

  after(() => {
    for (const factory of factories) {
      factory.destroy();
    }
  });

  function idsOf(names: readonly string[]): string[] {
    return names.map((name) => organization.accountId(name)).sort();
  }

  it('--org lists every account over several pages, the management account (the caller) included, sorted by id', async () => {
    const { discovery, scheduler } = context();
    const plan = await discoverAccounts(discovery, BASE);
    const expected = [MOTO_ACCOUNT_ID, ...organization.accounts.map((a) => a.id)].sort();
    assert.deepEqual(plan.inScope.map((e) => e.id), expected);
    assert.deepEqual(plan.audited, plan.inScope);
    assert.deepEqual(plan.skipped, []);
    assert.equal(plan.organizationId, organization.organizationId);
    assert.equal(plan.managementAccountId, MOTO_ACCOUNT_ID);
    assert.equal(plan.inScope.find((e) => e.id === organization.accountId('member-07'))?.name, 'member-07');
    // Listed by the organization itself: every one is a known member (credited by membership).
    assert.ok(plan.inScope.every((e) => e.member === true));
    // 26 accounts at 20 a page: two ListAccounts calls, each counted by the scheduler.
    const calls = scheduler.apiCalls();
    assert.equal(calls['organizations:ListAccounts'], 2);
    assert.equal(calls['organizations:DescribeOrganization'], 1);
  });

  it('--ou takes the accounts under the unit at any depth, several units united without duplicates', async () => {
    const workloads = organization.units.get('workloads') ?? assert.fail('unit seeded');
    const payments = organization.units.get('payments') ?? assert.fail('unit seeded');
    const sandbox = organization.units.get('sandbox') ?? assert.fail('unit seeded');
    const { discovery, scheduler } = context();
    const plan = await discoverAccounts(discovery, { ...BASE, org: false, organizationalUnits: [workloads] });
    assert.deepEqual(
      plan.inScope.map((e) => e.id),
      idsOf(['member-00', 'member-01', 'member-02', 'member-03', 'member-04', 'member-05', 'member-06', 'member-07']),
    );
    assert.equal(scheduler.apiCalls()['organizations:ListAccounts'], undefined, 'no whole-organization listing for --ou');
    const both = await discoverAccounts(context().discovery, { ...BASE, organizationalUnits: [payments, sandbox, workloads] });
    assert.deepEqual(
      both.inScope.map((e) => e.id),
      idsOf(['member-00', 'member-01', 'member-02', 'member-03', 'member-04', 'member-05', 'member-06', 'member-07', 'member-08', 'member-09']),
    );
  });

  it('--ou naming a unit the organization does not have is a usage error naming it', async () => {
    const missing = `ou-${organization.rootId.slice(2)}-zzzzzzzz`;
    await assert.rejects(discoverAccounts(context().discovery, { ...BASE, organizationalUnits: [missing] }), (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.match(error.message, new RegExp(missing, 'u'));
      return true;
    });
  });

  it('--exclude-accounts removes accounts and lists them as skipped; --accounts with --org keeps the intersection', async () => {
    const excluded = organization.accountId('member-03');
    const plan = await discoverAccounts(context().discovery, { ...BASE, excludeAccounts: [excluded] });
    assert.equal(plan.inScope.length, 25);
    assert.ok(!plan.inScope.some((e) => e.id === excluded));
    assert.deepEqual(plan.skipped, [{ accountId: excluded, name: 'member-03', reason: 'excluded', message: 'named by --exclude-accounts.' }]);

    const outsider = '999988887777';
    const listed = await discoverAccounts(context().discovery, { ...BASE, accounts: [organization.accountId('member-10'), MOTO_ACCOUNT_ID, outsider] });
    assert.deepEqual(listed.inScope.map((e) => e.id), [MOTO_ACCOUNT_ID, organization.accountId('member-10')].sort());
    assert.deepEqual(listed.skipped.map((s) => [s.accountId, s.reason]), [[outsider, 'not_in_organization']]);
    assert.match(listed.skipped[0]?.message ?? '', new RegExp(organization.organizationId, 'u'));
  });

  it('--accounts without --org audits the list as given, still reading the organization id; only the caller is a known member', async () => {
    const member = organization.accountId('member-20');
    const { discovery, scheduler } = context();
    const closed = { accountId: '999999999999', reason: 'suspended' as const, message: 'SUSPENDED in --accounts-file list.json: only ACTIVE accounts are audited.' };
    const plan = await discoverAccounts(discovery, { ...BASE, org: false, accounts: [member, member, MOTO_ACCOUNT_ID], skippedByList: [closed] });
    // What the accounts file said was not ACTIVE is reported skipped, as discovery's own are.
    assert.deepEqual(plan.skipped, [closed]);
    // A named account may be outside the organization: never assumed a member (no credit by
    // membership, which could be a false PASS); the caller's organization answered for it.
    assert.deepEqual(plan.inScope, [{ id: MOTO_ACCOUNT_ID, member: true as const }, { id: member }].sort((a, b) => (a.id < b.id ? -1 : 1)));
    assert.equal(plan.organizationId, organization.organizationId);
    assert.equal(scheduler.apiCalls()['organizations:ListAccounts'], undefined);
  });

  it('--shard K/N: deterministic, disjoint parts covering the accounts in scope', async () => {
    const whole = await discoverAccounts(context().discovery, BASE);
    for (const count of [1, 3, 4]) {
      const parts = [];
      for (let index = 1; index <= count; index += 1) {
        const plan = await discoverAccounts(context().discovery, { ...BASE, shard: { index, count } });
        assert.deepEqual(plan.inScope, whole.inScope, 'inScope is the list before sharding');
        const again = await discoverAccounts(context().discovery, { ...BASE, shard: { index, count } });
        assert.deepEqual(again.audited, plan.audited, 'same shard, same accounts');
        parts.push(plan.audited.map((e) => e.id));
      }
      const all = parts.flat();
      assert.equal(new Set(all).size, all.length, `${count} shards disjoint`);
      assert.deepEqual([...all].sort(), whole.inScope.map((e) => e.id), `${count} shards cover the accounts`);
    }
  });

  it('a member account cannot discover the organization: a CollectionError saying who can', async () => {
    // AWS denies ListAccounts to a member; moto answers it an empty list (test/MOTO_GAPS.md).
    const member = organization.accountId('member-15');
    const credentials = await memberCredentials(moto.endpoint, member);
    await assert.rejects(discoverAccounts(context(credentials, member).discovery, BASE), (error: unknown) => {
      assert.ok(error instanceof CollectionError, String(error));
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /management account .*delegated administrator/u);
      return true;
    });
  });
});
