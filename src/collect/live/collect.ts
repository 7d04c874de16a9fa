/**
 * The live collector: reads what the enabled checks need from an AWS account (or an emulator)
 * and returns one normalised FactSet.
 *
 * Call plan (DESIGN §6), everything started as soon as its inputs are known (each kind's stage,
 * src/facts/kinds/<subject>/livePlan.ts, run by plan.ts):
 *   GetCallerIdentity ‖ DescribeRegions (unless --regions) ‖ ListBuckets (bucket needs)
 *   → DescribeTrails per region ‖ ListEventDataStores per region
 *   → per new trail, in its home region: GetTrailStatus ‖ GetEventSelectors; ListTags per home
 *     region once that region is listed (≤ 20 ARNs a call); per new bucket: GetBucketLocation
 *     (if needed) → bucket calls in the bucket's region, account Block Public Access once
 *   → GetEventDataStore per store;
 *   per new trail's log group (audited account only): DescribeLogGroups ‖ DescribeMetricFilters
 *     (multi-Region trails) ‖ DescribeAlarms once per such group's Region → ListSubscriptionsByTopic
 *     once per topic an alarm on a filter's metric notifies (kinds/logMonitoring/livePlan.ts).
 */
import type { AccountFacts, FactCollection, FactNeed, FactSet, RegionFacts } from '../../facts/model.js';
import { COLLECTIONS, FACT_KINDS, needsReadBy, withDependencies } from '../../facts/kinds/index.js';
import { compare } from '../../facts/kinds/trails/live.js';
import { deriveFacts } from '../../facts/derive.js';
import { discoverRegions, getIdentity, identityFailure, inPartition, type Identity } from './account.js';
import { ClientFactory, resolveDefaultRegion, type CredentialsInput } from './clients.js';
import { resolveCredentials } from './credentials.js';
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from './requestHandler.js';
import { CollectionError } from './errors.js';
import { runPlan, type AccountScope, type LiveStage, type PlanContext } from './plan.js';
import { RunStop } from './runStop.js';
import { ApiScheduler, ok, type Progress } from './scheduler.js';

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

/**
 * Requests in flight by default. Measured (npm run bench, large shape: 1,625 calls, 17 Regions,
 * medians of 3): 32 and 64 took the same time at 0 and 50 ms added latency (4.15 / 4.08 s and
 * 4.41 / 4.27 s wall), and at 200 ms 64 took 6.09 s against 32's 11.31 s (0.54×), with the same
 * calls: the per-endpoint cap below, not this one, bounds the load on any one AWS endpoint.
 */
export const DEFAULT_CONCURRENCY = 64;
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
    // Facts derived across collections (a trail's bucket, log group and key health) need every
    // collection in; deriving here keeps a saved snapshot equal to its re-derivation.
    return deriveFacts({
      schemaVersion: 1,
      source: 'live',
      collectedAt: new Date(started).toISOString(),
      ...collected,
      stats: { apiCalls: scheduler.apiCalls(), durationMs: Date.now() - started },
    });
  } finally {
    stop.dispose();
    clients.destroy();
  }
}

/** What one account's collection runs with (collectLive builds it; an organization audit, one per account). */
export interface Environment {
  readonly clients: ClientFactory;
  readonly scheduler: ApiScheduler;
  readonly defaultRegion: string;
  readonly needs: ReadonlySet<FactNeed>;
  readonly endpointUrl: string | undefined;
  readonly stop: RunStop;
  readonly notice: (message: string) => void;
  /**
   * Every account the audit covers (an organization audit's list, shards included); undefined =
   * this account only. A trail another of them owns is described there, not here.
   */
  readonly inScope?: ReadonlySet<string>;
  readonly onOwnedBuckets?: PlanContext['onOwnedBuckets'];
  /**
   * The account's identity when the caller has read it already (an organization audit reads its
   * own before discovery): not asked again, one sts:GetCallerIdentity per account.
   */
  readonly identity?: Identity;
}

export type Collected = Omit<FactSet, 'schemaVersion' | 'source' | 'collectedAt' | 'stats'>;

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

/** The live stages of the kinds needed, in registry order (both bucket kinds share one stage). */
async function liveStages(needs: ReadonlySet<FactNeed>): Promise<LiveStage[]> {
  const kinds = FACT_KINDS.filter((kind) => needs.has(kind.need));
  const stages = await Promise.all(kinds.map(async (kind) => kind.live?.()));
  return stages.filter((stage): stage is LiveStage => stage !== undefined);
}

