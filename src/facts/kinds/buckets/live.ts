/**
 * Trail log buckets: one BucketFacts per distinct S3BucketName, each bucket call made once, sent
 * to the bucket's region.
 *
 * Ownership is established first (liveOwnership.ts): only the audited account's own buckets
 * are read.
 */
import {
  GetBucketAclCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import type { AclGrant, BucketFacts, Maybe, PublicAccessBlock, Unknown } from '../../model.js';
import { unknown } from '../../model.js';
import { unreadableBucket } from '../../gaps.js';
import { aclGrantsPublic, evaluatePublicAccess, policyGrantsPublic } from './publicAccess.js';
import { toPublicAccessBlock } from '../../../collect/live/account.js';
import { locate, type BucketLocation, type OwnershipEnvironment } from './liveOwnership.js';
import { asUnknown, errorCode } from '../../../collect/live/errors.js';
import type { IamAction } from '../../../collect/live/permissions.js';

export interface BucketEnvironment extends OwnershipEnvironment {
  readonly partition: string;
  readonly publicAccess: boolean;
  readonly logging: boolean;
  /** Account-level Block Public Access, fetched at most once per audit. */
  readonly accountPublicAccessBlock: () => Promise<Maybe<PublicAccessBlock | null>>;
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
            // S3 does not tell another account who owns a bucket, so the owner cannot be named.
            `Bucket ${name} (log destination of ${who.charAt(0).toLowerCase()}${who.slice(1)}) belongs to another account: ${location.evidence}. ` +
              `Its owner cannot be read from here; evaluate it with the owning account's credentials (its Block Public Access is not this account's).`,
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
