/**
 * What the Security Hub import prints (src/cli/securityHubText.ts): the dry run per (account,
 * Region) with each import, archive and kept finding, the summary line, and failures with their first 20
 * finding ids. Built from the planner's own output on fixtures, not from hand-written ASFF.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import type { Finding } from '../../src/engine/types.js';
import { formatDryRun, formatImportFailures, formatImportSummary } from '../../src/cli/securityHubText.js';
import { planSecurityHubImport } from '../../src/securityhub/archivePlan.js';
import type { ImportOutcome } from '../../src/securityhub/types.js';
import { ACCOUNT, makeContext, makeFinding } from '../report/fixtures.js';

const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-01-02T00:00:00.000Z';

function trail(name: string, status: Finding['status'], region: string): Finding {
  return makeFinding({
    checkId: 'CloudTrail.4',
    status,
    resource: { type: 'AWS::CloudTrail::Trail', id: `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`, accountId: ACCOUNT, region },
  });
}

const context = makeContext({ scope: { source: 'live', accounts: [ACCOUNT], regions: ['eu-west-1', 'us-east-1'], inputs: [] } });
const FIRST = [trail('main', 'FAIL', 'us-east-1'), trail('denied', 'UNKNOWN', 'us-east-1'), trail('eu', 'PASS', 'eu-west-1'), trail('old', 'FAIL', 'eu-west-1')];

/** A second run without the `old` trail, planned against what the first imported; CloudTrail.6 did not run. */
function secondPlan(): ReturnType<typeof planSecurityHubImport> {
  const first = planSecurityHubImport({ previous: [], findings: FIRST, context, accountLevelRegion: 'us-east-1', now: T1 });
  const other = planSecurityHubImport({
    previous: [],
    findings: [makeFinding({ checkId: 'CloudTrail.6', status: 'FAIL', resource: { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::logs', accountId: ACCOUNT, region: 'us-east-1' } })],
    context,
    accountLevelRegion: 'us-east-1',
    now: T1,
  });
  const onlyTrails = { ...context, checks: context.checks.filter((check) => check.id === 'CloudTrail.4') };
  return planSecurityHubImport({
    previous: [...first.imports, ...other.imports],
    findings: FIRST.filter((f) => !f.resource.id.endsWith('/old')),
    context: onlyTrails,
    accountLevelRegion: 'us-east-1',
    now: T2,
  });
}

function idOf(name: string, region: string): string {
  return `trailaudit/CloudTrail.4/${ACCOUNT}/${region}/arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;
}

describe('Security Hub import output', () => {
  it('dry run: each import with its status, what it was before when that changes, new ones and failures not re-evaluated', () => {
    const first = planSecurityHubImport({ previous: [], findings: FIRST, context, accountLevelRegion: 'us-east-1', now: T1 });
    const unknown = (finding: Finding): Finding => ({ ...finding, status: 'UNKNOWN', reason: 'access_denied', message: 'denied' });
    // eu: PASS → UNKNOWN; main: FAIL → UNKNOWN; denied: UNKNOWN → FAIL; a new trail.
    const second = [unknown(trail('main', 'FAIL', 'us-east-1')), trail('denied', 'FAIL', 'us-east-1'), unknown(trail('eu', 'PASS', 'eu-west-1')), trail('old', 'FAIL', 'eu-west-1'), trail('new', 'PASS', 'us-east-1')];
    const plan = planSecurityHubImport({ previous: first.imports, findings: second, context, accountLevelRegion: 'us-east-1', now: T2 });
    const lines = formatDryRun(plan, 'x').split('\n').filter((line) => line.startsWith('  import'));
    assert.deepEqual(lines, [
      `  import  ${idOf('eu', 'eu-west-1')} PASSED→NOT_AVAILABLE (${ACCOUNT} eu-west-1)`,
      `  import  ${idOf('old', 'eu-west-1')} FAILED (${ACCOUNT} eu-west-1)`,
      `  import  ${idOf('denied', 'us-east-1')} NOT_AVAILABLE→FAILED (${ACCOUNT} us-east-1)`,
      `  import  ${idOf('main', 'us-east-1')} FAILED (${ACCOUNT} us-east-1: not re-evaluated (access_denied), stays FAILED)`,
      `  import  ${idOf('new', 'us-east-1')} PASSED (${ACCOUNT} us-east-1: new)`,
    ]);
  });

  it('dry run: counts per (account, Region), then each archive and each kept finding with its reason, sorted', () => {
    const plan = secondPlan();
    const text = formatDryRun(plan, 'trailaudit.json');
    const oldId = `trailaudit/CloudTrail.4/${ACCOUNT}/eu-west-1/arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/old`;
    const bucketId = `trailaudit/CloudTrail.6/${ACCOUNT}/us-east-1/arn:aws:s3:::logs`;
    assert.equal(
      text,
      [
        'Security Hub dry run for trailaudit.json (nothing was sent):',
        `  ${ACCOUNT} eu-west-1: 1 to import (1 passed, 0 failed, 0 not available), 1 to archive, 0 kept outside this run's scope`,
        `  ${ACCOUNT} us-east-1: 2 to import (0 passed, 1 failed, 1 not available), 0 to archive, 1 kept outside this run's scope`,
        `  import  ${idOf('eu', 'eu-west-1')} PASSED (${ACCOUNT} eu-west-1)`,
        `  import  ${idOf('denied', 'us-east-1')} NOT_AVAILABLE (${ACCOUNT} us-east-1)`,
        `  import  ${idOf('main', 'us-east-1')} FAILED (${ACCOUNT} us-east-1)`,
        `  archive ${oldId} (${ACCOUNT} eu-west-1: its resource is no longer reported)`,
        `  keep    ${bucketId} (${ACCOUNT} us-east-1: its check did not run)`,
        "Would import 3 (1 passed, 1 failed, 1 not available), archive 1, keep 1 outside this run's scope, in 1 account(s) / 2 Region(s); not send 0 (0 NOT_APPLICABLE).",
        '',
      ].join('\n'),
    );
    assert.equal(formatDryRun({ imports: [], archives: [], notSent: [], kept: [] }, 'x').split('\n')[1], '  nothing to import or archive');
  });

  it('summary: counts what was sent, leaving out the findings a failure names', () => {
    const plan = secondPlan();
    const failed = plan.imports.find((f) => f.Compliance?.Status === 'FAILED');
    assert.ok(failed?.Id !== undefined);
    const outcome: ImportOutcome = {
      plan,
      imported: plan.imports.length - 1,
      archived: plan.archives.length,
      targets: [],
      failures: [{ accountId: ACCOUNT, region: 'us-east-1', stage: 'import', code: 'InvalidInput', message: 'bad', findingIds: [failed.Id] }],
      calls: {},
    };
    assert.equal(
      formatImportSummary(outcome),
      "Security Hub: 2 imported (1 passed, 0 failed, 1 not available), 1 archived, 1 kept outside this run's scope, in 1 account(s) / 2 Region(s)\n",
    );
  });

  it('failures: each with account, Region, stage, code and message, its first 20 ids and how many more', () => {
    const ids = Array.from({ length: 25 }, (_, i) => `trailaudit/CloudTrail.4/${ACCOUNT}/us-east-1/trail-${String(i).padStart(2, '0')}`);
    const text = formatImportFailures([
      { accountId: '222222222222', region: 'us-east-1', stage: 'not_enabled', code: 'InvalidAccessException', message: 'Account is not subscribed to AWS Security Hub', findingIds: ['a'] },
      { accountId: ACCOUNT, region: 'us-east-1', stage: 'import', code: 'TooManyRequestsException', message: 'Rate exceeded', findingIds: ids },
    ]);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], 'trailaudit: the Security Hub import is incomplete (2 problem(s)):');
    assert.equal(lines[1], `  ${ACCOUNT} us-east-1: import: TooManyRequestsException: Rate exceeded (25 finding(s) not sent)`);
    assert.deepEqual(lines.slice(2, 22), ids.slice(0, 20).map((id) => `    ${id}`));
    assert.equal(lines[22], '    … and 5 more');
    assert.equal(lines[23], '  222222222222 us-east-1: not_enabled: InvalidAccessException: Account is not subscribed to AWS Security Hub (1 finding(s) not sent)');
    assert.equal(lines[24], '    a');
    assert.equal(formatImportFailures([]), '');
  });

  it('lists what is not sent and why: another account’s stand-in, a duplicate Id (NOT_APPLICABLE only counted in the summary)', () => {
    const other = makeFinding({ checkId: 'CloudTrail.1', status: 'UNKNOWN', resource: { type: 'AWS::::Account', id: '999988887777', accountId: '999988887777', region: 'global' } });
    const plan = planSecurityHubImport({ previous: [], findings: [trail('main', 'FAIL', 'us-east-1'), trail('main', 'PASS', 'us-east-1'), trail('na', 'NOT_APPLICABLE', 'us-east-1'), other], context, accountLevelRegion: 'us-east-1', now: T1 });
    const text = formatDryRun(plan, 'this audit');
    assert.match(text, /not sent CloudTrail\.1 999988887777 \(999988887777 global: account_not_in_scope, its account was not audited by this run/u);
    assert.match(text, new RegExp(`not sent CloudTrail\\.4 arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main \\(${ACCOUNT} us-east-1: duplicate_id, another finding`, 'u'));
    assert.match(text, /not send 3 \(1 NOT_APPLICABLE\)\.$/mu);
    assert.doesNotMatch(text, /trail\/na/u);
  });
});
