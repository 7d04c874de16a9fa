/**
 * The live collector: reads what the enabled checks need from an AWS account (or an emulator)
 * and returns one normalised FactSet.
 *
 * Call plan (DESIGN §6), everything started as soon as its inputs are known:
 *   GetCallerIdentity ‖ DescribeRegions (unless --regions) ‖ ListBuckets (bucket needs)
 *   → DescribeTrails per region ‖ ListEventDataStores per region
 *   → per new trail, in its home region: GetTrailStatus ‖ GetEventSelectors; ListTags per home
 *     region once that region is listed (≤ 20 ARNs a call); per new bucket: GetBucketLocation
 *     (if needed) → bucket calls in the bucket's region, account Block Public Access once
 *   → GetEventDataStore per store.
 */
import type {
  AccountFacts,
  BucketFacts,
  BucketGap,
  EventDataStoreFacts,
  EventDataStoreGap,
  FactNeed,
  FactSet,
  PublicAccessBlock,
  Maybe,
  RegionFacts,
  TrailFacts,
  TrailGap,
  UnknownDetail,
} from '../../facts/model.js';
import { unknown } from '../../facts/model.js';
import { needsReadBy, withDependencies } from '../../facts/kinds/index.js';
import { bucketGap, eventDataStoreGap, trailGap } from '../../facts/gaps.js';
import { discoverRegions, getAccountPublicAccessBlock, getIdentity, identityFailure, inPartition, type Identity } from './account.js';
import { listOwnedBuckets, type OwnedBuckets } from '../../facts/kinds/buckets/liveOwnership.js';
import { bucketFacts, collectBucket, type BucketEnvironment, type BucketPartial } from '../../facts/kinds/buckets/live.js';
import { ClientFactory, resolveDefaultRegion, type CredentialsInput } from './clients.js';
import { resolveCredentials } from './credentials.js';
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from './requestHandler.js';
import { CollectionError } from './errors.js';
import { RunStop } from './runStop.js';
import { describeEventDataStore, listEventDataStores } from '../../facts/kinds/eventDataStores/live.js';
import { ApiScheduler, type Outcome, type Progress } from './scheduler.js';
import { getEventSelectors, getTrailStatus, listTags, singleRegionSelectors, type SelectorFacts, type StatusFacts, type TagFacts } from '../../facts/kinds/trails/liveDetails.js';
import { compare, describeTrails, trailBaseFacts, TrailRegistry, type TrailSighting } from '../../facts/kinds/trails/live.js';

export interface LiveCollectOptions {
  readonly needs: ReadonlySet<FactNeed>;
  /** undefined = every region enabled for the account (discovered with ec2:DescribeRegions). */
  readonly regions?: readonly string[];
  readonly profile?: string;
  /** Also taken from AWS_ENDPOINT_URL when not given. */
  readonly endpointUrl?: string;
  /** Max requests in flight overall (default 32). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: Progress) => void;
  /**
   * Explicit credentials instead of the standard chain (tests, demos against an emulator: the
   * chain would otherwise probe the instance metadata service before giving up).
   */
  readonly credentials?: CredentialsInput;
  /** SDK attempts per call, first try included (default 5); throttled calls back off in between. */
  readonly maxAttempts?: number;
  /** Per-attempt connect and response timeouts; each unset one is {@link DEFAULT_HTTP_TIMEOUTS}'s. */
  readonly httpTimeouts?: Partial<HttpTimeouts>;
  /**
   * Deadline for the whole collection (--timeout), in seconds; undefined = none. When it passes,
   * calls not answered yet are abandoned and their facts are UNKNOWN(timeout).
   */
  readonly timeoutSeconds?: number;
  /** Things the user should know that are not facts (Regions left out, the deadline reached). */
  readonly onNotice?: (message: string) => void;
}

export const DEFAULT_CONCURRENCY = 32;
/** Cap per (service, region) endpoint. */
export const PER_ENDPOINT_CONCURRENCY = 10;
export const DEFAULT_MAX_ATTEMPTS = 5;

/** The needs actually gathered: each with the kinds it depends on (any trail or bucket need lists trails). */
export function expandNeeds(needs: ReadonlySet<FactNeed>): ReadonlySet<FactNeed> {
  return withDependencies(needs);
}

