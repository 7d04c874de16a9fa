/**
 * The IaC readers of the monitoring and KMS kinds (issue 12, item 4): what templates and plans
 * declare becomes facts (log groups with their metric filters, alarms, topics and subscriptions,
 * KMS keys with state, policy and rotation), and what they cannot know is Unknown, never a fact a
 * check could PASS on: a log group, key or topic named but not declared, an email subscription's
 * confirmation, a pattern or key policy computed at deploy time, a conditional resource.
 * Items are located so that SARIF can point at the filter, alarm or key.
 */
import { strict as assert } from 'node:assert';
import { join, resolve } from 'node:path';
import { collectCloudFormation, parseTemplate } from '../../../src/collect/cloudformation/index.js';
import { DEFAULT_COLLECTORS } from '../../../src/collect/iac/collectors.js';
import { scanFiles } from '../../../src/collect/iac/scan.js';
import { collectTerraformPlan } from '../../../src/collect/terraform/index.js';
import { cloudTrailKeyAccess } from '../../../src/facts/kinds/kmsKeys/keyPolicy.js';
import { s3ObjectDataEvents } from '../../../src/facts/kinds/trails/dataEvents.js';
import { compareFilterToAny } from '../../../src/facts/kinds/logMonitoring/filterCompare.js';
import { prescribedPatterns } from '../../../src/facts/kinds/logMonitoring/monitoringPatterns.js';
import type { FactSet, KmsKeyFacts, LogGroupFacts, Unknown } from '../../../src/facts/model.js';
import { isGap, isUnknown } from '../../../src/facts/model.js';
import { readFixture, lineOf } from '../cloudformation/helpers.js';
import { fixtureText } from '../terraform/helpers.js';

const ROOT = resolve(import.meta.dirname, '../../..');

function cfn(name: string): { facts: FactSet; text: string } {
  const text = readFixture(name);
  const collection = collectCloudFormation(parseTemplate(text, name), { collectedAt: '2026-03-01T00:00:00.000Z', displayPath: name });
  return { facts: collection.facts, text };
}

function plan(name: string): FactSet {
  const text = fixtureText(name);
  return collectTerraformPlan(text, JSON.parse(text) as unknown, { collectedAt: '2026-11-21T00:00:00.000Z', displayPath: name }).facts;
}

function item<T extends { readonly ref: { readonly id: string } }>(list: readonly T[] | undefined, id: string): Exclude<T, { readonly $gap: unknown }> {
  const found = (list ?? []).find((entry) => !('$gap' in entry) && entry.ref.id === id);
  assert.ok(found !== undefined, `no item ${id} in ${JSON.stringify((list ?? []).map((entry) => entry.ref.id))}`);
  return found as Exclude<T, { readonly $gap: unknown }>;
}

function reasonOf(value: unknown): string {
  assert.ok(isUnknown(value), `expected an Unknown, got ${JSON.stringify(value)}`);
  return (value).$unknown.reason;
}

