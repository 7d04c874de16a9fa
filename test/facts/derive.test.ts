/**
 * facts/derive.ts: re-deriving what a collector produced changes nothing (round trip), and a
 * tampered or missing derived fact is replaced by the value computed from the raw facts.
 */
import { strict as assert } from 'node:assert';
import type { Trail } from '@aws-sdk/client-cloudtrail';
import type { BucketLocation } from '../../src/facts/kinds/buckets/liveOwnership.js';
import { bucketFacts, type BucketPartial } from '../../src/facts/kinds/buckets/live.js';
import { singleRegionSelectors } from '../../src/facts/kinds/trails/liveDetails.js';
import { trailBaseFacts, type TrailSighting } from '../../src/facts/kinds/trails/live.js';
import { mergeFactSets } from '../../src/collect/iac/scan.js';
import { deriveFacts } from '../../src/facts/derive.js';
import { managementEventCoverage } from '../../src/facts/kinds/trails/eventSelectors.js';
import { trailHealth } from '../../src/facts/kinds/trails/health.js';
import type { AclGrant, BucketFacts, EventSelectors, FactSet, PublicAccessBlock, PublicAccessVerdict, TrailFacts } from '../../src/facts/model.js';
import { isGap, unknown } from '../../src/facts/model.js';
import { schemaValidator } from '../../src/load/schemaValidation.js';
import { scanFixture, scanText } from '../collect/cloudformation/helpers.js';
import { collectFixture } from '../collect/terraform/helpers.js';
import { collectTerraformPlan } from '../../src/collect/terraform/index.js';
import { fixtureText } from '../collect/terraform/helpers.js';

const ACCOUNT = '123456789012';
const ENV = { accountId: ACCOUNT, partition: 'aws', publicAccess: true, logging: true } as const;
const ALL_USERS_READ: AclGrant = { granteeType: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' };
const OWNER_FULL: AclGrant = { granteeType: 'CanonicalUser', id: 'abc', permission: 'FULL_CONTROL' };
const BLOCK_ALL: PublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
const PUBLIC_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] });

/** As saved by --save-snapshot and read back: undefined properties disappear. */
function snapshot(facts: FactSet): FactSet {
  return JSON.parse(JSON.stringify(facts)) as FactSet;
}

function liveSet(parts: { trails?: TrailFacts[]; buckets?: BucketFacts[]; accountBlock?: FactSet['account']['publicAccessBlock'] }): FactSet {
  const set = snapshot({
    schemaVersion: 1,
    source: 'live',
    collectedAt: '2026-01-01T00:00:00.000Z',
    collected: ['trails', 'trailStatus', 'eventSelectors', 'trailTags', 'bucketPublicAccess', 'bucketLogging'],
    account: {
      ref: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'global' },
      id: ACCOUNT,
      partition: 'aws',
      ...(parts.accountBlock === undefined ? {} : { publicAccessBlock: parts.accountBlock }),
    },
    regions: [{ ref: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'us-east-1' }, name: 'us-east-1' }],
    trails: parts.trails ?? [],
    buckets: parts.buckets ?? [],
    eventDataStores: [],
    stats: { apiCalls: {}, durationMs: 1 },
  });
  // The live collector's last step derives the facts that span collections (trail health, from the
  // buckets and `collectedAt`); the round trip compares what its own functions computed before that.
  return snapshot({ ...set, trails: set.trails.map((trail) => (isGap(trail) ? trail : { ...trail, ...trailHealth(trail, set) })) });
}

function assertValid(facts: FactSet): void {
  const validate = schemaValidator('facts.schema.json');
  assert.equal(validate(snapshot(facts)), true, JSON.stringify(validate.errors, null, 1));
}

function assertRoundTrip(facts: FactSet): void {
  assertValid(facts);
  assert.deepEqual(deriveFacts(snapshot(facts)), snapshot(facts));
}

const owned = (region = 'us-east-1'): BucketLocation => ({ kind: 'owned', region });

function liveBucket(name: string, partial: Omit<BucketPartial, 'name' | 'location'>, location: BucketLocation = owned()): BucketFacts {
  return bucketFacts({ name, location, ...partial }, [`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`], ENV);
}

