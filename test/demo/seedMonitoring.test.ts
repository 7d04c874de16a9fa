import { strict as assert } from 'node:assert';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { kmsClient, motoClientConfig } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { seedDemoAccount, type DemoAccount } from '../../demo/seed.js';
import {
  DISABLED_KEY_REGION,
  MONITORED_TRAIL,
  NON_ROTATING_KEY_REGION,
  REGION_WITHOUT_SECURITY_HUB,
  UNALARMED_CONTROL,
} from '../../demo/seedMonitoring.js';
import { MONITORING_CONTROLS } from '../../src/facts/kinds/logMonitoring/monitoringPatterns.js';
import { logGroupOf } from '../../src/facts/kinds/logMonitoring/logGroupArn.js';

describe('demo account seeding: monitoring and trail health (moto)', function () {
  const moto = useMoto({ resetEachTest: false });
  let account: DemoAccount;

  before(async function () {
    this.timeout(60_000);
    account = await seedDemoAccount(moto.endpoint);
  });

  it('creates the log group of every trail that names one', async () => {
    for (const trail of account.trails) {
      const group = trail.cloudWatchLogsLogGroupArn === null ? undefined : logGroupOf(trail.cloudWatchLogsLogGroupArn);
      if (group === undefined) {
        continue;
      }
      const logs = new CloudWatchLogsClient(motoClientConfig(moto.endpoint, group.region));
      const { logGroups = [] } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group.name }));
      logs.destroy();
      assert.ok(logGroups.some((listed) => listed.logGroupName === group.name), `${trail.name}: log group ${group.name}`);
    }
  });

  it('monitors the main trail: a filter per control, an alarm on each metric but the unalarmed one, a confirmed subscriber', async () => {
    const trail = account.trails.find((candidate) => candidate.name === MONITORED_TRAIL);
    const group = trail?.cloudWatchLogsLogGroupArn === null || trail === undefined ? undefined : logGroupOf(trail.cloudWatchLogsLogGroupArn);
    assert.ok(group);
    const config = motoClientConfig(moto.endpoint, group.region);
    const logs = new CloudWatchLogsClient(config);
    const cloudWatch = new CloudWatchClient(config);
    const sns = new SNSClient(config);
    try {
      const { metricFilters = [] } = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group.name }));
      assert.equal(metricFilters.length, MONITORING_CONTROLS.length);
      const { MetricAlarms = [] } = await cloudWatch.send(new DescribeAlarmsCommand({}));
      assert.equal(MetricAlarms.length, MONITORING_CONTROLS.length - 1);
      const unalarmed = metricFilters.find((filter) => filter.filterName === `${UNALARMED_CONTROL} monitoring`);
      const unalarmedMetric = unalarmed?.metricTransformations?.[0]?.metricName;
      assert.ok(unalarmedMetric !== undefined);
      assert.ok(!MetricAlarms.some((alarm) => alarm.MetricName === unalarmedMetric), 'no alarm on the unalarmed metric');
      const topics = new Set(MetricAlarms.flatMap((alarm) => alarm.AlarmActions ?? []));
      assert.equal(topics.size, 1);
      const [topicArn] = [...topics];
      const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
      assert.ok(Subscriptions.some((subscription) => subscription.SubscriptionArn?.startsWith('arn:aws:sns:') === true));
    } finally {
      logs.destroy();
      cloudWatch.destroy();
      sns.destroy();
    }
  });

  it('lets CloudTrail use every key, disables one and leaves one without rotation', async () => {
    for (const [region, keyArn] of Object.entries(account.kmsKeyArns)) {
      const kms = kmsClient(moto.endpoint, region);
      try {
        const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
        assert.equal(KeyMetadata?.KeyState, region === DISABLED_KEY_REGION ? 'Disabled' : 'Enabled', `${region} key state`);
        const { KeyRotationEnabled } = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
        assert.equal(KeyRotationEnabled, region !== NON_ROTATING_KEY_REGION, `${region} rotation`);
        // moto needs the policy name AWS defaults to.
        const { Policy = '' } = await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }));
        assert.match(Policy, /cloudtrail\.amazonaws\.com/u);
      } finally {
        kms.destroy();
      }
    }
  });

  it('enables Security Hub in every demo Region but one', async () => {
    for (const region of account.regions) {
      const hub = new SecurityHubClient(motoClientConfig(moto.endpoint, region));
      const enabled = await hub.send(new DescribeHubCommand({})).then(
        () => true,
        () => false,
      );
      hub.destroy();
      assert.equal(enabled, region !== REGION_WITHOUT_SECURITY_HUB, region);
    }
  });
});
