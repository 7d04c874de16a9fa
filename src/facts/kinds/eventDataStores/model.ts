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
}

export interface EventDataStoreGap {
  readonly ref: ResourceRef;
  readonly $gap: UnknownDetail;
  readonly region: string;
  readonly [field: string]: unknown;
}
