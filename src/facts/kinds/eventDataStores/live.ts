/**
 * CloudTrail Lake event data stores: ListEventDataStores per audited region (paginated), then one
 * GetEventDataStore per store ARN in the store's region — the listing's summary fields are
 * deprecated and do not carry the KMS key.
 *
 * A region whose listing fails becomes an {@link EventDataStoreGap}; "could not list" must not
 * read as "no stores" (which would make CloudTrail.10 NOT_APPLICABLE).
 */
import { GetEventDataStoreCommand, ListEventDataStoresCommand, type EventDataStore } from '@aws-sdk/client-cloudtrail';
import type { EventDataStoreFacts, Maybe } from '../../model.js';
import { parseArn } from '../../../collect/live/arn.js';
import type { ClientFactory } from '../../../collect/live/clients.js';
import { asUnknown } from '../../../collect/live/errors.js';
import { scheduledPages } from '../../../collect/live/pages.js';
import type { ApiScheduler, Outcome } from '../../../collect/live/scheduler.js';

export async function listEventDataStores(
  clients: ClientFactory,
  scheduler: ApiScheduler,
  region: string,
): Promise<Outcome<readonly EventDataStore[]>> {
  return scheduledPages(scheduler, { action: 'cloudtrail:ListEventDataStores', region }, async (token) => {
    const response = await clients.cloudTrail(region).send(new ListEventDataStoresCommand(token === undefined ? {} : { NextToken: token }));
    return { items: response.EventDataStores ?? [], nextToken: response.NextToken };
  });
}

export async function describeEventDataStore(
  clients: ClientFactory,
  scheduler: ApiScheduler,
  summary: EventDataStore & { readonly EventDataStoreArn: string },
  listedIn: string,
): Promise<EventDataStoreFacts> {
  const arn = summary.EventDataStoreArn;
  const region = parseArn(arn)?.region ?? listedIn;
  const summaryName = summary.Name ?? arn.slice(arn.lastIndexOf('/') + 1);
  const outcome = await scheduler.call(
    { action: 'cloudtrail:GetEventDataStore', region, resource: `event data store ${arn}` },
    async () => {
      const response = await clients.cloudTrail(region).send(new GetEventDataStoreCommand({ EventDataStore: arn }));
      // A copy, so that the reading below never depends on the SDK's output object.
      return { ...response };
    },
  );
  const accountId = parseArn(arn)?.accountId ?? null;
  const ref = { type: 'AWS::CloudTrail::EventDataStore', id: arn, name: summaryName, accountId, region };
  if (!outcome.ok) {
    const failed = asUnknown(outcome.error);
    return {
      ref,
      arn,
      name: summaryName,
      region,
      status: failed,
      kmsKeyId: failed,
      multiRegionEnabled: failed,
      organizationEnabled: failed,
    };
  }
  const store = outcome.value;
  const name = store.Name ?? summaryName;
  const optional = <T>(value: T | undefined): Maybe<T | null> => value ?? null;
  return {
    ref: { ...ref, name },
    arn,
    name,
    region,
    status: optional(store.Status),
    // Absent = encrypted with the Lake default (SSE-S3), which CloudTrail.10 fails.
    kmsKeyId: store.KmsKeyId === '' ? null : optional(store.KmsKeyId),
    multiRegionEnabled: optional(store.MultiRegionEnabled),
    organizationEnabled: optional(store.OrganizationEnabled),
  };
}

