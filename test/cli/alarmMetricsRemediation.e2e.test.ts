/**
 * The built CLI against moto, for two black-box fixes of the monitoring chain:
 * - an alarm counts only metrics it evaluates: an alarm whose metric has Dimensions, a metric-math
 *   alarm whose returned expression ignores the filter's metric, and a filter whose metric value is
 *   a constant 0 never make CloudWatch.x PASS (alarmMetrics.ts through liveAlarms/liveLogGroups);
 * - the remediation of a finding writes the pattern of the run's pattern set (`--framework cis-3.0`
 *   → CloudWatch.10's CLI fix names ModifySecurityGroupRules; the default set's does not), and the
 *   SARIF rule help (CloudFormation, Terraform), rendered once per check, shows no raw
 *   `{{item.…}}` placeholder.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { motoClientConfig, MOTO_ACCOUNT_ID } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { seedLoggingTrail } from '../../support/moto/monitoring.js';
import { prescribedPatterns, type MonitoringControl } from '../../src/facts/kinds/logMonitoring/monitoringPatterns.js';
import { runCli } from './runCli.js';

interface Finding {
  control: string;
  status: string;
  message: string;
  remediation: string;
  resource: { id: string };
}

const REGION = 'us-east-1';
const GROUP = 'cloudtrail-main';
const NAMESPACE = 'LogMetrics';

describe('alarms count only the metrics they evaluate; remediation follows the pattern set (CLI against moto)', function () {
  this.timeout(120_000);
  const moto = useMoto();
  let work: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-alarm-metrics-'));
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  async function audit(extra: readonly string[]): Promise<Finding[]> {
    const result = await runCli(
      ['audit', '--endpoint-url', moto.endpoint, '--regions', `${REGION},eu-west-1`, '--format', 'json,sarif', '--output-dir', 'out', ...extra],
      { cwd: work },
    );
    assert.ok([0, 1, 3].includes(result.code ?? -1), `audit exit ${String(result.code)}: ${result.stderr}`);
    return (JSON.parse(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8')) as { findings: Finding[] }).findings;
  }
  const verdict = (findings: readonly Finding[], control: string): Finding => {
    const found = findings.filter((finding) => finding.control === control && finding.resource.id === MOTO_ACCOUNT_ID);
    assert.equal(found.length, 1, `${control}: one finding for the account`);
    const [finding] = found;
    assert.ok(finding);
    return finding;
  };

  type AlarmShape = 'plain' | 'dimensioned' | 'math-ignoring-filter';

  /** The Security Hub filter of `control` (metric value `metricValue`) and an alarm of `shape` on it, notifying a subscribed topic. */
  async function monitor(control: MonitoringControl, shape: AlarmShape, metricValue = '1'): Promise<void> {
    const name = control.replace('.', '-');
    const config = motoClientConfig(moto.endpoint, REGION);
    const logs = new CloudWatchLogsClient(config);
    const cloudWatch = new CloudWatchClient(config);
    const sns = new SNSClient(config);
    try {
      await logs.send(
        new PutMetricFilterCommand({
          logGroupName: GROUP,
          filterName: name,
          filterPattern: prescribedPatterns(control, 'securityhub')[0] ?? '',
          metricTransformations: [{ metricName: name, metricNamespace: NAMESPACE, metricValue }],
        }),
      );
      const { TopicArn: topic = '' } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
      // moto confirms email subscriptions at once.
      await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'soc@example.com' }));
      const metric = { MetricName: name, Namespace: NAMESPACE };
      const shapes: Record<AlarmShape, Partial<PutMetricAlarmCommandInput>> = {
        plain: { ...metric, Statistic: 'Sum', Period: 300 },
        dimensioned: { ...metric, Dimensions: [{ Name: 'Env', Value: 'prod' }], Statistic: 'Sum', Period: 300 },
        'math-ignoring-filter': {
          Metrics: [
            { Id: 'm1', MetricStat: { Metric: metric, Period: 300, Stat: 'Sum' }, ReturnData: false },
            { Id: 'm2', MetricStat: { Metric: { MetricName: 'CPUUtilization', Namespace: 'AWS/EC2' }, Period: 300, Stat: 'Average' }, ReturnData: false },
            { Id: 'e1', Expression: 'm2 * 0', ReturnData: true },
          ],
        },
      };
      await cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: `${name}-alarm`,
          ...shapes[shape],
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [topic],
        }),
      );
    } finally {
      logs.destroy();
      cloudWatch.destroy();
      sns.destroy();
    }
  }

  it('an alarm with Dimensions, a metric-math alarm ignoring the filter metric and a 0-valued filter do not PASS', async () => {
    await seedLoggingTrail(moto.endpoint, { region: REGION, logGroup: GROUP, multiRegion: true });
    await monitor('CloudWatch.4', 'plain');
    await monitor('CloudWatch.5', 'dimensioned');
    await monitor('CloudWatch.6', 'math-ignoring-filter');
    await monitor('CloudWatch.7', 'plain', '0');
    const findings = await audit(['--checks', 'CloudWatch.4,CloudWatch.5,CloudWatch.6,CloudWatch.7']);
    // CloudWatch.4 is the control: the same chain with a plain alarm passes, so the FAILs are the alarms' shape.
    const statuses = Object.fromEntries(['CloudWatch.4', 'CloudWatch.5', 'CloudWatch.6', 'CloudWatch.7'].map((control) => [control, verdict(findings, control).status]));
    assert.deepEqual(statuses, {
      'CloudWatch.4': 'PASS',
      'CloudWatch.5': 'FAIL', // the alarm's metric has Dimensions: it never sees the filter's points
      'CloudWatch.6': 'FAIL', // the returned expression m2 * 0 does not read the filter's metric
      'CloudWatch.7': 'FAIL', // a filter emitting 0 never raises its alarm
    });
    // The FAIL says why, instead of naming no metric.
    assert.match(verdict(findings, 'CloudWatch.7').message, /emits no metric an alarm could fire on/u);
  });

  /** The SARIF rule of `checkId`: its help is rendered once per check, not per finding. */
  function sarifRuleHelp(checkId: string): string {
    const sarif = JSON.parse(readFileSync(join(work, 'out', 'trailaudit.sarif'), 'utf8')) as {
      runs: { tool: { driver: { rules: { id: string; help: { text: string; markdown: string } }[] } } }[];
    };
    const rule = sarif.runs[0]?.tool.driver.rules.find((candidate) => candidate.id === checkId);
    assert.ok(rule, `SARIF rule ${checkId}`);
    return `${rule.help.text}\n${rule.help.markdown}`;
  }

  it('writes the pattern of the run\'s set into CloudWatch.10\'s remediation; the per-check rule help shows no raw placeholder', async () => {
    await seedLoggingTrail(moto.endpoint, { region: REGION, logGroup: GROUP, multiRegion: true });
    const cis = verdict(await audit(['--framework', 'cis-3.0', '--checks', 'CloudWatch.10']), 'CloudWatch.10');
    assert.equal(cis.status, 'FAIL');
    // The finding's remediation is the CLI snippet, rendered with the finding's item.
    assert.match(cis.remediation, /--filter-pattern '\{ \(\$\.eventName = AuthorizeSecurityGroupIngress\)[^']*\(\$\.eventName = ModifySecurityGroupRules\) \}'/u);
    assert.doesNotMatch(cis.remediation, /\{\{/u);
    // CloudFormation and Terraform appear only in the rule help (per check, no item): the pattern
    // is a named placeholder there, never raw `{{item.prescribedPattern}}` text.
    const help = sarifRuleHelp('CloudWatch.10');
    assert.doesNotMatch(help, /\{\{/u, 'no unresolved {{…}} in rule help');
    assert.match(help, /FilterPattern: '<prescribedPattern>'/u);
    // The Terraform heredoc is chomped and closed: `chomp(<<-EOT`, the pattern line, `EOT`, `)`.
    assert.match(help, /pattern\s+= chomp\(<<-EOT\n\s*<prescribedPattern>\n\s*EOT\n\s*\)\n/u);

    const securityHub = verdict(await audit(['--checks', 'CloudWatch.10']), 'CloudWatch.10');
    assert.equal(securityHub.status, 'FAIL');
    assert.match(securityHub.remediation, /--filter-pattern '\{ \(\$\.eventName = AuthorizeSecurityGroupIngress\)[^']*\(\$\.eventName = DeleteSecurityGroup\) \}'/u);
    assert.doesNotMatch(securityHub.remediation, /ModifySecurityGroupRules/u);
  });
});
