/**
 * The KMS key kinds' part of the facts model (`$.kmsKeys`): the keys that encrypt trails' logs
 * (and Lake event data stores), each once however many trails use it (CONTROLS.md §3.3).
 */
import type { FactLocations, Maybe, ResourceRef, UnknownDetail } from '../../core.js';

export interface KmsKeyFacts {
  /** type `AWS::KMS::Key`, id = the key ARN (or the identifier as configured when it could not be resolved). */
  readonly ref: ResourceRef;
  readonly locations?: FactLocations;
  /** The key ARN when known (DescribeKey resolves aliases), else the identifier as configured. */
  readonly arn: string;
  readonly region: string;
  readonly accountId: string;
  /** Every identifier trails or stores name it by (key ARN, alias ARN, `alias/x`, key id): the join key. */
  readonly configuredAs: readonly string[];
  /** Trails and event data stores (ARNs) encrypted with it. */
  readonly trailArns: readonly string[];
  readonly eventDataStoreArns: readonly string[];
  /** `kmsKeys` kind (DescribeKey): false = no such key (NotFoundException). */
  readonly exists?: Maybe<boolean>;
  /** `KeyState`: Enabled, Disabled, PendingDeletion, PendingImport, Unavailable, …; null when the key does not exist. */
  readonly keyState?: Maybe<string | null>;
  /** `KeyManager`: CUSTOMER or AWS. */
  readonly keyManager?: Maybe<string | null>;
  /** `KeySpec`: SYMMETRIC_DEFAULT, RSA_2048, … */
  readonly keySpec?: Maybe<string | null>;
  /** Alias names known for it (`alias/x`), from the configuration or ListAliases. */
  readonly aliases?: Maybe<readonly string[]>;
  /** `kmsKeyPolicies` kind: the key policy JSON text. */
  readonly policy?: Maybe<string | null>;
  /** `kmsKeyRotation` kind: automatic rotation; null = the key type cannot rotate (asymmetric, imported, custom store). */
  readonly rotationEnabled?: Maybe<boolean | null>;
}

export interface KmsKeyGap {
  readonly ref: ResourceRef;
  readonly $gap: UnknownDetail;
  readonly region: string;
  readonly [field: string]: unknown;
}

/**
 * A trail's view of its key (derived onto the trail as `kmsKey`, kinds/trails/derive.ts): the key's
 * facts plus whether its policy lets CloudTrail encrypt THIS trail's logs.
 */
export interface TrailKeyView {
  readonly arn: string;
  readonly exists?: Maybe<boolean>;
  readonly keyState?: Maybe<string | null>;
  readonly keyManager?: Maybe<string | null>;
  readonly rotationEnabled?: Maybe<boolean | null>;
  /** The key policy lets cloudtrail.amazonaws.com use the key (kms:GenerateDataKey*) for this trail. */
  readonly cloudTrailCanUse?: Maybe<boolean>;
  readonly policyExplanation?: string;
}
