/**
 * The options of `audit` that make it an organization audit (issue 13): which accounts
 * (--org, --ou, --accounts, --accounts-file, --exclude-accounts, --shard, --log-archive-account),
 * how to enter them (--role-name, --external-id, --role-session-name) and how many at once
 * (--account-concurrency). Values are checked here, before any AWS call (exit 2 naming the value);
 * which accounts they come to is discovery's job (src/collect/org/discovery.ts).
 */
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_ROLE_NAME, DEFAULT_ROLE_SESSION_NAME, type OrganizationScopeOptions } from '../collect/org/options.js';
import { parseShard } from '../collect/org/shard.js';
import { TrailauditError, UsageError } from '../errors.js';
import type { ShardSpec, SkippedAccount } from '../facts/organization.js';
import { ACCOUNT_ID_PATTERN, readAccountsFile } from '../load/accountsFile.js';
import { ORGANIZATION_OPERATIONS } from '../collect/live/permissions.js';
import type { PolicyStatement } from '../report/catalogue.js';
import { list, positiveInteger } from './options.js';

export interface RawOrganizationOptions {
  org?: boolean;
  ou?: string[];
  accounts?: string[];
  excludeAccounts?: string[];
  accountsFile?: string;
  roleName: string;
  externalId?: string;
  roleSessionName: string;
  accountConcurrency?: number;
  shard?: ShardSpec;
  logArchiveAccount?: string[];
}

function accountIds(value: string): string[] {
  const ids = list(value);
  for (const id of ids) {
    if (!ACCOUNT_ID_PATTERN.test(id)) {
      throw new InvalidArgumentError(`"${id}" is not an AWS account id (12 digits)`);
    }
  }
  return ids;
}

/** An organizational unit (`ou-<root part>-<unit part>`) or a root (`r-…`), as Organizations spells them. */
const UNIT_ID_PATTERN = /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/u;

function unitIds(value: string): string[] {
  const ids = list(value);
  for (const id of ids) {
    if (!UNIT_ID_PATTERN.test(id)) {
      throw new InvalidArgumentError(`"${id}" is not an organizational unit id (ou-xxxx-yyyyyyyy) or root id (r-xxxx)`);
    }
  }
  return ids;
}

/** A value checked against the length and characters STS / IAM accept (an error AWS would give later, per account). */
function constrained(what: string, min: number, max: number, pattern: RegExp, characters: string) {
  return (value: string): string => {
    if (value.length < min || value.length > max || !pattern.test(value)) {
      throw new InvalidArgumentError(`${what} must be ${min}-${max} characters of ${characters}, got "${value}"`);
    }
    return value;
  };
}

const roleName = constrained('a role name', 1, 64, /^[\w+=,.@-]+$/u, 'letters, digits and +=,.@_-');
const externalId = constrained('an external id', 2, 1224, /^[\w+=,.@:/-]+$/u, 'letters, digits and +=,.@:/_-');
const roleSessionName = constrained('a role session name', 2, 64, /^[\w+=,.@-]+$/u, 'letters, digits and +=,.@_-');

function shard(value: string): ShardSpec {
  try {
    return parseShard(value);
  } catch (error) {
    // Commander names the option and the value for its own argument errors.
    throw new InvalidArgumentError(error instanceof TrailauditError ? error.message : String(error));
  }
}

/**
 * What the caller of an organization audit needs beyond the audit statement (which it needs for
 * its own account, and each member's role needs): the discovery reads, and sts:AssumeRole on the
 * role of that name in any account (a statement of its own: AssumeRole can be limited to the role,
 * the Organizations reads cannot be limited to anything narrower than `*`).
 */
export function organizationPolicyStatements(role: string): PolicyStatement[] {
  return [
    { sid: 'TrailauditOrganizationDiscovery', actions: Object.keys(ORGANIZATION_OPERATIONS).filter((action) => action.startsWith('organizations:')) },
    { sid: 'TrailauditAssumeAuditRole', actions: ['sts:AssumeRole'], resources: [`arn:aws:iam::*:role/${role}`] },
  ];
}

/** --role-name's parser, for iam-policy too. */
export const roleNameOption = (): Option =>
  new Option('--role-name <name>', 'role assumed in each audited account other than the caller\'s').argParser(roleName).default(DEFAULT_ROLE_NAME);

