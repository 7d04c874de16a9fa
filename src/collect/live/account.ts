/** Account-wide facts: who we are, which regions to audit, account-level S3 Block Public Access. */
import { partition as partitionOf } from '@aws-sdk/core/client';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Maybe, PublicAccessBlock } from '../../facts/model.js';
import { parseArn } from './arn.js';
import type { ClientFactory } from './clients.js';
import { asUnknown, CollectionError, errorCode } from './errors.js';
import type { ApiScheduler, Outcome } from './scheduler.js';

export interface Identity {
  readonly accountId: string;
  readonly partition: string;
  readonly arn: string;
}

export async function getIdentity(clients: ClientFactory, scheduler: ApiScheduler, region: string): Promise<Outcome<Identity>> {
  return scheduler.call({ action: 'sts:GetCallerIdentity', region, resource: 'the audited account' }, async () => {
    const response = await clients.sts(region).send(new GetCallerIdentityCommand({}));
    const arn = response.Arn ?? '';
    const accountId = response.Account ?? parseArn(arn)?.accountId ?? '';
    if (!/^\d{12}$/.test(accountId)) {
      throw new Error(`sts:GetCallerIdentity returned no account id (Arn '${arn}')`);
    }
    return { accountId, partition: parseArn(arn)?.partition ?? 'aws', arn };
  });
}

/**
 * Whether a Region belongs to a partition (`aws`, `aws-cn`, `aws-us-gov`, `aws-iso`…), by the
 * SDK's own partition table; a name the table does not know counts as `aws`, as the SDK treats it.
 */
export function inPartition(region: string, partition: string): boolean {
  return partitionOf(region).name === partition;
}

/** The run cannot go on without the account: say which endpoint, operation and what happened. */
export function identityFailure(
  outcome: Outcome<Identity> & { ok: false },
  region: string,
  endpointUrl: string | undefined,
  whose = "the audited account's identity",
): CollectionError {
  return new CollectionError(
    `Could not read ${whose} (sts:GetCallerIdentity in ${region}` +
      `${endpointUrl === undefined ? '' : ` at ${endpointUrl}`}): ${outcome.error.message} ` +
      (outcome.error.reason === 'timeout' || outcome.error.reason === 'error'
        ? 'Check that the endpoint is reachable and answers as AWS does.'
        : 'Check the credentials, profile and endpoint.'),
    { cause: outcome.cause },
  );
}

/**
 * The Regions to audit when none are given: those DescribeRegions reports enabled, in the caller's
 * partition. Waits for the identity (asked at the same time) to know the partition; throws a
 * CollectionError when either call failed, the identity's failure first (it explains both).
 */
export async function discoverRegions(
  clients: ClientFactory,
  scheduler: ApiScheduler,
  region: string,
  identityTask: Promise<Outcome<Identity>>,
  notice: (message: string) => void,
): Promise<string[]> {
  const [listed, identity] = await Promise.all([describeEnabledRegions(clients, scheduler, region), identityTask]);
  if (!identity.ok) {
    throw identityFailure(identity, region, clients.endpointUrl);
  }
  if (!listed.ok) {
    throw new CollectionError(`Could not discover the regions enabled for this account: ${listed.error.message} Or pass --regions explicitly.`, {
      cause: listed.cause,
    });
  }
  // DescribeRegions of an emulator (or a misrouted endpoint) can list other partitions' Regions,
  // whose endpoints these credentials cannot use: audit the caller's partition only.
  const { partition } = identity.value;
  const dropped = listed.value.filter((name) => !inPartition(name, partition));
  if (dropped.length > 0) {
    notice(`left out ${String(dropped.length)} Region(s) listed by ec2:DescribeRegions outside the caller's partition ${partition}: ${dropped.join(', ')}.`);
  }
  return listed.value.filter((name) => inPartition(name, partition));
}

/** Opt-in statuses of regions the account can use. */
const ENABLED_OPT_IN = new Set(['opt-in-not-required', 'opted-in']);

/** Regions enabled for the account (one ec2:DescribeRegions), sorted. */
export async function describeEnabledRegions(
  clients: ClientFactory,
  scheduler: ApiScheduler,
  region: string,
): Promise<Outcome<string[]>> {
  return scheduler.call({ action: 'ec2:DescribeRegions', region }, async () => {
    const { DescribeRegionsCommand } = await import('@aws-sdk/client-ec2');
    const client = await clients.ec2(region);
    const response = await client.send(new DescribeRegionsCommand({ AllRegions: false }));
    const names = (response.Regions ?? [])
      .filter((r) => r.OptInStatus === undefined || ENABLED_OPT_IN.has(r.OptInStatus))
      .map((r) => r.RegionName)
      .filter((name): name is string => typeof name === 'string' && name !== '');
    return [...new Set(names)].sort();
  });
}

/** Account-level S3 Block Public Access (S3 Control); null = never configured. */
export async function getAccountPublicAccessBlock(
  clients: ClientFactory,
  scheduler: ApiScheduler,
  region: string,
  accountId: string,
): Promise<Maybe<PublicAccessBlock | null>> {
  const outcome = await scheduler.call(
    { action: 's3:GetAccountPublicAccessBlock', region, resource: `account ${accountId}` },
    async () => {
      try {
        const response = await clients.s3Control(region).send(new GetPublicAccessBlockCommand({ AccountId: accountId }));
        return toPublicAccessBlock(response.PublicAccessBlockConfiguration);
      } catch (error) {
        // "Not configured" is an answer, not a failure: all four flags are off.
        if (errorCode(error) === 'NoSuchPublicAccessBlockConfiguration') {
          return null;
        }
        throw error;
      }
    },
  );
  return outcome.ok ? outcome.value : asUnknown(outcome.error);
}

export function toPublicAccessBlock(
  config:
    | {
        readonly BlockPublicAcls?: boolean | undefined;
        readonly IgnorePublicAcls?: boolean | undefined;
        readonly BlockPublicPolicy?: boolean | undefined;
        readonly RestrictPublicBuckets?: boolean | undefined;
      }
    | undefined,
): PublicAccessBlock | null {
  if (config === undefined) {
    return null;
  }
  // An omitted flag is off (S3 reports all four when a configuration exists).
  return {
    blockPublicAcls: config.BlockPublicAcls === true,
    ignorePublicAcls: config.IgnorePublicAcls === true,
    blockPublicPolicy: config.BlockPublicPolicy === true,
    restrictPublicBuckets: config.RestrictPublicBuckets === true,
  };
}
