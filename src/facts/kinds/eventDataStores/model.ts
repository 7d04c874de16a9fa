/** The event data store kind's part of the facts model (`$.eventDataStores`). */
import type { FactLocations, Maybe, ResourceRef, UnknownDetail } from '../../core.js';

/* ------------------------------------------------------------------ event data stores */

export interface EventDataStoreFacts {
  readonly ref: ResourceRef;
  readonly locations?: FactLocations;
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly status: Maybe<string | null>;
  readonly kmsKeyId: Maybe<string | null>;
  readonly multiRegionEnabled?: Maybe<boolean | null>;
  readonly organizationEnabled?: Maybe<boolean | null>;
  /**
   * Derived (derive.ts) when `eventDataStoreKeys` is collected: every identifier of the store's
   * key (as configured, key ARN, key id, alias names and alias ARNs), so that CloudTrail.10's
   * kmsKeyArns may list a key by key ARN or alias ARN; null = no key; Unknown when the key, or
   * any name it answers to, could not be read.
   */
  readonly kmsKeyIdentifiers?: Maybe<readonly string[] | null>;
}

export interface EventDataStoreGap {
  readonly ref: ResourceRef;
  readonly $gap: UnknownDetail;
  readonly region: string;
  readonly [field: string]: unknown;
}