/**
 * One account's facts, by the collection plan (plan.ts). The first round trip asks for the
 * identity, the Regions (unless --regions) and whatever a stage can ask for without them (the
 * account's bucket list) at once; each stage then reads as soon as its inputs arrive.
 *
 * The plan is per account, with the account's own clients; the scheduler is the audit's. A
 * single-account audit's scope is that account: a trail another account owns (an organization
 * trail seen from a member) is not in scope. An organization audit passes its whole list.
 */
export async function collect(env: Environment, requestedRegions: readonly string[] | undefined): Promise<Collected> {
  const { clients, scheduler, defaultRegion, needs } = env;
  const stages = await liveStages(needs);

  const identityRead = env.identity === undefined ? getIdentity(clients, scheduler, defaultRegion) : Promise.resolve(ok(env.identity));
  const identityTask = identityRead.then((outcome) => {
    if (!outcome.ok) {
      // Nothing can be reported without the account: stop waiting for anything else.
      env.stop.stop(new CollectionError('the identity could not be read'));
    }
    return outcome;
  });
  const scope = identityTask.then((outcome): AccountScope | null =>
    outcome.ok ? { accountId: outcome.value.accountId, partition: outcome.value.partition, inScope: env.inScope ?? new Set([outcome.value.accountId]) } : null,
  );
  let settleRegions: { resolve: (regions: readonly string[]) => void; reject: (error: unknown) => void } = { resolve: () => undefined, reject: () => undefined };
  const regionsTask = new Promise<readonly string[]>((resolve, reject) => {
    settleRegions = { resolve, reject };
  });
  // Its failure is reported below; a plan with no stage waiting on it must not see it unhandled.
  regionsTask.catch(() => undefined);
  // Stages that need no Region (the bucket list) start now, in the same round trip as the identity.
  const plan = runPlan(stages, {
    clients,
    scheduler,
    defaultRegion,
    needs,
    identity: identityTask,
    regions: regionsTask,
    scope,
    ...(env.onOwnedBuckets === undefined ? {} : { onOwnedBuckets: env.onOwnedBuckets }),
  });
  let regions: string[];
  try {
    regions = requestedRegions === undefined ? await discoverRegions(clients, scheduler, defaultRegion, identityTask, env.notice) : [...new Set(requestedRegions)];
  } catch (error) {
    settleRegions.reject(error);
    // Every stage settles (no call left in flight) before the discovery's own error is reported.
    await plan.catch(() => undefined);
    throw error;
  }
  settleRegions.resolve(regions);

  const [identityOutcome, planned] = await Promise.all([identityTask, plan]);
  if (!identityOutcome.ok) {
    throw identityFailure(identityOutcome, defaultRegion, env.endpointUrl);
  }
  const { accountId, partition, arn } = identityOutcome.value;
  refuseForeignPartitions(regions, partition, arn);

  const publicAccessBlock = planned.account?.publicAccessBlock;
  const account: AccountFacts = {
    ref: { type: 'AWS::::Account', id: accountId, accountId, region: 'global' },
    id: accountId,
    partition,
    ...(arn === '' ? {} : { principalArn: arn }),
    regionSelection: requestedRegions === undefined ? 'enabled' : 'requested',
    ...(publicAccessBlock === undefined ? {} : { publicAccessBlock }),
  };
  const regionFacts: RegionFacts[] = [...regions].sort(compare).map((name) => ({
    ref: { type: 'AWS::::Account', id: accountId, accountId, region: name },
    name,
  }));
  // The stages build these collections' items from the facts model's own types.
  const items = <C extends FactCollection>(collection: C): FactSet[C] => (planned.collections.get(collection) ?? []) as FactSet[C];
  const collected = needsReadBy('live').filter((need) => needs.has(need));
  // An optional collection is written exactly when one of its kinds was read (empty or not).
  const optionalCollections = Object.fromEntries(
    COLLECTIONS.filter(
      (collection) => collection.optional === true && FACT_KINDS.some((kind) => kind.collection === collection.name && collected.includes(kind.need)),
    ).map((collection) => [collection.name, items(collection.name)]),
  );
  return {
    collected,
    accounts: [accountId],
    account,
    regions: regionFacts,
    trails: items('trails'),
    buckets: items('buckets'),
    eventDataStores: items('eventDataStores'),
    ...optionalCollections,
  };
}
