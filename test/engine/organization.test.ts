/**
 * The engine over an organization set (engine/organization.ts), with the shipped checks: account-
 * and Region-level controls per audited account on its view, resource-level controls once, an
 * account that could not be entered UNKNOWN, never dropped.
 */
import { strict as assert } from 'node:assert';
import { evaluate, type EnabledCheck } from '../../src/engine/evaluate.js';
import { compareFindings } from '../../src/engine/sort.js';
import type { Finding } from '../../src/engine/types.js';
import { deriveFacts } from '../../src/facts/derive.js';
import { mergeFactSets } from '../../src/facts/merge.js';
import { alarmGap } from '../../src/facts/kinds/logMonitoring/liveGaps.js';
import { prescribedPatterns } from '../../src/facts/kinds/logMonitoring/monitoringPatterns.js';
import { isUnknown, type FactSet, type LogGroupFacts, type MetricAlarmFacts, type TopicFacts, type TrailFacts } from '../../src/facts/model.js';
import { loadChecks } from '../../src/load/loadChecks.js';
import { DEFAULT_RULES_FILE, loadRules } from '../../src/load/loadRules.js';
import { selectChecks } from '../../src/load/selectChecks.js';
import {
  LOG_ARCHIVE,
  MANAGEMENT,
  MEMBER,
  ORG_TRAIL_ARN,
  OUTSIDER,
  REGIONS,
  ROLE_ARN,
  UNREACHABLE,
  logArchiveSet,
  managementSet,
  memberSet,
  outsiderSet,
  unreachableSet,
} from '../facts/organizationFixtures.js';

const CHECKS = loadChecks();
const RULES = loadRules(DEFAULT_RULES_FILE, CHECKS);

function enabledChecks(ids: readonly string[]): EnabledCheck[] {
  return selectChecks(CHECKS, RULES, ids, undefined);
}

function run(facts: FactSet, ids: readonly string[]): readonly Finding[] {
  return evaluate({ checks: enabledChecks(ids), facts, suppressions: [], today: '2026-12-06' }).findings;
}

function statusOf(findings: readonly Finding[], control: string, account: string, region?: string): string[] {
  return findings
    .filter((finding) => finding.control === control && finding.resource.accountId === account && (region === undefined || finding.resource.region === region))
    .map((finding) => finding.status);
}

/** The monitoring kinds claimed, with nothing found: CloudWatch.* can be derived. */
function withMonitoringKinds(set: FactSet): FactSet {
  return { ...set, collected: [...set.collected, 'logGroups', 'metricFilters', 'metricAlarms', 'alarmTopics'], logGroups: [], alarms: [], topics: [] };
}

/**
 * MANAGEMENT's organization trail sending to a log group with the exact CloudWatch.1 (root usage)
 * filter on metric CIS/RootUsage; alarms and topics are the test's.
 */
function monitoredManagement(): { management: FactSet; monitoredTrail: TrailFacts; group: LogGroupFacts } {
  const groupArn = `arn:aws:logs:us-east-1:${MANAGEMENT}:log-group:org-trail`;
  const management = withMonitoringKinds(managementSet());
  const monitoredTrail = { ...(management.trails[0] as TrailFacts), cloudWatchLogsLogGroupArn: `${groupArn}:*` };
  const group: LogGroupFacts = {
    ref: { type: 'AWS::Logs::LogGroup', id: groupArn, name: 'org-trail', accountId: MANAGEMENT, region: 'us-east-1' },
    arn: groupArn,
    name: 'org-trail',
    region: 'us-east-1',
    accountId: MANAGEMENT,
    trailArns: [monitoredTrail.arn],
    exists: true,
    metricFilters: [{ name: 'root', pattern: prescribedPatterns('CloudWatch.1', 'securityhub')[0] ?? '', metrics: [{ name: 'RootUsage', namespace: 'CIS' }] }],
  };
  return { management, monitoredTrail, group };
}

