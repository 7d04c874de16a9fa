/**
 * deploy/aws/template.yaml and member-role.yaml, checked without deploying them (cfn-lint is a
 * PyPI package, not available here; nothing is deployed): parsed with the CloudFormation YAML
 * reader of `scan` (short-form tags, duplicate keys refused), every reference resolved, the state
 * machine's substitutions equal to the definition's placeholders, the handlers existing, and the
 * IAM policies least-privilege: the audit statements exactly what `trailaudit iam-policy --org`
 * prints, the Security Hub ones what `iam-policy --command security-hub` prints, the member audit
 * role read-only, S3 limited to the run prefix.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTemplate } from '../../src/collect/cloudformation/parse.js';
import * as handlers from '../../src/lambda/index.js';
import { batching } from '../../src/lambda/settings.js';
import { REPORT_FORMATS } from '../../src/report/formats.js';
import { runCli } from '../cli/runCli.js';
import { placeholders } from './placeholders.js';

const DEPLOY = fileURLToPath(new URL('../../deploy/aws/', import.meta.url));
const SRC_LAMBDA = fileURLToPath(new URL('../../src/lambda/', import.meta.url));

interface Template {
  readonly Parameters?: Record<string, unknown>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;
  readonly Outputs?: Record<string, unknown>;
}

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

function load(name: string): Template {
  return parseTemplate(readFileSync(join(DEPLOY, name), 'utf8'), name).data as Template;
}

function resource(template: Template, name: string): Template['Resources'][string] {
  const found = template.Resources[name];
  assert.ok(found, `resource ${name}`);
  return found;
}

/** Every statement of a role's inline policies; `Fn::If` branches taken as given, AWS::NoValue dropped. */
function statements(template: Template, role: string): Statement[] {
  const policies = resource(template, role).Properties.Policies as { PolicyDocument: { Statement: unknown[] } }[];
  return policies.flatMap((policy) =>
    policy.PolicyDocument.Statement.flatMap((entry): Statement[] => {
      const conditional = (entry as { 'Fn::If'?: [string, unknown, unknown] })['Fn::If'];
      return conditional === undefined ? [entry as Statement] : [conditional[1] as Statement];
    }),
  );
}

function actionsOf(statement: Statement | undefined): string[] {
  assert.ok(statement);
  return (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).slice().sort();
}

function bySid(list: readonly Statement[], sid: string): Statement {
  const found = list.find((statement) => statement.Sid === sid);
  assert.ok(found, `statement ${sid}`);
  return found;
}

/** Every Ref, GetAtt and ${…} of !Sub in a value, with the names they use. */
function references(value: unknown, found: { refs: string[]; getAtts: string[]; subs: string[]; conditions: string[] } = { refs: [], getAtts: [], subs: [], conditions: [] }) {
  if (Array.isArray(value)) {
    value.forEach((item) => references(item, found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') {
        found.refs.push(inner);
      } else if (key === 'Fn::GetAtt' && Array.isArray(inner)) {
        found.getAtts.push(String(inner[0]));
      } else if (key === 'Fn::Sub' && typeof inner === 'string') {
        found.subs.push(...[...inner.matchAll(/\$\{([\w:]+)(?:\.\w+)?\}/gu)].map((match) => match[1] ?? ''));
      } else if (key === 'Fn::If' && Array.isArray(inner)) {
        found.conditions.push(String(inner[0]));
      } else if (key === 'Condition' && typeof inner === 'string') {
        found.conditions.push(inner);
      }
      references(inner, found);
    }
  }
  return found;
}

/** Read-only verbs: what the member audit role may do. */
const READ_VERB = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/u;

