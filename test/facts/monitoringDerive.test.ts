/**
 * kinds/logMonitoring/derive.ts: the derived monitoring chain (CONTROLS.md §2.2, §6.10–11), table
 * driven over small fact sets built by the check tester's compact facts (the real builders and the
 * real deriveFacts, as `evaluate` runs them).
 */
import { strict as assert } from 'node:assert';
import { deriveMonitoring } from '../../src/facts/kinds/logMonitoring/derive.js';
import { MONITORING_CONTROLS, PATTERN_SETS } from '../../src/facts/kinds/logMonitoring/monitoringPatterns.js';
import type { MonitoringFacts } from '../../src/facts/model.js';
import { isUnknown } from '../../src/facts/model.js';
import { buildFacts } from '../../src/tester/facts.js';

const ACCOUNT = '123456789012';
const OWNER = '999988887777';

const SH_CW5 = '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}';
const SPACED_QUOTED_CW5 = '{ ( $.eventName = "CreateTrail" ) ||($.eventName = "UpdateTrail")|| ($.eventName="DeleteTrail") || ($.eventName = StartLogging) || ( $.eventName = "StopLogging" ) }';
const SUPERSET_CW5 = '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging) || ($.eventName=PutEventSelectors)}';
const SUBSET_CW5 = '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging)}';
const REORDERED_CW5 = '{($.eventName=UpdateTrail) || ($.eventName=CreateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}';
const SG_EVENTS = ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup'];
const CIS3_CW10 = `{ ${[...SG_EVENTS, 'ModifySecurityGroupRules'].map((name) => `($.eventName = ${name})`).join(' || ')} }`;
/** Security Hub's CloudWatch.7 terms with the grouping changed: (source && DisableKey) || ScheduleKeyDeletion. */
const CW7_PRECEDENCE = '{(($.eventSource=kms.amazonaws.com) && ($.eventName=DisableKey)) || ($.eventName=ScheduleKeyDeletion)}';
const MFA_BASIC = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }';

type Compact = Record<string, unknown>;

/** A monitored account: trail main → its log group → filter cw5 → alarm cw5 → topic security-alerts (confirmed). */
function monitored(overrides: Compact = {}, filter: Compact = { name: 'cw5', pattern: SH_CW5 }): Compact {
  return {
    trails: [{ name: 'main' }],
    logGroups: [{ trail: 'main', filters: [filter] }],
    alarms: [{ name: 'cw5' }],
    topics: [{ name: 'security-alerts' }],
    ...overrides,
  };
}

interface Row {
  readonly name: string;
  readonly facts: Compact;
  readonly control?: string;
  readonly set?: string;
  /** true, false, or the Unknown's reason. */
  readonly expect: boolean | string;
  readonly explanation?: readonly string[];
  readonly links?: Partial<MonitoringFacts>;
  readonly account?: string;
}

