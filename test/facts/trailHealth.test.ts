/**
 * A trail's derived health facts (kinds/trails/health.ts, healthKey.ts): each from its inputs, only
 * when they were collected, and an Unknown (never a guess) when they could not be read.
 */
import { strict as assert } from 'node:assert';
import { trailHealth } from '../../src/facts/kinds/trails/health.js';
import type { BucketFacts, FactNeed, FactSet, KmsKeyFacts, LogGroupFacts, TrailFacts } from '../../src/facts/model.js';
import { FACT_NEEDS, isUnknown, unknown } from '../../src/facts/model.js';
import { buildTrail } from '../../src/tester/trails.js';
import { cloudTrailConsoleKeyPolicy, rootOnlyKeyPolicy } from '../../src/tester/kmsKeys.js';

const ACCOUNT = '123456789012';
const NOW = '2026-06-15T00:00:00.000Z';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-0000-0000-0000-000000000001`;
const GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:trail-events`;

function trail(overrides: Record<string, unknown> = {}): TrailFacts {
  return buildTrail(
    { name: 'main', kmsKeyId: KEY_ARN, cloudWatchLogsLogGroupArn: `${GROUP_ARN}:*`, ...overrides },
    { regions: ['us-east-1'], accountPublicAccessBlock: null },
  );
}

function factSet(parts: Partial<FactSet> & { collected?: readonly FactNeed[] }): FactSet {
  return {
    schemaVersion: 1,
    source: 'live',
    collectedAt: NOW,
    collected: FACT_NEEDS,
    account: { ref: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'global' }, id: ACCOUNT, partition: 'aws' },
    regions: [],
    trails: [],
    buckets: [],
    eventDataStores: [],
    stats: { apiCalls: {}, durationMs: 0 },
    ...parts,
  };
}

function bucket(name: string, region: BucketFacts['region']): BucketFacts {
  return { ref: { type: 'AWS::S3::Bucket', id: `arn:aws:s3:::${name}`, name, accountId: ACCOUNT, region: 'us-east-1' }, name, region, ownerAccountId: ACCOUNT, trailArns: [] };
}

function key(overrides: Partial<KmsKeyFacts> = {}): KmsKeyFacts {
  return {
    ref: { type: 'AWS::KMS::Key', id: KEY_ARN, accountId: ACCOUNT, region: 'us-east-1' },
    arn: KEY_ARN,
    region: 'us-east-1',
    accountId: ACCOUNT,
    configuredAs: [KEY_ARN, 'alias/trail'],
    trailArns: [],
    eventDataStoreArns: [],
    exists: true,
    keyState: 'Enabled',
    keyManager: 'CUSTOMER',
    policy: cloudTrailConsoleKeyPolicy(),
    rotationEnabled: true,
    ...overrides,
  };
}

function group(exists: LogGroupFacts['exists']): LogGroupFacts {
  return {
    ref: { type: 'AWS::Logs::LogGroup', id: GROUP_ARN, accountId: ACCOUNT, region: 'us-east-1' },
    arn: GROUP_ARN,
    name: 'trail-events',
    region: 'us-east-1',
    accountId: ACCOUNT,
    trailArns: [],
    exists,
  };
}

function reasonOf(value: unknown): string | undefined {
  return isUnknown(value) ? value.$unknown.reason : undefined;
}

