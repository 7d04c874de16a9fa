/**
 * The trail kinds' stages of the live collection plan (collect/live/plan.ts).
 *
 * `trails` lists every audited Region (DescribeTrails) as soon as the Regions are known, and hands
 * on each trail the first time a listing shows it (deduplicated by ARN). The detail stages start
 * on each trail as it appears, in its home Region: GetTrailStatus; GetEventSelectors (only for a
 * trail that is, or may be, multi-Region); ListTags batched per home Region (≤ 20 ARNs a call),
 * sent once that Region's own listing is in (it shows every trail of the account homed there).
 */
import { unknown, type TrailFacts, type TrailGap, type Unknown, type UnknownDetail } from '../../model.js';
import { trailGap } from '../../gaps.js';
import { ItemStream, stageKey, type AccountScope, type Contribution, type LiveStage, type PlanContext, type StageOutput } from '../../../collect/live/plan.js';
import { compare, describeTrails, trailBaseFacts, TrailRegistry, type TrailSighting } from './live.js';
import { getEventSelectors, getTrailStatus, listTags, singleRegionSelectors, type SelectorFacts, type StatusFacts, type TagFacts } from './liveDetails.js';

export interface RegionFailure {
  readonly region: string;
  readonly error: UnknownDetail;
}

/** What the trail listing hands on. */
export interface TrailListing extends StageOutput {
  /** Each trail once, when a listing first shows it. */
  readonly sightings: ItemStream<TrailSighting>;
  /** Each Region once its listing has been handed on. */
  readonly listedRegions: ItemStream<string>;
  /** The account scope the trails were listed with; known before the first trail is handed on. */
  scope(): AccountScope;
  /** When all Regions are listed: every trail (by ARN) and the Regions that could not be listed; null without an identity. */
  readonly result: Promise<{ readonly sightings: readonly TrailSighting[]; readonly failures: readonly RegionFailure[]; readonly scope: AccountScope } | null>;
}

export const TRAIL_LISTING = stageKey<TrailListing>('trails');

export const TRAILS_STAGE: LiveStage<TrailListing> = {
  key: TRAIL_LISTING,
  dependsOn: [],
  start(context: PlanContext): TrailListing {
    const sightings = new ItemStream<TrailSighting>();
    const listedRegions = new ItemStream<string>();
    let known: AccountScope | undefined;
    const result = (async () => {
      try {
        const regions = await context.regions;
        // Listings start at once; handing them on waits for the identity (asked at the same time).
        const listings = regions.map((region) => ({ region, listing: describeTrails(context.clients, context.scheduler, region) }));
        const scope = await context.scope;
        if (scope === null) {
          await Promise.all(listings.map(async ({ listing }) => listing));
          return null;
        }
        known = scope;
        const registry = new TrailRegistry(scope);
        const failures: RegionFailure[] = [];
        await Promise.all(
          listings.map(async ({ region, listing }) => {
            const outcome = await listing;
            if (!outcome.ok) {
              failures.push({ region, error: outcome.error });
              return;
            }
            for (const trail of outcome.value) {
              const sighting = registry.add(region, trail);
              if (sighting !== null) {
                sightings.push(sighting);
              }
            }
            listedRegions.push(region);
          }),
        );
        return { sightings: registry.all(), failures: failures.sort((a, b) => compare(a.region, b.region)), scope };
      } finally {
        sightings.close();
        listedRegions.close();
      }
    })();
    const contribution = (async (): Promise<Contribution> => {
      const listed = await result;
      if (listed === null) {
        return {};
      }
      const { accountId, partition } = listed.scope;
      const items: (TrailFacts | TrailGap)[] = listed.sightings.map(trailBaseFacts);
      const listedCount = (await context.regions).length - listed.failures.length;
      for (const { region, error } of listed.failures) {
        items.push(trailGap(region, error, accountId, partition, listedCount > 0));
      }
      items.sort((a, b) => compare(a.ref.id, b.ref.id));
      return { items: { collection: 'trails', items } };
    })();
    const scope = (): AccountScope => {
      if (known === undefined) {
        throw new Error('internal: the trail listing was read before the account was known');
      }
      return known;
    };
    return { sightings, listedRegions, scope, result, contribution };
  },
};

/** A detail read once per trail as it appears; its facts are added to the trail. */
function perTrailStage(name: string, read: (context: PlanContext, sighting: TrailSighting) => Promise<object>): LiveStage {
  return {
    key: stageKey(name),
    dependsOn: [TRAIL_LISTING],
    start(context, input) {
      const listing = input(TRAIL_LISTING);
      const tasks = new Map<string, Promise<object>>();
      listing.sightings.each((sighting) => {
        tasks.set(sighting.arn, read(context, sighting));
      });
      return { contribution: fieldsOf(listing, tasks) };
    },
  };
}

