/**
 * The stand-in for a key that trails or event data stores name but the scanned files do not
 * declare (CloudFormation and Terraform alike): one item per such key, every fact the same Unknown,
 * so TrailHealth.3/4 and CloudTrail.10 are UNKNOWN there, never a verdict about a key nobody read.
 */
import type { KmsKeyFacts, SourceLocation, Unknown } from '../../model.js';

export interface UnreadableKey {
  /** The key as written (ARN, alias, expression): its item id. */
  readonly id: string;
  /** The account the `ref` names (null: unknown). */
  readonly refAccountId: string | null;
  readonly accountId: string;
  readonly region: string;
  readonly location: SourceLocation;
  /** The trails and stores encrypted with it. */
  readonly users: readonly { readonly kind: 'trail' | 'eventDataStore'; readonly arn: string }[];
  /** The users' own `kmsKeyId` texts (the join keys). */
  readonly configuredAs: readonly string[];
  readonly gap: Unknown;
}

export function unreadableKey(key: UnreadableKey): KmsKeyFacts {
  const { id, location, gap, users } = key;
  return {
    ref: { type: 'AWS::KMS::Key', id, accountId: key.refAccountId, region: key.region, location },
    locations: { exists: location, keyState: location, policy: location, rotationEnabled: location },
    arn: id,
    region: key.region,
    accountId: key.accountId,
    configuredAs: [...new Set(key.configuredAs)],
    trailArns: users.filter((user) => user.kind === 'trail').map((user) => user.arn),
    eventDataStoreArns: users.filter((user) => user.kind === 'eventDataStore').map((user) => user.arn),
    exists: gap,
    keyState: gap,
    keyManager: gap,
    keySpec: gap,
    aliases: gap,
    policy: gap,
    rotationEnabled: gap,
  };
}