const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
const LOG_GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:aws-cloudtrail-logs-main`;
const ALARM_ARN = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:cw5`;
const TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:security-alerts`;

const ROWS: readonly Row[] = [
  // ------------------------------------------------------------- complete chains
  {
    name: 'the whole chain with Security Hub\'s exact pattern',
    facts: monitored(),
    expect: true,
    explanation: ['confirmed subscription', 'security-alerts'],
    links: { trailArn: TRAIL_ARN, logGroupArn: LOG_GROUP_ARN, filterName: 'cw5', filterPattern: SH_CW5, alarmArn: ALARM_ARN, topicArn: TOPIC_ARN },
  },
  { name: 'other spacing and optional quotes are the same filter', facts: monitored({}, { name: 'cw5', pattern: SPACED_QUOTED_CW5 }), expect: true },
  { name: 'the CIS spelling of the pattern under the cis-1.4 set', facts: monitored({}, { name: 'cw5', prescribed: 'CloudWatch.5 cis-1.4' }), set: 'cis-1.4', expect: true },
  {
    name: 'an alarm on metric math reading the filter metric among others',
    facts: monitored({ alarms: [{ name: 'cw5-math', metrics: ['AWS/EC2/CPUUtilization', 'CISBenchmark/cw5'] }] }),
    expect: true,
    links: { alarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:cw5-math` },
  },
  {
    name: 'two trails, only the second monitored',
    facts: {
      ...monitored(),
      trails: [{ name: 'regional', isMultiRegion: false }, { name: 'main' }],
    },
    expect: true,
    links: { trailArn: TRAIL_ARN },
  },
  {
    name: 'a trail whose status cannot be read next to a monitored one',
    facts: { ...monitored(), trails: [{ name: 'denied', isLogging: { $unknown: 'access_denied' } }, { name: 'main' }] },
    expect: true,
  },
  {
    name: 'one confirmed subscription among pending ones is enough',
    facts: monitored({ topics: [{ name: 'security-alerts', subscriptions: [{ confirmed: false }, { protocol: 'sqs', confirmed: true }] }] }),
    expect: true,
  },
  {
    name: 'a second alarm on the metric notifies the topic when the first has its actions disabled',
    facts: monitored({ alarms: [{ name: 'cw5', actionsEnabled: false }, { name: 'cw5-b', metric: 'CISBenchmark/cw5' }] }),
    expect: true,
  },
  // ------------------------------------------------------------- the filter
  {
    name: 'a superset filter FAILS, and the explanation says Security Hub fails it and names the extra term',
    facts: monitored({}, { name: 'cw5', pattern: SUPERSET_CW5 }),
    expect: false,
    explanation: ['Security Hub fails any filter that is not exactly the prescribed pattern', 'PutEventSelectors', 'superset FAILS', 'cw5'],
    links: { filterName: 'cw5', filterPattern: SUPERSET_CW5, trailArn: TRAIL_ARN, logGroupArn: LOG_GROUP_ARN },
  },
  { name: 'a subset filter (StopLogging missing)', facts: monitored({}, { name: 'cw5', pattern: SUBSET_CW5 }), expect: false, explanation: ['lacks', 'StopLogging'] },
  { name: 'reordered terms are not the exact filter', facts: monitored({}, { name: 'cw5', pattern: REORDERED_CW5 }), expect: false, explanation: ['another order'] },
  { name: 'the filter of another control', facts: monitored({}, { name: 'cw5', prescribed: 'CloudWatch.4' }), expect: false, explanation: ['not the prescribed pattern'] },
  { name: 'a log group with no metric filter', facts: monitored({ logGroups: [{ trail: 'main', filters: [] }] }), expect: false, explanation: ['has no metric filter'] },
  { name: 'filters that cannot be read', facts: monitored({ logGroups: [{ trail: 'main', filters: { $unknown: 'access_denied' } }] }), expect: 'access_denied' },
  // ------------------------------------------------------------- trail and log group
  { name: 'no trail at all', facts: { trails: [], logGroups: [], alarms: [], topics: [] }, expect: false, explanation: ['no multi-Region trail', 'CloudTrail.1'] },
  { name: 'the trail sends to no log group', facts: monitored({ trails: [{ name: 'main', cloudWatchLogsLogGroupArn: null }], logGroups: [] }), expect: false, explanation: ['no multi-Region trail', 'sends to no log group'] },
  { name: 'the trail is not multi-Region', facts: monitored({ trails: [{ name: 'main', isMultiRegion: false }] }), expect: false, explanation: ['is not multi-Region'] },
  { name: 'the trail is not logging', facts: monitored({ trails: [{ name: 'main', isLogging: false }] }), expect: false, explanation: ['is not logging'] },
  {
    name: 'the trail excludes KMS events (fails the CloudTrail.1 test)',
    facts: monitored({ trails: [{ name: 'main', eventSelectors: { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] }] } }] }),
    expect: false,
    explanation: ['management events'],
  },
  { name: 'the trail status cannot be read', facts: monitored({ trails: [{ name: 'main', isLogging: { $unknown: 'throttled' } }] }), expect: 'throttled' },
  { name: 'the log group was deleted', facts: monitored({ logGroups: [{ trail: 'main', exists: false }] }), expect: false, explanation: ['does not exist'] },
  { name: 'whether the log group exists cannot be read', facts: monitored({ logGroups: [{ trail: 'main', exists: { $unknown: 'access_denied' } }] }), expect: 'access_denied' },
  { name: 'the trail\'s log group is missing from the collection', facts: monitored({ logGroups: [] }), expect: 'error', explanation: ['not among the collected log groups'] },
  { name: 'the log groups of the trail\'s Region could not be listed', facts: monitored({ logGroups: [{ gap: 'us-east-1', reason: 'access_denied' }] }), expect: 'access_denied' },
  { name: 'the trails of a Region could not be listed', facts: { trails: [], trailGaps: [{ region: 'us-east-1', reason: 'access_denied' }], logGroups: [], alarms: [], topics: [] }, expect: 'access_denied' },
  {
    name: 'an organization trail of another account: cross_account with the owner, never PASS',
    facts: { trails: [{ name: 'org', owner: OWNER }], logGroups: [], alarms: [], topics: [] },
    expect: 'cross_account',
    explanation: [`owner account ${OWNER}`, `audit ${OWNER}`],
    account: OWNER,
  },
  // ------------------------------------------------------------- the alarm
  { name: 'no alarm on the filter metric', facts: monitored({ alarms: [] }), expect: false, explanation: ['no alarm in us-east-1 watches', 'CISBenchmark/cw5'] },
  { name: 'an alarm on the same metric name in another namespace', facts: monitored({ alarms: [{ name: 'cw5', metric: 'LogMetrics/cw5' }] }), expect: false, explanation: ['another namespace'] },
  { name: 'an alarm on the metric in another Region', facts: monitored({ alarms: [{ name: 'cw5', region: 'eu-west-1' }] }), expect: false, explanation: ['eu-west-1', 'own account and Region'] },
  { name: 'the alarm\'s actions are disabled', facts: monitored({ alarms: [{ name: 'cw5', actionsEnabled: false }] }), expect: false, explanation: ['actions are disabled', 'notifies nobody'], links: { alarmArn: ALARM_ARN } },
  { name: 'the alarm notifies no SNS topic', facts: monitored({ alarms: [{ name: 'cw5', actions: ['arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x'] }] }), expect: false, explanation: ['no SNS topic'] },
  { name: 'the alarm\'s metrics cannot be read', facts: monitored({ alarms: [{ name: 'cw5', metrics: { $unknown: 'error' } }] }), expect: 'error' },
  { name: 'whether the alarm\'s actions are enabled cannot be read', facts: monitored({ alarms: [{ name: 'cw5', actionsEnabled: { $unknown: 'access_denied' } }] }), expect: 'access_denied' },
  { name: 'the alarms of the Region could not be listed', facts: monitored({ alarms: [{ gap: 'us-east-1', reason: 'throttled' }] }), expect: 'throttled' },
  // ------------------------------------------------------------- the topic
  { name: 'only a subscription pending confirmation', facts: monitored({ topics: [{ name: 'security-alerts', subscriptions: [{ confirmed: false }] }] }), expect: false, explanation: ['pending confirmation'] },
  { name: 'a topic with no subscription', facts: monitored({ topics: [{ name: 'security-alerts', subscriptions: [] }] }), expect: false, explanation: ['no subscription'] },
  {
    name: 'a topic of another account whose subscriptions cannot be listed',
    facts: monitored({
      alarms: [{ name: 'cw5', actions: [`arn:aws:sns:us-east-1:${OWNER}:central`] }],
      topics: [{ name: 'central', account: OWNER, subscriptions: { $unknown: 'cross_account' } }],
    }),
    expect: 'cross_account',
    links: { topicArn: `arn:aws:sns:us-east-1:${OWNER}:central` },
  },
  { name: 'a subscription whose confirmation cannot be known (IaC)', facts: monitored({ topics: [{ name: 'security-alerts', subscriptions: [{ confirmed: { $unknown: 'unsupported' } }] }] }), expect: 'unsupported' },
  { name: 'the alarm\'s topic is missing from the collection', facts: monitored({ topics: [] }), expect: 'error' },
  // ------------------------------------------------------------- best candidate and pattern sets
  {
    name: 'an unreadable chain outranks a broken one',
    facts: { ...monitored({ topics: [{ name: 'security-alerts', subscriptions: { $unknown: 'access_denied' } }] }), trails: [{ name: 'regional', isMultiRegion: false }, { name: 'main' }] },
    expect: 'access_denied',
  },
  {
    name: 'the explanation follows the deepest broken chain',
    facts: { ...monitored({ alarms: [] }), trails: [{ name: 'regional', isMultiRegion: false }, { name: 'main' }] },
    expect: false,
    explanation: ['no alarm'],
  },
  { name: 'CIS 3.0 security-group filter under cis-3.0', facts: monitored({ alarms: [{ name: 'cw10' }] }, { name: 'cw10', pattern: CIS3_CW10 }), control: 'CloudWatch.10', set: 'cis-3.0', expect: true },
  {
    name: 'the same CIS 3.0 filter is a superset for Security Hub',
    facts: monitored({ alarms: [{ name: 'cw10' }] }, { name: 'cw10', pattern: CIS3_CW10 }),
    control: 'CloudWatch.10',
    expect: false,
    explanation: ['ModifySecurityGroupRules', 'superset FAILS'],
  },
  { name: 'CIS 1.4 accepts the basic console MFA pattern', facts: monitored({ alarms: [{ name: 'cw3' }] }, { name: 'cw3', pattern: MFA_BASIC }), control: 'CloudWatch.3', set: 'cis-1.4', expect: true },
  { name: 'Security Hub does not (it prescribes the SSO-aware one)', facts: monitored({ alarms: [{ name: 'cw3' }] }, { name: 'cw3', pattern: MFA_BASIC }), control: 'CloudWatch.3', expect: false, explanation: ['lacks'] },
  { name: 'CIS 3.0 route-table pattern under cis-5.0', facts: monitored({ alarms: [{ name: 'cw13' }] }, { name: 'cw13', prescribed: 'CloudWatch.13 cis-3.0' }), control: 'CloudWatch.13', set: 'cis-5.0', expect: true },
  {
    // Both filters are 'different' from the CloudWatch.7 pattern; the explanation must name the one
    // a user meant for CloudWatch.7 (fewest differing terms), not whichever came first.
    name: 'the closest filter is named: the CloudWatch.7 filter with changed precedence, not the exact CloudWatch.1 filter beside it',
    facts: monitored({
      logGroups: [{ trail: 'main', filters: [{ name: 'root-usage', prescribed: 'CloudWatch.1' }, { name: 'kms-precedence', pattern: CW7_PRECEDENCE }] }],
      alarms: [{ name: 'root-usage' }, { name: 'kms-precedence' }],
    }),
    control: 'CloudWatch.7',
    expect: false,
    explanation: ['kms-precedence'],
    links: { filterName: 'kms-precedence', filterPattern: CW7_PRECEDENCE },
  },
  { name: 'a filter for another control does not satisfy this one', facts: monitored(), control: 'CloudWatch.4', expect: false },
];