async function fieldsOf(listing: TrailListing, tasks: ReadonlyMap<string, Promise<object>>): Promise<Contribution> {
  await listing.sightings.done;
  const byId = new Map<string, object>();
  for (const [arn, task] of tasks) {
    byId.set(arn, await task);
  }
  return { fields: { collection: 'trails', byId } };
}

export const TRAIL_STATUS_STAGE = perTrailStage('trailStatus', async (context, sighting): Promise<StatusFacts> => {
  if (!sighting.describedHere) {
    const gap = describedInOwner(sighting, 'cloudtrail:GetTrailStatus');
    return { isLogging: gap, status: gap };
  }
  return getTrailStatus(context.clients, context.scheduler, sighting);
});

export const EVENT_SELECTORS_STAGE = perTrailStage('eventSelectors', async (context, sighting): Promise<SelectorFacts> => {
  if (!sighting.describedHere) {
    const gap = describedInOwner(sighting, 'cloudtrail:GetEventSelectors');
    return { eventSelectors: gap, managementEvents: gap };
  }
  // Only a multi-Region trail can satisfy CloudTrail.1, the one check that reads selectors.
  return sighting.trail.IsMultiRegionTrail === false ? singleRegionSelectors(sighting) : getEventSelectors(context.clients, context.scheduler, sighting);
});

/**
 * A detail of a trail another audited account owns (an organization trail seen from a member):
 * not read here, where it would be read again for every member, but once in its owner account;
 * merging the accounts' facts replaces this copy with the owner's.
 */
function describedInOwner(sighting: TrailSighting, operation: 'cloudtrail:GetTrailStatus' | 'cloudtrail:GetEventSelectors' | 'cloudtrail:ListTags'): Unknown {
  return unknown('cross_account', `Trail ${sighting.name} is described in its owner account ${sighting.ownerAccountId}, which this audit covers.`, {
    operation,
    region: sighting.homeRegion,
    account: sighting.ownerAccountId,
  });
}

export const TRAIL_TAGS_STAGE: LiveStage = {
  key: stageKey('trailTags'),
  dependsOn: [TRAIL_LISTING],
  start(context, input) {
    const listing = input(TRAIL_LISTING);
    const pending = new Map<string, string[]>();
    const batches: Promise<Map<string, TagFacts>>[] = [];
    const flush = (homeRegion: string): void => {
      const arns = pending.get(homeRegion);
      pending.delete(homeRegion);
      if (arns !== undefined && arns.length > 0) {
        batches.push(listTags(context.clients, context.scheduler, homeRegion, arns));
      }
    };
    // Only this account's own trails: another account's are tagged (and tag checks apply) there.
    const ownTrail = (sighting: TrailSighting): boolean => sighting.ownerAccountId === listing.scope().accountId;
    listing.sightings.each((sighting) => {
      if (ownTrail(sighting)) {
        pending.set(sighting.homeRegion, [...(pending.get(sighting.homeRegion) ?? []), sighting.arn]);
      }
    });
    // Every trail of this account homed in the Region is in its listing: tag them in as few batches as possible.
    listing.listedRegions.each(flush);
    const contribution = (async (): Promise<Contribution> => {
      const sightings = await listing.sightings.done;
      // Trails homed in Regions that were not audited or could not be listed.
      for (const homeRegion of [...pending.keys()]) {
        flush(homeRegion);
      }
      const tags = new Map<string, TagFacts>();
      for (const map of await Promise.all(batches)) {
        for (const [arn, facts] of map) {
          tags.set(arn, facts);
        }
      }
      const byId = new Map<string, object>();
      for (const sighting of sightings) {
        const facts = ownTrail(sighting) ? tags.get(sighting.arn) : sighting.describedHere ? foreignTrailTags(sighting) : describedInOwnerTags(sighting);
        if (facts !== undefined) {
          byId.set(sighting.arn, facts);
        }
      }
      return { fields: { collection: 'trails', byId } };
    })();
    return { contribution };
  },
};

function describedInOwnerTags(sighting: TrailSighting): TagFacts {
  const gap = describedInOwner(sighting, 'cloudtrail:ListTags');
  return { tags: gap, userTagKeys: gap };
}

/** Tags of another account's trail are read, and tag checks apply, in that account. */
function foreignTrailTags(sighting: TrailSighting): TagFacts {
  const gap = unknown(
    'cross_account',
    `Trail ${sighting.name} belongs to account ${sighting.ownerAccountId}${
      sighting.trail.IsOrganizationTrail === true ? ' (organization trail)' : ''
    }; its tags are read, and tag checks apply, in that account.`,
    { operation: 'cloudtrail:ListTags', region: sighting.homeRegion, account: sighting.ownerAccountId },
  );
  return { tags: gap, userTagKeys: gap };
}
