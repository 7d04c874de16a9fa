/**
 * The bucket kinds' stage of the live collection plan (collect/live/plan.ts), shared by
 * `bucketPublicAccess` and `bucketLogging`: both read the same buckets, each bucket once however
 * many trails deliver to it, starting the moment the first trail naming it is listed.
 *
 * The account's own bucket list (ListBuckets) is asked for at once, in the audit's first round
 * trip; the account-level Block Public Access once, by the first owned bucket that needs it.
 */
import type { BucketFacts, BucketGap, Maybe, PublicAccessBlock } from '../../model.js';
import { bucketGap } from '../../gaps.js';
import { getAccountPublicAccessBlock } from '../../../collect/live/account.js';
import { stageKey, type Contribution, type LiveStage } from '../../../collect/live/plan.js';
import { compare } from '../trails/live.js';
import { TRAIL_LISTING } from '../trails/livePlan.js';
import { bucketFacts, collectBucket, type BucketEnvironment, type BucketPartial } from './live.js';
import { listOwnedBuckets } from './liveOwnership.js';

export const BUCKETS_STAGE: LiveStage = {
  key: stageKey('buckets'),
  dependsOn: [TRAIL_LISTING],
  start(context, input) {
    const { clients, scheduler, defaultRegion, needs } = context;
    const listing = input(TRAIL_LISTING);
    const owned = listOwnedBuckets(clients, scheduler, defaultRegion);
    context.onOwnedBuckets?.(owned);
    const tasks = new Map<string, Promise<BucketPartial>>();
    let accountBlock: Promise<Maybe<PublicAccessBlock | null>> | undefined;
    let environment: BucketEnvironment | undefined;
    // Built with the first trail: trails are handed on only once the account is known.
    const environmentFor = ({ accountId, partition }: { readonly accountId: string; readonly partition: string }): BucketEnvironment => {
      environment ??= {
        clients,
        scheduler,
        accountId,
        partition,
        defaultRegion,
        owned,
        publicAccess: needs.has('bucketPublicAccess'),
        logging: needs.has('bucketLogging'),
        accountPublicAccessBlock: async () => {
          accountBlock ??= getAccountPublicAccessBlock(clients, scheduler, defaultRegion, accountId);
          return accountBlock;
        },
      };
      return environment;
    };
    listing.sightings.each((sighting) => {
      const bucket = sighting.trail.S3BucketName;
      // A trail described in its owner account (an organization trail's shadow) has its bucket read there.
      if (bucket !== undefined && bucket !== '' && sighting.describedHere && !tasks.has(bucket)) {
        tasks.set(bucket, collectBucket(environmentFor(listing.scope()), bucket));
      }
    });
    const contribution = (async (): Promise<Contribution> => {
      const listed = await listing.result;
      await owned;
      if (listed === null) {
        return {};
      }
      const partials = await Promise.all(tasks.values());
      const env = environmentFor(listed.scope);
      const trailsByBucket = new Map<string, string[]>();
      for (const sighting of listed.sightings) {
        const bucket = sighting.trail.S3BucketName;
        if (bucket !== undefined && bucket !== '' && sighting.describedHere) {
          trailsByBucket.set(bucket, [...(trailsByBucket.get(bucket) ?? []), sighting.arn]);
        }
      }
      const items: (BucketFacts | BucketGap)[] = partials
        .map((partial) => bucketFacts(partial, trailsByBucket.get(partial.name) ?? [], env))
        .sort((a, b) => compare(a.name, b.name));
      // Trails homed in a Region that could not be listed deliver to buckets nobody has seen.
      for (const { region, error } of listed.failures) {
        items.push(bucketGap(region, error, listed.scope.accountId, listed.scope.partition));
      }
      // Started (if at all) by the first owned bucket, so awaiting it here adds no latency.
      const publicAccessBlock = await accountBlock;
      return { items: { collection: 'buckets', items }, ...(publicAccessBlock === undefined ? {} : { account: { publicAccessBlock } }) };
    })();
    return { contribution };
  },
};