describe('trail health (derived facts for S3.22/23 and TrailHealth.1–4)', () => {
  describe('only what was collected', () => {
    it('leaves every health fact out when none of their inputs were collected', () => {
      const raw = trail();
      const { status: _s, eventSelectors: _e, ...bare } = raw;
      const health = trailHealth(bare, factSet({ collected: ['trails'] }));
      assert.deepEqual(health, {});
    });
  });

  describe('s3DataEvents', () => {
    it('from the selectors; an unreadable selector list is that Unknown', () => {
      const logsAll = trail({ eventSelectors: { EventSelectors: [{ ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] } });
      const coverage = trailHealth(logsAll, factSet({})).s3DataEvents;
      assert.ok(coverage !== undefined && !isUnknown(coverage));
      assert.equal(coverage.write, true);
      assert.equal(coverage.read, false);
      const denied = unknown('access_denied', 'denied');
      assert.deepEqual(trailHealth({ ...logsAll, eventSelectors: denied }, factSet({})).s3DataEvents, denied);
    });

    it('an unknown HasCustomEventSelectors does not make the verdict unknown (it only changes wording)', () => {
      const t = trail({ hasCustomEventSelectors: { $unknown: 'error' }, eventSelectors: { EventSelectors: [], AdvancedEventSelectors: [] } });
      const health = trailHealth(t, factSet({}));
      assert.ok(!isUnknown(health.s3DataEvents));
      assert.deepEqual([health.s3DataEvents?.read, health.s3DataEvents?.write], [false, false]);
    });
  });

  describe('delivery ages', () => {
    it('hours from each GetTrailStatus time to collectedAt; null when there is none', () => {
      const t = trail({ status: { isLogging: true, latestDeliveryTime: '2026-06-14T00:00:00Z', startLoggingTime: '2026-06-14T23:30:00Z', latestDigestDeliveryTime: '2026-06-13T00:00:00Z' } });
      const health = trailHealth(t, factSet({}));
      assert.equal(health.deliveryAgeHours, 24);
      assert.equal(health.loggingAgeHours, 0.5);
      assert.equal(health.digestDeliveryAgeHours, 48);
      assert.equal(health.cloudWatchLogsDeliveryAgeHours, null);
    });

    it('an unreadable status makes every age that Unknown', () => {
      const throttled = unknown('throttled', 'slow down', { operation: 'cloudtrail:GetTrailStatus' });
      const health = trailHealth({ ...trail(), status: throttled }, factSet({}));
      for (const age of [health.deliveryAgeHours, health.cloudWatchLogsDeliveryAgeHours, health.digestDeliveryAgeHours, health.loggingAgeHours]) {
        assert.deepEqual(age, throttled);
      }
    });

    it('a time that is not a date is Unknown(error), not "never delivered"', () => {
      const health = trailHealth(trail({ status: { isLogging: true, latestDeliveryTime: 'yesterday' } }), factSet({}));
      assert.equal(reasonOf(health.deliveryAgeHours), 'error');
    });

    it('a time after the audit is Unknown(error), never "just started" (it would excuse a stale delivery)', () => {
      // collectedAt of these sets is 2026-06-15T00:00:00Z (the 24 h / 0.5 h rows above).
      const health = trailHealth(trail({ status: { isLogging: true, latestDeliveryTime: '2026-06-10T00:00:00Z', startLoggingTime: '2027-06-15T00:00:00Z' } }), factSet({}));
      assert.equal(reasonOf(health.loggingAgeHours), 'error');
      assert.equal(health.deliveryAgeHours, 120);
      // A few seconds of skew are still read as now.
      const skewed = trailHealth(trail({ status: { isLogging: true, startLoggingTime: '2026-06-15T00:00:30Z' } }), factSet({}));
      assert.equal(skewed.loggingAgeHours, 0);
    });

    it('a template cannot know delivery times: Unknown(unsupported) for IaC sources', () => {
      const health = trailHealth(trail({ status: { isLogging: true } }), factSet({ source: 'terraform' }));
      assert.equal(reasonOf(health.deliveryAgeHours), 'unsupported');
      assert.equal(reasonOf(health.loggingAgeHours), 'unsupported');
    });
  });

  describe('bucketExists', () => {
    it('true when located, false when not_found, the Unknown otherwise; absent when no bucket kind was collected', () => {
      const t = trail();
      assert.equal(trailHealth(t, factSet({ buckets: [bucket('trail-logs', 'eu-west-1')] })).bucketExists, true);
      assert.equal(trailHealth(t, factSet({ buckets: [bucket('trail-logs', unknown('not_found', 'gone'))] })).bucketExists, false);
      assert.equal(reasonOf(trailHealth(t, factSet({ buckets: [bucket('trail-logs', unknown('cross_account', 'theirs'))] })).bucketExists), 'cross_account');
      assert.equal(reasonOf(trailHealth(t, factSet({ buckets: [] })).bucketExists), 'error');
      assert.equal('bucketExists' in trailHealth(t, factSet({ collected: ['trails', 'trailStatus'] })), false);
    });

    it('bucketLocation alone is enough to derive it', () => {
      assert.equal(trailHealth(trail(), factSet({ collected: ['trails', 'bucketLocation'], buckets: [bucket('trail-logs', 'us-east-1')] })).bucketExists, true);
    });

    it('in scanned files a bucket they do not declare is not known to be missing', () => {
      const health = trailHealth(trail(), factSet({ source: 'cloudformation', buckets: [bucket('trail-logs', unknown('not_found', 'not in these files'))] }));
      assert.equal(reasonOf(health.bucketExists), 'not_found');
    });

    it('an unreadable bucket name is that Unknown', () => {
      const health = trailHealth(trail({ s3BucketName: { $unknown: 'error' } }), factSet({ buckets: [] }));
      assert.equal(reasonOf(health.bucketExists), 'error');
    });
  });

  describe('logGroupExists', () => {
    it('joins the trail ARN with ":*" to the log group without it', () => {
      assert.equal(trailHealth(trail(), factSet({ logGroups: [group(true)] })).logGroupExists, true);
      assert.equal(trailHealth(trail(), factSet({ logGroups: [group(false)] })).logGroupExists, false);
    });

    it('null when the trail has no log group; Unknowns for an unreadable one, a Region gap, a lost item', () => {
      assert.equal(trailHealth(trail({ cloudWatchLogsLogGroupArn: null }), factSet({ logGroups: [] })).logGroupExists, null);
      assert.equal(reasonOf(trailHealth(trail(), factSet({ logGroups: [group(unknown('access_denied', 'no'))] })).logGroupExists), 'access_denied');
      const gap = { ref: { type: 'AWS::Logs::LogGroup', id: 'x', accountId: ACCOUNT, region: 'us-east-1' }, $gap: { reason: 'throttled' as const, message: 'slow' }, region: 'us-east-1' };
      assert.equal(reasonOf(trailHealth(trail(), factSet({ logGroups: [gap] })).logGroupExists), 'throttled');
      assert.equal(reasonOf(trailHealth(trail(), factSet({ logGroups: [] })).logGroupExists), 'error');
      assert.equal(reasonOf(trailHealth(trail(), factSet({})).logGroupExists), 'error');
      assert.equal(reasonOf(trailHealth(trail({ cloudWatchLogsLogGroupArn: 'not-an-arn' }), factSet({ logGroups: [] })).logGroupExists), 'error');
    });

    it('absent when log groups were not collected', () => {
      assert.equal('logGroupExists' in trailHealth(trail(), factSet({ collected: ['trails'] })), false);
    });
  });

  describe('kmsKey', () => {
    it('the key the trail names, by ARN or by any identifier it is configured as', () => {
      const view = trailHealth(trail({ kmsKeyId: 'alias/trail' }), factSet({ kmsKeys: [key()] })).kmsKey;
      assert.ok(view !== null && view !== undefined && !isUnknown(view));
      assert.equal(view.arn, KEY_ARN);
      assert.equal(view.keyState, 'Enabled');
      assert.equal(view.rotationEnabled, true);
      assert.equal(view.cloudTrailCanUse, true);
    });

    it('null without a key; a null state or rotation is kept (not taken for missing)', () => {
      assert.equal(trailHealth(trail({ kmsKeyId: null }), factSet({ kmsKeys: [] })).kmsKey, null);
      const view = trailHealth(trail(), factSet({ kmsKeys: [key({ exists: false, keyState: null, rotationEnabled: null, policy: null })] })).kmsKey;
      assert.ok(view !== null && view !== undefined && !isUnknown(view));
      assert.equal(view.exists, false);
      assert.equal(view.keyState, null);
      assert.equal(view.rotationEnabled, null);
      assert.equal(view.cloudTrailCanUse, false);
    });

    it('the KMS default policy does not let CloudTrail use the key, and says why', () => {
      const view = trailHealth(trail(), factSet({ kmsKeys: [key({ policy: rootOnlyKeyPolicy() })] })).kmsKey;
      assert.ok(view !== null && view !== undefined && !isUnknown(view));
      assert.equal(view.cloudTrailCanUse, false);
      assert.ok((view.policyExplanation ?? '').length > 0);
    });

    it('an asymmetric key with a policy that admits CloudTrail is still not usable, and says why', () => {
      const symmetric = trailHealth(trail(), factSet({ kmsKeys: [key()] })).kmsKey;
      assert.ok(symmetric !== null && symmetric !== undefined && !isUnknown(symmetric));
      assert.equal(symmetric.cloudTrailCanUse, true, 'the same policy admits CloudTrail on a symmetric key');
      const view = trailHealth(trail(), factSet({ kmsKeys: [key({ keySpec: 'RSA_2048' })] })).kmsKey;
      assert.ok(view !== null && view !== undefined && !isUnknown(view));
      assert.equal(view.cloudTrailCanUse, false);
      assert.match(view.policyExplanation ?? '', /is not a symmetric encryption key \(KeySpec RSA_2048\); CloudTrail can only encrypt log files with a symmetric key \(SYMMETRIC_DEFAULT\)/u);
    });

    it('Unknowns: another account’s unreadable policy, an unparseable one, a Region gap, a lost item, an unread key id', () => {
      const cross = trailHealth(trail(), factSet({ kmsKeys: [key({ policy: unknown('cross_account', 'theirs') })] })).kmsKey;
      assert.ok(cross !== null && cross !== undefined && !isUnknown(cross));
      assert.equal(reasonOf(cross.cloudTrailCanUse), 'cross_account');
      const garbled = trailHealth(trail(), factSet({ kmsKeys: [key({ policy: 'not json' })] })).kmsKey;
      assert.ok(garbled !== null && garbled !== undefined && !isUnknown(garbled));
      assert.equal(reasonOf(garbled.cloudTrailCanUse), 'error');
      const gap = { ref: { type: 'AWS::KMS::Key', id: 'x', accountId: ACCOUNT, region: 'us-east-1' }, $gap: { reason: 'timeout' as const, message: 'late' }, region: 'us-east-1' };
      assert.equal(reasonOf(trailHealth(trail(), factSet({ kmsKeys: [gap] })).kmsKey), 'timeout');
      assert.equal(reasonOf(trailHealth(trail(), factSet({ kmsKeys: [] })).kmsKey), 'error');
      assert.equal(reasonOf(trailHealth(trail(), factSet({})).kmsKey), 'error');
      assert.equal(reasonOf(trailHealth(trail({ kmsKeyId: { $unknown: 'access_denied' } }), factSet({ kmsKeys: [] })).kmsKey), 'access_denied');
    });

    it('rotation and policy only when their kinds were collected; nothing when keys were not', () => {
      const view = trailHealth(trail(), factSet({ collected: ['trails', 'kmsKeys'], kmsKeys: [key()] })).kmsKey;
      assert.ok(view !== null && view !== undefined && !isUnknown(view));
      assert.equal('rotationEnabled' in view, false);
      assert.equal('cloudTrailCanUse' in view, false);
      assert.equal('kmsKey' in trailHealth(trail(), factSet({ collected: ['trails'] })), false);
    });
  });
});