function endpointFromEnvironment(): string | undefined {
  const value = process.env.AWS_ENDPOINT_URL;
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export async function collectLive(options: LiveCollectOptions): Promise<FactSet> {
  const started = Date.now();
  const endpointUrl = options.endpointUrl ?? endpointFromEnvironment();
  const timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.httpTimeouts };
  const credentials = options.credentials ?? (await resolveCredentials(options.profile, endpointUrl, timeouts));
  const defaultRegion = await resolveDefaultRegion(options.profile);
  const stop = new RunStop(options.timeoutSeconds);
  const clients = new ClientFactory({
    credentials,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    deadline: stop.signal,
    timeouts,
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  const scheduler = new ApiScheduler({
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    perEndpointConcurrency: PER_ENDPOINT_CONCURRENCY,
    stop: stop.signal,
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const notice = options.onNotice ?? (() => undefined);
  try {
    const collected = await collect(
      { clients, scheduler, defaultRegion, needs: expandNeeds(options.needs), endpointUrl, stop, notice },
      options.regions,
    );
    const deadline = stop.deadlineReached();
    if (deadline !== undefined) {
      notice(
        `the --timeout of ${String(deadline.seconds)} s passed before every AWS call was answered; ` +
          'the facts not read by then are UNKNOWN (timeout) in the reports.',
      );
    }
    return {
      schemaVersion: 1,
      source: 'live',
      collectedAt: new Date(started).toISOString(),
      ...collected,
      stats: { apiCalls: scheduler.apiCalls(), durationMs: Date.now() - started },
    };
  } finally {
    stop.dispose();
    clients.destroy();
  }
}

interface Environment {
  readonly clients: ClientFactory;
  readonly scheduler: ApiScheduler;
  readonly defaultRegion: string;
  readonly needs: ReadonlySet<FactNeed>;
  readonly endpointUrl: string | undefined;
  readonly stop: RunStop;
  readonly notice: (message: string) => void;
}

type Collected = Omit<FactSet, 'schemaVersion' | 'source' | 'collectedAt' | 'stats'>;

/**
 * A Region named in --regions that lies in another partition (cn-north-1 for an `aws` caller)
 * cannot be read with these credentials, and no trail of this partition can cover it: checked
 * once the identity is known (after the first round trip, so it costs no wait), bad usage.
 */
function refuseForeignPartitions(regions: readonly string[], partition: string, arn: string): void {
  const foreign = regions.filter((name) => !inPartition(name, partition));
  if (foreign.length > 0) {
    throw new CollectionError(
      `--regions names ${foreign.join(', ')}, outside the partition of the caller (${partition}, ${arn}); ` +
        'a Region is audited with credentials of its own partition (aws-cn, aws-us-gov, …), in a separate run.',
    );
  }
}

async function collect(env: Environment, requestedRegions: readonly string[] | undefined): Promise<Collected> {
  const { clients, scheduler, defaultRegion, needs } = env;
  const needBuckets = needs.has('bucketPublicAccess') || needs.has('bucketLogging');

  // Independent first round trip: identity, regions, the account's own bucket list.
  const identityTask = getIdentity(clients, scheduler, defaultRegion).then((outcome) => {
    if (!outcome.ok) {
      // Nothing can be reported without the account: stop waiting for anything else.
      env.stop.stop(new CollectionError('the identity could not be read'));
    }
    return outcome;
  });
  const ownedTask = needBuckets ? listOwnedBuckets(clients, scheduler, defaultRegion) : null;
  let regions: string[];
  if (requestedRegions === undefined) {
    try {
      regions = await discoverRegions(clients, scheduler, defaultRegion, identityTask, env.notice);
    } finally {
      await ownedTask;
    }
  } else {
    regions = [...new Set(requestedRegions)];
  }

  const trailsTask = needs.has('trails') ? collectTrails(env, regions, identityTask, ownedTask) : Promise.resolve(null);
  const storesTask = needs.has('eventDataStores') ? collectStores(env, regions, identityTask) : Promise.resolve(null);
  const [identityOutcome, trailResult, stores] = await Promise.all([identityTask, trailsTask, storesTask]);
  if (!identityOutcome.ok) {
    throw identityFailure(identityOutcome, defaultRegion, env.endpointUrl);
  }
  const { accountId, partition, arn } = identityOutcome.value;
  refuseForeignPartitions(regions, partition, arn);

  const account: AccountFacts = {
    ref: { type: 'AWS::::Account', id: accountId, accountId, region: 'global' },
    id: accountId,
    partition,
    ...(arn === '' ? {} : { principalArn: arn }),
    ...(trailResult?.accountPublicAccessBlock === undefined ? {} : { publicAccessBlock: trailResult.accountPublicAccessBlock }),
  };
  const regionFacts: RegionFacts[] = [...regions].sort(compare).map((name) => ({
    ref: { type: 'AWS::::Account', id: accountId, accountId, region: name },
    name,
  }));
  return {
    collected: needsReadBy('live').filter((need) => needs.has(need)),
    account,
    regions: regionFacts,
    trails: trailResult?.trails ?? [],
    buckets: trailResult?.buckets ?? [],
    eventDataStores: stores ?? [],
  };
}

interface TrailResult {
  readonly trails: readonly (TrailFacts | TrailGap)[];
  readonly buckets: readonly (BucketFacts | BucketGap)[];
  readonly accountPublicAccessBlock?: Maybe<PublicAccessBlock | null>;
}

async function collectTrails(
  env: Environment,
  regions: readonly string[],
  identityTask: Promise<Outcome<Identity>>,
  ownedTask: Promise<Outcome<OwnedBuckets>> | null,
): Promise<TrailResult | null> {
  const { clients, scheduler, needs, defaultRegion } = env;
  // Listings start at once; processing them waits for the identity (started at the same time).
  const listings = regions.map((region) => ({ region, listing: describeTrails(clients, scheduler, region) }));
  const identity = await identityTask;
  if (!identity.ok) {
    await Promise.all(listings.map(async ({ listing }) => listing));
    await ownedTask;
    return null;
  }
  const { accountId, partition } = identity.value;
  const registry = new TrailRegistry(accountId, partition);

  const statusTasks = new Map<string, Promise<StatusFacts>>();
  const selectorTasks = new Map<string, Promise<SelectorFacts>>();
  const tagTasks: Promise<Map<string, TagFacts>>[] = [];
  const pendingTags = new Map<string, string[]>();
  const bucketTasks = new Map<string, Promise<BucketPartial>>();
  const failures: { readonly region: string; readonly error: UnknownDetail }[] = [];

  let accountBlockTask: Promise<Maybe<PublicAccessBlock | null>> | undefined;
  const bucketEnv: BucketEnvironment | null =
    ownedTask === null
      ? null
      : {
          clients,
          scheduler,
          accountId,
          partition,
          defaultRegion,
          owned: ownedTask,
          publicAccess: needs.has('bucketPublicAccess'),
          logging: needs.has('bucketLogging'),
          accountPublicAccessBlock: async () => {
            accountBlockTask ??= getAccountPublicAccessBlock(clients, scheduler, defaultRegion, accountId);
            return accountBlockTask;
          },
        };

  const flushTags = (homeRegion: string): void => {
    const arns = pendingTags.get(homeRegion);
    pendingTags.delete(homeRegion);
    if (arns !== undefined && arns.length > 0) {
      tagTasks.push(listTags(clients, scheduler, homeRegion, arns));
    }
  };

  const startDetails = (sighting: TrailSighting): void => {
    if (needs.has('trailStatus')) {
      statusTasks.set(sighting.arn, getTrailStatus(clients, scheduler, sighting));
    }
    if (needs.has('eventSelectors')) {
      selectorTasks.set(
        sighting.arn,
        sighting.trail.IsMultiRegionTrail === false
          ? Promise.resolve(singleRegionSelectors(sighting))
          : getEventSelectors(clients, scheduler, sighting),
      );
    }
    if (needs.has('trailTags') && sighting.ownerInScope) {
      const pending = pendingTags.get(sighting.homeRegion) ?? [];
      pending.push(sighting.arn);
      pendingTags.set(sighting.homeRegion, pending);
    }
    const bucket = sighting.trail.S3BucketName;
    if (bucketEnv !== null && bucket !== undefined && bucket !== '' && !bucketTasks.has(bucket)) {
      bucketTasks.set(bucket, collectBucket(bucketEnv, bucket));
    }
  };

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
          startDetails(sighting);
        }
      }
      // Every trail of this account homed in `region` is in this listing, so its tags can be
      // fetched now in as few batches as possible.
      flushTags(region);
    }),
  );
  // Trails homed in regions that were not audited or could not be listed.
  for (const homeRegion of [...pendingTags.keys()]) {
    flushTags(homeRegion);
  }

  const [tagMaps, bucketPartials, accountPublicAccessBlock] = await Promise.all([
    Promise.all(tagTasks),
    Promise.all(bucketTasks.values()),
    // Started (if at all) by the first owned bucket, so awaiting it here adds no latency.
    (async () => {
      await Promise.all(bucketTasks.values());
      return accountBlockTask;
    })(),
  ]);
  const tags = new Map<string, TagFacts>();
  for (const map of tagMaps) {
    for (const [arn, facts] of map) {
      tags.set(arn, facts);
    }
  }

  const sightings = registry.all();
  const trails: (TrailFacts | TrailGap)[] = [];
  for (const sighting of sightings) {
    const status = await statusTasks.get(sighting.arn);
    const selectors = await selectorTasks.get(sighting.arn);
    let tagFacts: TagFacts | undefined;
    if (needs.has('trailTags')) {
      tagFacts = sighting.ownerInScope ? tags.get(sighting.arn) : foreignTrailTags(sighting);
    }
    trails.push({ ...trailBaseFacts(sighting), ...status, ...selectors, ...tagFacts });
  }
  const listedRegions = regions.length - failures.length;
  for (const { region, error } of failures.sort((a, b) => compare(a.region, b.region))) {
    trails.push(trailGap(region, error, accountId, partition, listedRegions > 0));
  }
  trails.sort((a, b) => compare(a.ref.id, b.ref.id));

  const trailsByBucket = new Map<string, string[]>();
  for (const sighting of sightings) {
    const bucket = sighting.trail.S3BucketName;
    if (bucket !== undefined && bucket !== '') {
      trailsByBucket.set(bucket, [...(trailsByBucket.get(bucket) ?? []), sighting.arn]);
    }
  }
  const buckets: (BucketFacts | BucketGap)[] =
    bucketEnv === null
      ? []
      : bucketPartials
          .map((partial) => bucketFacts(partial, trailsByBucket.get(partial.name) ?? [], bucketEnv))
          .sort((a, b) => compare(a.name, b.name));
  if (bucketEnv !== null) {
    // Trails homed in a region that could not be listed deliver to buckets nobody has seen.
    for (const { region, error } of failures.sort((a, b) => compare(a.region, b.region))) {
      buckets.push(bucketGap(region, error, accountId, partition));
    }
  }

  return {
    trails,
    buckets,
    ...(accountPublicAccessBlock === undefined ? {} : { accountPublicAccessBlock }),
  };
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

async function collectStores(
  env: Environment,
  regions: readonly string[],
  identityTask: Promise<Outcome<Identity>>,
): Promise<readonly (EventDataStoreFacts | EventDataStoreGap)[] | null> {
  const { clients, scheduler } = env;
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
        // A multi-region or organization store may be listed in several regions: read it once.
        if (arn !== undefined && arn !== '' && !stores.has(arn)) {
          stores.set(arn, describeEventDataStore(clients, scheduler, { ...summary, EventDataStoreArn: arn }, region));
        }
      }
    }),
  );
  const identity = await identityTask;
  if (!identity.ok) {
    return null;
  }
  const { accountId, partition } = identity.value;
  const items: (EventDataStoreFacts | EventDataStoreGap)[] = await Promise.all(stores.values());
  for (const { region, error } of failures) {
    items.push(eventDataStoreGap(region, error, accountId, partition));
  }
  return items.sort((a, b) => compare(a.ref.id, b.ref.id));
}
