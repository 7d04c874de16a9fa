/**
 * The pure part of `security-hub compare` on fixtures: the status mapping, resource
 * normalisation, account-level verdicts against Security Hub's per-Region findings, unreadable
 * targets, and every known reason — each derived from evidence shaped as the real checks write it
 * (the shipped check definitions are used, so `frameworks.securityhub` is the real mapping).
 */
import { strict as assert } from 'node:assert';
import type { CheckDefinition, Finding, Status } from '../../src/engine/types.js';
import type { UnknownReason } from '../../src/facts/core.js';
import { managementEventCoverage } from '../../src/facts/kinds/trails/eventSelectors.js';
import { loadCheckSet } from '../../src/cli/pipeline.js';
import type { ReportContext } from '../../src/report/types.js';
import { classify, compareWithSecurityHub, resourceKey } from '../../src/securityhub/compare.js';
import { comparedControls, compareTargets } from '../../src/securityhub/compareTargets.js';
import type { CompareResult, CompareRow, HubControlFinding, HubStatus, UnreadableTarget } from '../../src/securityhub/compareTypes.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const STARTED = '2026-03-01T10:00:00.000Z';
const BEFORE = '2026-02-28T08:00:00.000Z';
const AFTER = '2026-03-01T10:05:00.000Z';
const REGIONS = ['eu-west-1', 'us-east-1'];
const CHECKS: readonly CheckDefinition[] = loadCheckSet(undefined, process.cwd());

function check(id: string): CheckDefinition {
  const found = CHECKS.find((candidate) => candidate.id === id);
  assert.ok(found, `shipped check ${id}`);
  return found;
}

function finding(checkId: string, status: Status, resource: Finding['resource'], evidence: Record<string, unknown> = {}, reason: UnknownReason | null = null): Finding {
  const definition = check(checkId);
  return {
    checkId,
    control: checkId,
    title: definition.title,
    severity: 'HIGH',
    status,
    reason,
    resource,
    location: null,
    message: `${checkId} ${status} ${resource.id}`,
    evidence,
    remediation: '',
    frameworks: definition.frameworks,
    suppressed: null,
    unknowns: [],
  };
}

const account = (region = 'global', id = ACCOUNT): Finding['resource'] => ({ type: 'AWS::::Account', id, accountId: id, region });
const trailArn = (name: string, region = 'us-east-1', owner = ACCOUNT): string => `arn:aws:cloudtrail:${region}:${owner}:trail/${name}`;
const trailResource = (name: string, region = 'us-east-1', owner = ACCOUNT): Finding['resource'] => ({ type: 'AWS::CloudTrail::Trail', id: trailArn(name, region, owner), name, accountId: owner, region });

let counter = 0;
function hub(control: string, status: HubStatus, resourceId: string, region: string, extra: Partial<HubControlFinding> = {}): HubControlFinding {
  counter += 1;
  return { control, accountId: ACCOUNT, region, resourceId, resourceType: 'AwsAccount', status, updatedAt: AFTER, id: `sh-${String(counter)}`, ...extra };
}

function context(checkIds: readonly string[] = CHECKS.map((c) => c.id), regions = REGIONS): ReportContext {
  return {
    tool: { name: 'trailaudit', version: '0.1.0' },
    scope: { source: 'live', accounts: [ACCOUNT], regions, inputs: [] },
    startedAt: STARTED,
    finishedAt: '2026-03-01T10:00:03.000Z',
    stats: { apiCalls: {}, durationMs: 3000 },
    checks: CHECKS.filter((c) => checkIds.includes(c.id)),
    checkParameters: {},
    suppressions: [],
    failOn: 'low',
    allowUnknown: false,
    baseline: null,
  };
}