function pick(rows: readonly MonitoringFacts[] | undefined, control: string, set: string): MonitoringFacts {
  const found = rows?.find((row) => row.control === control && row.patternSet === set && row.accountId === ACCOUNT);
  assert.ok(found !== undefined, `a monitoring item for ${control} / ${set}`);
  return found;
}

describe('derived monitoring facts (CloudWatch.1–14, CIS.4.15)', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const facts = buildFacts(row.facts);
      const result = pick(facts.monitoring, row.control ?? 'CloudWatch.5', row.set ?? 'securityhub');
      if (typeof row.expect === 'boolean') {
        assert.equal(result.satisfied, row.expect, result.explanation);
      } else {
        assert.ok(isUnknown(result.satisfied), `Unknown expected, got ${JSON.stringify(result.satisfied)}: ${result.explanation}`);
        assert.equal(result.satisfied.$unknown.reason, row.expect, result.satisfied.$unknown.message);
        if (row.account !== undefined) {
          assert.equal(result.satisfied.$unknown.account, row.account);
        }
      }
      for (const part of row.explanation ?? []) {
        assert.ok(result.explanation.includes(part), `"${part}" in: ${result.explanation}`);
      }
      for (const [key, value] of Object.entries(row.links ?? {})) {
        assert.equal(result[key as keyof MonitoringFacts], value, key);
      }
    });
  }

  it('gives one item per account in scope, control and pattern set, each with the account ref', () => {
    const rows = buildFacts(monitored()).monitoring ?? [];
    assert.equal(rows.length, MONITORING_CONTROLS.length * PATTERN_SETS.length);
    const keys = new Set(rows.map((row) => `${row.control}|${row.patternSet}`));
    assert.equal(keys.size, MONITORING_CONTROLS.length * PATTERN_SETS.length);
    for (const row of rows) {
      assert.deepEqual(row.ref, { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'global' });
    }
  });

  it('is absent (not collected) unless status, selectors, filters, alarms and topics were collected', () => {
    for (const missing of ['trailStatus', 'eventSelectors', 'metricFilters', 'metricAlarms', 'alarmTopics']) {
      const collected = ['trails', 'trailStatus', 'eventSelectors', 'logGroups', 'metricFilters', 'metricAlarms', 'alarmTopics'].filter((need) => need !== missing);
      const facts = buildFacts({ ...monitored(), collected });
      assert.equal(facts.monitoring, undefined, missing);
      assert.equal(deriveMonitoring(facts), undefined, missing);
    }
  });

  it('never keeps a stored verdict: a tampered snapshot is re-derived', async () => {
    const { deriveFacts } = await import('../../src/facts/derive.js');
    const facts = buildFacts(monitored({ alarms: [] }));
    const tampered = { ...facts, monitoring: (facts.monitoring ?? []).map((row) => ({ ...row, satisfied: true })) };
    assert.equal(pick(deriveFacts(tampered).monitoring, 'CloudWatch.5', 'securityhub').satisfied, false);
  });

  it('an organization trail owned by another audited account leaves the member to the owner\'s finding (cross_account)', () => {
    const base = buildFacts({ trails: [{ name: 'org', owner: OWNER }], logGroups: [], alarms: [], topics: [] });
    const member = pick(deriveMonitoring({ ...base, accounts: [ACCOUNT, OWNER] }), 'CloudWatch.5', 'securityhub');
    assert.ok(isUnknown(member.satisfied));
    assert.equal(member.satisfied.$unknown.reason, 'cross_account');
    assert.match(member.explanation, new RegExp(`the finding of ${OWNER} decides`, 'u'));
  });

  it('judges each account in scope by its own trails', () => {
    const base = buildFacts(monitored());
    const facts = { ...base, accounts: [ACCOUNT, OWNER] };
    const monitoring = deriveMonitoring(facts) ?? [];
    assert.equal(monitoring.length, 2 * MONITORING_CONTROLS.length * PATTERN_SETS.length);
    const other = monitoring.find((row) => row.accountId === OWNER && row.control === 'CloudWatch.5' && row.patternSet === 'securityhub');
    assert.equal(other?.satisfied, false);
    assert.equal(pick(monitoring, 'CloudWatch.5', 'securityhub').satisfied, true);
  });
});
