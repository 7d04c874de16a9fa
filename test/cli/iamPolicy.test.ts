/**
 * `trailaudit iam-policy --command …`: what each command needs. validate-logs' calls are counted
 * only under names of DIGEST_PERMISSIONS (the CallCounter's type), so printing that table covers
 * every call it can make; the audit's side is proven against moto in cli.e2e.test.ts.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIGEST_ACTIONS } from '../../src/logs/sources/permissions.js';
import { runCli } from './runCli.js';

interface Policy {
  Statement: { Sid: string; Effect: string; Action: string[]; Resource: string }[];
}

describe('iam-policy --command', function () {
  this.timeout(20_000);
  let cwd: string;
  before(() => {
    cwd = mkdtempSync(join(tmpdir(), 'trailaudit-iam-'));
  });
  after(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  async function policyFor(...args: string[]): Promise<Policy> {
    const result = await runCli(['iam-policy', ...args], { cwd });
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as Policy;
  }

  it('validate-logs: every action it can call, plus kms:Decrypt for SSE-KMS logs, and nothing of the audit', async () => {
    const policy = await policyFor('--command', 'validate-logs');
    assert.deepEqual(policy.Statement.map((statement) => statement.Sid), ['TrailauditValidateLogs']);
    const actions: readonly string[] = policy.Statement[0]?.Action ?? [];
    assert.deepEqual([...actions], [...DIGEST_ACTIONS].sort());
    for (const needed of ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:ListPublicKeys', 's3:ListBucket', 's3:GetObject', 'kms:Decrypt']) {
      assert.ok(actions.includes(needed), `${needed} missing`);
    }
    assert.ok(!actions.includes('s3:GetBucketAcl'));
  });

  it('audit is the default; all = one statement per command', async () => {
    const audit = await policyFor();
    assert.deepEqual(audit.Statement.map((statement) => statement.Sid), ['TrailauditAudit']);
    assert.ok(audit.Statement[0]?.Action.includes('s3:GetBucketAcl'));
    assert.ok(!audit.Statement[0]?.Action.includes('s3:GetObject'));
    const all = await policyFor('--command', 'all');
    assert.deepEqual(all.Statement.map((statement) => statement.Sid), ['TrailauditAudit', 'TrailauditValidateLogs', 'TrailauditSecurityHub']);
    assert.deepEqual(all.Statement[0]?.Action, audit.Statement[0]?.Action);
    for (const statement of all.Statement) {
      assert.equal(statement.Effect, 'Allow');
      assert.equal(new Set(statement.Action).size, statement.Action.length);
    }
  });

  it('security-hub: the import and compare calls; audit --security-hub adds them to the audit; in organizations each role needs them', async () => {
    const hub = await policyFor('--command', 'security-hub');
    assert.deepEqual(hub.Statement, [{ Sid: 'TrailauditSecurityHub', Effect: 'Allow', Action: ['securityhub:BatchImportFindings', 'securityhub:GetFindings'], Resource: '*' }]);
    const audit = await policyFor('--security-hub');
    assert.deepEqual(audit.Statement.map((statement) => statement.Sid), ['TrailauditAudit', 'TrailauditSecurityHub']);
    const org = await runCli(['iam-policy', '--command', 'security-hub', '--org', '--role-name', 'Importer'], { cwd });
    assert.equal(org.code, 0, org.stderr);
    const orgPolicy = JSON.parse(org.stdout) as Policy;
    assert.deepEqual(
      orgPolicy.Statement.map((statement) => [statement.Sid, statement.Resource]),
      [
        ['TrailauditSecurityHub', '*'],
        ['TrailauditAssumeImportRole', 'arn:aws:iam::*:role/Importer'],
      ],
    );
    assert.match(org.stderr, /the role Importer in every other account whose findings are imported needs the TrailauditSecurityHub statement/u);
    // audit --org --security-hub --security-hub-role-name: the caller assumes the import role too.
    const distinct = await runCli(['iam-policy', '--org', '--security-hub', '--security-hub-role-name', 'Importer'], { cwd });
    assert.equal(distinct.code, 0, distinct.stderr);
    assert.deepEqual(
      (JSON.parse(distinct.stdout) as Policy).Statement.filter((statement) => statement.Sid.startsWith('TrailauditAssume')).map((statement) => statement.Resource),
      ['arn:aws:iam::*:role/OrganizationAccountAccessRole', 'arn:aws:iam::*:role/Importer'],
    );
    assert.match(distinct.stderr, /the role Importer in every other account whose findings are imported/u);
    const withoutOrg = await runCli(['iam-policy', '--security-hub', '--security-hub-role-name', 'Importer'], { cwd });
    assert.equal(withoutOrg.code, 2);
    assert.match(withoutOrg.stderr, /add --org/u);
    const misplaced = await runCli(['iam-policy', '--command', 'validate-logs', '--security-hub'], { cwd });
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.stderr, /--command security-hub/u);
  });

  it('--history s3://…: the history statements, alone (--command history) or after the audit; misplaced or folder histories refused (exit 2)', async () => {
    const alone = await policyFor('--command', 'history', '--history', 's3://bkt/h');
    assert.deepEqual(alone.Statement.map((statement) => statement.Sid), ['TrailauditListHistory', 'TrailauditReadWriteHistory', 'TrailauditRemoveOwnHistoryRun']);
    const root = await policyFor('--command', 'history', '--history', 's3://bkt');
    assert.deepEqual(root.Statement.map((statement) => statement.Resource), ['arn:aws:s3:::bkt', ['arn:aws:s3:::bkt/index.json', 'arn:aws:s3:::bkt/runs/*'], 'arn:aws:s3:::bkt/runs/*']);
    assert.ok(root.Statement.every((statement) => !('Condition' in statement)), 'a root history lists the whole bucket: no prefix condition');
    const audit = await policyFor('--history', 's3://bkt/h');
    assert.deepEqual(audit.Statement.map((statement) => statement.Sid), ['TrailauditAudit', 'TrailauditListHistory', 'TrailauditReadWriteHistory', 'TrailauditRemoveOwnHistoryRun']);
    const refusals: [string[], RegExp][] = [
      [['--command', 'history'], /--command history needs --history s3:\/\/bucket\/prefix/u],
      [['--history', 'reports/history'], /a folder history needs no AWS permission/u],
      [['--command', 'validate-logs', '--history', 's3://bkt/h'], /validate-logs keeps no history/u],
      [['--command', 'history', '--history', 's3://B/h'], /is not an S3 bucket name/u],
    ];
    for (const [args, message] of refusals) {
      const result = await runCli(['iam-policy', ...args], { cwd });
      assert.equal(result.code, 2, result.stdout);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
  });

  it('rejects a command that makes no AWS calls or does not exist (exit 2)', async () => {
    for (const name of ['scan', 'nope']) {
      const result = await runCli(['iam-policy', '--command', name], { cwd });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /Allowed choices are audit, validate-logs, security-hub, history, all/u);
    }
  });
});
