/**
 * Log buckets of other accounts (the Control Tower layout: every trail delivers to a bucket of
 * the log-archive account). A member sees such a bucket only as UNKNOWN(cross_account): S3 does
 * not tell it who owns the bucket. When the owner is audited too, its own ListBuckets (already
 * made by its collection) names the bucket, and the bucket is read once, with the owner's
 * credentials; that read replaces the members' cross-account copies. A `--log-archive-account`
 * not audited in this shard is entered for that alone (one AssumeRole and one ListBuckets).
 * A bucket whose owner is not audited stays UNKNOWN(cross_account), never PASS.
 */
import { isGap, isUnknown, type BucketFacts, type BucketGap, type FactSet, type Maybe, type PublicAccessBlock } from '../../facts/model.js';
import { deriveFacts } from '../../facts/derive.js';
import { bucketFacts, collectBucket, type BucketEnvironment, type BucketPartial } from '../../facts/kinds/buckets/live.js';
import { listOwnedBuckets, type OwnedBuckets } from '../../facts/kinds/buckets/liveOwnership.js';
import { getAccountPublicAccessBlock } from '../live/account.js';
import { ClientFactory } from '../live/clients.js';
import { assumeRole } from './assumeRole.js';
import type { AccountRun, AuditContext } from './accountRun.js';

/** A bucket this account could not judge because another account owns it. */
function isForeign(bucket: BucketFacts | BucketGap): bucket is BucketFacts {
  return !isGap(bucket) && isUnknown(bucket.ownerAccountId) && bucket.ownerAccountId.$unknown.reason === 'cross_account';
}

interface Owner {
  readonly accountId: string;
  /** Opened only if the account owns a bucket another account needs (AccountRun.openClients). */
  readonly clients: () => ClientFactory;
  readonly owned: OwnedBuckets;
  /** Already read by the owner's own collection, if it was. */
  readonly accountBlock?: Maybe<PublicAccessBlock | null>;
}

export async function readCrossAccountBuckets(audit: AuditContext, runs: readonly AccountRun[], logArchiveAccounts: readonly string[]): Promise<FactSet[]> {
  const wanted = new Set(runs.flatMap((run) => run.facts.buckets.filter(isForeign).map((bucket) => bucket.name)));
  if (wanted.size === 0) {
    return runs.map((run) => run.facts);
  }
  const owners: Owner[] = [];
  for (const run of runs) {
    const owned = run.ownedBuckets === undefined ? undefined : await run.ownedBuckets;
    if (run.openClients !== undefined && owned?.ok === true) {
      owners.push({
        accountId: run.accountId,
        clients: run.openClients,
        owned: owned.value,
        ...(run.facts.account.publicAccessBlock === undefined ? {} : { accountBlock: run.facts.account.publicAccessBlock }),
      });
    }
  }
  const extraClients: ClientFactory[] = [];
  try {
    const unowned = (): boolean => [...wanted].some((name) => !owners.some((owner) => owner.owned.has(name)));
    for (const accountId of logArchiveAccounts) {
      if (!unowned() || owners.some((owner) => owner.accountId === accountId) || runs.some((run) => run.accountId === accountId)) {
        continue;
      }
      const archive = await enterLogArchive(audit, accountId);
      if (archive !== undefined) {
        owners.push(archive);
      }
    }
    const opened = new Map<string, ClientFactory>();
    const clientsOf = (owner: Owner): ClientFactory => {
      let clients = opened.get(owner.accountId);
      if (clients === undefined) {
        clients = owner.clients();
        opened.set(owner.accountId, clients);
        if (clients !== audit.callerClients) {
          extraClients.push(clients);
        }
      }
      return clients;
    };

    // Each bucket read once per audit, by its owner; reused for every member that names it.
    const reads = new Map<string, Promise<OwnerRead | undefined>>();
    const readOnce = (name: string) => {
      let read = reads.get(name);
      if (read === undefined) {
        const owner = owners.find((candidate) => candidate.owned.has(name));
        read = owner === undefined ? Promise.resolve(undefined) : readWithOwner(audit, owner, clientsOf(owner), name);
        reads.set(name, read);
      }
      return read;
    };
    return await Promise.all(
      runs.map(async (run) => {
        if (!run.facts.buckets.some(isForeign)) {
          return run.facts;
        }
        const buckets = await Promise.all(
          run.facts.buckets.map(async (bucket) => {
            if (!isForeign(bucket)) {
              return bucket;
            }
            const read = await readOnce(bucket.name);
            if (read === undefined) {
              return withOrganizationAdvice(bucket);
            }
            const facts = bucketFacts(read.partial, bucket.trailArns, read.env);
            // The owner's account-level Block Public Access, when the verdict needed it, travels
            // with the bucket: the owner may not be an audited account of this set (a
            // --log-archive-account of another shard), or audited with no trail of its own.
            return read.accountBlock === undefined ? facts : { ...facts, accountPublicAccessBlock: await read.accountBlock };
          }),
        );
        // A bucket's derived facts (publicAccess) follow its raw ones.
        return deriveFacts({ ...run.facts, buckets });
      }),
    );
  } finally {
    for (const clients of extraClients) {
      clients.destroy();
    }
  }
}