export function addOrganizationOptions(command: Command): Command {
  return command
    .option('--org', 'audit every ACTIVE account of the organization (organizations:ListAccounts as the management account or a delegated administrator)')
    .option('--ou <ids>', 'only the accounts under these organizational units or roots, at any depth (comma-separated)', unitIds)
    .option('--accounts <ids>', 'audit these accounts (comma-separated 12-digit ids); with --org or --ou, those of them in the organization', accountIds)
    .option('--accounts-file <file>', 'accounts to audit from a file: one id a line (# comments), a JSON array of ids, or `aws organizations list-accounts` JSON')
    .option('--exclude-accounts <ids>', 'leave these accounts out (listed as skipped in the report)', accountIds)
    .addOption(roleNameOption())
    .option('--external-id <id>', 'external id to pass when assuming the role', externalId)
    .addOption(new Option('--role-session-name <name>', 'session name of the assumed roles (shows in the members\' CloudTrail)').argParser(roleSessionName).default(DEFAULT_ROLE_SESSION_NAME))
    .option('--account-concurrency <n>', 'accounts audited at once (default: chosen by measurement, see BENCHMARKS.md)', positiveInteger)
    .option(
      '--shard <K/N>',
      'audit only part K of N disjoint parts of the accounts (account id mod N = K-1); save each part with --save-snapshot and `trailaudit evaluate` the snapshots together',
      shard,
    )
    .option('--log-archive-account <ids>', 'accounts owning the trails\' log buckets, entered to read those buckets even when this shard does not audit them', accountIds);
}

/** Options that choose accounts on their own; the others only refine a choice. */
function choosesAccounts(raw: RawOrganizationOptions): boolean {
  return raw.org === true || raw.ou !== undefined || raw.accounts !== undefined || raw.accountsFile !== undefined;
}

/** The options that only make sense once accounts are chosen: commander's attribute name, the flag. */
const REFINEMENTS: readonly (readonly [keyof RawOrganizationOptions, string])[] = [
  ['excludeAccounts', '--exclude-accounts'],
  ['shard', '--shard'],
  ['logArchiveAccount', '--log-archive-account'],
  ['accountConcurrency', '--account-concurrency'],
  ['roleName', '--role-name'],
  ['externalId', '--external-id'],
  ['roleSessionName', '--role-session-name'],
];

/** Those given on the command line (a default, such as --role-name's, is not given). */
function refinementsGiven(command: Command): string[] {
  return REFINEMENTS.filter(([key]) => {
    const source = command.getOptionValueSource(key);
    return source !== undefined && source !== 'default';
  }).map(([, flag]) => flag);
}

/**
 * The organization scope the options ask for, or undefined for a single-account audit (none of
 * them given). Reads --accounts-file (exit 2 on a bad file, before any AWS call). Accounts of a
 * list-accounts file that are not ACTIVE are handed to discovery with --org / --ou (which reports
 * them skipped with their state) and otherwise left out with a notice.
 */
export function organizationScope(
  raw: RawOrganizationOptions,
  command: Command,
  cwd: string,
  notice: (message: string) => void,
): OrganizationScopeOptions | undefined {
  if (!choosesAccounts(raw)) {
    const orphans = refinementsGiven(command);
    if (orphans.length > 0) {
      throw new UsageError(`${orphans.join(', ')} need${orphans.length === 1 ? 's' : ''} the accounts to audit: add --org, --ou, --accounts or --accounts-file.`);
    }
    return undefined;
  }
  const discovers = raw.org === true || raw.ou !== undefined;
  const fromFile: string[] = [];
  const skippedByList: SkippedAccount[] = [];
  if (raw.accountsFile !== undefined) {
    const content = readAccountsFile(resolve(cwd, raw.accountsFile), raw.accountsFile);
    fromFile.push(...content.accountIds);
    for (const { id, state } of content.notActive) {
      if (discovers) {
        fromFile.push(id);
      } else {
        notice(`--accounts-file ${raw.accountsFile}: account ${id} is ${state}, not ACTIVE: not audited.`);
        // The report names it too, as discovery would: skipped, with its state.
        skippedByList.push({
          accountId: id,
          reason: state === 'SUSPENDED' ? 'suspended' : 'not_active',
          message: `${state} in --accounts-file ${raw.accountsFile}: only ACTIVE accounts are audited.`,
        });
      }
    }
  }
  const accounts = raw.accounts === undefined && raw.accountsFile === undefined ? undefined : [...new Set([...(raw.accounts ?? []), ...fromFile])];
  return {
    org: raw.org === true,
    ...(raw.ou === undefined ? {} : { organizationalUnits: [...new Set(raw.ou)] }),
    ...(accounts === undefined ? {} : { accounts }),
    ...(skippedByList.length === 0 ? {} : { skippedByList }),
    ...(raw.excludeAccounts === undefined ? {} : { excludeAccounts: [...new Set(raw.excludeAccounts)] }),
    roleName: raw.roleName,
    ...(raw.externalId === undefined ? {} : { externalId: raw.externalId }),
    roleSessionName: raw.roleSessionName,
    ...(raw.accountConcurrency === undefined ? {} : { accountConcurrency: raw.accountConcurrency }),
    ...(raw.shard === undefined ? {} : { shard: raw.shard }),
    ...(raw.logArchiveAccount === undefined ? {} : { logArchiveAccounts: [...new Set(raw.logArchiveAccount)] }),
  };
}