describe('evaluate an organization set', () => {
  const organization = mergeFactSets([managementSet(), logArchiveSet(), memberSet(), outsiderSet(), unreachableSet()]);
  const findings = run(organization, ['CloudTrail.1', 'CloudTrail.3', 'CloudTrail.4', 'CloudTrail.6', 'CloudTrail.7', 'CIS.4.16']);

  it('CloudTrail.1: a member is credited by the management account’s organization trail it does not list; another organization’s account is not', () => {
    assert.deepEqual(statusOf(findings, 'CloudTrail.1', MANAGEMENT), ['PASS']);
    assert.deepEqual(statusOf(findings, 'CloudTrail.1', LOG_ARCHIVE), ['PASS']);
    assert.deepEqual(statusOf(findings, 'CloudTrail.1', MEMBER), ['PASS']);
    assert.deepEqual(statusOf(findings, 'CloudTrail.1', OUTSIDER), ['FAIL']);
    const member = findings.find((finding) => finding.control === 'CloudTrail.1' && finding.resource.accountId === MEMBER);
    assert.equal(member?.resource.id, MEMBER, 'the finding is about the member account');
    assert.match(JSON.stringify(member.evidence), /org-trail/u, 'the evidence names the trail');
  });

  it('an account whose role could not be assumed is UNKNOWN(access_denied) for every account and Region control, naming the role', () => {
    const unreachable = findings.filter((finding) => finding.resource.accountId === UNREACHABLE);
    // CloudTrail.1 (account) + CloudTrail.3 and CIS.4.16 (one per audited Region) + one for the
    // unknown resources of each resource-level check (CloudTrail.4, 6, 7): `--checks CloudTrail.4`
    // over an account that could not be entered is incomplete, never clean.
    assert.equal(unreachable.length, 1 + 2 * REGIONS.length + 3);
    assert.deepEqual(
      unreachable.filter((finding) => ['CloudTrail.4', 'CloudTrail.6', 'CloudTrail.7'].includes(finding.control)).map((finding) => finding.resource.id),
      [UNREACHABLE, UNREACHABLE, UNREACHABLE],
    );
    for (const finding of unreachable) {
      assert.equal(finding.status, 'UNKNOWN');
      assert.equal(finding.reason, 'access_denied');
      assert.ok(finding.message.includes(ROLE_ARN), finding.message);
      assert.deepEqual(finding.unknowns.map((detail) => detail.operation), ['sts:AssumeRole']);
    }
    assert.deepEqual(unreachable.filter((finding) => finding.control === 'CloudTrail.3').map((finding) => finding.resource.region).sort(), [...REGIONS].sort());
  });

  it('CloudTrail.3: one finding per audited account × Region', () => {
    const regional = findings.filter((finding) => finding.control === 'CloudTrail.3');
    assert.equal(regional.length, 5 * REGIONS.length);
    for (const region of REGIONS) {
      assert.deepEqual(statusOf(findings, 'CloudTrail.3', MEMBER, region), ['PASS']);
      assert.deepEqual(statusOf(findings, 'CloudTrail.3', OUTSIDER, region), ['FAIL']);
    }
  });

  it('CloudTrail.4 judges the organization trail exactly once, in its owner account', () => {
    const trailFindings = findings.filter((finding) => finding.control === 'CloudTrail.4' && finding.resource.type === 'AWS::CloudTrail::Trail');
    assert.equal(trailFindings.length, 1);
    assert.equal(trailFindings[0]?.resource.id, ORG_TRAIL_ARN);
    assert.equal(trailFindings[0].resource.accountId, MANAGEMENT);
    assert.equal(trailFindings[0].status, 'FAIL');
  });

  it('the log-archive bucket is judged with its owner’s facts: real verdicts, in the log-archive account', () => {
    assert.deepEqual(statusOf(findings, 'CloudTrail.6', LOG_ARCHIVE), ['PASS']);
    assert.deepEqual(statusOf(findings, 'CloudTrail.7', LOG_ARCHIVE), ['FAIL']);
    // Without the log-archive account: UNKNOWN(cross_account), never PASS.
    const without = run(mergeFactSets([managementSet(), memberSet()]), ['CloudTrail.6']);
    assert.deepEqual(without.map((finding) => [finding.status, finding.reason]), [['UNKNOWN', 'cross_account']]);
  });

  it('a check whose facts were not collected is UNKNOWN once per account, about that account', () => {
    const hub = findings.filter((finding) => finding.control === 'CIS.4.16' && finding.resource.accountId !== UNREACHABLE);
    assert.deepEqual(hub.map((finding) => [finding.resource.id, finding.reason]), [MANAGEMENT, LOG_ARCHIVE, MEMBER, OUTSIDER].map((id) => [id, 'unsupported']));
  });

  it('every finding names its account, and the findings are sorted', () => {
    assert.ok(findings.every((finding) => finding.resource.accountId !== null));
    assert.deepEqual(findings, [...findings].sort(compareFindings));
  });

  it('a member listing the shadow copy is credited through it; the owner’s copy is the one judged', () => {
    const shadow = run(mergeFactSets([managementSet(), memberSet({ memberSeesShadow: true })]), ['CloudTrail.1', 'CloudTrail.4']);
    assert.deepEqual(statusOf(shadow, 'CloudTrail.1', MEMBER), ['PASS']);
    assert.deepEqual(statusOf(shadow, 'CloudTrail.4', MANAGEMENT), ['FAIL']);
    assert.equal(shadow.filter((finding) => finding.control === 'CloudTrail.4').length, 1);
  });

  it('a member-only audit reads the shadow trail as before: CloudTrail.1 UNKNOWN(cross_account) on the member’s copy, never PASS', () => {
    const memberOnly = run(mergeFactSets([memberSet({ memberSeesShadow: true }), outsiderSet()]), ['CloudTrail.1']);
    assert.deepEqual(statusOf(memberOnly, 'CloudTrail.1', MEMBER), ['UNKNOWN']);
  });

  it('monitoring: an unreachable account is UNKNOWN, not FAIL, and its derived items say why', () => {
    const sets = [managementSet(), outsiderSet(), unreachableSet()].map(withMonitoringKinds);
    const merged = mergeFactSets(sets);
    const items = (merged.monitoring ?? []).filter((item) => item.accountId === UNREACHABLE);
    assert.ok(items.length > 0);
    assert.ok(items.every((item) => isUnknown(item.satisfied) && item.satisfied.$unknown.reason === 'access_denied'));
    const monitored = run(merged, ['CloudWatch.1']);
    assert.deepEqual(statusOf(monitored, 'CloudWatch.1', UNREACHABLE), ['UNKNOWN']);
    assert.deepEqual(statusOf(monitored, 'CloudWatch.1', OUTSIDER), ['FAIL']);
  });

  it('monitoring: one account’s failed DescribeAlarms does not make another account’s missing alarm UNKNOWN', () => {
    // MANAGEMENT's organization trail sends to a log group with the exact root-usage filter and no
    // alarm (a FAIL); OUTSIDER could not list its alarms in the same Region.
    const { management, monitoredTrail, group } = monitoredManagement();
    const outsider = { ...withMonitoringKinds(outsiderSet()), alarms: [alarmGap('us-east-1', { reason: 'access_denied', message: 'DescribeAlarms denied', operation: 'cloudwatch:DescribeAlarms' }, OUTSIDER, 'aws')] };
    const merged = mergeFactSets([{ ...management, trails: [monitoredTrail], logGroups: [group] }, outsider]);
    const monitored = run(merged, ['CloudWatch.1']);
    assert.deepEqual(statusOf(monitored, 'CloudWatch.1', MANAGEMENT), ['FAIL']);
    const finding = monitored.find((item) => item.resource.accountId === MANAGEMENT);
    assert.match(finding?.message ?? '', /no alarm/u);
  });

  it('monitoring: the organization trail’s complete chain in the management account monitors every member it covers (PASS), never another organization’s account', () => {
    const topicArn = `arn:aws:sns:us-east-1:${MANAGEMENT}:security-alerts`;
    const { management, monitoredTrail, group } = monitoredManagement();
    const alarmArn = `arn:aws:cloudwatch:us-east-1:${MANAGEMENT}:alarm:root-usage`;
    const alarm: MetricAlarmFacts = {
      ref: { type: 'AWS::CloudWatch::Alarm', id: alarmArn, name: 'root-usage', accountId: MANAGEMENT, region: 'us-east-1' },
      arn: alarmArn,
      name: 'root-usage',
      region: 'us-east-1',
      accountId: MANAGEMENT,
      actionsEnabled: true,
      alarmActions: [topicArn],
      metrics: [{ name: 'RootUsage', namespace: 'CIS' }],
    };
    const topic: TopicFacts = {
      ref: { type: 'AWS::SNS::Topic', id: topicArn, name: 'security-alerts', accountId: MANAGEMENT, region: 'us-east-1' },
      arn: topicArn,
      name: 'security-alerts',
      region: 'us-east-1',
      accountId: MANAGEMENT,
      subscriptions: [{ protocol: 'email', endpoint: 'secops@example.com', confirmed: true }],
    };
    const merged = mergeFactSets([
      { ...management, trails: [monitoredTrail], logGroups: [group], alarms: [alarm], topics: [topic] },
      withMonitoringKinds(memberSet()),
      withMonitoringKinds(outsiderSet()),
    ]);
    const monitored = run(merged, ['CloudWatch.1']);
    assert.deepEqual(statusOf(monitored, 'CloudWatch.1', MANAGEMENT), ['PASS']);
    // The member lists nothing (as in moto) but belongs to the owner's organization.
    assert.deepEqual(statusOf(monitored, 'CloudWatch.1', MEMBER), ['PASS']);
    assert.match(monitored.find((item) => item.resource.accountId === MEMBER)?.message ?? '', /org-trail/u);
    assert.deepEqual(statusOf(monitored, 'CloudWatch.1', OUTSIDER), ['FAIL']);
  });

  describe('shards evaluated apart (accounts of the scope absent from the facts)', () => {
    const organization = {
      id: 'o-abcdefghij',
      managementAccountId: MANAGEMENT,
      callerAccountId: MANAGEMENT,
      roleName: 'OrganizationAccountAccessRole',
      accountsInScope: [MANAGEMENT, LOG_ARCHIVE, MEMBER].sort(),
      skipped: [],
    };
    const shard = (set: FactSet, index: number): FactSet => ({ ...set, organization: { ...organization, shard: { index, count: 2 } } });
    // Shard 2 holds the member and the log archive; the management account (owner of the
    // organization trail) is in shard 1, not given.
    const part = mergeFactSets([shard(memberSet(), 2), shard(logArchiveSet(), 2)]);
    const partFindings = run(part, ['CloudTrail.1', 'CloudTrail.3', 'CloudTrail.4']);

    it('the absent account is UNKNOWN(cross_account) for every check, naming what to evaluate together', () => {
      const absent = partFindings.filter((finding) => finding.resource.accountId === MANAGEMENT);
      // CloudTrail.1 + CloudTrail.3 per Region + CloudTrail.4's resources.
      assert.equal(absent.length, 1 + REGIONS.length + 1);
      for (const finding of absent) {
        assert.equal(finding.status, 'UNKNOWN');
        assert.equal(finding.reason, 'cross_account');
        assert.match(finding.message, /evaluate every shard/u);
      }
    });

    it('a member the absent account’s organization trail may cover is UNKNOWN, not FAIL; with every shard it PASSes', () => {
      assert.deepEqual(statusOf(partFindings, 'CloudTrail.1', MEMBER), ['UNKNOWN']);
      assert.deepEqual(statusOf(partFindings, 'CloudTrail.3', MEMBER, 'us-east-1'), ['UNKNOWN']);
      const whole = run(mergeFactSets([shard(managementSet(), 1), shard(memberSet(), 2), shard(logArchiveSet(), 2)]), ['CloudTrail.1']);
      assert.deepEqual(statusOf(whole, 'CloudTrail.1', MEMBER), ['PASS']);
      assert.ok(whole.every((finding) => finding.reason !== 'cross_account' || finding.resource.accountId !== MANAGEMENT));
    });
  });

  it('a single-account set evaluates exactly as before (no views)', () => {
    // As `evaluate` loads a snapshot: derived facts computed from the raw ones.
    const single = deriveFacts(managementSet());
    const direct = run(single, ['CloudTrail.1', 'CloudTrail.3', 'CloudTrail.4']);
    assert.deepEqual(direct.map((finding) => `${finding.control}:${finding.resource.region}:${finding.status}`), [
      'CloudTrail.1:global:PASS',
      'CloudTrail.3:eu-west-1:PASS',
      'CloudTrail.3:us-east-1:PASS',
      'CloudTrail.4:us-east-1:FAIL',
    ]);
  });
});
