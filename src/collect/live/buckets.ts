/**
 * Trail log buckets: one BucketFacts per distinct S3BucketName, each bucket call made once, sent
 * to the bucket's region.
 *
 * Ownership comes first. A bucket in another account (centralised logging, organization trails)
 * is not ours to judge: its facts are UNKNOWN(cross_account), never "not public" and never
 * "public" (PEERS §4.2). A bucket that no longer exists is UNKNOWN(not_found): delivery is broken
 * and anyone could claim the name. Every call passes ExpectedBucketOwner = the audited account,
 * so a bucket of another account can never be read as if it were ours.
 */
import {
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
} from '@aws-sdk/client-s3';
import type { AclGrant, BucketFacts, Maybe, PublicAccessBlock, Unknown, UnknownDetail } from '../../facts/model.js';
import { unknown } from '../../facts/model.js';
import { unreadableBucket } from '../../facts/gaps.js';
import { aclGrantsPublic, evaluatePublicAccess, policyGrantsPublic } from '../../facts/publicAccess.js';
import { toPublicAccessBlock } from './account.js';
import type { ClientFactory } from './clients.js';
import { asUnknown, errorCode, httpStatus } from './errors.js';
import type { IamAction } from './permissions.js';
import type { ApiScheduler, Outcome } from './scheduler.js';

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
  | { readonly kind: 'foreign'; readonly cause: UnknownDetail }
  | { readonly kind: 'failed'; readonly cause: UnknownDetail };

export interface BucketEnvironment {
  readonly clients: ClientFactory;
  readonly scheduler: ApiScheduler;
  readonly accountId: string;
  readonly partition: string;
  /** Region for calls that are not tied to a bucket region (the location probe). */
  readonly defaultRegion: string;
  readonly owned: Promise<Outcome<OwnedBuckets>>;
  readonly publicAccess: boolean;
  readonly logging: boolean;
  /** Account-level Block Public Access, fetched at most once per audit. */
  readonly accountPublicAccessBlock: () => Promise<Maybe<PublicAccessBlock | null>>;
}