function compare(findings: readonly Finding[], hubFindings: readonly HubControlFinding[], options: { unreadable?: UnreadableTarget[]; ctx?: ReportContext } = {}): CompareResult {
  const ctx = options.ctx ?? context();
  return compareWithSecurityHub({
    file: '/r/trailaudit.json',
    findings,
    context: ctx,
    hub: hubFindings,
    targets: compareTargets(findings, ctx, 'us-east-1'),
    controls: comparedControls(ctx),
    unreadable: options.unreadable ?? [],
    readAt: '2026-03-01T11:00:00.000Z',
  });
}

function only(result: CompareResult, control: string, region?: string): CompareRow {
  const rows = result.rows.filter((row) => row.control === control && (region === undefined || row.region === region));
  assert.equal(rows.length, 1, `one ${control} row${region === undefined ? '' : ` in ${region}`}: ${JSON.stringify(rows)}`);
  return rows[0] as CompareRow;
}

/** CloudTrail.1's evidence for one trail, as the check writes it. */
function ct1Trail(arn: string, fields: { multi?: boolean; logging?: boolean; all?: boolean; explanation?: string; org?: boolean } = {}): Record<string, unknown> {
  return {
    arn,
    isMultiRegion: fields.multi ?? true,
    isLogging: fields.logging ?? true,
    'managementEvents.allInOneSelector': fields.all ?? true,
    'managementEvents.explanation': fields.explanation ?? 'The trail uses the AWS default event selector (or one identical to it), which logs all read and write management events from every source.',
    isOrganizationTrail: fields.org ?? false,
  };
}

