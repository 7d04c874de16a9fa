/**
 * Second-round black-box findings in templates: a metric filter whose MetricValue is 0 never raises
 * its metric (no alarm on it can fire), and a key with Origin EXTERNAL is PendingImport until its
 * material is imported — neither may PASS from a template.
 */
import { strict as assert } from 'node:assert';
import { collectCloudFormation, parseTemplate } from '../../../src/collect/cloudformation/index.js';
import type { KmsKeyFacts, LogGroupFacts } from '../../../src/facts/model.js';
import { isGap, isUnknown } from '../../../src/facts/model.js';

const AT = '2026-12-06T00:00:00.000Z';

function template(metricValue: string, origin: string): string {
  return `Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Origin: ${origin}
      EnableKeyRotation: true
      KeyPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: cloudtrail.amazonaws.com}, Action: "kms:GenerateDataKey*", Resource: "*"}]}
  LG:
    Type: AWS::Logs::LogGroup
  Filter:
    Type: AWS::Logs::MetricFilter
    Properties:
      LogGroupName: !Ref LG
      FilterPattern: '{$.userIdentity.type="Root"}'
      MetricTransformations: [{MetricName: RootUsage, MetricNamespace: CIS, MetricValue: "${metricValue}"}]
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: logs
      KMSKeyId: !Ref Key
      CloudWatchLogsLogGroupArn: !GetAtt LG.Arn
`;
}

function collect(metricValue: string, origin: string): { group: LogGroupFacts; key: KmsKeyFacts } {
  const facts = collectCloudFormation(parseTemplate(template(metricValue, origin), 't.yaml'), { collectedAt: AT, displayPath: 't.yaml' }).facts;
  const group = (facts.logGroups ?? []).find((item): item is LogGroupFacts => !isGap(item) && item.ref.id === 'LG');
  const key = (facts.kmsKeys ?? []).find((item): item is KmsKeyFacts => !isGap(item) && item.ref.id === 'Key');
  assert.ok(group !== undefined && key !== undefined);
  return { group, key };
}

describe('CloudFormation: values that make a declared chain or key unusable', () => {
  it('a filter whose MetricValue is 0 emits no metric an alarm could watch; 1 does', () => {
    const metricsOf = (value: string): unknown => {
      const filters = collect(value, 'AWS_KMS').group.metricFilters;
      assert.ok(filters !== undefined && !isUnknown(filters));
      return filters[0]?.metrics;
    };
    assert.deepEqual(metricsOf('0'), []);
    assert.deepEqual(metricsOf('-1'), []);
    assert.deepEqual(metricsOf('1'), [{ name: 'RootUsage', namespace: 'CIS' }]);
  });

  it('a key with Origin EXTERNAL has an unknown key state (PendingImport until imported); AWS_KMS is Enabled', () => {
    const external = collect('1', 'EXTERNAL').key.keyState;
    assert.ok(external !== undefined && isUnknown(external), JSON.stringify(external));
    assert.equal(external.$unknown.reason, 'unsupported');
    assert.equal(collect('1', 'AWS_KMS').key.keyState, 'Enabled');
  });
});
