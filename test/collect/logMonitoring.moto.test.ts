/**
 * The live log-monitoring readers (log groups, metric filters, alarms, alarm topics) end to end
 * against a real moto_server. What moto cannot produce (denied and throttled calls, another
 * account's topic or log group, unconfirmed subscriptions, ResourceNotFoundException for a gone
 * group) is covered in logMonitoring.mock.test.ts.
 */
import { strict as assert } from 'node:assert';
import { CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { FactNeed, FactSet, LogGroupFacts, MetricAlarmFacts, TopicFacts, Unknown } from '../../src/facts/model.js';
import { isGap, isUnknown } from '../../src/facts/model.js';
import { collectLive } from '../../src/collect/live/index.js';
import { prescribedPatterns } from '../../src/facts/kinds/logMonitoring/monitoringPatterns.js';
import { cloudTrailClient, MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, s3Client } from '../../support/moto/clients.js';
import {
  CLOUDTRAIL_LOGS_ROLE_ARN,
  cloudWatchClient,
  createLogGroup,
  createTopic,
  logsClient,
  putAlarm,
  putMetricFilter,
  snsClient,
  trailLogGroupArn,
} from '../../support/moto/monitoring.js';
import { useMoto } from '../../support/moto/mocha.js';
import { createBucket } from '../../support/moto/s3.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const MONITORING_NEEDS: ReadonlySet<FactNeed> = new Set<FactNeed>(['trails', 'logGroups', 'metricFilters', 'metricAlarms', 'alarmTopics']);
const ROOT = { name: 'RootAccountUsage', namespace: 'CISBenchmark' };
const ROOT_SUPERSET = { name: 'RootAccountUsageSuperset', namespace: 'CISBenchmark' };
const IAM = { name: 'IAMPolicyChanges', namespace: 'CISBenchmark' };
const LOGS_CALLS = ['cloudwatch:DescribeAlarms', 'logs:DescribeLogGroups', 'logs:DescribeMetricFilters', 'sns:ListSubscriptionsByTopic'];

function known<T>(value: T | Unknown | undefined): T {
  assert.ok(value !== undefined, 'fact collected');
  assert.ok(!isUnknown(value), `fact known, got ${JSON.stringify(value)}`);
  return value;
}

function logGroup(facts: FactSet, name: string): LogGroupFacts {
  const found = (facts.logGroups ?? []).find((g): g is LogGroupFacts => !isGap(g) && g.name === name);
  assert.ok(found, `log group ${name} collected`);
  return found;
}

function alarm(facts: FactSet, name: string): MetricAlarmFacts {
  const found = (facts.alarms ?? []).find((a): a is MetricAlarmFacts => !isGap(a) && a.name === name);
  assert.ok(found, `alarm ${name} collected`);
  return found;
}

function topic(facts: FactSet, name: string): TopicFacts {
  const found = (facts.topics ?? []).find((t) => t.name === name);
  assert.ok(found, `topic ${name} collected`);
  return found;
}

/** Only the monitoring calls, so the counts do not depend on what other kinds read. */
function monitoringCalls(facts: FactSet): Record<string, number> {
  return Object.fromEntries(Object.entries(facts.stats.apiCalls).filter(([action]) => LOGS_CALLS.includes(action)));
}

describe('live log-monitoring readers against moto', function () {
  this.timeout(60_000);
  const moto = useMoto();

  async function trailTo(region: string, name: string, logGroupArn: string, multiRegion: boolean): Promise<void> {
    const cloudTrail = cloudTrailClient(moto.endpoint, region);
    try {
      await cloudTrail.send(
        new CreateTrailCommand({
          Name: name,
          S3BucketName: 'trail-logs',
          IsMultiRegionTrail: multiRegion,
          CloudWatchLogsLogGroupArn: logGroupArn,
          CloudWatchLogsRoleArn: CLOUDTRAIL_LOGS_ROLE_ARN,
        }),
      );
      // moto: StartLogging works with the name only (MOTO_NOTES 7).
      await cloudTrail.send(new StartLoggingCommand({ Name: name }));
    } finally {
      cloudTrail.destroy();
    }
  }

  /**
   * us-east-1: multi-Region trails `main` (here) and `second` (eu-west-1) share log group
   * `ct-main` with an exact CIS root-usage filter, a superset of it and an IAM filter; alarms on
   * them (direct, metric math, actions disabled) notify `alarms` (confirmed sqs subscription) and
   * `quiet` (no subscription); an alarm on an unrelated metric notifies `unrelated`. Single-Region
   * trail `local` delivers to `ct-local`. eu-west-1: multi-Region trail `orphan` names the deleted
   * group `ct-orphan` (which had a root-usage filter), single-Region `lost` names the never-created `ct-lost`, and an alarm there on
   * the root metric (no filter of that Region emits it) notifies `eu-alarms`.
   */
  async function seed(): Promise<void> {
    const s3 = s3Client(moto.endpoint, 'us-east-1');
    const logsUs = logsClient(moto.endpoint, 'us-east-1');
    const logsEu = logsClient(moto.endpoint, 'eu-west-1');
    const cwUs = cloudWatchClient(moto.endpoint, 'us-east-1');
    const cwEu = cloudWatchClient(moto.endpoint, 'eu-west-1');
    const snsUs = snsClient(moto.endpoint, 'us-east-1');
    const snsEu = snsClient(moto.endpoint, 'eu-west-1');
    try {
      await createBucket(s3, 'trail-logs', 'us-east-1');
      await createLogGroup(logsUs, 'ct-main');
      await createLogGroup(logsUs, 'ct-main-archive'); // shares the prefix: the exact name must be matched
      await createLogGroup(logsUs, 'ct-local');
      const rootPattern = prescribedPatterns('CloudWatch.1')[0] ?? '';
      await putMetricFilter(logsUs, 'ct-main', 'root', rootPattern, ROOT);
      await putMetricFilter(logsUs, 'ct-main', 'root-superset', `{ ${rootPattern.slice(1, -1)} && ($.sourceIPAddress != "10.0.0.1") }`, ROOT_SUPERSET);
      await putMetricFilter(logsUs, 'ct-main', 'iam', prescribedPatterns('CloudWatch.4')[0] ?? '', IAM);
      await createLogGroup(logsEu, 'ct-orphan');
      await putMetricFilter(logsEu, 'ct-orphan', 'root', rootPattern, ROOT);
      await logsEu.send(new DeleteLogGroupCommand({ logGroupName: 'ct-orphan' }));
      const alarms = await createTopic(snsUs, 'alarms', { sqsSubscriber: 'security-team' });
      const quiet = await createTopic(snsUs, 'quiet');
      const unrelated = await createTopic(snsUs, 'unrelated', { sqsSubscriber: 'ops' });
      const euAlarms = await createTopic(snsEu, 'eu-alarms', { sqsSubscriber: 'security-team' });
      await putAlarm(cwUs, 'root-usage', ROOT, [alarms]);
      await putAlarm(cwUs, 'iam-changes-math', IAM, [quiet], { math: true });
      await putAlarm(cwUs, 'root-superset-disabled', ROOT_SUPERSET, [alarms, `arn:aws:autoscaling:us-east-1:${MOTO_ACCOUNT_ID}:scalingPolicy:x`], { actionsEnabled: false });
      await putAlarm(cwUs, 'cpu', { name: 'CPUUtilization', namespace: 'AWS/EC2' }, [unrelated]);
      await putAlarm(cwEu, 'root-usage-eu', ROOT, [euAlarms]);
      await trailTo('us-east-1', 'main', trailLogGroupArn('us-east-1', 'ct-main'), true);
      await trailTo('eu-west-1', 'second', trailLogGroupArn('us-east-1', 'ct-main'), true);
      await trailTo('us-east-1', 'local', trailLogGroupArn('us-east-1', 'ct-local'), false);
      await trailTo('eu-west-1', 'orphan', trailLogGroupArn('eu-west-1', 'ct-orphan'), true);
      await trailTo('eu-west-1', 'lost', trailLogGroupArn('eu-west-1', 'ct-lost'), false);
    } finally {
      for (const client of [s3, logsUs, logsEu, cwUs, cwEu, snsUs, snsEu]) {
        client.destroy();
      }
    }
  }

  async function collect(needs: ReadonlySet<FactNeed>): Promise<FactSet> {
    return collectLive({ needs, regions: REGIONS, endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS });
  }

  it('reads each log group, Region and notified topic exactly once', async () => {
    await seed();
    const facts = await collect(MONITORING_NEEDS);
    assert.deepEqual(monitoringCalls(facts), {
      // ct-main (two trails), ct-local, ct-orphan, ct-lost.
      'logs:DescribeLogGroups': 4,
      // Only the groups of multi-Region trails: ct-main and ct-orphan.
      'logs:DescribeMetricFilters': 2,
      // The Regions holding those groups.
      'cloudwatch:DescribeAlarms': 2,
      // `alarms` (two alarms name it) and `quiet`; not `unrelated` (no filter emits its metric) nor
      // `eu-alarms` (its alarm watches the root metric, emitted in eu-west-1 only by the filter of the
      // deleted group, which moto still lists).
      'sns:ListSubscriptionsByTopic': 2,
    });
    for (const need of ['logGroups', 'metricFilters', 'metricAlarms', 'alarmTopics'] as const) {
      assert.ok(facts.collected.includes(need), `${need} collected`);
    }
  });

  it('reports which log groups exist and the filters of monitored ones', async () => {
    await seed();
    const facts = await collect(MONITORING_NEEDS);
    const main = logGroup(facts, 'ct-main');
    assert.equal(main.arn, `arn:aws:logs:us-east-1:${MOTO_ACCOUNT_ID}:log-group:ct-main`);
    assert.deepEqual(main.trailArns, [
      `arn:aws:cloudtrail:eu-west-1:${MOTO_ACCOUNT_ID}:trail/second`,
      `arn:aws:cloudtrail:us-east-1:${MOTO_ACCOUNT_ID}:trail/main`,
    ]);
    assert.equal(main.exists, true);
    const filters = known(main.metricFilters);
    assert.deepEqual(filters.map((f) => f.name).sort(), ['iam', 'root', 'root-superset']);
    assert.equal(filters.find((f) => f.name === 'root')?.pattern, prescribedPatterns('CloudWatch.1')[0]);
    assert.deepEqual(filters.find((f) => f.name === 'iam')?.metrics, [IAM]);

    const local = logGroup(facts, 'ct-local');
    assert.equal(local.exists, true);
    assert.ok(isUnknown(local.metricFilters));
    assert.equal(local.metricFilters.$unknown.reason, 'unsupported');
    assert.match(local.metricFilters.$unknown.message, /single-Region/);

    // Deleted (moto keeps a deleted group's filters; AWS deletes them, and so do we) or never created.
    assert.equal(logGroup(facts, 'ct-orphan').exists, false);
    assert.deepEqual(logGroup(facts, 'ct-orphan').metricFilters, []);
    assert.equal(logGroup(facts, 'ct-lost').exists, false);
    assert.ok(!(facts.logGroups ?? []).some((g) => !isGap(g) && g.name === 'ct-main-archive'), 'no trail names ct-main-archive');
  });

  it('maps direct and metric-math alarms, actions and Regions', async () => {
    await seed();
    const facts = await collect(MONITORING_NEEDS);
    const root = alarm(facts, 'root-usage');
    assert.equal(root.region, 'us-east-1');
    assert.equal(root.actionsEnabled, true);
    assert.deepEqual(root.metrics, [ROOT]);
    assert.deepEqual(root.alarmActions, [`arn:aws:sns:us-east-1:${MOTO_ACCOUNT_ID}:alarms`]);
    assert.deepEqual(alarm(facts, 'iam-changes-math').metrics, [IAM]);
    assert.equal(alarm(facts, 'root-superset-disabled').actionsEnabled, false);
    const eu = alarm(facts, 'root-usage-eu');
    assert.equal(eu.region, 'eu-west-1');
    assert.equal(eu.ref.id, `arn:aws:cloudwatch:eu-west-1:${MOTO_ACCOUNT_ID}:alarm:root-usage-eu`);
  });

  it('lists the subscriptions of the notified topics only', async () => {
    await seed();
    const facts = await collect(MONITORING_NEEDS);
    assert.deepEqual(
      (facts.topics ?? []).map((t) => t.name),
      ['alarms', 'quiet'],
    );
    const subscriptions = known(topic(facts, 'alarms').subscriptions);
    assert.equal(subscriptions.length, 1);
    const [only] = subscriptions;
    assert.ok(only);
    assert.equal(only.protocol, 'sqs');
    assert.equal(only.confirmed, true);
    assert.match(only.arn ?? '', /^arn:aws:sns:us-east-1:\d{12}:alarms:/);
    assert.deepEqual(topic(facts, 'quiet').subscriptions, []);
  });

  it('makes no monitoring call when no enabled check needs one', async () => {
    await seed();
    const trailsOnly = await collect(new Set<FactNeed>(['trails', 'trailStatus']));
    assert.deepEqual(monitoringCalls(trailsOnly), {});
    assert.equal(trailsOnly.logGroups, undefined);
    assert.equal(trailsOnly.alarms, undefined);

    const groupsOnly = await collect(new Set<FactNeed>(['trails', 'logGroups']));
    assert.deepEqual(monitoringCalls(groupsOnly), { 'logs:DescribeLogGroups': 4 });
    assert.equal(logGroup(groupsOnly, 'ct-main').metricFilters, undefined, 'filters not read when not needed');
    assert.equal(groupsOnly.topics, undefined);
  });

  it('writes empty collections for an account without log groups', async () => {
    const facts = await collect(MONITORING_NEEDS);
    assert.deepEqual(monitoringCalls(facts), {});
    assert.deepEqual(facts.logGroups, []);
    assert.deepEqual(facts.alarms, []);
    assert.deepEqual(facts.topics, []);
  });
});
