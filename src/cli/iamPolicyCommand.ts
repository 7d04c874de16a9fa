/**
 * `trailaudit iam-policy`: the least-privilege identity policy a command needs, printed as JSON
 * (DESIGN §11). Statements per command; --org, --security-hub and an s3:// --history add theirs.
 */
import { Option, type Command } from 'commander';
import { permissionsFor } from '../collect/live/permissions.js';
import { UsageError } from '../errors.js';
import { isS3Url, parseS3Location } from '../history/s3Location.js';
import { s3HistoryPolicyStatements } from '../history/s3Policy.js';
import { frameworkNamed, type FrameworkName } from '../load/frameworks.js';
import { loadRules, resolveRulesFile } from '../load/loadRules.js';
import { selectChecks } from '../load/selectChecks.js';
import { DIGEST_ACTIONS } from '../logs/sources/permissions.js';
import { formatIamPolicy, type PolicyStatement } from '../report/catalogue.js';
import { frameworkOption, list } from './options.js';
import { organizationPolicyStatements, roleNameOption } from './organizationOptions.js';
import { loadCheckSet } from './pipeline.js';
import { hubRoleName, securityHubPolicyStatements } from './securityHubOptions.js';

/** `history`: an s3:// --history alone, all that evaluate and scan call AWS for. */
const IAM_POLICY_COMMANDS = ['audit', 'validate-logs', 'security-hub', 'history', 'all'] as const;
type IamPolicyCommand = (typeof IAM_POLICY_COMMANDS)[number];

const IAM_POLICY_HELP = `
evaluate and scan make no AWS calls but to an s3:// --history: --command history --history URL.
validate-logs needs kms:Decrypt only for trails that encrypt their log files with a KMS key
(SSE-KMS), and cloudtrail:ListPublicKeys only without --public-keys.
With --org, two statements more for the caller of an organization audit (audit --org, --ou,
--accounts): the Organizations reads of account discovery, and sts:AssumeRole on --role-name in
every account; that role in each audited account needs the TrailauditAudit statement.
security-hub (also audit --security-hub): Security Hub's import and reads, in every account whose
findings are imported; in an organization, the caller's own account and the role (--role-name)
in each other account.
--history s3://bucket/prefix (audit, history, all): list that prefix, read and write its index and
runs, delete a run's own report after losing a race; nothing else in the bucket. ARNs are in the
aws partition: replace "aws" for another.`;

interface RawIamPolicyOptions {
  command: IamPolicyCommand;
  rules?: string;
  checks?: string[];
  checksDir?: string;
  framework?: FrameworkName;
  org?: boolean;
  securityHub?: boolean;
  history?: string;
  roleName: string;
  securityHubRoleName?: string;
}

/** Combinations that would print a policy for something the user did not mean: exit 2. */
function checkCombination(raw: RawIamPolicyOptions, command: Command): void {
  if (raw.org !== true && command.getOptionValueSource('roleName') === 'cli') {
    throw new UsageError('iam-policy --role-name names the role of an organization audit: add --org.');
  }
  if (raw.securityHubRoleName !== undefined && (raw.org !== true || !importsToSecurityHub(raw))) {
    throw new UsageError('iam-policy --security-hub-role-name names the import role of an organization: add --org, and --security-hub (audit) or --command security-hub.');
  }
  if (raw.securityHub === true && raw.command !== 'audit') {
    throw new UsageError('iam-policy --security-hub adds to the audit\'s policy what audit --security-hub needs; for the import alone use --command security-hub.');
  }
  if (raw.history === undefined) {
    if (raw.command === 'history') {
      throw new UsageError('iam-policy --command history needs --history s3://bucket/prefix (the history the runs write to).');
    }
    return;
  }
  if (!isS3Url(raw.history)) {
    throw new UsageError(`iam-policy --history ${raw.history}: a folder history needs no AWS permission; give the s3://bucket/prefix of an S3 history.`);
  }
  if (raw.command === 'validate-logs' || raw.command === 'security-hub') {
    throw new UsageError(`iam-policy --history: ${raw.command} keeps no history; --history goes with audit, history (evaluate, scan) or all.`);
  }
}

