/**
 * The live log-monitoring readers against mocked SDK clients (aws-sdk-client-mock), ONLY for AWS
 * behaviour moto cannot produce (test/MOTO_GAPS.md, "CloudWatch Logs, CloudWatch, SNS"): another
 * account's log group (an organization trail) and topic, denied and throttled calls, unconfirmed
 * subscriptions, gone topics, ResourceNotFoundException for a gone group, paged prefix listings.
 * The same readers run against moto in logMonitoring.moto.test.ts.
 */
import { strict as assert } from 'node:assert';
import { CloudTrailClient, DescribeTrailsCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { AlarmGap, FactNeed, FactSet, LogGroupFacts, TopicFacts, Unknown } from '../../src/facts/model.js';
import { isGap, isUnknown } from '../../src/facts/model.js';
import { collectLive } from '../../src/collect/live/index.js';

const ACCOUNT = '222222222222';
const MANAGEMENT_ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '333333333333';
const DUMMY = { accessKeyId: 'mock', secretAccessKey: 'mock' };
const NEEDS: ReadonlySet<FactNeed> = new Set<FactNeed>(['trails', 'logGroups', 'metricFilters', 'metricAlarms', 'alarmTopics']);
const ROOT = { MetricName: 'RootAccountUsage', Namespace: 'CISBenchmark' };

let ct: AwsClientStub<CloudTrailClient>;
let sts: AwsClientStub<STSClient>;
let logs: AwsClientStub<CloudWatchLogsClient>;
let cw: AwsClientStub<CloudWatchClient>;
let sns: AwsClientStub<SNSClient>;

function awsError(code: string, status: number): Error {
  return Object.assign(new Error(`${code} (mocked)`), { name: code, Code: code, $fault: 'client', $metadata: { httpStatusCode: status, attempts: 1 } });
}

function trail(name: string, extra: Partial<Trail> = {}, account = ACCOUNT): Trail {
  return {
    Name: name,
    S3BucketName: 'logs',
    IsMultiRegionTrail: true,
    HomeRegion: 'us-east-1',
    TrailARN: `arn:aws:cloudtrail:us-east-1:${account}:trail/${name}`,
    IsOrganizationTrail: false,
    CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${account}:log-group:${name}-group:*`,
    ...extra,
  };
}

function topicArn(name: string, account = ACCOUNT): string {
  return `arn:aws:sns:us-east-1:${account}:${name}`;
}

function rootAlarm(name: string, actions: string[]): MetricAlarm {
  return { AlarmName: name, AlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${name}`, ActionsEnabled: true, AlarmActions: actions, ...ROOT };
}

/** One filter emitting the root-usage metric on every log group. */
function rootFilters(): void {
  logs.on(DescribeMetricFiltersCommand).callsFake((input: { logGroupName?: string }) => ({
    metricFilters: [
      {
        filterName: 'root',
        filterPattern: '{ $.userIdentity.type = "Root" }',
        logGroupName: input.logGroupName,
        metricTransformations: [{ metricName: ROOT.MetricName, metricNamespace: ROOT.Namespace, metricValue: '1' }],
      },
    ],
  }));
}

function existingGroups(): void {
  logs.on(DescribeLogGroupsCommand).callsFake((input: { logGroupNamePrefix?: string }) => ({ logGroups: [{ logGroupName: input.logGroupNamePrefix }] }));
}

async function collect(needs: ReadonlySet<FactNeed> = NEEDS): Promise<FactSet> {
  return collectLive({ needs, regions: ['us-east-1'], endpointUrl: 'http://127.0.0.1:9', credentials: DUMMY, maxAttempts: 1 });
}

function group(facts: FactSet, name: string): LogGroupFacts {
  const found = (facts.logGroups ?? []).find((g): g is LogGroupFacts => !isGap(g) && g.name === name);
  assert.ok(found, `log group ${name} collected`);
  return found;
}

function topic(facts: FactSet, arn: string): TopicFacts {
  const found = (facts.topics ?? []).find((t) => t.arn === arn);
  assert.ok(found, `topic ${arn} collected`);
  return found;
}

function unknownOf(value: unknown): Unknown['$unknown'] {
  assert.ok(isUnknown(value), `expected an Unknown, got ${JSON.stringify(value)}`);
  return value.$unknown;
}

describe('live log-monitoring readers: AWS behaviour moto cannot produce (mocked SDK)', () => {
  before(() => {
    ct = mockClient(CloudTrailClient);
    sts = mockClient(STSClient);
    logs = mockClient(CloudWatchLogsClient);
    cw = mockClient(CloudWatchClient);
    sns = mockClient(SNSClient);
  });

  beforeEach(() => {
    for (const mock of [ct, sts, logs, cw, sns]) {
      mock.reset();
    }
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:role/auditor`, UserId: 'AROAEXAMPLE' });
  });

  after(() => {
    for (const mock of [ct, sts, logs, cw, sns]) {
      mock.restore();
    }
  });

  // moto has one account: an organization trail of the management account seen from a member.
  it('does not call for another account’s log group: Unknown(cross_account) naming the owner', async () => {
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail('org', { IsOrganizationTrail: true }, MANAGEMENT_ACCOUNT)] });
    const facts = await collect();
    assert.deepEqual(facts.stats.apiCalls, { 'cloudtrail:DescribeTrails': 1, 'sts:GetCallerIdentity': 1 });
    const org = group(facts, 'org-group');
    assert.equal(org.accountId, MANAGEMENT_ACCOUNT);
    for (const fact of [org.exists, org.metricFilters]) {
      const detail = unknownOf(fact);
      assert.equal(detail.reason, 'cross_account');
      assert.equal(detail.account, MANAGEMENT_ACCOUNT);
      assert.match(detail.message, /111111111111/);
    }
    assert.deepEqual(facts.alarms, []);
    assert.deepEqual(facts.topics, []);
  });

  // moto answers NotFoundException for another account's topic; AWS answers AuthorizationError.
  it('reports another account’s unlistable topic as cross_account and an own denied topic as access_denied', async () => {
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail('main')] });
    existingGroups();
    rootFilters();
    const foreign = topicArn('central-alarms', OTHER_ACCOUNT);
    const own = topicArn('alarms');
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [rootAlarm('root', [foreign, own])] });
    sns.on(ListSubscriptionsByTopicCommand).rejects(awsError('AuthorizationErrorException', 403));
    const facts = await collect();
    assert.equal(facts.stats.apiCalls['sns:ListSubscriptionsByTopic'], 2);
    const crossAccount = unknownOf(topic(facts, foreign).subscriptions);
    assert.equal(crossAccount.reason, 'cross_account');
    assert.equal(crossAccount.account, OTHER_ACCOUNT);
    assert.equal(topic(facts, foreign).accountId, OTHER_ACCOUNT);
    const denied = unknownOf(topic(facts, own).subscriptions);
    assert.equal(denied.reason, 'access_denied');
    assert.match(denied.message, /sns:ListSubscriptionsByTopic/);
  });

  // moto confirms every subscription at once and has no NotFound for our own topics here.
  it('counts PendingConfirmation as unconfirmed and a gone topic as notifying nobody', async () => {
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail('main')] });
    existingGroups();
    rootFilters();
    const pending = topicArn('pending');
    const gone = topicArn('gone');
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [rootAlarm('root', [pending, gone])] });
    sns.on(ListSubscriptionsByTopicCommand, { TopicArn: pending }).resolves({
      Subscriptions: [{ SubscriptionArn: 'PendingConfirmation', Protocol: 'email', Endpoint: 'sec@example.com', TopicArn: pending }],
    });
    sns.on(ListSubscriptionsByTopicCommand, { TopicArn: gone }).rejects(awsError('NotFoundException', 404));
    const facts = await collect();
    assert.deepEqual(topic(facts, pending).subscriptions, [{ protocol: 'email', confirmed: false, endpoint: 'sec@example.com' }]);
    assert.deepEqual(topic(facts, gone).subscriptions, []);
  });

  // moto never denies: AccessDenied on DescribeMetricFilters.
  it('keeps a denied filter listing unknown and asks no topic for it', async () => {
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail('main')] });
    existingGroups();
    logs.on(DescribeMetricFiltersCommand).rejects(awsError('AccessDeniedException', 400));
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [rootAlarm('root', [topicArn('alarms')])] });
    const facts = await collect();
    const detail = unknownOf(group(facts, 'main-group').metricFilters);
    assert.equal(detail.reason, 'access_denied');
    assert.equal(detail.operation, 'logs:DescribeMetricFilters');
    assert.equal(group(facts, 'main-group').exists, true);
    assert.equal(facts.stats.apiCalls['sns:ListSubscriptionsByTopic'], undefined);
    assert.deepEqual(facts.topics, []);
  });

  // moto answers [] for a missing group; AWS answers ResourceNotFoundException.
  it('reads ResourceNotFoundException as a group without filters', async () => {
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail('main')] });
    logs.on(DescribeMetricFiltersCommand).rejects(awsError('ResourceNotFoundException', 400));
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    const facts = await collect(new Set<FactNeed>(['trails', 'metricFilters']));
    assert.deepEqual(group(facts, 'main-group').metricFilters, []);
    assert.equal(group(facts, 'main-group').exists, undefined, 'existence not read when not needed');
    assert.equal(facts.stats.apiCalls['logs:DescribeLogGroups'], undefined);
  });

  // moto never throttles.
  it('turns a throttled alarm listing into a Region gap', async () => {
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail('main')] });
    existingGroups();
    rootFilters();
    cw.on(DescribeAlarmsCommand).rejects(awsError('Throttling', 400));
    const facts = await collect();
    const [gap, ...more] = facts.alarms ?? [];
    assert.ok(gap !== undefined && isGap(gap));
    assert.equal(more.length, 0);
    const alarmGap: AlarmGap = gap;
    assert.equal(alarmGap.$gap.reason, 'throttled');
    assert.equal(alarmGap.region, 'us-east-1');
    assert.equal(alarmGap.ref.type, 'AWS::CloudWatch::Alarm');
    assert.deepEqual(facts.topics, []);
  });

  it('pages alarm listings and prefix listings of log groups only as far as needed', async () => {
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail('main'), trail('missing', { IsMultiRegionTrail: false })] });
    // The exact name comes on the second page for main-group; missing-group is never listed.
    logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: 'main-group' }).resolvesOnce({ logGroups: [{ logGroupName: 'main-group-archive' }], nextToken: 't1' }).resolves({ logGroups: [{ logGroupName: 'main-group' }], nextToken: 't2' });
    logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: 'missing-group' }).resolves({ logGroups: [{ logGroupName: 'missing-group-old' }] });
    rootFilters();
    cw.on(DescribeAlarmsCommand).resolvesOnce({ MetricAlarms: [rootAlarm('a', [])], NextToken: 'p2' }).resolves({ MetricAlarms: [{ ...rootAlarm('b', []), MetricName: undefined, Namespace: undefined, Metrics: [{ Id: 'm1', MetricStat: { Metric: ROOT, Period: 300, Stat: 'Sum' } }] }] });
    const facts = await collect();
    assert.equal(facts.stats.apiCalls['logs:DescribeLogGroups'], 3);
    assert.equal(facts.stats.apiCalls['cloudwatch:DescribeAlarms'], 2);
    assert.equal(group(facts, 'main-group').exists, true);
    assert.equal(group(facts, 'missing-group').exists, false);
    assert.deepEqual(
      (facts.alarms ?? []).map((a) => [a.ref.name, isGap(a) ? null : a.metrics]),
      [
        ['a', [{ name: ROOT.MetricName, namespace: ROOT.Namespace }]],
        ['b', [{ name: ROOT.MetricName, namespace: ROOT.Namespace }]],
      ],
    );
    const [first] = cw.commandCalls(DescribeAlarmsCommand);
    assert.ok(first);
    assert.equal(first.args[0].input.MaxRecords, 100);
    assert.deepEqual(first.args[0].input.AlarmTypes, ['MetricAlarm']);
  });
});
