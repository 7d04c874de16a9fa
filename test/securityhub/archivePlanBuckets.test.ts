/**
 * The planner never archives a log bucket's finding as "no longer reported" after a run that could
 * not see every trail able to write to that bucket (issue 16, found by black-box testers): a
 * --regions subset (the trail homed in a Region the run skipped), or an organization audit that
 * left an account out (--exclude-accounts, --ou / --accounts, unreachable). Trail findings keep
 * their own rules. Fixtures: the planner's output applied to an upserting fake hub (planFixtures.ts).
 */
import { strict as assert } from 'node:assert';
import type { Finding } from '../../src/engine/types.js';
import type { OrganizationScope, ReportContext } from '../../src/report/types.js';
import { ACCOUNT, OTHER_ACCOUNT } from '../report/fixtures.js';
import { bucket, context, FakeHub, T1, T2, trail } from './planFixtures.js';

const THIRD_ACCOUNT = '777788889999';
const XREG = 'arn:aws:s3:::xreg-logs';

function archivedResources(plan: { archives: readonly { Resources?: readonly { Id?: string }[] }[] }): string[] {
  return plan.archives.map((f) => f.Resources?.[0]?.Id ?? '').sort();
}

function keptReasons(plan: { kept: readonly { id: string; reason: string }[] }, fragment: string): string[] {
  return plan.kept.filter((k) => k.id.includes(fragment)).map((k) => k.reason);
}