describe('security-hub compare (pure)', () => {
  describe('status mapping', () => {
    const cases: [CompareRow['trailaudit'], CompareRow['securityHub'], string][] = [
      ['PASS', 'PASSED', 'agree'],
      ['FAIL', 'FAILED', 'agree'],
      ['PASS', 'FAILED', 'disagree'],
      ['FAIL', 'PASSED', 'disagree'],
      ['NOT_APPLICABLE', null, 'agree'],
      ['NOT_APPLICABLE', 'PASSED', 'disagree'],
      ['NOT_APPLICABLE', 'FAILED', 'disagree'],
      ['UNKNOWN', 'PASSED', 'inconclusive'],
      ['UNKNOWN', 'FAILED', 'inconclusive'],
      ['PASS', 'WARNING', 'inconclusive'],
      ['FAIL', 'NOT_AVAILABLE', 'inconclusive'],
      ['PASS', null, 'only_trailaudit'],
      ['UNKNOWN', null, 'only_trailaudit'],
      [null, 'FAILED', 'only_security_hub'],
      ['PASS', 'UNREADABLE', 'unreadable'],
      ['FAIL', 'UNREADABLE', 'unreadable'],
    ];
    for (const [ours, theirs, expected] of cases) {
      it(`${String(ours)} vs ${String(theirs)} is ${expected}`, () => {
        assert.equal(classify(ours, theirs), expected);
      });
    }

    it('sets agree only for agreements and disagreements, never for what could not be compared', () => {
      const result = compare(
        [
          finding('CloudTrail.4', 'PASS', trailResource('a')),
          finding('CloudTrail.4', 'FAIL', trailResource('b')),
          finding('CloudTrail.4', 'UNKNOWN', trailResource('c'), {}, 'access_denied'),
          finding('CloudTrail.4', 'FAIL', trailResource('d')),
        ],
        [
          hub('CloudTrail.4', 'PASSED', trailArn('a'), 'us-east-1'),
          hub('CloudTrail.4', 'PASSED', trailArn('b'), 'us-east-1'),
          hub('CloudTrail.4', 'FAILED', trailArn('c'), 'us-east-1'),
          hub('CloudTrail.4', 'FAILED', trailArn('e'), 'us-east-1'),
        ],
      );
      const agreeOf = (id: string): boolean | null | undefined => result.rows.find((row) => row.resourceId === id)?.agree;
      assert.equal(agreeOf(trailArn('a')), true);
      assert.equal(agreeOf(trailArn('b')), false);
      assert.equal(agreeOf(trailArn('c')), null);
      assert.equal(agreeOf(trailArn('d')), null);
      assert.equal(agreeOf(trailArn('e')), null);
      const ct4 = result.rows.filter((row) => row.control === 'CloudTrail.4');
      assert.deepEqual(
        ct4.map((row) => row.comparison),
        ['agree', 'disagree', 'inconclusive', 'only_trailaudit', 'only_security_hub'],
      );
      // Our evidence and message ride on every row that is not an agreement, and only there.
      assert.equal(ct4[0]?.message, null);
      assert.match(ct4[1]?.message ?? '', /CloudTrail\.4 FAIL/u);
    });
  });

  describe('resources', () => {
    it('normalises account ids and drops the ARN partition', () => {
      assert.deepEqual(resourceKey(`AWS::::Account:${ACCOUNT}`), { account: ACCOUNT });
      assert.deepEqual(resourceKey(ACCOUNT), { account: ACCOUNT });
      assert.deepEqual(resourceKey('arn:aws-cn:s3:::logs'), resourceKey('arn:aws:s3:::logs'));
      assert.notDeepEqual(resourceKey('arn:aws:s3:::logs'), resourceKey('arn:aws:s3:::Logs'));
    });

    it("matches a bucket and a trail by ARN, preferring the copy in the resource's own Region", () => {
      const bucket: Finding['resource'] = { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::logs', name: 'logs', accountId: ACCOUNT, region: 'us-east-1' };
      const result = compare(
        [finding('CloudTrail.7', 'FAIL', bucket, { trailArns: [trailArn('main')] }), finding('CloudTrail.4', 'PASS', trailResource('main'))],
        [
          hub('CloudTrail.7', 'FAILED', 'arn:aws:s3:::logs', 'us-east-1', { resourceType: 'AwsS3Bucket' }),
          // An aggregated copy elsewhere, newer and with another status: the home copy wins, and the copy makes no row of its own.
          hub('CloudTrail.4', 'FAILED', trailArn('main'), 'eu-west-1', { updatedAt: '2026-03-02T00:00:00.000Z' }),
          hub('CloudTrail.4', 'PASSED', trailArn('main'), 'us-east-1'),
        ],
      );
      assert.equal(only(result, 'CloudTrail.7').comparison, 'agree');
      const ct4 = only(result, 'CloudTrail.4');
      assert.equal(ct4.securityHub, 'PASSED');
      assert.equal(ct4.region, 'us-east-1');
    });
  });

  describe('account-level controls', () => {
    it("meets Security Hub's finding of each Region with the one account verdict", () => {
      const result = compare(
        [finding('CloudTrail.1', 'PASS', account())],
        [hub('CloudTrail.1', 'PASSED', `AWS::::Account:${ACCOUNT}`, 'us-east-1'), hub('CloudTrail.1', 'FAILED', `AWS::::Account:${ACCOUNT}`, 'eu-west-1', { updatedAt: AFTER })],
      );
      const rows = result.rows.filter((row) => row.control === 'CloudTrail.1');
      assert.deepEqual(
        rows.map((row) => [row.region, row.trailaudit, row.securityHub, row.comparison, row.resourceId]),
        [
          ['eu-west-1', 'PASS', 'FAILED', 'disagree', ACCOUNT],
          ['us-east-1', 'PASS', 'PASSED', 'agree', ACCOUNT],
        ],
      );
    });

    it("is one 'global' row when Security Hub has no finding in any Region", () => {
      const row = only(compare([finding('CloudTrail.1', 'FAIL', account())], []), 'CloudTrail.1');
      assert.deepEqual([row.region, row.comparison, row.securityHub], ['global', 'only_trailaudit', null]);
    });

    it("reads the credential chain's Region for account-level controls, but never lists its regional findings as Security Hub's only", () => {
      const ctx = context(undefined, ['eu-west-1']);
      const findings = [finding('CloudTrail.1', 'FAIL', account()), finding('CloudTrail.3', 'FAIL', account('eu-west-1'))];
      const result = compare(findings, [hub('CloudTrail.1', 'FAILED', `AWS::::Account:${ACCOUNT}`, 'us-east-1'), hub('CloudTrail.3', 'PASSED', `AWS::::Account:${ACCOUNT}`, 'us-east-1')], { ctx });
      assert.deepEqual(result.scope.targets, [
        { accountId: ACCOUNT, region: 'eu-west-1' },
        { accountId: ACCOUNT, region: 'us-east-1' },
      ]);
      assert.equal(only(result, 'CloudTrail.1').region, 'us-east-1');
      assert.deepEqual(
        result.rows.filter((row) => row.control === 'CloudTrail.3').map((row) => [row.region, row.comparison]),
        [['eu-west-1', 'only_trailaudit']],
      );
    });

    it('matches per-Region account controls (CloudTrail.3) Region by Region', () => {
      const result = compare(
        [finding('CloudTrail.3', 'PASS', account('us-east-1')), finding('CloudTrail.3', 'FAIL', account('eu-west-1'))],
        [hub('CloudTrail.3', 'PASSED', `AWS::::Account:${ACCOUNT}`, 'us-east-1'), hub('CloudTrail.3', 'FAILED', `AWS::::Account:${ACCOUNT}`, 'eu-west-1')],
      );
      assert.deepEqual(
        result.rows.filter((row) => row.control === 'CloudTrail.3').map((row) => [row.region, row.comparison]),
        [
          ['eu-west-1', 'agree'],
          ['us-east-1', 'agree'],
        ],
      );
    });

    it("agrees with no finding where trailaudit has nothing to evaluate, and leaves other accounts' findings out", () => {
      const result = compare(
        [finding('CloudTrail.4', 'NOT_APPLICABLE', account()), finding('CloudTrail.4', 'FAIL', trailResource('x', 'us-east-1', OTHER))],
        [hub('CloudTrail.4', 'FAILED', trailArn('y', 'us-east-1', OTHER), 'us-east-1', { accountId: OTHER })],
      );
      const row = only(result, 'CloudTrail.4');
      assert.deepEqual([row.trailaudit, row.securityHub, row.agree], ['NOT_APPLICABLE', null, true]);
      assert.ok(result.rows.every((r) => r.accountId === ACCOUNT));
    });
  });

  describe('unreadable Security Hub', () => {
    it('says UNREADABLE with the reason there, never agree or disagree, and still compares elsewhere', () => {
      const unreadable = [{ accountId: ACCOUNT, region: 'eu-west-1', code: 'not_enabled', message: 'Security Hub is not enabled' }];
      const result = compare(
        [finding('CloudTrail.1', 'PASS', account()), finding('CloudTrail.3', 'PASS', account('eu-west-1')), finding('CloudTrail.4', 'FAIL', trailResource('eu', 'eu-west-1')), finding('CloudTrail.4', 'FAIL', trailResource('us'))],
        [hub('CloudTrail.1', 'PASSED', `AWS::::Account:${ACCOUNT}`, 'us-east-1'), hub('CloudTrail.4', 'FAILED', trailArn('us'), 'us-east-1')],
        { unreadable },
      );
      assert.deepEqual(
        result.rows.map((row) => [row.control, row.region, row.securityHub, row.comparison, row.agree]),
        [
          ['CloudTrail.1', 'eu-west-1', 'UNREADABLE', 'unreadable', null],
          ['CloudTrail.1', 'us-east-1', 'PASSED', 'agree', true],
          ['CloudTrail.3', 'eu-west-1', 'UNREADABLE', 'unreadable', null],
          ['CloudTrail.4', 'eu-west-1', 'UNREADABLE', 'unreadable', null],
          ['CloudTrail.4', 'us-east-1', 'FAILED', 'agree', true],
        ],
      );
      assert.deepEqual(result.rows[0]?.unreadable, { code: 'not_enabled', message: 'Security Hub is not enabled' });
      assert.equal(result.summary.unreadable, 3);
      assert.equal(result.summary.agree + result.summary.disagree, 2);
    });
  });

  describe('known reasons', () => {
    const reasonOf = (row: CompareRow): string | undefined => row.knownReason?.code;

    it('organization_trail: a member passes through an organization trail of another account', () => {
      const evidence = { trails: [ct1Trail(trailArn('org', 'us-east-1', OTHER), { org: true })] };
      const row = only(compare([finding('CloudTrail.1', 'PASS', account(), evidence)], [hub('CloudTrail.1', 'FAILED', `AWS::::Account:${ACCOUNT}`, 'us-east-1')]), 'CloudTrail.1');
      assert.equal(row.comparison, 'disagree');
      assert.equal(reasonOf(row), 'organization_trail');
      assert.match(row.knownReason?.explanation ?? '', new RegExp(OTHER, 'u'));
      assert.deepEqual(row.evidence, evidence);
    });

    it("advanced_event_selector and default_event_selector: from the qualifying trail's selector explanation", () => {
      // The explanations the fact layer really writes, so a change of wording there fails here.
      const advanced = managementEventCoverage({ basic: [], advanced: [{ name: 'mgmt', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }] }, true);
      const byDefault = managementEventCoverage({ basic: [], advanced: [] }, false);
      assert.equal(advanced.allInOneSelector, true);
      const rowWith = (explanation: string): CompareRow =>
        only(
          compare([finding('CloudTrail.1', 'PASS', account(), { trails: [ct1Trail(trailArn('main'), { explanation })] })], [hub('CloudTrail.1', 'FAILED', `AWS::::Account:${ACCOUNT}`, 'us-east-1')]),
          'CloudTrail.1',
        );
      assert.equal(reasonOf(rowWith(advanced.explanation)), 'advanced_event_selector');
      assert.equal(reasonOf(rowWith(byDefault.explanation)), 'default_event_selector');
      const basic = managementEventCoverage({ basic: [{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: [], dataResources: [] }], advanced: [] }, true);
      assert.equal(basic.allInOneSelector, true);
      assert.equal(rowWith(basic.explanation).knownReason, null, 'a basic selector is no known reason (SH updated after the audit: not stale either)');
    });

    it('advanced_event_selector when any passing trail uses advanced selectors, naming each trail with its own kind of selector', () => {
      const advanced = managementEventCoverage({ basic: [], advanced: [{ name: 'mgmt', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }] }, true);
      const byDefault = managementEventCoverage({ basic: [], advanced: [] }, false);
      // The black-box case: main on the default selector, adv (an organization audit's trail) on advanced ones.
      const evidence = { trails: [ct1Trail(trailArn('main'), { explanation: byDefault.explanation }), ct1Trail(trailArn('adv'), { explanation: advanced.explanation })] };
      const row = only(compare([finding('CloudTrail.1', 'PASS', account(), evidence)], [hub('CloudTrail.1', 'FAILED', `AWS::::Account:${ACCOUNT}`, 'us-east-1')]), 'CloudTrail.1');
      assert.equal(row.knownReason?.code, 'advanced_event_selector');
      const explanation = row.knownReason.explanation;
      assert.ok(explanation.includes(`${trailArn('adv')} passes through advanced event selectors`), explanation);
      assert.ok(explanation.includes(`${trailArn('main')} passes through the AWS default event selector`), explanation);
      assert.doesNotMatch(explanation, /\(.*adv.*\) has no custom event selectors/u);
      // Default only: the explanation names that trail alone, and nothing about advanced selectors' trails.
      const onlyDefault = only(
        compare([finding('CloudTrail.1', 'PASS', account(), { trails: [ct1Trail(trailArn('main'), { explanation: byDefault.explanation })] })], [hub('CloudTrail.1', 'FAILED', `AWS::::Account:${ACCOUNT}`, 'us-east-1')]),
        'CloudTrail.1',
      );
      assert.equal(onlyDefault.knownReason?.code, 'default_event_selector');
      assert.equal(
        onlyDefault.knownReason.explanation,
        `Trail ${trailArn('main')} passes through the AWS default event selector (no custom selectors); that selector logs all read and write management events, which Security Hub's Config rule is reported to misread.`,
      );
    });

    it('shadow_trail: a Region covered only by a multi-Region trail homed elsewhere, or another account\'s trail in Security Hub only', () => {
      const evidence = { trails: [{ arn: trailArn('main', 'us-east-1'), homeRegion: 'us-east-1', isMultiRegion: true, isLogging: true }] };
      const result = compare(
        [finding('CloudTrail.3', 'PASS', account('eu-west-1'), evidence)],
        [hub('CloudTrail.3', 'FAILED', `AWS::::Account:${ACCOUNT}`, 'eu-west-1'), hub('CloudTrail.4', 'FAILED', trailArn('org', 'us-east-1', OTHER), 'us-east-1')],
      );
      assert.equal(reasonOf(only(result, 'CloudTrail.3')), 'shadow_trail');
      const orgCopy = only(result, 'CloudTrail.4');
      assert.equal(orgCopy.comparison, 'only_security_hub');
      assert.equal(reasonOf(orgCopy), 'shadow_trail');
    });

    it('monitoring_home_region and pattern_set: CloudWatch controls', () => {
      const chain = { patternSet: 'securityhub', explanation: 'complete', trailArn: trailArn('main', 'us-east-1') };
      const home = compare(
        [finding('CloudWatch.1', 'PASS', account(), chain)],
        [hub('CloudWatch.1', 'PASSED', `AWS::::Account:${ACCOUNT}`, 'us-east-1'), hub('CloudWatch.1', 'NOT_AVAILABLE', `AWS::::Account:${ACCOUNT}`, 'eu-west-1')],
      );
      assert.equal(only(home, 'CloudWatch.1', 'us-east-1').comparison, 'agree');
      const elsewhere = only(home, 'CloudWatch.1', 'eu-west-1');
      assert.equal(elsewhere.comparison, 'inconclusive');
      assert.equal(reasonOf(elsewhere), 'monitoring_home_region');
      const cis = compare([finding('CloudWatch.1', 'FAIL', account(), { ...chain, patternSet: 'cis-5.0' })], [hub('CloudWatch.1', 'PASSED', `AWS::::Account:${ACCOUNT}`, 'us-east-1')]);
      assert.equal(reasonOf(only(cis, 'CloudWatch.1')), 'pattern_set');
    });

    it('cross_account_bucket: a log bucket trailaudit could not place in the trail\'s account', () => {
      const bucket: Finding['resource'] = { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::central', name: 'central', accountId: null, region: 'unknown' };
      const result = compare([finding('CloudTrail.6', 'UNKNOWN', bucket, { trailArns: [trailArn('main')] }, 'cross_account')], [hub('CloudTrail.6', 'PASSED', 'arn:aws:s3:::central', 'us-east-1')]);
      const row = only(result, 'CloudTrail.6');
      assert.equal(row.accountId, ACCOUNT, "placed in the account of the trail that writes to it");
      assert.equal(row.comparison, 'inconclusive');
      assert.equal(row.reason, 'cross_account');
      assert.equal(reasonOf(row), 'cross_account_bucket');
      // Our Region is unknown; Security Hub holds its copy in us-east-1: the row says us-east-1.
      assert.equal(row.region, 'us-east-1');
      assert.equal(
        row.knownReason?.explanation,
        `The log bucket arn:aws:s3:::central could not be placed in an audited account, while the trails writing to it are in account ${ACCOUNT}; Security Hub evaluates a bucket only in the account that owns it.`,
      );
      // Without a Security Hub copy the Region stays ours.
      assert.equal(only(compare([finding('CloudTrail.6', 'UNKNOWN', bucket, { trailArns: [trailArn('main')] }, 'cross_account')], []), 'CloudTrail.6').region, 'unknown');
    });

    it('cross_account_bucket: a bucket owned by another audited account than its trail\'s', () => {
      const bucket: Finding['resource'] = { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::central', name: 'central', accountId: ACCOUNT, region: 'eu-west-1' };
      const result = compare([finding('CloudTrail.6', 'FAIL', bucket, { trailArns: [trailArn('org', 'us-east-1', OTHER)] })], [hub('CloudTrail.6', 'PASSED', 'arn:aws:s3:::central', 'us-east-1')]);
      const row = only(result, 'CloudTrail.6');
      assert.equal(row.region, 'eu-west-1', "a known Region stays ours, wherever Security Hub's copy is");
      assert.equal(
        row.knownReason?.explanation,
        `The log bucket arn:aws:s3:::central is owned by account ${ACCOUNT}, while the trails writing to it are in account ${OTHER}; Security Hub evaluates a bucket only in the account that owns it.`,
      );
    });

    it('trail_stopped_logging and stale: Security Hub evaluated before the audit', () => {
      const stopped = { trails: [ct1Trail(trailArn('main'), { logging: false })] };
      const before = compare([finding('CloudTrail.1', 'FAIL', account(), stopped)], [hub('CloudTrail.1', 'PASSED', `AWS::::Account:${ACCOUNT}`, 'us-east-1', { updatedAt: BEFORE })]);
      assert.equal(reasonOf(only(before, 'CloudTrail.1')), 'trail_stopped_logging');
      const after = compare([finding('CloudTrail.1', 'FAIL', account(), stopped)], [hub('CloudTrail.1', 'PASSED', `AWS::::Account:${ACCOUNT}`, 'us-east-1', { updatedAt: AFTER })]);
      assert.equal(only(after, 'CloudTrail.1').knownReason, null, 'Security Hub evaluated after the audit: it saw the same trail');
      const old = compare([finding('CloudTrail.4', 'FAIL', trailResource('main'))], [hub('CloudTrail.4', 'PASSED', trailArn('main'), 'us-east-1', { updatedAt: BEFORE })]);
      assert.equal(reasonOf(only(old, 'CloudTrail.4')), 'stale');
    });

    it('organization_trail: a trail-scoped check is not applicable to another account\'s trail that Security Hub judges in the member', () => {
      const result = compare([finding('CloudTrail.4', 'NOT_APPLICABLE', trailResource('org', 'us-east-1', OTHER))], []);
      // The trail's own account is not audited: nothing is compared for it.
      assert.equal(result.rows.length === 0 || result.rows.every((row) => row.control !== 'CloudTrail.4'), true);
      const member = compare([finding('CloudTrail.4', 'NOT_APPLICABLE', { ...trailResource('org', 'us-east-1', OTHER), accountId: ACCOUNT })], [hub('CloudTrail.4', 'FAILED', trailArn('org', 'us-east-1', OTHER), 'us-east-1')]);
      const row = only(member, 'CloudTrail.4');
      assert.equal(row.comparison, 'disagree');
      assert.equal(reasonOf(row), 'organization_trail');
    });
  });

  it("leaves Security Hub's findings without a resource id out of the rows, and lists them in the scope", () => {
    const result = compare(
      [finding('CloudTrail.4', 'FAIL', trailResource('a'))],
      [hub('CloudTrail.4', 'FAILED', trailArn('a'), 'us-east-1'), hub('CloudTrail.4', 'PASSED', '', 'us-east-1', { id: 'no-resource' }), hub('CloudTrail.1', 'FAILED', ' ', 'us-east-1', { id: 'blank' })],
      { ctx: context(['CloudTrail.1', 'CloudTrail.4']) },
    );
    assert.ok(result.rows.every((row) => row.resourceId.trim() !== ''), JSON.stringify(result.rows));
    assert.deepEqual(result.scope.withoutResourceId, ['no-resource', 'blank']);
    assert.deepEqual(
      result.rows.map((row) => [row.control, row.resourceId, row.comparison]),
      [['CloudTrail.4', trailArn('a'), 'agree']],
    );
  });

  describe("Security Hub's duplicate findings of one control and resource (consolidated control findings off, an older copy)", () => {
    it('a trail: one row comparing the latest copy; the other copy, with its FAILED, is listed on the row, never dropped', () => {
      const result = compare(
        [finding('CloudTrail.4', 'PASS', trailResource('main'))],
        [
          hub('CloudTrail.4', 'FAILED', trailArn('main'), 'us-east-1', { id: 'older', updatedAt: BEFORE }),
          hub('CloudTrail.4', 'PASSED', trailArn('main'), 'us-east-1', { id: 'newer', updatedAt: AFTER }),
        ],
        { ctx: context(['CloudTrail.4']) },
      );
      const row = only(result, 'CloudTrail.4');
      assert.equal(row.securityHubFindingId, 'newer');
      assert.equal(row.comparison, 'agree');
      assert.deepEqual(row.otherSecurityHubFindings, [{ id: 'older', region: 'us-east-1', status: 'FAILED', updatedAt: BEFORE }]);
    });

    it('an account verdict: one row per Region, the older copy on it, no row with no verdict of ours beside it', () => {
      const result = compare(
        [finding('CloudTrail.1', 'PASS', account())],
        [
          hub('CloudTrail.1', 'FAILED', `AWS::::Account:${ACCOUNT}`, 'us-east-1', { id: 'old', updatedAt: BEFORE }),
          hub('CloudTrail.1', 'PASSED', `AWS::::Account:${ACCOUNT}`, 'us-east-1', { id: 'new', updatedAt: AFTER }),
        ],
        { ctx: context(['CloudTrail.1']) },
      );
      const row = only(result, 'CloudTrail.1');
      assert.equal(row.trailaudit, 'PASS');
      assert.equal(row.securityHubFindingId, 'new');
      assert.deepEqual(row.otherSecurityHubFindings.map((other) => [other.id, other.status]), [['old', 'FAILED']]);
    });

    it('only Security Hub: its copies of one resource make one row, the others listed on it', () => {
      const result = compare(
        [],
        [hub('CloudTrail.4', 'PASSED', trailArn('gone'), 'us-east-1', { id: 'a', updatedAt: BEFORE }), hub('CloudTrail.4', 'FAILED', trailArn('gone'), 'us-east-1', { id: 'b', updatedAt: AFTER })],
        { ctx: context(['CloudTrail.4']) },
      );
      const row = only(result, 'CloudTrail.4');
      assert.equal(row.comparison, 'only_security_hub');
      assert.equal(row.securityHub, 'FAILED');
      assert.deepEqual(row.otherSecurityHubFindings.map((other) => other.id), ['a']);
    });
  });

  it('summarises every row once', () => {
    const result = compare(
      [finding('CloudTrail.1', 'PASS', account()), finding('CloudTrail.4', 'FAIL', trailResource('a')), finding('CloudTrail.4', 'PASS', trailResource('b'))],
      [hub('CloudTrail.1', 'PASSED', `AWS::::Account:${ACCOUNT}`, 'us-east-1'), hub('CloudTrail.4', 'PASSED', trailArn('a'), 'us-east-1'), hub('CloudTrail.5', 'FAILED', trailArn('a'), 'us-east-1')],
      { ctx: context(['CloudTrail.1', 'CloudTrail.4', 'CloudTrail.5']) },
    );
    const { summary } = result;
    assert.equal(summary.rows, result.rows.length);
    assert.equal(summary.agree + summary.disagree + summary.inconclusive + summary.onlyTrailaudit + summary.onlySecurityHub + summary.unreadable, summary.rows);
    assert.deepEqual([summary.agree, summary.disagree, summary.onlyTrailaudit, summary.onlySecurityHub], [1, 1, 1, 1]);
  });
});