function sighting(trail: Trail, homeRegion = 'us-east-1', owner = ACCOUNT): TrailSighting {
  const arn = `arn:aws:cloudtrail:${homeRegion}:${owner}:trail/${trail.Name ?? 't'}`;
  return {
    trail: { TrailARN: arn, HomeRegion: homeRegion, ...trail },
    arn,
    name: trail.Name ?? 't',
    homeRegion,
    ownerAccountId: owner,
    ownerInScope: owner === ACCOUNT,
    describedHere: true,
    listedIn: homeRegion,
    visibleInRegions: [homeRegion],
    shadowInRegions: [],
  };
}

const TRAIL_FLAGS: Trail = { IsMultiRegionTrail: true, IsOrganizationTrail: false, IncludeGlobalServiceEvents: true, LogFileValidationEnabled: true, HasCustomEventSelectors: false };

/** A trail as the live collector assembles it (collect.ts: base ‖ status ‖ selectors ‖ tags). */
function liveTrail(trail: Trail, selectors: EventSelectors | 'single-region', tags: Record<string, string>, owner = ACCOUNT): TrailFacts {
  const seen = sighting({ ...TRAIL_FLAGS, ...trail }, 'us-east-1', owner);
  const selectorFacts =
    selectors === 'single-region'
      ? singleRegionSelectors(seen)
      : { eventSelectors: selectors, managementEvents: managementEventCoverage(selectors, seen.trail.HasCustomEventSelectors) };
  return {
    ...trailBaseFacts(seen),
    isLogging: true,
    status: { isLogging: true },
    ...selectorFacts,
    tags,
    userTagKeys: Object.keys(tags).filter((key) => !key.toLowerCase().startsWith('aws:')).sort(),
  };
}

function bucketOf(facts: FactSet, name: string): BucketFacts {
  const found = facts.buckets.find((bucket): bucket is BucketFacts => !isGap(bucket) && bucket.name === name);
  assert.ok(found, `no bucket ${name}`);
  return found;
}

function verdictOf(bucket: BucketFacts): PublicAccessVerdict {
  const verdict = bucket.publicAccess;
  assert.ok(verdict !== undefined && !('$unknown' in verdict), `bucket ${bucket.name} has no decided verdict`);
  return verdict;
}