describe('deploy/aws CloudFormation templates', function () {
  this.timeout(30_000);
  let auditActions: string[];
  let discoveryActions: string[];
  let securityHubActions: string[];

  before(async () => {
    // The built CLI, as a user would print it (npm test builds first).
    const cwd = mkdtempSync(join(tmpdir(), 'trailaudit-deploy-'));
    try {
      const result = await runCli(['iam-policy', '--org', '--role-name', 'TrailauditAuditRole'], { cwd });
      assert.equal(result.code, 0, result.stderr);
      const policy = JSON.parse(result.stdout) as { Statement: Statement[] };
      auditActions = actionsOf(bySid(policy.Statement, 'TrailauditAudit'));
      discoveryActions = actionsOf(bySid(policy.Statement, 'TrailauditOrganizationDiscovery'));
      assert.deepEqual(bySid(policy.Statement, 'TrailauditAssumeAuditRole').Resource, 'arn:aws:iam::*:role/TrailauditAuditRole');
      const hub = await runCli(['iam-policy', '--command', 'security-hub'], { cwd });
      assert.equal(hub.code, 0, hub.stderr);
      securityHubActions = actionsOf(bySid((JSON.parse(hub.stdout) as { Statement: Statement[] }).Statement, 'TrailauditSecurityHub'));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  for (const name of ['template.yaml', 'member-role.yaml']) {
    it(`${name}: every Ref, GetAtt, \${…} and condition names a parameter, resource, pseudo parameter or condition`, () => {
      const template = load(name);
      const known = new Set([...Object.keys(template.Parameters ?? {}), ...Object.keys(template.Resources)]);
      const found = references({ Resources: template.Resources, Outputs: template.Outputs });
      for (const ref of [...found.refs, ...found.subs]) {
        assert.ok(known.has(ref) || ref.startsWith('AWS::'), `${name}: ${ref} is not defined`);
      }
      for (const target of found.getAtts) {
        assert.ok(target in template.Resources, `${name}: GetAtt of ${target}`);
      }
      for (const condition of found.conditions) {
        assert.ok(condition in (template.Conditions ?? {}), `${name}: condition ${condition}`);
      }
    });
  }

  it('runs a STANDARD state machine from statemachine.asl.json on a schedule, every placeholder substituted with a function', () => {
    const template = load('template.yaml');
    const machine = resource(template, 'AuditStateMachine');
    assert.equal(machine.Type, 'AWS::StepFunctions::StateMachine');
    assert.equal(machine.Properties.StateMachineType, 'STANDARD');
    // A local path: `aws cloudformation package` uploads it (README "Scheduled audits").
    assert.equal(machine.Properties.DefinitionS3Location, 'statemachine.asl.json');
    const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>;
    assert.deepEqual(Object.keys(substitutions).sort(), placeholders(readFileSync(join(DEPLOY, 'statemachine.asl.json'), 'utf8')));
    for (const value of Object.values(substitutions)) {
      assert.equal(value['Fn::GetAtt'][1], 'Arn');
      assert.equal(resource(template, value['Fn::GetAtt'][0]).Type, 'AWS::Lambda::Function');
    }
    const schedule = resource(template, 'AuditSchedule');
    assert.equal(schedule.Type, 'AWS::Scheduler::Schedule');
    assert.deepEqual((schedule.Properties.Target as { Arn: unknown }).Arn, { Ref: 'AuditStateMachine' });
    assert.deepEqual(schedule.Properties.ScheduleExpression, { Ref: 'ScheduleExpression' });
  });

  it('points every function at a handler trailaudit/lambda exports, in the zip build.sh makes, on nodejs22.x', () => {
    const template = load('template.yaml');
    const functions = Object.values(template.Resources).filter((candidate) => candidate.Type === 'AWS::Lambda::Function');
    assert.equal(functions.length, 4);
    const exported = Object.keys(handlers).sort();
    assert.deepEqual(functions.map((fn) => String(fn.Properties.Handler).replace('dist/lambda/index.', '')).sort(), exported);
    for (const fn of functions) {
      // DESIGN §11: the SDK's releases after early 2027 need Node 22.
      assert.equal(fn.Properties.Runtime, 'nodejs22.x');
      assert.equal(fn.Properties.Code, 'build/trailaudit-lambda.zip');
      assert.ok(Number(fn.Properties.Timeout) <= 900);
    }
  });

  it('gives the member audit role exactly the read-only statement iam-policy prints, trusted by the audit function only', () => {
    const member = load('member-role.yaml');
    const role = resource(member, 'AuditRole');
    const list = statements(member, 'AuditRole');
    assert.deepEqual(list.map((statement) => statement.Sid), ['TrailauditAudit']);
    assert.deepEqual(actionsOf(list[0]), auditActions);
    for (const action of actionsOf(list[0])) {
      assert.match(action, READ_VERB, `${action} is not a read`);
    }
    const trust = (role.Properties.AssumeRolePolicyDocument as { Statement: { Principal: unknown; Condition?: unknown }[] }).Statement;
    assert.deepEqual(trust.map((statement) => statement.Principal), [{ AWS: { Ref: 'AuditorRoleArn' } }]);
    // template.yaml's ExternalId has its counterpart: both roles require it when it is set.
    const externalId = { 'Fn::If': ['RequireExternalId', { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } }, { Ref: 'AWS::NoValue' }] };
    assert.deepEqual(trust.map((statement) => statement.Condition), [externalId]);
    const importTrust = (resource(member, 'SecurityHubImportRole').Properties.AssumeRolePolicyDocument as { Statement: { Principal: unknown; Condition?: unknown }[] }).Statement;
    assert.deepEqual(importTrust.map((statement) => [statement.Principal, statement.Condition]), [[{ AWS: { Ref: 'ImporterRoleArn' } }, externalId]]);
    assert.deepEqual(member.Conditions?.RequireExternalId, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ExternalId' }, ''] }] });
    assert.equal((member.Parameters?.ExternalId as { Default?: unknown } | undefined)?.Default, '');
    // The optional Security Hub role may import and read findings, nothing else.
    const importRole = resource(member, 'SecurityHubImportRole');
    assert.equal(importRole.Condition, 'CreateImportRole');
    assert.deepEqual(actionsOf(statements(member, 'SecurityHubImportRole')[0]), securityHubActions);
    assert.deepEqual(securityHubActions, ['securityhub:BatchImportFindings', 'securityhub:GetFindings']);
  });

  it('lets the audit function read its own account as iam-policy --org prints it, assume only the audit role, and write only snapshots', () => {
    const template = load('template.yaml');
    const list = statements(template, 'AuditAccountsRole');
    assert.deepEqual(actionsOf(bySid(list, 'TrailauditAudit')), auditActions);
    assert.deepEqual(bySid(list, 'TrailauditAssumeAuditRole').Resource, { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/${AuditRoleName}' });
    assert.deepEqual(actionsOf(bySid(list, 'TrailauditAssumeAuditRole')), ['sts:AssumeRole']);
    assert.deepEqual(bySid(list, 'WriteSnapshots').Resource, { 'Fn::Sub': '${ReportBucket.Arn}/${ReportPrefix}/runs/*/snapshots/*' });
    assert.deepEqual(list.map((statement) => statement.Sid).sort(), ['ReadRunFiles', 'TrailauditAssumeAuditRole', 'TrailauditAudit', 'WriteSnapshots']);
    // Discovery only where it runs.
    assert.deepEqual(actionsOf(bySid(statements(template, 'ListAccountsRole'), 'TrailauditOrganizationDiscovery')), discoveryActions);
    assert.deepEqual(
      statements(template, 'RecordFailureRole').map((statement) => statement.Sid),
      ['ReadRunFiles', 'WriteSnapshots'],
    );
  });

  it('keeps every S3 permission on the report prefix and Security Hub behind its condition', () => {
    const template = load('template.yaml');
    for (const role of ['ListAccountsRole', 'AuditAccountsRole', 'RecordFailureRole', 'ReduceRole', 'StateMachineRole']) {
      for (const statement of statements(template, role)) {
        const s3 = actionsOf(statement).filter((action) => action.startsWith('s3:') && action !== 's3:ListAllMyBuckets' && !auditActions.includes(action));
        if (s3.length === 0) {
          continue;
        }
        const resources = (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]) as unknown[];
        for (const target of resources) {
          const text = JSON.stringify(target);
          assert.ok(text.includes('ReportBucket'), `${role} ${statement.Sid ?? ''}: ${text}`);
          assert.ok(s3.includes('s3:ListBucket') || text.includes('${ReportPrefix}/'), `${role} ${statement.Sid ?? ''} is limited to the prefix: ${text}`);
        }
      }
    }
    const reduce = resource(template, 'ReduceRole').Properties.Policies as { PolicyDocument: { Statement: unknown[] } }[];
    const conditional = reduce.flatMap((policy) => policy.PolicyDocument.Statement).filter((entry) => typeof entry === 'object' && entry !== null && 'Fn::If' in entry);
    const condition = (name: string): number => conditional.filter((entry) => (entry as { 'Fn::If': [string] })['Fn::If'][0] === name).length;
    assert.equal(condition('ImportToSecurityHub'), 2, 'both Security Hub statements exist only with SecurityHubImport=true');
    assert.equal(condition('KeepHistory'), 3, 'the history statements exist only with a HistoryPrefix');
    assert.equal(conditional.length, 5);
    assert.deepEqual(actionsOf(bySid(statements(template, 'ReduceRole'), 'SecurityHubImportOwnAccount')), securityHubActions);
    assert.deepEqual(bySid(statements(template, 'ReduceRole'), 'ListRunSnapshots').Condition, { StringLike: { 's3:prefix': { 'Fn::Sub': '${ReportPrefix}/runs/*' } } });
  });

  it('has a parameter for every TRAILAUDIT_* variable the handlers read, wired into the environment of the function that reads it', () => {
    const template = load('template.yaml');
    const sources = ['settings.ts', 'listAccounts.ts', 'reduce.ts', 'auditAccounts.ts', 'recordFailure.ts', 'runContext.ts'].map((file) => readFileSync(join(SRC_LAMBDA, file), 'utf8')).join('\n');
    const read = [...new Set([...sources.matchAll(/'(TRAILAUDIT_[A-Z_]+)'/gu)].map((match) => match[1] ?? ''))].sort();
    assert.ok(read.length >= 17, read.join(', '));
    const environment = (name: string): Record<string, unknown> =>
      ((resource(template, name).Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {});
    // Which handler reads which: the audit's settings are fixed by ListAccounts in run.json, the reports' by Reduce.
    const reader = (variable: string): string[] =>
      ['TRAILAUDIT_BUCKET', 'TRAILAUDIT_PREFIX'].includes(variable)
        ? ['ListAccountsFunction', 'AuditAccountsFunction', 'RecordFailureFunction', 'ReduceFunction']
        : variable === 'TRAILAUDIT_FORMATS' || variable.startsWith('TRAILAUDIT_SECURITY_HUB') || variable === 'TRAILAUDIT_HISTORY'
          ? ['ReduceFunction']
          : ['ListAccountsFunction'];
    // The history's URL is built from the bucket and two parameters, empty (no history) unless HistoryPrefix is set.
    assert.deepEqual(environment('ReduceFunction').TRAILAUDIT_HISTORY, { 'Fn::If': ['KeepHistory', { 'Fn::Sub': 's3://${ReportBucket}/${ReportPrefix}/${HistoryPrefix}' }, ''] });
    for (const variable of read.filter((name) => name !== 'TRAILAUDIT_HISTORY')) {
      for (const fn of reader(variable)) {
        const value = environment(fn)[variable] as { Ref?: string } | undefined;
        assert.ok(value?.Ref !== undefined, `${fn} has no ${variable}`);
        if (variable !== 'TRAILAUDIT_BUCKET') {
          assert.ok(value.Ref in (template.Parameters ?? {}), `${variable} of ${fn} comes from a parameter, not ${value.Ref}`);
        }
      }
    }
    // The organization trail's bucket is readable across batches only through these accounts.
    assert.deepEqual(environment('ListAccountsFunction').TRAILAUDIT_LOG_ARCHIVE_ACCOUNTS, { Ref: 'LogArchiveAccounts' });
    const parameters = template.Parameters as Record<string, { Default?: unknown; AllowedPattern?: string }>;
    // The new settings are optional: empty defaults, which the handlers read as unset.
    for (const name of ['LogArchiveAccounts', 'OrganizationalUnits', 'ExcludeAccounts', 'ExternalId', 'AccountConcurrency', 'Formats']) {
      const parameter: { Default?: unknown; AllowedPattern?: string } | undefined = parameters[name];
      assert.ok(parameter, name);
      assert.equal(parameter.Default, '', name);
      const pattern = parameter.AllowedPattern;
      if (pattern !== undefined) {
        assert.match('', new RegExp(pattern, 'u'), `${name} accepts its empty default`);
      }
    }
    assert.match('111111111111,222222222222', new RegExp(parameters.LogArchiveAccounts?.AllowedPattern ?? '', 'u'));
    assert.doesNotMatch('1111,2222', new RegExp(parameters.LogArchiveAccounts?.AllowedPattern ?? '', 'u'));
    assert.match('8', new RegExp(parameters.AccountConcurrency?.AllowedPattern ?? '', 'u'));
    // A history prefix Reduce would refuse after every batch ran is refused when the stack is made.
    const historyPrefix = new RegExp(parameters.HistoryPrefix?.AllowedPattern ?? '', 'u');
    for (const accepted of ['history', 'audits/history', 'runs-history', 'latest.d', 'a/runs']) {
      assert.match(accepted, historyPrefix, accepted);
    }
    for (const refused of ['runs', 'latest', 'runs/h', 'latest/h', '..', 'a/../b', './h', 'h/.', '/h', 'h/', 'a//b']) {
      assert.doesNotMatch(refused, historyPrefix, refused);
    }
    // The Map's defaults are the handler's (a template default differing from it would surprise a library user).
    const defaults = batching({}, {});
    assert.deepEqual(
      [parameters.MaxItemsPerBatch?.Default, parameters.MaxConcurrency?.Default, parameters.ToleratedFailurePercentage?.Default],
      [defaults.maxItemsPerBatch, defaults.maxConcurrency, defaults.toleratedFailurePercentage],
    );
    assert.equal(defaults.toleratedFailurePercentage, 100, 'a failed child never stops the batches not yet started');
    // The Formats parameter names every format Reduce accepts.
    const formats = String((parameters.Formats as { Description?: unknown } | undefined)?.Description);
    for (const format of REPORT_FORMATS) {
      assert.ok(formats.includes(format), `Formats' description names ${format}`);
    }
    assert.doesNotMatch('0', new RegExp(parameters.AccountConcurrency?.AllowedPattern ?? '', 'u'));
  });

  it('lets Reduce read and list latest/ and delete only trailaudit\'s report files there; ListAccounts list its run folder', () => {
    const template = load('template.yaml');
    const reduce = statements(template, 'ReduceRole');
    assert.deepEqual(bySid(reduce, 'ListLatest').Condition, { StringLike: { 's3:prefix': { 'Fn::Sub': '${ReportPrefix}/latest/*' } } });
    assert.deepEqual(bySid(reduce, 'ReadLatest').Resource, { 'Fn::Sub': '${ReportBucket.Arn}/${ReportPrefix}/latest/*' });
    assert.deepEqual(actionsOf(bySid(reduce, 'RemoveOtherFormatsFromLatest')), ['s3:DeleteObject']);
    assert.deepEqual(bySid(reduce, 'RemoveOtherFormatsFromLatest').Resource, { 'Fn::Sub': '${ReportBucket.Arn}/${ReportPrefix}/latest/trailaudit.*' });
    assert.deepEqual(reduce.flatMap((statement) => actionsOf(statement)).filter((action) => action === 's3:DeleteObject').length, 2, 'nothing else deleted');
    // The history: its own run objects only (a run whose index write lost to another run's), and list/read/write of its prefix.
    assert.deepEqual(bySid(reduce, 'RemoveOwnHistoryRun').Resource, { 'Fn::Sub': '${ReportBucket.Arn}/${ReportPrefix}/${HistoryPrefix}/runs/*' });
    assert.deepEqual(bySid(reduce, 'ListHistory').Condition, { StringLike: { 's3:prefix': { 'Fn::Sub': '${ReportPrefix}/${HistoryPrefix}/*' } } });
    assert.deepEqual(actionsOf(bySid(reduce, 'ReadWriteHistory')), ['s3:GetObject', 's3:PutObject']);
    assert.deepEqual(bySid(statements(template, 'ListAccountsRole'), 'ListRunFiles').Condition, { StringLike: { 's3:prefix': { 'Fn::Sub': '${ReportPrefix}/runs/*' } } });
  });
});
