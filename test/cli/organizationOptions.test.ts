/**
 * The organization options of `audit` (src/cli/organizationOptions.ts), parsed by commander as the
 * CLI does: every value checked before any AWS call, the combinations that make no sense refused,
 * --accounts-file merged in. The end-to-end exit codes are in organizationCli.e2e.test.ts.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { addOrganizationOptions, organizationPolicyStatements, organizationScope, type RawOrganizationOptions } from '../../src/cli/organizationOptions.js';
import type { OrganizationScopeOptions } from '../../src/collect/org/options.js';
import { InputError, UsageError } from '../../src/errors.js';

function command(): Command {
  const audit = new Command('audit').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  return addOrganizationOptions(audit).action(() => undefined);
}

function scope(args: readonly string[], cwd = tmpdir(), notices: string[] = []): OrganizationScopeOptions | undefined {
  const audit = command();
  audit.parse([...args], { from: 'user' });
  return organizationScope(audit.opts<RawOrganizationOptions>(), audit, cwd, (message) => notices.push(message));
}

/** Commander's message for a refused option value (exit 2 in the CLI). */
function refused(args: readonly string[]): string {
  try {
    scope(args);
  } catch (error) {
    assert.ok(error instanceof CommanderError, String(error));
    assert.equal(error.code, 'commander.invalidArgument');
    return error.message;
  }
  return assert.fail(`${args.join(' ')} was accepted`);
}

describe('audit organization options', () => {
  it('none given: a single-account audit (undefined)', () => {
    assert.equal(scope([]), undefined);
  });

  it('--org with every option: the scope handed to the collector', () => {
    assert.deepEqual(
      scope([
        '--org', '--ou', 'ou-ab12-abcdefgh,r-ab12', '--exclude-accounts', '111111111111', '--role-name', 'Auditor',
        '--external-id', 'ext:id/1', '--role-session-name', 'nightly@audit', '--account-concurrency', '12', '--shard', '2/3',
        '--log-archive-account', '222222222222',
      ]),
      {
        org: true,
        organizationalUnits: ['ou-ab12-abcdefgh', 'r-ab12'],
        excludeAccounts: ['111111111111'],
        roleName: 'Auditor',
        externalId: 'ext:id/1',
        roleSessionName: 'nightly@audit',
        accountConcurrency: 12,
        shard: { index: 2, count: 3 },
        logArchiveAccounts: ['222222222222'],
      },
    );
    assert.deepEqual(scope(['--accounts', '333333333333']), {
      org: false,
      accounts: ['333333333333'],
      roleName: 'OrganizationAccountAccessRole',
      roleSessionName: 'trailaudit',
    });
  });

  it('account ids must be 12 digits, naming the value', () => {
    assert.match(refused(['--accounts', '111111111111,12345']), /"12345" is not an AWS account id \(12 digits\)/u);
    assert.match(refused(['--org', '--exclude-accounts', 'abc']), /"abc" is not an AWS account id/u);
    assert.match(refused(['--org', '--log-archive-account', '1111111111111']), /"1111111111111"/u);
  });

  it('--ou takes unit and root ids only', () => {
    assert.match(refused(['--ou', 'prod']), /"prod" is not an organizational unit id/u);
    assert.match(refused(['--ou', 'ou-ab12-abcdefgh,111111111111']), /"111111111111"/u);
  });

  it('--shard must be K/N with 1 ≤ K ≤ N', () => {
    assert.match(refused(['--org', '--shard', '3/2']), /between 1 and N \(2\)/u);
    assert.match(refused(['--org', '--shard', '0/2']), /between 1 and N/u);
    assert.match(refused(['--org', '--shard', '1/0']), /at least 1/u);
    assert.match(refused(['--org', '--shard', 'two']), /is not K\/N/u);
  });

  it('role values follow what STS accepts', () => {
    assert.match(refused(['--org', '--external-id', 'x']), /an external id must be 2-1224 characters/u);
    assert.match(refused(['--org', '--external-id', 'has space']), /"has space"/u);
    assert.match(refused(['--org', '--external-id', 'x'.repeat(1225)]), /2-1224/u);
    assert.match(refused(['--org', '--role-session-name', 'a/b']), /a role session name must be 2-64 characters/u);
    assert.match(refused(['--org', '--role-session-name', 's'.repeat(65)]), /2-64/u);
    assert.match(refused(['--org', '--role-name', 'bad name']), /a role name must be 1-64 characters/u);
    assert.match(refused(['--org', '--account-concurrency', '0']), /between 1 and 256/u);
  });

  it('options that refine a choice of accounts need one: a usage error naming them', () => {
    for (const args of [['--role-name', 'Auditor'], ['--external-id', 'abc'], ['--exclude-accounts', '111111111111'], ['--shard', '1/2', '--account-concurrency', '4']]) {
      assert.throws(
        () => scope(args),
        (error: unknown) => error instanceof UsageError && error.message.includes(args[0] ?? '') && /add --org, --ou, --accounts or --accounts-file/u.test(error.message),
        args.join(' '),
      );
    }
  });

  describe('--accounts-file', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'trailaudit-org-options-'));
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('its ids are united with --accounts, relative to the working directory', () => {
      writeFileSync(join(dir, 'ids.txt'), '222222222222\n111111111111 # also on the command line\n');
      assert.deepEqual(scope(['--accounts', '111111111111', '--accounts-file', 'ids.txt'], dir)?.accounts, ['111111111111', '222222222222']);
    });

    it('a list-accounts file: not ACTIVE accounts left out with a notice, or handed to discovery with --org', () => {
      writeFileSync(
        join(dir, 'list.json'),
        JSON.stringify({ Accounts: [{ Id: '111111111111', Status: 'ACTIVE' }, { Id: '222222222222', Status: 'SUSPENDED' }] }),
      );
      const notices: string[] = [];
      assert.deepEqual(scope(['--accounts-file', 'list.json'], dir, notices)?.accounts, ['111111111111']);
      assert.deepEqual(notices, ['--accounts-file list.json: account 222222222222 is SUSPENDED, not ACTIVE: not audited.']);
      // …and the report lists it as skipped, with its state (discovery adds these to its skipped list).
      assert.deepEqual(scope(['--accounts-file', 'list.json'], dir)?.skippedByList, [
        { accountId: '222222222222', reason: 'suspended', message: 'SUSPENDED in --accounts-file list.json: only ACTIVE accounts are audited.' },
      ]);
      // Discovery reads the state itself and lists it as skipped (suspended) in the report.
      assert.deepEqual(scope(['--org', '--accounts-file', 'list.json'], dir)?.accounts, ['111111111111', '222222222222']);
    });

    it('a malformed file is an InputError with the file and line, before anything is collected', () => {
      writeFileSync(join(dir, 'bad.txt'), '111111111111\nnot-an-id\n');
      assert.throws(
        () => scope(['--accounts-file', 'bad.txt'], dir),
        (error: unknown) => error instanceof InputError && error.issues[0]?.file === 'bad.txt' && error.issues[0].line === 2,
      );
    });
  });

  it('the iam-policy statements for the caller: discovery reads on *, AssumeRole on the role only', () => {
    assert.deepEqual(organizationPolicyStatements('Auditor'), [
      {
        sid: 'TrailauditOrganizationDiscovery',
        actions: ['organizations:DescribeOrganization', 'organizations:ListAccounts', 'organizations:ListAccountsForParent', 'organizations:ListChildren'],
      },
      { sid: 'TrailauditAssumeAuditRole', actions: ['sts:AssumeRole'], resources: ['arn:aws:iam::*:role/Auditor'] },
    ]);
  });
});
