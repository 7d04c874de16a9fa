/**
 * The built CLI with the organization options, as a user runs it: bad values and combinations
 * end with exit 2 and one clear line before any AWS call (the endpoint is a closed loopback port,
 * so a call would show as a connection error instead), and `iam-policy --org` prints what the
 * caller of an organization audit needs.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './runCli.js';

interface Policy {
  Statement: { Sid: string; Effect: string; Action: string[]; Resource: string | string[] }[];
}

describe('organization options on the command line', function () {
  this.timeout(30_000);
  let cwd: string;
  before(() => {
    cwd = mkdtempSync(join(tmpdir(), 'trailaudit-org-cli-'));
  });
  after(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  async function usage(args: readonly string[], expected: RegExp): Promise<void> {
    const result = await runCli(['audit', '--endpoint-url', 'http://127.0.0.1:9', '--regions', 'us-east-1', '--output-dir', 'out', ...args], { cwd });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, expected);
    assert.doesNotMatch(result.stderr, /\n\s+at /u, 'no stack trace');
    assert.doesNotMatch(result.stderr, /ECONNREFUSED|sts:GetCallerIdentity/u, 'nothing was sent');
  }

  it('a malformed account id, unit id or shard is exit 2 naming the value', async () => {
    await usage(['--accounts', '12345'], /"12345" is not an AWS account id/u);
    await usage(['--ou', 'prod'], /"prod" is not an organizational unit id/u);
    await usage(['--org', '--shard', '5/4'], /--shard.*between 1 and N \(4\)/u);
  });

  it('role options without a choice of accounts are exit 2', async () => {
    await usage(['--role-name', 'Auditor'], /--role-name needs the accounts to audit: add --org, --ou, --accounts or --accounts-file/u);
  });

  it('a malformed --accounts-file is exit 2 with its file and line', async () => {
    writeFileSync(join(cwd, 'accounts.txt'), '111111111111\n22\n');
    await usage(['--accounts-file', 'accounts.txt'], /accounts\.txt:2:1: expected a 12-digit AWS account id/u);
  });

  it('iam-policy --org adds the discovery reads and AssumeRole on the named role', async () => {
    const result = await runCli(['iam-policy', '--org', '--role-name', 'Auditor'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    const policy = JSON.parse(result.stdout) as Policy;
    assert.deepEqual(policy.Statement.map((s) => s.Sid), ['TrailauditAudit', 'TrailauditOrganizationDiscovery', 'TrailauditAssumeAuditRole']);
    assert.ok(policy.Statement[1]?.Action.includes('organizations:ListAccounts'));
    assert.equal(policy.Statement[1]?.Resource, '*');
    assert.deepEqual(policy.Statement[2]?.Action, ['sts:AssumeRole']);
    assert.equal(policy.Statement[2].Resource, 'arn:aws:iam::*:role/Auditor');
    assert.match(result.stderr, /role Auditor in every other audited account needs the TrailauditAudit statement/u);
    const roleOnly = await runCli(['iam-policy', '--role-name', 'Auditor'], { cwd });
    assert.equal(roleOnly.code, 2);
    assert.match(roleOnly.stderr, /--role-name names the role of an organization audit: add --org/u);
    const plain = await runCli(['iam-policy'], { cwd });
    assert.deepEqual((JSON.parse(plain.stdout) as Policy).Statement.map((s) => s.Sid), ['TrailauditAudit'], 'unchanged without --org');
  });
});
