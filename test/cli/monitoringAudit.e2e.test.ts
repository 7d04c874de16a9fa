/**
 * CIS monitoring (Security Hub CloudWatch.1–14), end to end: the built CLI audits a moto account
 * whose multi-Region trail sends to a log group with metric filters in every state the chain can
 * break at — exact pattern written with other spacing and quotes, a superset, no alarm, an alarm on
 * metric math, actions disabled, a topic nobody subscribed to — and a Region-specific pattern set.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { motoClientConfig, MOTO_ACCOUNT_ID } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { seedLoggingTrail } from '../../support/moto/monitoring.js';
import { prescribedPatterns } from '../../src/facts/kinds/logMonitoring/monitoringPatterns.js';
import { runCli } from './runCli.js';

interface Finding {
  control: string;
  status: string;
  message: string;
  resource: { id: string };
}

const REGION = 'us-east-1';
const GROUP = 'cloudtrail-main';
const NAMESPACE = 'LogMetrics';

/** Security Hub's CloudWatch.5 pattern, respaced and with quotes a console user might add. */
const CLOUDWATCH_5_RESPACED =
  '{ ( $.eventName = "CreateTrail" ) || ( $.eventName = "UpdateTrail" ) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging) }';

describe('CIS monitoring CloudWatch.1–14 (CLI end to end against moto)', function () {
  this.timeout(90_000);
  const moto = useMoto();
  let work: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-monitoring-'));
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  async function audit(extra: readonly string[] = []): Promise<Finding[]> {
    const result = await runCli(
      ['audit', '--endpoint-url', moto.endpoint, '--regions', `${REGION},eu-west-1`, '--format', 'json', '--output-dir', 'out', ...extra],
      { cwd: work },
    );
    assert.ok([0, 1, 3].includes(result.code ?? -1), `audit exit ${String(result.code)}: ${result.stderr}`);
    return (JSON.parse(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8')) as { findings: Finding[] }).findings;
  }
  const verdict = (findings: readonly Finding[], control: string): Finding => {
    const found = findings.filter((finding) => finding.control === control);
    assert.equal(found.length, 1, `${control}: one finding for the account`);
    const [finding] = found;
    assert.ok(finding);
    assert.equal(finding.resource.id, MOTO_ACCOUNT_ID);
    return finding;
  };

  /** A filter on the trail's log group and, unless `alarm` is null, an alarm on its metric. */
  async function monitor(
    name: string,
    pattern: string,
    alarm: { topic: 'subscribed' | 'unsubscribed'; actionsEnabled?: boolean; metricMath?: boolean } | null,
  ): Promise<void> {
    const config = motoClientConfig(moto.endpoint, REGION);
    const logs = new CloudWatchLogsClient(config);
    const cloudWatch = new CloudWatchClient(config);
    const sns = new SNSClient(config);
    try {
      await logs.send(
        new PutMetricFilterCommand({
          logGroupName: GROUP,
          filterName: name,
          filterPattern: pattern,
          metricTransformations: [{ metricName: name, metricNamespace: NAMESPACE, metricValue: '1' }],
        }),
      );
      if (alarm === null) {
        return;
      }
      const { TopicArn: topic = '' } = await sns.send(new CreateTopicCommand({ Name: `alerts-${alarm.topic}` }));
      if (alarm.topic === 'subscribed') {
        // moto confirms email subscriptions at once.
        await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'soc@example.com' }));
      }
      const shape = alarm.metricMath === true
        ? {
            Metrics: [
              { Id: 'm1', MetricStat: { Metric: { MetricName: name, Namespace: NAMESPACE }, Period: 300, Stat: 'Sum' }, ReturnData: false },
              { Id: 'e1', Expression: 'm1 * 1', ReturnData: true },
            ],
          }
        : { MetricName: name, Namespace: NAMESPACE, Statistic: 'Sum' as const, Period: 300 };
      await cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: `${name}-alarm`,
          ...shape,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          ActionsEnabled: alarm.actionsEnabled ?? true,
          AlarmActions: [topic],
        }),
      );
    } finally {
      logs.destroy();
      cloudWatch.destroy();
      sns.destroy();
    }
  }

  const securityHubPattern = (control: Parameters<typeof prescribedPatterns>[0]): string => {
    const [pattern] = prescribedPatterns(control, 'securityhub');
    assert.ok(pattern !== undefined);
    return pattern;
  };

  it('follows the chain filter → alarm → action → confirmed subscriber, and names where it breaks', async () => {
    await seedLoggingTrail(moto.endpoint, { region: REGION, logGroup: GROUP, multiRegion: true });
    await monitor('cloudtrail-changes', CLOUDWATCH_5_RESPACED, { topic: 'subscribed' });
    await monitor('iam-changes', securityHubPattern('CloudWatch.4').replace(/\}\s*$/u, ' || ($.eventName=TagRole) }'), { topic: 'subscribed' });
    await monitor('console-failures', securityHubPattern('CloudWatch.6'), { topic: 'subscribed', metricMath: true });
    await monitor('kms-changes', securityHubPattern('CloudWatch.7'), { topic: 'unsubscribed' });
    await monitor('bucket-policy-changes', securityHubPattern('CloudWatch.8'), { topic: 'subscribed', actionsEnabled: false });
    await monitor('config-changes', securityHubPattern('CloudWatch.9'), null);
    await monitor('security-groups', securityHubPattern('CloudWatch.10'), { topic: 'subscribed' });

    const findings = await audit();
    assert.equal(verdict(findings, 'CloudWatch.5').status, 'PASS', 'whitespace and quotes do not matter');
    assert.equal(verdict(findings, 'CloudWatch.6').status, 'PASS', 'an alarm on metric math counts');
    const superset = verdict(findings, 'CloudWatch.4');
    assert.equal(superset.status, 'FAIL');
    assert.match(superset.message, /TagRole/u);
    assert.match(superset.message, /Security Hub/u);
    assert.equal(verdict(findings, 'CloudWatch.7').status, 'FAIL', 'nobody subscribed to the topic');
    assert.equal(verdict(findings, 'CloudWatch.8').status, 'FAIL', 'alarm actions disabled');
    assert.equal(verdict(findings, 'CloudWatch.9').status, 'FAIL', 'no alarm');
    assert.equal(verdict(findings, 'CloudWatch.1').status, 'FAIL', 'no filter');
    assert.equal(verdict(findings, 'CloudWatch.10').status, 'PASS', 'Security Hub pattern under the default set');

    // CIS 5.0 adds ModifySecurityGroupRules to the security-group pattern: the same filter no longer matches.
    const cis = await audit(['--framework', 'cis-5.0']);
    assert.equal(verdict(cis, 'CloudWatch.10').status, 'FAIL');
    assert.equal(verdict(cis, 'CloudWatch.5').status, 'PASS');
  });

  it('gives no credit to the log group of a single-Region trail', async () => {
    await seedLoggingTrail(moto.endpoint, { region: REGION, logGroup: GROUP, multiRegion: false });
    await monitor('cloudtrail-changes', securityHubPattern('CloudWatch.5'), { topic: 'subscribed' });
    const findings = await audit(['--checks', 'CloudWatch.5']);
    const finding = verdict(findings, 'CloudWatch.5');
    assert.equal(finding.status, 'FAIL');
    assert.match(finding.message, /multi-Region/u);
  });
});