describe('Security Hub plan: log buckets written by trails outside the run', () => {
  // Bucket xreg-logs lives in us-east-1; the only trail writing to it is homed in eu-west-1.
  const regions = ['us-east-1', 'eu-west-1', 'us-west-2'];
  const firstRun: Finding[] = [trail('xreg', 'PASS', 'eu-west-1'), bucket('xreg-logs', 'FAIL', 'us-east-1'), trail('main', 'PASS', 'us-east-1')];
  // --regions us-east-1: the eu-west-1 trail is not seen, so neither is its bucket.
  const usEastOnly: Finding[] = [trail('main', 'PASS', 'us-east-1')];

  it('--regions: a bucket in an audited Region whose trail lives in a skipped Region is kept, not archived', () => {
    const hub = new FakeHub();
    hub.run(firstRun, T1, context({ regions, allRegions: false }));
    const plan = hub.run(usEastOnly, T2, context({ regions: ['us-east-1'], allRegions: false }));
    assert.deepEqual(archivedResources(plan), []);
    assert.deepEqual(keptReasons(plan, 'xreg-logs'), ['bucket_writers_not_seen']);
    assert.deepEqual(
      hub.byResource(XREG).map((f) => [f.RecordState, f.Compliance?.Status]),
      [['ACTIVE', 'FAILED']],
    );
  });

  it('a report that does not say whether it saw every Region (older reports) keeps it too', () => {
    const hub = new FakeHub();
    hub.run(firstRun, T1);
    const unrecorded: ReportContext = context({ regions });
    const { allRegions: _dropped, ...scope } = unrecorded.scope;
    const plan = hub.run(usEastOnly, T2, { ...unrecorded, scope });
    assert.deepEqual(keptReasons(plan, 'xreg-logs'), ['bucket_writers_not_seen']);
    assert.ok(!archivedResources(plan).includes(XREG));
  });

  it('a run of every enabled Region that no longer reports the bucket archives it (its trail is gone)', () => {
    const hub = new FakeHub();
    hub.run(firstRun, T1, context({ regions }));
    // The xreg trail was deleted: its findings and its bucket's go.
    const plan = hub.run(usEastOnly, T2, context({ regions }));
    assert.deepEqual(archivedResources(plan), [XREG, trail('xreg', 'PASS', 'eu-west-1').resource.id].sort());
  });

  it("a single-account run of a member keeps its bucket's finding when another account's trail wrote to it (the run cannot see that trail)", () => {
    const hub = new FakeHub();
    // An organization run judged ACCOUNT's bucket, written to by OTHER_ACCOUNT's trail.
    hub.run([bucket('shared-logs', 'FAIL', 'us-east-1', ACCOUNT, [OTHER_ACCOUNT])], T1, context({ regions }));
    const [held] = hub.byResource('arn:aws:s3:::shared-logs');
    assert.equal(held?.ProductFields?.['trailaudit/WriterAccounts'], OTHER_ACCOUNT);
    // ACCOUNT audited alone, every Region: no trail of its own writes there, so the bucket is not reported.
    const plan = hub.run(usEastOnly, T2, context({ regions }));
    assert.deepEqual(archivedResources(plan), []);
    assert.deepEqual(keptReasons(plan, 'shared-logs'), ['bucket_writers_not_seen']);
    // Its own trail wrote there: the same run archives it once the trail is gone.
    const own = new FakeHub();
    own.run([bucket('own-logs', 'FAIL', 'us-east-1', ACCOUNT, [ACCOUNT])], T1, context({ regions }));
    assert.deepEqual(archivedResources(own.run(usEastOnly, T2, context({ regions }))), ['arn:aws:s3:::own-logs']);
  });

  it('a bucket finding of an older version (no writers recorded) is kept by a single-account run', () => {
    const hub = new FakeHub();
    hub.run([bucket('old-logs', 'FAIL', 'us-east-1', ACCOUNT, [])], T1, context({ regions }));
    assert.equal(hub.byResource('arn:aws:s3:::old-logs')[0]?.ProductFields?.['trailaudit/WriterAccounts'], undefined);
    assert.deepEqual(keptReasons(hub.run(usEastOnly, T2, context({ regions })), 'old-logs'), ['bucket_writers_not_seen']);
  });

  it('trail findings keep their rules: a deleted trail in an audited Region is archived by a --regions run', () => {
    const hub = new FakeHub();
    hub.run(firstRun, T1, context({ regions, allRegions: false }));
    const plan = hub.run([], T2, context({ regions: ['us-east-1'], allRegions: false }));
    assert.deepEqual(archivedResources(plan), [trail('main', 'PASS', 'us-east-1').resource.id]);
    assert.deepEqual(keptReasons(plan, 'xreg-logs'), ['bucket_writers_not_seen']);
  });

  describe('organization audits', () => {
    // M2's trail (ACCOUNT) writes to a bucket M1 (OTHER_ACCOUNT) owns; THIRD_ACCOUNT is a bystander.
    const accounts = [ACCOUNT, OTHER_ACCOUNT, THIRD_ACCOUNT];
    const organization = (overrides: Partial<OrganizationScope> = {}): OrganizationScope => ({
      id: 'o-example1234',
      managementAccountId: OTHER_ACCOUNT,
      callerAccountId: OTHER_ACCOUNT,
      roleName: 'TrailAuditRole',
      accountNames: {},
      skipped: [],
      unreachable: [],
      accountsInScope: accounts.length,
      wholeOrganization: true,
      ...overrides,
    });
    const full = context({ accounts, regions: ['us-east-1'], organization: organization() });
    const orgRun: Finding[] = [trail('m2-trail', 'PASS', 'us-east-1', ACCOUNT), bucket('m1-logs', 'FAIL', 'us-east-1', OTHER_ACCOUNT), trail('m1-trail', 'PASS', 'us-east-1', OTHER_ACCOUNT)];
    // Without M2 (ACCOUNT), its trail and hence M1's bucket are not reported.
    const withoutM2: Finding[] = [trail('m1-trail', 'PASS', 'us-east-1', OTHER_ACCOUNT)];

    it('--exclude-accounts M2: M1’s finding of the bucket M2’s trail writes to is kept', () => {
      const hub = new FakeHub();
      hub.run(orgRun, T1, full);
      const excluded = context({
        accounts: [OTHER_ACCOUNT, THIRD_ACCOUNT],
        regions: ['us-east-1'],
        organization: organization({ accountsInScope: 2, skipped: [{ accountId: ACCOUNT, reason: 'excluded', message: 'named by --exclude-accounts.' }] }),
      });
      const plan = hub.run(withoutM2, T2, excluded);
      assert.deepEqual(archivedResources(plan), []);
      assert.deepEqual(keptReasons(plan, 'm1-logs'), ['bucket_writers_not_seen']);
    });

    it('--ou / --accounts (not the whole organization), an unreachable account, or a run that does not record it: kept', () => {
      const cases: [string, OrganizationScope][] = [
        ['subset', organization({ wholeOrganization: false })],
        ['unrecorded', (({ wholeOrganization: _w, ...rest }) => rest)(organization())],
        ['unreachable', organization({ unreachable: [{ accountId: THIRD_ACCOUNT, reason: 'access_denied', message: 'AssumeRole denied' }] })],
      ];
      for (const [label, scope] of cases) {
        const hub = new FakeHub();
        hub.run(orgRun, T1, full);
        const plan = hub.run(withoutM2, T2, context({ accounts: [OTHER_ACCOUNT, THIRD_ACCOUNT], regions: ['us-east-1'], organization: { ...scope, accountsInScope: 2 } }));
        assert.ok(!archivedResources(plan).includes('arn:aws:s3:::m1-logs'), label);
        assert.deepEqual(keptReasons(plan, 'm1-logs'), ['bucket_writers_not_seen'], label);
      }
    });

    it('an UNKNOWN standing for buckets that could not be listed in another account keeps the bucket', () => {
      const hub = new FakeHub();
      hub.run(orgRun, T1, full);
      const unlisted: Finding = { ...bucket('*', 'UNKNOWN', 'us-east-1', ACCOUNT), reason: 'access_denied', message: 'the trails of M2 could not be listed' };
      const plan = hub.run([...withoutM2, unlisted], T2, full);
      assert.ok(!archivedResources(plan).includes('arn:aws:s3:::m1-logs'));
      assert.deepEqual(keptReasons(plan, 'm1-logs'), ['bucket_writers_not_seen']);
    });

    it('the whole organization seen, every account entered: the bucket no trail writes to any more is archived', () => {
      const hub = new FakeHub();
      hub.run(orgRun, T1, full);
      // M2's trail was deleted; M2 is still audited.
      const plan = hub.run(withoutM2, T2, full);
      assert.deepEqual(archivedResources(plan), ['arn:aws:s3:::m1-logs', trail('m2-trail', 'PASS', 'us-east-1', ACCOUNT).resource.id].sort());
    });
  });
});