async function locate(env: BucketEnvironment, name: string): Promise<BucketLocation> {
  const owned = await env.owned;
  if (owned.ok && owned.value.has(name)) {
    const listed = owned.value.get(name);
    if (listed !== undefined) {
      return { kind: 'owned', region: listed };
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
  if (location.ok) {
    // ExpectedBucketOwner held, so the bucket is ours even if the listing missed it.
    return { kind: 'owned', region: location.value };
  }
  const cause = location.error;
  if (errorCode(location.cause) === 'NoSuchBucket' || httpStatus(location.cause) === 404) {
    return { kind: 'missing', cause };
  }
  if (cause.reason === 'access_denied') {
    if (owned.ok && !owned.value.has(name)) {
      // Not in the account's own bucket list, and S3 refuses us with ExpectedBucketOwner: the
      // bucket exists and belongs to someone else.
      return { kind: 'foreign', cause };
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

/** Facts of one bucket except the trails that deliver to it (known only when all regions are listed). */
export interface BucketPartial {
  readonly name: string;
  readonly location: BucketLocation;
  readonly acl?: Maybe<readonly AclGrant[]>;
  readonly policy?: Maybe<string | null>;
  readonly policyStatusIsPublic?: Maybe<boolean | null>;
  readonly publicAccessBlock?: Maybe<PublicAccessBlock | null>;
  readonly objectOwnership?: Maybe<string | null>;
  readonly accountPublicAccessBlock?: Maybe<PublicAccessBlock | null>;
  readonly logging?: Maybe<{ readonly targetBucket: string; readonly targetPrefix: string } | null>;
}

/**
 * One bucket call, its response reduced by `read`; `absent` lists the error codes that mean
 * "not configured" (→ null).
 */
async function bucketCall<R, T>(
  env: BucketEnvironment,
  action: IamAction,
  name: string,
  region: string,
  absent: readonly string[],
  send: () => Promise<R>,
  read: (response: R) => T,
): Promise<Maybe<T | null>> {
  const outcome = await env.scheduler.call({ action, region, resource: `bucket ${name}` }, async () => {
    try {
      return read(await send());
    } catch (error) {
      const code = errorCode(error);
      if (code !== undefined && absent.includes(code)) {
        return null;
      }
      throw error;
    }
  });
  return outcome.ok ? outcome.value : asUnknown(outcome.error);
}

export async function collectBucket(env: BucketEnvironment, name: string): Promise<BucketPartial> {
  const location = await locate(env, name);
  if (location.kind !== 'owned') {
    return { name, location };
  }
  const { region } = location;
  const s3 = env.clients.s3(region);
  const owner = { Bucket: name, ExpectedBucketOwner: env.accountId };

  const publicAccess = async (): Promise<Partial<BucketPartial>> => {
    const policyAndStatus = (async () => {
      const policy = await bucketCall(
        env,
        's3:GetBucketPolicy',
        name,
        region,
        ['NoSuchBucketPolicy'],
        async () => s3.send(new GetBucketPolicyCommand(owner)),
        (response) => response.Policy ?? null,
      );
      // Only a bucket with a policy can be public through it; when the policy could not be
      // read we still ask, since the status call may be allowed where the policy is not.
      if (policy === null) {
        return { policy, policyStatusIsPublic: null };
      }
      const policyStatusIsPublic = await bucketCall(
        env,
        's3:GetBucketPolicyStatus',
        name,
        region,
        ['NoSuchBucketPolicy'],
        async () => s3.send(new GetBucketPolicyStatusCommand(owner)),
        // moto answers without IsPublic: null sends the evaluator to static policy analysis.
        (response) => response.PolicyStatus?.IsPublic ?? null,
      );
      return { policy, policyStatusIsPublic };
    })();
    const aclPromise = bucketCall(
      env,
      's3:GetBucketAcl',
      name,
      region,
      [],
      async () => s3.send(new GetBucketAclCommand(owner)),
      (response): readonly AclGrant[] =>
        (response.Grants ?? []).map((grant) => ({
          granteeType: grant.Grantee?.Type ?? 'Unknown',
          ...(grant.Grantee?.URI === undefined ? {} : { uri: grant.Grantee.URI }),
          ...(grant.Grantee?.ID === undefined ? {} : { id: grant.Grantee.ID }),
          permission: grant.Permission ?? 'Unknown',
        })),
    ) as Promise<Maybe<readonly AclGrant[]>>; // GetBucketAcl has no "not configured" answer: never null.
    const readPublicAccessBlock = () =>
      bucketCall(
        env,
        's3:GetBucketPublicAccessBlock',
        name,
        region,
        ['NoSuchPublicAccessBlockConfiguration'],
        async () => s3.send(new GetPublicAccessBlockCommand(owner)),
        (response) => toPublicAccessBlock(response.PublicAccessBlockConfiguration),
      );
    // Block Public Access and Object Ownership only neutralise public grants and statements, so
    // they are read only when the ACL or the policy grants (or may grant) public access: for a
    // bucket with neither, they cannot change the verdict, and skipping them saves up to two calls
    // per bucket. Each starts as soon as what decides it is known, so the ACL path adds no round
    // trip; only a bucket public through its policy alone waits for the policy status first.
    const aclMatters = aclPromise.then((acl) => aclGrantsPublic(acl).value !== false);
    const objectOwnershipPromise = aclMatters.then((matters) =>
      matters
        ? bucketCall(
            env,
            's3:GetBucketOwnershipControls',
            name,
            region,
            ['OwnershipControlsNotFoundError'],
            async () => s3.send(new GetBucketOwnershipControlsCommand(owner)),
            (response) => response.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null,
          )
        : undefined,
    );
    const publicAccessBlockPromise = aclMatters.then(async (matters) => {
      if (matters) {
        return readPublicAccessBlock();
      }
      const { policy, policyStatusIsPublic } = await policyAndStatus;
      return policyGrantsPublic(policy, policyStatusIsPublic).value === false ? undefined : readPublicAccessBlock();
    });
    const [acl, publicAccessBlock, objectOwnership, accountPublicAccessBlock, policyFacts] = await Promise.all([
      aclPromise,
      publicAccessBlockPromise,
      objectOwnershipPromise,
      env.accountPublicAccessBlock(),
      policyAndStatus,
    ]);
    return {
      acl,
      // `=== undefined`, not `??`: null is a real answer ("none configured").
      publicAccessBlock:
        publicAccessBlock === undefined ? notNeeded('Block Public Access', 'its ACL and policy grant nothing public') : publicAccessBlock,
      objectOwnership: objectOwnership === undefined ? notNeeded('Object Ownership', 'its ACL grants nothing public') : objectOwnership,
      accountPublicAccessBlock,
      ...policyFacts,
    };
  };

  const logging = async (): Promise<Partial<BucketPartial>> => ({
    logging: await bucketCall(
      env,
      's3:GetBucketLogging',
      name,
      region,
      [],
      async () => s3.send(new GetBucketLoggingCommand(owner)),
      (response) =>
        response.LoggingEnabled?.TargetBucket === undefined
          ? null
          : { targetBucket: response.LoggingEnabled.TargetBucket, targetPrefix: response.LoggingEnabled.TargetPrefix ?? '' },
    ),
  });

  const parts = await Promise.all([
    env.publicAccess ? publicAccess() : Promise.resolve({}),
    env.logging ? logging() : Promise.resolve({}),
  ]);
  const partial: BucketPartial = Object.assign({ name, location }, ...parts);
  return partial;
}

function trailList(trailArns: readonly string[]): string {
  const names = trailArns.map((arn) => arn.slice(arn.lastIndexOf('/') + 1));
  return names.length === 1 ? `Trail ${names[0] ?? ''}` : `Trails ${names.join(', ')}`;
}

/** The final BucketFacts, with messages that name the trails delivering to the bucket. */
export function bucketFacts(
  partial: BucketPartial,
  trailArns: readonly string[],
  env: { readonly accountId: string; readonly partition: string; readonly publicAccess: boolean; readonly logging: boolean },
): BucketFacts {
  const { name, location } = partial;
  const id = `arn:${env.partition}:s3:::${name}`;
  if (location.kind === 'owned') {
    const facts: BucketFacts = {
      ref: { type: 'AWS::S3::Bucket', id, name, accountId: env.accountId, region: location.region },
      name,
      region: location.region,
      ownerAccountId: env.accountId,
      trailArns,
    };
    const extra: Record<string, unknown> = {};
    if (env.publicAccess) {
      const acl = orMissing(partial.acl, 'acl');
      const policy = orMissing(partial.policy, 'policy');
      const policyStatusIsPublic = orMissing(partial.policyStatusIsPublic, 'policy status');
      // Unknown('unsupported') when not read because they could not matter (collectBucket): had
      // one mattered after all, the verdict would be UNKNOWN, never "not public".
      const publicAccessBlock = orMissing(partial.publicAccessBlock, 'Block Public Access');
      const objectOwnership = orMissing(partial.objectOwnership, 'Object Ownership');
      const accountPublicAccessBlock = orMissing(partial.accountPublicAccessBlock, 'account Block Public Access');
      Object.assign(extra, {
        acl,
        policy,
        policyStatusIsPublic,
        publicAccessBlock,
        objectOwnership,
        publicAccess: evaluatePublicAccess({
          acl,
          objectOwnership,
          bucketPublicAccessBlock: publicAccessBlock,
          accountPublicAccessBlock,
          policy,
          policyStatusIsPublic,
        }),
      });
    }
    if (env.logging) {
      extra.logging = orMissing(partial.logging, 'logging');
    }
    return { ...facts, ...extra };
  }

  const who = trailList(trailArns);
  const { cause } = location;
  const where = { ...(cause.operation === undefined ? {} : { operation: cause.operation }), ...(cause.region === undefined ? {} : { region: cause.region }) };
  const gap =
    location.kind === 'missing'
      ? unknown(
          'not_found',
          `${who} deliver${trailArns.length === 1 ? 's' : ''} logs to bucket ${name}, which does not exist: log delivery is broken, and any AWS account could create a bucket with that name and receive the logs. Recreate the bucket or point the trail at an existing one.`,
          where,
        )
      : location.kind === 'foreign'
        ? unknown(
            'cross_account',
            `Bucket ${name} (log destination of ${who.charAt(0).toLowerCase()}${who.slice(1)}) belongs to another account; evaluate it with that account's credentials.`,
            where,
          )
        : asUnknown(cause);
  return unreadableBucket({ type: 'AWS::S3::Bucket', id, name, accountId: null, region: 'unknown' }, name, trailArns, gap, env);
}

/** `undefined` = not collected (a bug); null is a real answer ("not configured") and is kept. */
function orMissing<T>(value: T | undefined, what: string): T | Unknown {
  return value === undefined ? unknown('error', `The bucket ${what} was not collected (internal error in the live collector).`) : value;
}

/**
 * Stand-in for a bucket setting that was not read because it cannot change CloudTrail.6 (it only
 * neutralises public grants, and there are none). Unknown rather than absent, so that a check
 * reading it directly gets UNKNOWN, never a verdict from a value nobody read.
 */
function notNeeded(setting: string, because: string): Unknown {
  return unknown('unsupported', `Not read: the bucket's ${setting} cannot change whether it is public, since ${because}.`);
}