interface OwnerRead {
  readonly partial: BucketPartial;
  readonly env: BucketEnvironment;
  /** The owner's account-level Block Public Access, when reading the bucket asked for it. */
  readonly accountBlock: Promise<Maybe<PublicAccessBlock | null>> | undefined;
}

async function readWithOwner(audit: AuditContext, owner: Owner, clients: ClientFactory, name: string): Promise<OwnerRead> {
  const scheduler = audit.scheduler.forAccount(owner.accountId);
  let accountBlock: Promise<Maybe<PublicAccessBlock | null>> | undefined = owner.accountBlock === undefined ? undefined : Promise.resolve(owner.accountBlock);
  const env: BucketEnvironment = {
    clients,
    scheduler,
    accountId: owner.accountId,
    partition: audit.caller.partition,
    defaultRegion: audit.defaultRegion,
    owned: Promise.resolve({ ok: true, value: owner.owned }),
    publicAccess: audit.needs.has('bucketPublicAccess'),
    logging: audit.needs.has('bucketLogging'),
    accountPublicAccessBlock: async () => {
      accountBlock ??= getAccountPublicAccessBlock(clients, scheduler, audit.defaultRegion, owner.accountId);
      return accountBlock;
    },
  };
  const partial = await collectBucket(env, name);
  return { partial, env, accountBlock };
}

/** A log-archive account audited in another shard: entered only to list and read its buckets. */
async function enterLogArchive(audit: AuditContext, accountId: string): Promise<Owner | undefined> {
  let clients: ClientFactory;
  if (accountId === audit.caller.accountId) {
    clients = audit.callerClients;
  } else {
    const assumed = await assumeRole(audit.callerClients, audit.scheduler.forAccount(audit.caller.accountId), audit.defaultRegion, {
      accountId,
      partition: audit.caller.partition,
      ...audit.role,
    });
    if (!assumed.ok) {
      audit.notice(`--log-archive-account ${accountId}: ${assumed.error.message}; its buckets stay UNKNOWN (cross_account).`);
      return undefined;
    }
    clients = new ClientFactory({ ...audit.memberSettings, credentials: assumed.credentials });
  }
  const owned = await listOwnedBuckets(clients, audit.scheduler.forAccount(accountId), audit.defaultRegion);
  if (!owned.ok) {
    audit.notice(`--log-archive-account ${accountId}: its buckets could not be listed (${owned.error.message}); they stay UNKNOWN (cross_account).`);
    if (clients !== audit.callerClients) {
      clients.destroy();
    }
    return undefined;
  }
  return { accountId, clients: () => clients, owned: owned.value };
}

const ORGANIZATION_ADVICE =
  ' None of the accounts this run entered owns it: add its owner to the audit (--accounts, --ou); in a sharded run whose log archive is in another shard, name it with --log-archive-account.';

/**
 * A bucket no audited account owns: its cross-account facts say what an organization audit can
 * do about it, beyond the single-account advice (read it with the owner's credentials).
 */
function withOrganizationAdvice(bucket: BucketFacts): BucketFacts {
  const advised: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(bucket) as [string, unknown][]) {
    advised[key] =
      isUnknown(value) && value.$unknown.reason === 'cross_account' && !value.$unknown.message.endsWith(ORGANIZATION_ADVICE)
        ? { $unknown: { ...value.$unknown, message: `${value.$unknown.message}${ORGANIZATION_ADVICE}` } }
        : value;
  }
  // Same fields, only messages changed.
  return advised as unknown as BucketFacts;
}
