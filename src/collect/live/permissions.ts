/**
 * The API operations the live collector can make, named by the IAM action that authorises them.
 *
 * One table serves three purposes: the scheduler counts calls under these names (`stats.apiCalls`),
 * error messages name the permission to grant, and `trailaudit iam-policy` prints
 * {@link permissionsFor} — so the policy we print can never drift from the calls we make.
 *
 * Each fact kind declares its own calls (src/facts/kinds/<subject>/kinds.ts); this table is kept
 * literal so that `IamAction` is a closed union the compiler checks at every call site, and
 * test/facts/registry.test.ts holds it equal to the registry's (same actions, operations, needs).
 */
import type { FactNeed } from '../../facts/model.js';

export interface OperationSpec {
  /** SDK operation name (what the service calls it). */
  readonly operation: string;
  /** Fact needs that make the collector call it; empty = every audit. */
  readonly needs: readonly FactNeed[];
}

export const OPERATIONS = {
  'sts:GetCallerIdentity': { operation: 'GetCallerIdentity', needs: [] },
  // Called only when no region list is given, but a policy must allow the default run.
  'ec2:DescribeRegions': { operation: 'DescribeRegions', needs: [] },
  'cloudtrail:DescribeTrails': {
    operation: 'DescribeTrails',
    needs: [
      'trails',
      'trailStatus',
      'eventSelectors',
      'trailTags',
      'bucketPublicAccess',
      'bucketLogging',
      'bucketLocation',
      'logGroups',
      'metricFilters',
      'metricAlarms',
      'alarmTopics',
      'kmsKeys',
      'kmsKeyPolicies',
      'kmsKeyRotation',
    ],
  },
  'cloudtrail:GetTrailStatus': { operation: 'GetTrailStatus', needs: ['trailStatus'] },
  'cloudtrail:GetEventSelectors': { operation: 'GetEventSelectors', needs: ['eventSelectors'] },
  'cloudtrail:ListTags': { operation: 'ListTags', needs: ['trailTags'] },
  'cloudtrail:ListEventDataStores': { operation: 'ListEventDataStores', needs: ['eventDataStores', 'eventDataStoreKeys'] },
  'cloudtrail:GetEventDataStore': { operation: 'GetEventDataStore', needs: ['eventDataStores', 'eventDataStoreKeys'] },
  's3:ListAllMyBuckets': { operation: 'ListBuckets', needs: ['bucketPublicAccess', 'bucketLogging', 'bucketLocation'] },
  's3:GetBucketLocation': { operation: 'GetBucketLocation', needs: ['bucketPublicAccess', 'bucketLogging', 'bucketLocation'] },
  's3:GetBucketAcl': { operation: 'GetBucketAcl', needs: ['bucketPublicAccess'] },
  's3:GetBucketPolicy': { operation: 'GetBucketPolicy', needs: ['bucketPublicAccess'] },
  's3:GetBucketPolicyStatus': { operation: 'GetBucketPolicyStatus', needs: ['bucketPublicAccess'] },
  // The IAM action for the bucket-level GetPublicAccessBlock differs from the operation name.
  's3:GetBucketPublicAccessBlock': { operation: 'GetPublicAccessBlock', needs: ['bucketPublicAccess'] },
  's3:GetBucketOwnershipControls': { operation: 'GetBucketOwnershipControls', needs: ['bucketPublicAccess'] },
  // S3 Control GetPublicAccessBlock (account level).
  's3:GetAccountPublicAccessBlock': { operation: 'GetPublicAccessBlock', needs: ['bucketPublicAccess'] },
  's3:GetBucketLogging': { operation: 'GetBucketLogging', needs: ['bucketLogging'] },
  'logs:DescribeLogGroups': { operation: 'DescribeLogGroups', needs: ['logGroups'] },
  'logs:DescribeMetricFilters': { operation: 'DescribeMetricFilters', needs: ['metricFilters', 'alarmTopics'] },
  'cloudwatch:DescribeAlarms': { operation: 'DescribeAlarms', needs: ['metricAlarms', 'alarmTopics'] },
  'sns:ListSubscriptionsByTopic': { operation: 'ListSubscriptionsByTopic', needs: ['alarmTopics'] },
  'kms:DescribeKey': { operation: 'DescribeKey', needs: ['kmsKeys', 'kmsKeyPolicies', 'kmsKeyRotation', 'eventDataStoreKeys'] },
  // With KeyId: the aliases of one key of an event data store (CloudTrail.10's kmsKeyArns may name an alias).
  'kms:ListAliases': { operation: 'ListAliases', needs: ['eventDataStoreKeys'] },
  'kms:GetKeyPolicy': { operation: 'GetKeyPolicy', needs: ['kmsKeyPolicies'] },
  'kms:GetKeyRotationStatus': { operation: 'GetKeyRotationStatus', needs: ['kmsKeyRotation'] },
  'securityhub:DescribeHub': { operation: 'DescribeHub', needs: ['securityHub'] },
} as const satisfies Record<string, OperationSpec>;

/**
 * Calls only an organization audit makes, with the caller's credentials (not the audited
 * accounts'): discovering the accounts (src/collect/org/discovery.ts) and entering them. Kept out
 * of OPERATIONS, which is what each audited account's role must allow; `iam-policy --org` prints them.
 */
export const ORGANIZATION_OPERATIONS = {
  'organizations:DescribeOrganization': { operation: 'DescribeOrganization', needs: [] },
  'organizations:ListAccounts': { operation: 'ListAccounts', needs: [] },
  'organizations:ListAccountsForParent': { operation: 'ListAccountsForParent', needs: [] },
  'organizations:ListChildren': { operation: 'ListChildren', needs: [] },
  'sts:AssumeRole': { operation: 'AssumeRole', needs: [] },
} as const satisfies Record<string, OperationSpec>;

/** IAM-style name of every call the collector makes. */
export type IamAction = keyof typeof OPERATIONS | keyof typeof ORGANIZATION_OPERATIONS;

/** The calls made in each audited account (what its role must allow). */
export const IAM_ACTIONS: readonly (keyof typeof OPERATIONS)[] = Object.keys(OPERATIONS) as (keyof typeof OPERATIONS)[];

/** Every IAM action the collector may call when gathering `needs`, sorted. */
export function permissionsFor(needs: ReadonlySet<FactNeed>): string[] {
  const actions = IAM_ACTIONS.filter((action) => {
    const spec: OperationSpec = OPERATIONS[action];
    return spec.needs.length === 0 || spec.needs.some((need) => needs.has(need));
  });
  return [...actions].sort();
}

/** The service part of an IAM action (`cloudtrail` for `cloudtrail:ListTags`). */
export function serviceOf(action: IamAction): string {
  return action.slice(0, action.indexOf(':'));
}