describe('facts/derive: derived facts are recomputed from raw facts', () => {
  describe('round trip: re-deriving a collector’s output changes nothing', () => {
    it('live buckets: private, public ACL, public policy, neutralised, unreadable, failed calls', () => {
      const denied = (operation: string) => unknown('access_denied', `denied ${operation}`, { operation, region: 'us-east-1' });
      const buckets = [
        // ACL and policy grant nothing public: Block Public Access and Object Ownership not read (absent).
        liveBucket('private', { acl: [OWNER_FULL], policy: null, policyStatusIsPublic: null, accountPublicAccessBlock: null, logging: null }),
        // The same, as a collector that stores the settings it skipped as Unknown('unsupported').
        liveBucket('private-unsupported', {
          acl: [OWNER_FULL],
          policy: null,
          policyStatusIsPublic: null,
          publicAccessBlock: unknown('unsupported', 'Not read: nothing public to neutralise.'),
          objectOwnership: unknown('unsupported', 'Not read: nothing public to neutralise.'),
          accountPublicAccessBlock: null,
          logging: { targetBucket: 'logs', targetPrefix: 'p/' },
        }),
        liveBucket('public-acl', { acl: [OWNER_FULL, ALL_USERS_READ], policy: null, policyStatusIsPublic: null, publicAccessBlock: null, objectOwnership: null, accountPublicAccessBlock: null, logging: null }),
        liveBucket('acl-enforced', { acl: [ALL_USERS_READ], policy: null, policyStatusIsPublic: null, publicAccessBlock: null, objectOwnership: 'BucketOwnerEnforced', accountPublicAccessBlock: null, logging: null }),
        // Public through its policy alone: Block Public Access read, Object Ownership not.
        liveBucket('public-policy', { acl: [OWNER_FULL], policy: PUBLIC_POLICY, policyStatusIsPublic: true, publicAccessBlock: null, accountPublicAccessBlock: null, logging: null }),
        liveBucket('policy-static', { acl: [OWNER_FULL], policy: PUBLIC_POLICY, policyStatusIsPublic: null, publicAccessBlock: BLOCK_ALL, accountPublicAccessBlock: null, logging: null }),
        liveBucket('acl-denied', {
          acl: denied('s3:GetBucketAcl'),
          policy: null,
          policyStatusIsPublic: null,
          publicAccessBlock: denied('s3:GetBucketPublicAccessBlock'),
          objectOwnership: null,
          accountPublicAccessBlock: null,
          logging: denied('s3:GetBucketLogging'),
        }),
        liveBucket('gone', {}, { kind: 'missing', cause: { reason: 'not_found', message: 'no such bucket', operation: 's3:GetBucketLocation' } }),
        liveBucket('foreign', {}, { kind: 'foreign', cause: { reason: 'access_denied', message: 'denied', operation: 's3:GetBucketLocation' }, evidence: 'not listed' }),
        liveBucket('failed', {}, { kind: 'failed', cause: { reason: 'throttled', message: 'slow down', operation: 's3:GetBucketLocation' } }),
      ];
      assertRoundTrip(liveSet({ buckets, accountBlock: null }));
    });

    it('live buckets under an account-level block, and when it could not be read', () => {
      const partial = { acl: [ALL_USERS_READ], policy: PUBLIC_POLICY, policyStatusIsPublic: true, publicAccessBlock: null, objectOwnership: null, logging: null };
      const neutralised = liveSet({ buckets: [liveBucket('b', { ...partial, accountPublicAccessBlock: BLOCK_ALL })], accountBlock: BLOCK_ALL });
      assertRoundTrip(neutralised);
      assert.equal(verdictOf(bucketOf(neutralised, 'b')).isPublic, false);
      const gap = unknown('access_denied', 'denied s3:GetAccountPublicAccessBlock', { operation: 's3:GetAccountPublicAccessBlock' });
      const unreadable = liveSet({ buckets: [liveBucket('b', { ...partial, accountPublicAccessBlock: gap })], accountBlock: gap });
      assertRoundTrip(unreadable);
    });

    it('live trails: default, basic and advanced selectors, single-Region (not read), failed reads, tags, another account’s trail', () => {
      const readOnly: EventSelectors = {
        basic: [{ readWriteType: 'ReadOnly', includeManagementEvents: true, excludeManagementEventSources: [], dataResources: [] }],
        advanced: [],
      };
      const advanced: EventSelectors = {
        basic: [],
        advanced: [{ name: 'all', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }],
      };
      const failed = unknown('access_denied', 'denied', { operation: 'cloudtrail:GetEventSelectors', region: 'us-east-1' });
      const trails: TrailFacts[] = [
        liveTrail({ Name: 'default', S3BucketName: 'b' }, { basic: [], advanced: [] }, { owner: 'sec', 'aws:cloudformation:stack-name': 's' }),
        liveTrail({ Name: 'custom-empty', HasCustomEventSelectors: true }, { basic: [], advanced: [] }, {}),
        liveTrail({ Name: 'read-only', HasCustomEventSelectors: true }, readOnly, { Env: 'prod', Owner: 'x' }),
        liveTrail({ Name: 'advanced', HasCustomEventSelectors: true }, advanced, {}),
        liveTrail({ Name: 'single', IsMultiRegionTrail: false }, 'single-region', {}),
        { ...liveTrail({ Name: 'denied' }, { basic: [], advanced: [] }, {}), eventSelectors: failed, managementEvents: failed, isLogging: failed, status: failed, tags: failed, userTagKeys: failed },
        liveTrail({ Name: 'org', IsOrganizationTrail: true }, { basic: [], advanced: [] }, {}, '999988887777'),
      ];
      const facts = liveSet({ trails });
      assertRoundTrip(facts);
      assert.equal((facts.trails.find((trail) => trail.ref.id.endsWith('/org')) as TrailFacts).ownerInScope, false);
    });

    it('CloudFormation templates and Terraform plans', () => {
      for (const name of ['compliant.yaml', 'noncompliant.yaml', 'noncompliant.json', 'links.yaml', 'short-forms.yaml', 'stopped.yaml', 'cdk-compliant.template.json']) {
        assertRoundTrip(scanFixture(name).collection.facts);
      }
      for (const name of ['compliant.plan.json', 'inline-bucket.plan.json', 'modules.plan.json', 'not-logging.plan.json', 'unresolved.plan.json', 'terraform-data.plan.json']) {
        assertRoundTrip(collectFixture(name).facts);
      }
    });

    it('a merged scan whose files used different account-level blocks', () => {
      // A Terraform plan declaring an account-wide block, and a template with a public-read
      // bucket, which CloudFormation evaluates without crediting any account-level block.
      const plan = JSON.parse(fixtureText('not-logging.plan.json')) as { planned_values: { root_module: { resources: unknown[] } } };
      plan.planned_values.root_module.resources.push({
        address: 'aws_s3_account_public_access_block.all',
        mode: 'managed',
        type: 'aws_s3_account_public_access_block',
        name: 'all',
        provider_name: 'registry.terraform.io/hashicorp/aws',
        values: { block_public_acls: true, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true },
      });
      const text = JSON.stringify(plan);
      const terraform = collectTerraformPlan(text, JSON.parse(text) as unknown, { collectedAt: '2026-03-01T00:00:00.000Z', displayPath: 'plan.json' });
      assert.deepEqual(terraform.facts.account.publicAccessBlock, BLOCK_ALL);
      const template = scanFixture('noncompliant.yaml').collection;
      const merged = mergeFactSets([terraform, template], { wholeAccount: false, collectedAt: '2026-03-01T00:00:00.000Z', durationMs: 1 });
      assert.ok(merged);
      assertRoundTrip(merged);
      const publicBucket = merged.buckets.find((bucket) => !isGap(bucket) && (bucket).publicAccess !== undefined && verdictOf(bucket).isPublic === true);
      assert.ok(publicBucket, 'the template’s public bucket stays public after the merge');
    });
  });

  describe('tampered or missing derived facts', () => {
    const publicBucket = (): FactSet =>
      liveSet({
        buckets: [liveBucket('b', { acl: [ALL_USERS_READ], policy: null, policyStatusIsPublic: null, publicAccessBlock: null, objectOwnership: null, accountPublicAccessBlock: null, logging: null })],
        accountBlock: null,
      });

    it('a public bucket edited to isPublic=false is public again', () => {
      const facts = publicBucket();
      const bucket = facts.buckets[0] as unknown as { publicAccess: { isPublic: boolean; via: string[] } };
      bucket.publicAccess.isPublic = false;
      bucket.publicAccess.via = [];
      const derived = verdictOf(bucketOf(deriveFacts(facts), 'b'));
      assert.equal(derived.isPublic, true);
      assert.deepEqual(derived.via, ['acl']);
    });

    it('a deleted verdict is recomputed', () => {
      const facts = publicBucket();
      delete (facts.buckets[0] as { publicAccess?: unknown }).publicAccess;
      assert.equal(verdictOf(bucketOf(deriveFacts(facts), 'b')).isPublic, true);
    });

    it('a stored verdict is dropped when the raw facts were not collected', () => {
      const facts = publicBucket();
      const { acl: _acl, policy: _policy, policyStatusIsPublic: _status, ...rest } = facts.buckets[0] as BucketFacts;
      const derived = deriveFacts({ ...facts, collected: ['trails'], buckets: [rest] });
      assert.equal('publicAccess' in (derived.buckets[0] as BucketFacts), false);
    });

    it('a setting the audit skipped, made decisive by an edit, gives Unknown, never "not public"', () => {
      // As collectBucket stores them for a bucket whose ACL and policy grant nothing public.
      const skipped = unknown('unsupported', "Not read: the bucket's setting cannot change whether it is public.");
      const facts = liveSet({
        buckets: [
          liveBucket('b', {
            acl: [OWNER_FULL],
            policy: null,
            policyStatusIsPublic: null,
            publicAccessBlock: skipped,
            objectOwnership: skipped,
            accountPublicAccessBlock: null,
            logging: null,
          }),
        ],
        accountBlock: null,
      });
      (facts.buckets[0] as unknown as { acl: AclGrant[] }).acl = [ALL_USERS_READ];
      const verdict = verdictOf(bucketOf(deriveFacts(facts), 'b'));
      assert.ok(typeof verdict.isPublic === 'object' && verdict.isPublic.$unknown.reason === 'unsupported', JSON.stringify(verdict.isPublic));
      assert.match(verdict.isPublic.$unknown.message, /^Not read: /u);
    });

    it('the audited account’s block is not applied to another account’s bucket', () => {
      const facts = liveSet({
        buckets: [{ ...liveBucket('b', { acl: [ALL_USERS_READ], policy: null, policyStatusIsPublic: null, publicAccessBlock: null, objectOwnership: null, accountPublicAccessBlock: null, logging: null }), ownerAccountId: '999988887777' }],
        accountBlock: BLOCK_ALL,
      });
      const verdict = verdictOf(bucketOf(deriveFacts(facts), 'b'));
      assert.ok(typeof verdict.isPublic === 'object' && verdict.isPublic.$unknown.reason === 'cross_account');
    });

    it('tampered managementEvents is recomputed from the selectors', () => {
      const readOnly: EventSelectors = {
        basic: [{ readWriteType: 'ReadOnly', includeManagementEvents: true, excludeManagementEventSources: [], dataResources: [] }],
        advanced: [],
      };
      const facts = liveSet({ trails: [liveTrail({ Name: 'ro', HasCustomEventSelectors: true }, readOnly, {})] });
      const trail = facts.trails[0] as { managementEvents: { write: boolean; allInOneSelector: boolean } };
      trail.managementEvents.write = true;
      trail.managementEvents.allInOneSelector = true;
      const derived = deriveFacts(facts).trails[0] as TrailFacts;
      assert.deepEqual(derived.managementEvents, managementEventCoverage(readOnly, true));
      delete (facts.trails[0] as { managementEvents?: unknown }).managementEvents;
      assert.deepEqual((deriveFacts(facts).trails[0] as TrailFacts).managementEvents, managementEventCoverage(readOnly, true));
    });

    it('an Unknown HasCustomEventSelectors makes the coverage Unknown only where it could change it', () => {
      const gap = unknown('error', 'DescribeTrails did not report HasCustomEventSelectors');
      const empty = liveSet({ trails: [{ ...liveTrail({ Name: 'e' }, { basic: [], advanced: [] }, {}), hasCustomEventSelectors: gap }] });
      assert.deepEqual((deriveFacts(empty).trails[0] as TrailFacts).managementEvents, gap);
      const readOnly: EventSelectors = {
        basic: [{ readWriteType: 'ReadOnly', includeManagementEvents: true, excludeManagementEventSources: [], dataResources: [] }],
        advanced: [],
      };
      const decided = liveSet({ trails: [{ ...liveTrail({ Name: 'r', HasCustomEventSelectors: true }, readOnly, {}), hasCustomEventSelectors: gap }] });
      assert.deepEqual((deriveFacts(decided).trails[0] as TrailFacts).managementEvents, managementEventCoverage(readOnly, true));
    });

    it('userTagKeys, isLogging and ownerInScope follow their raw facts', () => {
      const facts = liveSet({ trails: [liveTrail({ Name: 'x' }, { basic: [], advanced: [] }, { 'aws:x': '1', owner: 'me' }, '999988887777')] });
      const trail = facts.trails[0] as unknown as { userTagKeys: string[]; isLogging: boolean; status: { isLogging: boolean }; ownerInScope: boolean };
      trail.userTagKeys = ['owner', 'env'];
      trail.status.isLogging = false;
      trail.ownerInScope = true;
      const derived = deriveFacts(facts).trails[0] as TrailFacts;
      assert.deepEqual(derived.userTagKeys, ['owner']);
      assert.equal(derived.isLogging, false);
      assert.equal(derived.ownerInScope, false);
    });

    it('ownerInScope compares against the accounts in scope; a snapshot without `accounts` is its one account', () => {
      const foreign = '999988887777';
      const facts = liveSet({ trails: [liveTrail({ Name: 'org' }, { basic: [], advanced: [] }, {}, foreign), liveTrail({ Name: 'own' }, { basic: [], advanced: [] }, {})] });
      assert.equal(facts.accounts, undefined, 'saved before the field existed');
      const scopes = (set: FactSet): boolean[] => deriveFacts(set).trails.map((trail) => (trail as TrailFacts).ownerInScope);
      assert.deepEqual(scopes(facts), [false, true]);
      // The same set naming its one account explicitly evaluates identically.
      const explicit = { ...facts, accounts: [ACCOUNT] };
      assertValid(explicit);
      assert.deepEqual(deriveFacts(explicit), { ...deriveFacts(facts), accounts: [ACCOUNT] });
      // With the owner of the organization trail in scope, it is audited here.
      const both = { ...facts, accounts: [ACCOUNT, foreign] };
      assertValid(both);
      assert.deepEqual(scopes(both), [true, true]);
    });

    it('leaves CloudFormation’s own isLogging (no status there) and gaps alone', () => {
      const scan = scanText(
        'Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Condition: C\n    Properties:\n      IsLogging: true\n      S3BucketName: b\nConditions:\n  C: !Equals [a, a]\n',
      );
      assertRoundTrip(scan.collection.facts);
    });
  });
});
