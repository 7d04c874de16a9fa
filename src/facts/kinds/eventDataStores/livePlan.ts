/**
 * The event data store kind's stage of the live collection plan (collect/live/plan.ts):
 * ListEventDataStores per audited Region as soon as the Regions are known, and GetEventDataStore
 * once per store as its first listing shows it (a multi-Region or organization store is listed
 * in several Regions). A Region whose listing fails is a gap, never "no stores".
 */
import type { EventDataStoreFacts, EventDataStoreGap, UnknownDetail } from '../../model.js';
import { eventDataStoreGap } from '../../gaps.js';
import { stageKey, type Contribution, type LiveStage } from '../../../collect/live/plan.js';
import { compare } from '../trails/live.js';
import { describeEventDataStore, listEventDataStores } from './live.js';

export const EVENT_DATA_STORES_STAGE: LiveStage = {
  key: stageKey('eventDataStores'),
  dependsOn: [],
  start(context) {
    const { clients, scheduler } = context;
    const contribution = (async (): Promise<Contribution> => {
      const regions = await context.regions;
      const stores = new Map<string, Promise<EventDataStoreFacts>>();
      const failures: { readonly region: string; readonly error: UnknownDetail }[] = [];
      await Promise.all(
        regions.map(async (region) => {
          const outcome = await listEventDataStores(clients, scheduler, region);
          if (!outcome.ok) {
            failures.push({ region, error: outcome.error });
            return;
          }
          for (const summary of outcome.value) {
            const arn = summary.EventDataStoreArn;
            if (arn !== undefined && arn !== '' && !stores.has(arn)) {
              stores.set(arn, describeEventDataStore(clients, scheduler, { ...summary, EventDataStoreArn: arn }, region));
            }
          }
        }),
      );
      const items: (EventDataStoreFacts | EventDataStoreGap)[] = await Promise.all(stores.values());
      const scope = await context.scope;
      if (scope === null) {
        return {};
      }
      for (const { region, error } of failures) {
        items.push(eventDataStoreGap(region, error, scope.accountId, scope.partition));
      }
      return { items: { collection: 'eventDataStores', items: items.sort((a, b) => compare(a.ref.id, b.ref.id)) } };
    })();
    return { contribution };
  },
};
