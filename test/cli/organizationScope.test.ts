/**
 * What the pipeline tells the reports about an organization: `scope.organization` from the fact
 * set's `organization` and `auditedAccounts`, and an account on every finding of an organization
 * set (a log bucket whose owner is outside the audit included).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { organizationScope, withFindingAccounts } from '../../src/cli/organizationScope.js';
import { evaluateAndReport, prepare } from '../../src/cli/pipeline.js';
import type { AccountFacts, FactSet } from '../../src/facts/model.js';
import { FORMATTERS } from '../../src/report/index.js';
import { ACCOUNT_ID, buildFacts, trailArn } from '../../src/tester/index.js';

const MEMBER = '210987654321';
const DENIED = '333333333333';

function accountFacts(id: string, extra: Partial<AccountFacts> = {}): AccountFacts {
  return { ref: { type: 'AWS::::Account', id, accountId: id, region: 'global' }, id, partition: 'aws', ...extra };
}

/** An organization set: the caller (ACCOUNT_ID), a member, and an account whose role failed. */
function organizationSet(): FactSet {
  const built = buildFacts({ trails: [{ name: 'main', s3BucketName: 'central-logs' }], buckets: [{ name: 'central-logs', unreadable: 'cross_account', trailArns: [trailArn('main')] }] });
  return {
    ...built,
    accounts: [ACCOUNT_ID, MEMBER, DENIED].sort(),
    account: { ...built.account, name: 'management', organizationId: 'o-abc123def4' },
    auditedAccounts: [
      { ...built.account, name: 'management', organizationId: 'o-abc123def4' },
      accountFacts(MEMBER, { name: 'workload', organizationId: 'o-abc123def4' }),
      accountFacts(DENIED, { unreachable: { reason: 'access_denied', message: `Could not assume arn:aws:iam::${DENIED}:role/OrganizationAccountAccessRole.`, operation: 'sts:AssumeRole' } }),
    ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    organization: {
      id: 'o-abc123def4',
      managementAccountId: ACCOUNT_ID,
      callerAccountId: ACCOUNT_ID,
      callerArn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/AuditRunner/scheduled`,
      roleName: 'OrganizationAccountAccessRole',
      accountsInScope: [ACCOUNT_ID, MEMBER, DENIED, '444444444444'].sort(),
      skipped: [{ accountId: '555555555555', name: 'closed', reason: 'suspended', message: 'SUSPENDED in organization o-abc123def4' }],
      shard: { index: 1, count: 2 },
    },
  };
}

describe('organization scope (pipeline)', () => {
  it('is built from the organization facts and the audited accounts (names, unreachable with reason and message)', () => {
    assert.deepEqual(organizationScope(organizationSet()), {
      id: 'o-abc123def4',
      managementAccountId: ACCOUNT_ID,
      callerAccountId: ACCOUNT_ID,
      roleName: 'OrganizationAccountAccessRole',
      accountNames: { [ACCOUNT_ID]: 'management', [MEMBER]: 'workload', '555555555555': 'closed' },
      skipped: [{ accountId: '555555555555', name: 'closed', reason: 'suspended', message: 'SUSPENDED in organization o-abc123def4' }],
      unreachable: [{ accountId: DENIED, reason: 'access_denied', message: `Could not assume arn:aws:iam::${DENIED}:role/OrganizationAccountAccessRole.` }],
      shard: { index: 1, count: 2 },
      accountsInScope: 4,
    });
  });

  it('is absent for a single-account set', () => {
    assert.equal(organizationScope(buildFacts({ trails: [{ name: 'main' }] })), undefined);
  });

  describe('through evaluateAndReport', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'trailaudit-org-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes scope.accounts and scope.organization, and files the foreign bucket under the account whose trail delivers there', async () => {
      writeFileSync(join(dir, 'rules.yaml'), 'version: 1\n');
      const prepared = prepare({ rules: 'rules.yaml', checks: ['CloudTrail.6', 'CloudTrail.7'], format: ['json'], outputDir: dir, allowUnknown: false, cwd: dir });
      const now = new Date('2026-06-15T12:00:00Z');
      const outcome = await evaluateAndReport(prepared, organizationSet(), { outputDir: dir, startedAt: now, inputs: [], now, formatters: FORMATTERS });
      const report = JSON.parse(readFileSync(join(dir, 'trailaudit.json'), 'utf8')) as {
        scope: { accounts: string[]; organization?: { id: string } };
        findings: { control: string; status: string; resource: { id: string; accountId: string | null } }[];
      };
      assert.deepEqual(report.scope.accounts, [ACCOUNT_ID, MEMBER, DENIED].sort());
      assert.equal(report.scope.organization?.id, 'o-abc123def4');
      // Who ran it is the caller, not the first audited account's principal.
      assert.equal((report.scope as { principalArn?: string }).principalArn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/AuditRunner/scheduled`);
      const bucket = report.findings.filter((f) => f.resource.id === 'arn:aws:s3:::central-logs');
      assert.deepEqual(
        bucket.map((f) => [f.control, f.status, f.resource.accountId]),
        [
          ['CloudTrail.6', 'UNKNOWN', ACCOUNT_ID],
          ['CloudTrail.7', 'UNKNOWN', ACCOUNT_ID],
        ],
      );
      assert.ok(outcome.evaluation.findings.every((f) => f.resource.accountId !== null), 'the exit code and every report see the same findings');
    });
  });

  it('leaves a single-account set as the engine gave it (an unknown owner stays null)', () => {
    const facts = buildFacts({ trails: [{ name: 'main', s3BucketName: 'central-logs' }], buckets: [{ name: 'central-logs', unreadable: 'cross_account', trailArns: [trailArn('main')] }] });
    const finding = { resource: { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::central-logs', accountId: null, region: 'unknown' } } as never;
    assert.equal(withFindingAccounts([finding], facts)[0], finding);
  });

  it('files a finding with no delivering audited account under the caller', () => {
    const facts = { ...organizationSet(), buckets: [] };
    const finding = { control: 'X.1', resource: { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::elsewhere', accountId: null, region: 'unknown' } } as never;
    assert.equal(withFindingAccounts([finding], facts)[0]?.resource.accountId, ACCOUNT_ID);
  });
});