function importsToSecurityHub(raw: RawIamPolicyOptions): boolean {
  return raw.command === 'security-hub' || raw.command === 'all' || (raw.command === 'audit' && raw.securityHub === true);
}

function auditStatement(raw: RawIamPolicyOptions, cwd: string): PolicyStatement {
  const checks = loadCheckSet(raw.checksDir, cwd);
  const rules = loadRules(resolveRulesFile(raw.rules, cwd), checks);
  const enabled = selectChecks(checks, rules, raw.checks, raw.framework === undefined ? undefined : frameworkNamed(raw.framework));
  const needs = new Set(enabled.flatMap(({ check }) => check.needs));
  return { sid: 'TrailauditAudit', actions: [...enabled.flatMap(({ check }) => check.permissions), ...permissionsFor(needs)] };
}

function policyStatements(raw: RawIamPolicyOptions, cwd: string): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const { command } = raw;
  if (command === 'audit' || command === 'all') {
    statements.push(auditStatement(raw, cwd));
  }
  if (raw.org === true && (command === 'audit' || command === 'all')) {
    statements.push(...organizationPolicyStatements(raw.roleName));
    process.stderr.write(
      `trailaudit: attach all statements to the caller (its own account is audited with its own credentials); the role ${raw.roleName} in every other audited account needs the TrailauditAudit statement and a trust policy allowing the caller.\n`,
    );
  }
  if (command === 'validate-logs' || command === 'all') {
    statements.push({ sid: 'TrailauditValidateLogs', actions: DIGEST_ACTIONS });
  }
  if (importsToSecurityHub(raw)) {
    // The role findings are imported with: --security-hub-role-name, else the audit's --role-name
    // (whose AssumeRole the organization statements already grant, except to `security-hub` alone).
    const importRole = raw.securityHubRoleName ?? raw.roleName;
    const assumed = raw.org === true && (command === 'security-hub' || importRole !== raw.roleName) ? importRole : undefined;
    statements.push(...securityHubPolicyStatements(assumed));
    if (raw.org === true) {
      process.stderr.write(
        `trailaudit: Security Hub takes a finding only from the account it belongs to: the role ${importRole} in every other account whose findings are imported needs the TrailauditSecurityHub statement too.\n`,
      );
    }
  }
  if (raw.history !== undefined) {
    statements.push(...s3HistoryPolicyStatements(parseS3Location(raw.history)));
  }
  return statements;
}

export function registerIamPolicyCommand(program: Command, cwd: string): void {
  program
    .command('iam-policy')
    .description('print the least-privilege IAM policy a command needs (audit: for the enabled checks)')
    .addOption(new Option('--command <name>', 'the command to grant').choices(IAM_POLICY_COMMANDS).default('audit'))
    .option('--rules <file>', 'rules.yaml deciding which checks are enabled (audit)')
    .option('--checks <ids>', 'only these checks (audit)', list)
    .option('--checks-dir <dir>', 'load check definitions from this directory (audit)')
    .addOption(frameworkOption())
    .option('--org', 'also what the caller of an organization audit needs: account discovery and sts:AssumeRole on --role-name')
    .option('--security-hub', 'audit: also what audit --security-hub needs (the TrailauditSecurityHub statement)')
    .option('--history <s3-url>', 'also what an s3://bucket/prefix --history needs (audit, all; alone: --command history)')
    .addOption(roleNameOption())
    .option('--security-hub-role-name <name>', 'with --org: the role findings are imported with, when not --role-name (sts:AssumeRole on it)', hubRoleName)
    .addHelpText('after', IAM_POLICY_HELP)
    .action((raw: RawIamPolicyOptions, command: Command) => {
      checkCombination(raw, command);
      process.stdout.write(formatIamPolicy(policyStatements(raw, cwd)));
    });
}