/** Whether CloudTrail may use the key for a trail, as TrailHealth.3 asks (a placeholder trail ARN). */
function cloudTrailMayUse(key: KmsKeyFacts): boolean | 'unparseable' | 'unknown' {
  if (typeof key.policy !== 'string') {
    return 'unknown';
  }
  return cloudTrailKeyAccess(key.policy, { trailArn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/monitored', trailAccountId: '111122223333', trailRegion: 'eu-west-1', partition: 'aws' }).allowed;
}

describe('IaC monitoring and KMS facts', () => {
  describe('CloudFormation (YAML)', () => {
    const { facts, text } = cfn('monitoring.yaml');

    it('claims the new kinds, but not securityHub, and writes their collections', () => {
      for (const need of ['logGroups', 'metricFilters', 'metricAlarms', 'alarmTopics', 'kmsKeys', 'kmsKeyPolicies', 'kmsKeyRotation', 'bucketLocation'] as const) {
        assert.ok(facts.collected.includes(need), need);
      }
      assert.ok(!facts.collected.includes('securityHub'));
      assert.ok(facts.logGroups !== undefined && facts.alarms !== undefined && facts.topics !== undefined && facts.kmsKeys !== undefined);
      assert.equal(facts.securityHubs, undefined);
    });

    it('joins the trails to their declared log group (GetAtt, and Sub around the group name) with its located filters', () => {
      const group = item(facts.logGroups, 'TrailLogGroup');
      assert.deepEqual(group.trailArns, ['MonitoredTrail', 'AliasTrail']);
      assert.equal(group.exists, true);
      assert.equal(group.name, 'cloudtrail/monitored');
      assert.ok(!isUnknown(group.metricFilters));
      const filters = group.metricFilters as Exclude<LogGroupFacts['metricFilters'], Unknown | undefined>;
      assert.deepEqual(filters.map((filter) => filter.name), ['TrailChangesFilter', 'iam-policy-changes']);
      assert.equal(filters.at(0)?.location?.line, lineOf(text, '  TrailChangesFilter:'));
      assert.deepEqual(filters[0]?.metrics, [{ name: 'CloudTrailChangeCount', namespace: 'LogMetrics' }]);
      // The Sub metric name keeps its expression, qualified by the file, on both the filter and the alarm.
      assert.deepEqual(filters[1]?.metrics, [{ name: "!Sub '${AWS::StackName}-IAMPolicyChanges' (monitoring.yaml)", namespace: 'LogMetrics' }]);
    });

    it('reads the declared patterns as written: CloudWatch.5 exact, CloudWatch.4 a superset', () => {
      const filters = item(facts.logGroups, 'TrailLogGroup').metricFilters as readonly { pattern: string }[];
      assert.equal(compareFilterToAny(filters[0]?.pattern ?? '', prescribedPatterns('CloudWatch.5', 'securityhub')).verdict, 'exact');
      assert.equal(compareFilterToAny(filters[1]?.pattern ?? '', prescribedPatterns('CloudWatch.4', 'securityhub')).verdict, 'superset');
    });

    it('a log group named but not declared is a stand-in whose existence and filters are Unknown, never true', () => {
      const literal = item(facts.logGroups, 'arn:aws:logs:us-east-1:111122223333:log-group:central-trail');
      assert.deepEqual(literal.trailArns, ['ElsewhereTrail']);
      assert.equal(reasonOf(literal.exists), 'not_found');
      assert.equal(reasonOf(literal.metricFilters), 'not_found');
      const imported = item(facts.logGroups, '!ImportValue shared-trail-log-group');
      assert.equal(reasonOf(imported.exists), 'unsupported');
    });

    it('a pattern computed at deploy time makes the group\'s filter list Unknown(unsupported)', () => {
      const group = item(facts.logGroups, 'ComputedGroup');
      assert.equal(reasonOf(group.metricFilters), 'unsupported');
      assert.match((group.metricFilters as Unknown).$unknown.message, /ComputedFilter: FilterPattern .* computed at deploy time/);
    });

    it('alarms: metrics (metric math included), actions joined to topic ids, ActionsEnabled, no actions', () => {
      const changes = item(facts.alarms, 'TrailChangesAlarm');
      assert.deepEqual(changes.metrics, [{ name: 'CloudTrailChangeCount', namespace: 'LogMetrics' }]);
      assert.deepEqual(changes.alarmActions, ['AlertsTopic', 'arn:aws:sns:us-east-1:111122223333:central-alerts']);
      assert.equal(changes.actionsEnabled, true);
      assert.equal(changes.ref.location?.line, lineOf(text, '  TrailChangesAlarm:'));
      const math = item(facts.alarms, 'PolicyChangesAlarm');
      assert.deepEqual(math.metrics, [{ name: "!Sub '${AWS::StackName}-IAMPolicyChanges' (monitoring.yaml)", namespace: 'LogMetrics' }]);
      assert.equal(math.actionsEnabled, false);
      assert.deepEqual(item(facts.alarms, 'SilentAlarm').alarmActions, []);
    });

    it('topics: an email subscription is not known to be confirmed, a same-stack queue is; undeclared topics are stand-ins', () => {
      const alerts = item(facts.topics, 'AlertsTopic');
      assert.equal(alerts.arn, 'AlertsTopic');
      const subscriptions = alerts.subscriptions as readonly { protocol: string; confirmed: unknown }[];
      assert.deepEqual(subscriptions.map((s) => s.protocol), ['email', 'sqs']);
      assert.equal(reasonOf(subscriptions[0]?.confirmed), 'unsupported');
      assert.equal(subscriptions[1]?.confirmed, true);
      const emailOnly = item(facts.topics, 'EmailOnlyTopic').subscriptions as readonly { confirmed: unknown }[];
      assert.ok(emailOnly.every((s) => isUnknown(s.confirmed)), 'an email-only topic has no confirmed subscriber');
      assert.equal(reasonOf(item(facts.topics, 'arn:aws:sns:us-east-1:111122223333:central-alerts').subscriptions), 'not_found');
      assert.equal(reasonOf(item(facts.topics, '!ImportValue shared-alerts-topic').subscriptions), 'unsupported');
    });

    it('keys: state, rotation, aliases, the trails that use them, and configuredAs = the trails\' KMSKeyId texts', () => {
      const key = item(facts.kmsKeys, 'TrailKey');
      assert.deepEqual(key.trailArns, ['MonitoredTrail', 'AliasTrail']);
      assert.deepEqual(key.configuredAs, ['!GetAtt TrailKey.Arn', 'alias/monitored-trail']);
      const trail = facts.trails.find((t) => !isGap(t) && t.ref.id === 'MonitoredTrail');
      assert.ok(trail !== undefined && !isGap(trail) && key.configuredAs.includes(trail.kmsKeyId as string), 'the trail\'s own kmsKeyId names the key');
      assert.equal(key.keyState, 'Enabled');
      assert.equal(key.rotationEnabled, true);
      assert.equal(key.locations?.rotationEnabled?.line, lineOf(text, 'EnableKeyRotation: true'));
      const noRotation = item(facts.kmsKeys, 'NoRotationKey');
      assert.equal(noRotation.keyState, 'Disabled');
      assert.equal(noRotation.rotationEnabled, false);
      assert.equal(item(facts.kmsKeys, 'SigningKey').rotationEnabled, null, 'an asymmetric key cannot rotate');
    });

    it('key policies: a declared CloudTrail grant allows it, an omitted policy is the default (CloudTrail denied), a computed condition is Unknown', () => {
      assert.equal(cloudTrailMayUse(item(facts.kmsKeys, 'TrailKey')), true);
      const defaulted = item(facts.kmsKeys, 'NoRotationKey');
      assert.match(defaulted.policy as string, /key-default-1/);
      assert.equal(cloudTrailMayUse(defaulted), false);
      const pinned = item(facts.kmsKeys, 'PinnedKey');
      assert.equal(reasonOf(pinned.policy), 'unsupported');
      assert.match((pinned.policy as Unknown).$unknown.message, /AllowCloudTrailForThisTrail/);
    });

    it('a key named but not declared is a stand-in with every fact Unknown', () => {
      const literal = item(facts.kmsKeys, 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
      assert.deepEqual(literal.trailArns, ['ElsewhereTrail']);
      for (const fact of [literal.exists, literal.keyState, literal.policy, literal.rotationEnabled]) {
        assert.equal(reasonOf(fact), 'not_found');
      }
      assert.equal(reasonOf(item(facts.kmsKeys, '!ImportValue shared-trail-key').exists), 'unsupported');
    });
  });

  describe('CloudFormation (JSON)', () => {
    const { facts } = cfn('monitoring.json');

    it('a conditional log group or alarm may not exist: Unknown, with the filter still read', () => {
      const group = item(facts.logGroups, 'Group');
      assert.deepEqual(group.trailArns, ['Trail']);
      assert.equal(reasonOf(group.exists), 'unsupported');
      assert.equal((group.metricFilters as readonly unknown[]).length, 1);
      assert.equal(reasonOf(item(facts.alarms, 'RootAlarm').actionsEnabled), 'unsupported');
    });

    it('a trail names its declared bucket by the bucket item\'s name (logical id when BucketName is not set), so bucketExists can join', () => {
      const trail = facts.trails.find((t) => !isGap(t) && t.ref.id === 'Trail');
      assert.ok(trail !== undefined && !isGap(trail));
      assert.equal(trail.s3BucketName, 'Logs');
      assert.deepEqual(facts.buckets.filter((b) => !isGap(b)).map((b) => [b.name, b.region]), [['Logs', '(deployment region)']]);
    });

    it('GetAtt TopicArn joins the topic; an SMS subscription needs no confirmation; Enabled "false" disables the key; a JSON-string policy is kept', () => {
      assert.deepEqual(item(facts.alarms, 'RootAlarm').alarmActions, ['Pager']);
      assert.deepEqual(item(facts.topics, 'Pager').subscriptions, [{ protocol: 'sms', confirmed: true, endpoint: '+15555550100' }]);
      const key = item(facts.kmsKeys, 'Key');
      assert.deepEqual(key.trailArns, ['Trail']);
      assert.equal(key.keyState, 'Disabled');
      assert.equal(cloudTrailMayUse(key), true);
    });
  });

  describe('Terraform plan', () => {
    const facts = plan('monitoring.plan.json');

    it('joins trails to the log group by configuration reference and reads its filters', () => {
      const group = item(facts.logGroups, 'aws_cloudwatch_log_group.trail');
      assert.deepEqual(group.trailArns, ['aws_cloudtrail.monitored', 'aws_cloudtrail.by_alias']);
      assert.equal(group.exists, true);
      const filters = group.metricFilters as readonly { name: string; pattern: string }[];
      assert.deepEqual(filters.map((f) => f.name), ['cloudtrail-changes', 'iam-policy-changes']);
      assert.equal(compareFilterToAny(filters[0]?.pattern ?? '', prescribedPatterns('CloudWatch.5', 'securityhub')).verdict, 'exact');
      assert.equal(compareFilterToAny(filters[1]?.pattern ?? '', prescribedPatterns('CloudWatch.4', 'securityhub')).verdict, 'superset');
      assert.equal(reasonOf(item(facts.logGroups, 'arn:aws:logs:eu-west-1:111122223333:log-group:central-trail').exists), 'not_found');
    });

    it('alarm actions known only after apply join the referenced topic; metric math; no actions', () => {
      assert.deepEqual(item(facts.alarms, 'aws_cloudwatch_metric_alarm.trail_changes').alarmActions, ['aws_sns_topic.alerts']);
      assert.equal(item(facts.topics, 'aws_sns_topic.alerts').arn, 'aws_sns_topic.alerts');
      const math = item(facts.alarms, 'aws_cloudwatch_metric_alarm.iam_math');
      assert.deepEqual(math.metrics, [{ name: 'IAMPolicyChanges', namespace: 'LogMetrics' }]);
      assert.equal(math.actionsEnabled, false);
      assert.deepEqual(item(facts.alarms, 'aws_cloudwatch_metric_alarm.silent').alarmActions, []);
      assert.equal(reasonOf(item(facts.topics, 'arn:aws:sns:eu-west-1:111122223333:central-alerts').subscriptions), 'not_found');
    });

    it('subscriptions: email Unknown, an sqs queue of the plan confirmed', () => {
      const subscriptions = item(facts.topics, 'aws_sns_topic.alerts').subscriptions as readonly { protocol: string; confirmed: unknown }[];
      assert.deepEqual(subscriptions.map((s) => s.protocol), ['email', 'sqs']);
      assert.equal(reasonOf(subscriptions[0]?.confirmed), 'unsupported');
      assert.equal(subscriptions[1]?.confirmed, true);
    });

    it('keys: reference and alias links, default and computed policies, disabled and rotating keys, stand-ins', () => {
      const key = item(facts.kmsKeys, 'aws_kms_key.trail');
      assert.deepEqual(key.trailArns, ['aws_cloudtrail.monitored', 'aws_cloudtrail.by_alias']);
      assert.deepEqual(key.aliases, ['alias/monitored-trail']);
      // Each trail's own kmsKeyId names the key: the referenced address while the ARN is unknown, or the alias.
      assert.deepEqual(key.configuredAs, ['(known after apply: aws_kms_key.trail)', 'alias/monitored-trail']);
      const trail = facts.trails.find((t) => !isGap(t) && t.ref.id === 'aws_cloudtrail.monitored');
      assert.ok(trail !== undefined && !isGap(trail) && trail.kmsKeyId === '(known after apply: aws_kms_key.trail)');
      assert.equal(key.rotationEnabled, true);
      assert.equal(cloudTrailMayUse(key), true);
      const norotate = item(facts.kmsKeys, 'aws_kms_key.norotate');
      assert.equal(norotate.keyState, 'Disabled');
      assert.equal(norotate.rotationEnabled, false);
      assert.equal(cloudTrailMayUse(norotate), false, 'the default key policy does not let CloudTrail in');
      assert.equal(reasonOf(item(facts.kmsKeys, 'aws_kms_key.computed_policy').policy), 'unsupported');
      assert.equal(reasonOf(item(facts.kmsKeys, 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab').keyState), 'not_found');
      assert.equal(reasonOf(item(facts.kmsKeys, 'aws_cloudtrail.from_data.kms_key_id').exists), 'unsupported');
    });

    it('plan trails carry no status: no delivery time or error looks known', () => {
      for (const trail of facts.trails) {
        assert.ok(!isGap(trail) && trail.status === undefined, trail.ref.id);
      }
    });
  });

  describe('scan', () => {
    it('merges the collections of a template and a plan, each item keeping its file', () => {
      const files = ['test/fixtures/cloudformation/monitoring.yaml', 'test/fixtures/terraform/monitoring.plan.json'].map((path) => ({ path: join(ROOT, path), explicit: true }));
      const result = scanFiles(files, { cwd: ROOT, collectedAt: '2026-12-06T00:00:00.000Z', wholeAccount: false }, DEFAULT_COLLECTORS);
      assert.deepEqual(result.issues, []);
      const merged = result.facts;
      assert.ok(merged !== null);
      assert.ok(merged.collected.includes('kmsKeys') && merged.collected.includes('alarmTopics'));
      const groups = (merged.logGroups ?? []).filter((g) => !isGap(g)) as LogGroupFacts[];
      assert.deepEqual(
        groups.filter((g) => g.exists === true && g.trailArns.length > 0).map((g) => `${g.ref.location?.file ?? ''} ${g.ref.id}`),
        ['test/fixtures/cloudformation/monitoring.yaml TrailLogGroup', 'test/fixtures/terraform/monitoring.plan.json aws_cloudwatch_log_group.trail'],
      );
      assert.equal(merged.kmsKeys?.length, (cfn('monitoring.yaml').facts.kmsKeys?.length ?? 0) + (plan('monitoring.plan.json').kmsKeys?.length ?? 0));
      assert.equal(merged.securityHubs, undefined);
    });
  });
});

describe('IaC data-event selectors (the inputs of S3.22 / S3.23)', () => {
  const template = [
    'Resources:',
    '  Bucket:',
    '    Type: AWS::S3::Bucket',
    '  Basic:',
    '    Type: AWS::CloudTrail::Trail',
    '    Properties:',
    '      IsLogging: true',
    '      IsMultiRegionTrail: true',
    '      S3BucketName: !Ref Bucket',
    '      EventSelectors:',
    '        - ReadWriteType: All',
    '          DataResources:',
    '            - Type: AWS::S3::Object',
    '              Values: ["arn:aws:s3"]',
    '  Advanced:',
    '    Type: AWS::CloudTrail::Trail',
    '    Properties:',
    '      IsLogging: true',
    '      IsMultiRegionTrail: true',
    '      S3BucketName: !Ref Bucket',
    '      AdvancedEventSelectors:',
    '        - Name: S3 object writes',
    '          FieldSelectors:',
    '            - Field: eventCategory',
    '              Equals: [Data]',
    '            - Field: resources.type',
    '              Equals: ["AWS::S3::Object"]',
    '            - Field: readOnly',
    '              Equals: ["false"]',
    '  Narrowed:',
    '    Type: AWS::CloudTrail::Trail',
    '    Properties:',
    '      IsLogging: true',
    '      IsMultiRegionTrail: true',
    '      S3BucketName: !Ref Bucket',
    '      EventSelectors:',
    '        - ReadWriteType: All',
    '          DataResources:',
    '            - Type: AWS::S3::Object',
    '              Values: [!Sub "arn:aws:s3:::${Bucket}/"]',
  ].join('\n');

  it('basic and advanced all-bucket S3 object selectors count; one narrowed to a bucket does not', () => {
    const facts = collectCloudFormation(parseTemplate(template, 'data.yaml'), { collectedAt: '2026-03-01T00:00:00.000Z', displayPath: 'data.yaml' }).facts;
    const coverage = Object.fromEntries(
      facts.trails.flatMap((trail) => {
        if (isGap(trail) || isUnknown(trail.eventSelectors) || isUnknown(trail.hasCustomEventSelectors)) {
          return [];
        }
        const { read, write } = s3ObjectDataEvents(trail.eventSelectors, trail.hasCustomEventSelectors);
        return [[trail.ref.id, { read, write }]];
      }),
    );
    assert.deepEqual(coverage, {
      Basic: { read: true, write: true },
      Advanced: { read: false, write: true },
      Narrowed: { read: false, write: false },
    });
  });
});
