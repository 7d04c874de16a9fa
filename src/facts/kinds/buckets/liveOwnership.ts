/**
 * Whose is a trail's log bucket?
 *
 * Ownership comes first, from two signals: a bucket is ours only when it is in the account's own
 * ListBuckets AND the ExpectedBucketOwner probe agrees (every bucket call passes
 * ExpectedBucketOwner = the audited account; on AWS a bucket of another account answers 403). One
 * signal is not enough: an endpoint that ignores ExpectedBucketOwner (moto does) answers for any
 * bucket, and a foreign public bucket would then be judged with OUR account's Block Public Access
 * and pass. A bucket in another account (centralised logging, organization trails) is not ours to
 * judge: its facts are UNKNOWN(cross_account), never "not public" and never "public" (PEERS §4.2).
 * When ListBuckets is denied, ownership cannot be established: UNKNOWN(access_denied) naming
 * s3:ListAllMyBuckets. A bucket that no longer exists is UNKNOWN(not_found): delivery is broken and
 * anyone could claim the name.
 */
import { GetBucketLocationCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import type { UnknownDetail } from '../../model.js';
import type { ClientFactory } from '../../../collect/live/clients.js';
import { errorCode, httpStatus } from '../../../collect/live/errors.js';
import type { ApiScheduler, Outcome } from '../../../collect/live/scheduler.js';

/** Buckets owned by the audited account: name → region when ListBuckets reports it. */
export type OwnedBuckets = ReadonlyMap<string, string | undefined>;

/** s3:ListAllMyBuckets, following continuation tokens (each page is one call). */
export async function listOwnedBuckets(
  clients: ClientFactory,
  scheduler: ApiScheduler,
  region: string,
): Promise<Outcome<OwnedBuckets>> {
  const owned = new Map<string, string | undefined>();
  let token: string | undefined;
  do {
    const page = await scheduler.call({ action: 's3:ListAllMyBuckets', region }, async () => {
      const response = await clients.s3(region).send(new ListBucketsCommand(token === undefined ? {} : { ContinuationToken: token }));
      for (const bucket of response.Buckets ?? []) {
        if (bucket.Name !== undefined) {
          owned.set(bucket.Name, bucket.BucketRegion === undefined ? undefined : normaliseLocation(bucket.BucketRegion));
        }
      }
      return response.ContinuationToken === '' ? undefined : response.ContinuationToken;
    });
    if (!page.ok) {
      return page;
    }
    token = page.value;
  } while (token !== undefined);
  return { ok: true, value: owned };
}

/** Region name from a location constraint: us-east-1 answers null/empty; the legacy `EU` is eu-west-1. */
export function normaliseLocation(constraint: string | null | undefined): string {
  if (constraint === undefined || constraint === null || constraint === '') {
    return 'us-east-1';
  }
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

/** Where a bucket stands before its configuration is read. */
export type BucketLocation =
  | { readonly kind: 'owned'; readonly region: string }
  | { readonly kind: 'missing'; readonly cause: UnknownDetail }
  /** `evidence`: the sentence saying how we know (shown in every fact's message). */
  | { readonly kind: 'foreign'; readonly cause: UnknownDetail; readonly evidence: string }
  | { readonly kind: 'failed'; readonly cause: UnknownDetail };

/** What deciding ownership needs from the bucket collector's environment. */
export interface OwnershipEnvironment {
  readonly clients: ClientFactory;
  readonly scheduler: ApiScheduler;
  readonly accountId: string;
  /** Region for calls that are not tied to a bucket region (the location probe). */
  readonly defaultRegion: string;
  readonly owned: Promise<Outcome<OwnedBuckets>>;
}

export async function locate(env: OwnershipEnvironment, name: string): Promise<BucketLocation> {
  const owned = await env.owned;
  const listed = owned.ok && owned.value.has(name);
  if (owned.ok && listed) {
    const region = owned.value.get(name);
    if (region !== undefined) {
      // Listed, and every later call carries the ExpectedBucketOwner probe: no call added.
      return { kind: 'owned', region };
    }
  }
  const location = await env.scheduler.call(
    { action: 's3:GetBucketLocation', region: env.defaultRegion, resource: `bucket ${name}` },
    async () => {
      const response = await env.clients
        .s3(env.defaultRegion)
        .send(new GetBucketLocationCommand({ Bucket: name, ExpectedBucketOwner: env.accountId }));
      return normaliseLocation(response.LocationConstraint);
    },
  );
  const notListed = `it is not among the buckets account ${env.accountId} owns (s3:ListAllMyBuckets)`;
  if (location.ok) {
    if (listed) {
      return { kind: 'owned', region: location.value };
    }
    if (owned.ok) {
      // The two signals disagree: the probe answered although the bucket is not ours. The endpoint
      // does not enforce ExpectedBucketOwner (an emulator), so the listing decides.
      return {
        kind: 'foreign',
        // The same operation as a 403 probe names: the call to make with the owning account's credentials.
        cause: { reason: 'cross_account', message: notListed, operation: 's3:GetBucketLocation', region: env.defaultRegion },
        evidence: `${notListed}, although the endpoint answered a request pinned to that account (ExpectedBucketOwner): the endpoint does not enforce that check`,
      };
    }
    // The probe alone cannot prove ownership (an endpoint may ignore it), and the listing that
    // would confirm it could not be read: unknown, for the listing's own reason (denied, throttled,
    // timed out), naming the permission that settles it.
    const listing = owned.error.operation ?? 's3:ListAllMyBuckets';
    const failure = owned.error.reason === 'access_denied' ? 'was denied' : `could not be read (${owned.error.reason})`;
    return {
      kind: 'failed',
      cause: {
        ...owned.error,
        operation: listing,
        message:
          `Could not establish that bucket ${name} belongs to account ${env.accountId}: ${listing} ${failure}, ` +
          `and an answer to a request pinned to the account (ExpectedBucketOwner) does not prove ownership on its own (an endpoint may ignore it). ` +
          `Grant s3:ListAllMyBuckets, or, if the bucket belongs to another account, evaluate it there.`,
      },
    };
  }
  const cause = location.error;
  if (errorCode(location.cause) === 'NoSuchBucket' || httpStatus(location.cause) === 404) {
    return { kind: 'missing', cause };
  }
  if (cause.reason === 'access_denied') {
    if (owned.ok && !listed) {
      // Not in the account's own bucket list, and S3 refuses us with ExpectedBucketOwner: the
      // bucket exists and belongs to someone else.
      return { kind: 'foreign', cause, evidence: `${notListed}, and S3 refused a request pinned to that account (ExpectedBucketOwner)` };
    }
    if (!owned.ok) {
      // Without the bucket list a 403 is ambiguous: another account's bucket, or
      // s3:GetBucketLocation denied to us. Say so instead of guessing.
      return {
        kind: 'failed',
        cause: {
          ...cause,
          message:
            `Could not tell whether bucket ${name} belongs to account ${env.accountId}: ${owned.error.operation ?? 's3:ListAllMyBuckets'} was denied ` +
            `and s3:GetBucketLocation (with ExpectedBucketOwner) answered 403. Grant s3:ListAllMyBuckets and s3:GetBucketLocation, ` +
            `or, if the bucket belongs to another account, evaluate it there.`,
        },
      };
    }
  }
  return { kind: 'failed', cause };
}
