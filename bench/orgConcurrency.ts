/**
 * How many accounts to collect at once, and how many requests in flight, for an organization
 * audit: a moto organization of N accounts (each with a multi-Region trail and a bucket of its
 * own, plus an organization trail in the management account into a log-archive bucket) behind the
 * latency proxy, collected with the organization collector (per-account sets, as merged later) for
 * each --account-concurrency × --concurrency pair; median wall time of the repetitions.
 *
 *   npx tsx bench/orgConcurrency.ts [accounts=50] [delays=50,200] [accountConcurrency=4,8,16,32] [concurrency=32,64,128] [repeat=3]
 *
 * Not a test: the numbers depend on the machine and its load (printed with the results).
 */
import { loadavg } from 'node:os';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import pLimit from 'p-limit';
import type { FactNeed } from '../src/facts/model.js';
import { collectAccounts, openOrganizationRun } from '../src/collect/org/collect.js';
import { DEFAULT_ROLE_NAME, DEFAULT_ROLE_SESSION_NAME, type AccountPlan } from '../src/collect/org/options.js';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS } from '../support/moto/clients.js';
import { startMoto } from '../support/moto/server.js';
import { startLatencyProxy } from './latencyProxy.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const NEEDS: ReadonlySet<FactNeed> = new Set<FactNeed>(['trails', 'trailStatus', 'eventSelectors', 'trailTags', 'bucketPublicAccess', 'bucketLogging']);

const list = (value: string | undefined, fallback: number[]): number[] => (value === undefined ? fallback : value.split(',').map(Number));
const [accountsArg, delaysArg, accountConcurrencyArg, concurrencyArg, repeatArg] = process.argv.slice(2);
const ACCOUNTS = Number(accountsArg ?? 50);
const DELAYS = list(delaysArg, [50, 200]);
const ACCOUNT_CONCURRENCY = list(accountConcurrencyArg, [4, 8, 16, 32]);
const CONCURRENCY = list(concurrencyArg, [32, 64, 128]);
const REPEAT = Number(repeatArg ?? 3);

async function enter(endpoint: string, accountId: string): Promise<AwsCredentialIdentity> {
  if (accountId === MOTO_ACCOUNT_ID) {
    return MOTO_CREDENTIALS;
  }
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
  const issued = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${DEFAULT_ROLE_NAME}`, RoleSessionName: 'seed' }))).Credentials;
  sts.destroy();
  if (issued?.AccessKeyId === undefined || issued.SecretAccessKey === undefined) {
    throw new Error('no credentials');
  }
  return { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, ...(issued.SessionToken === undefined ? {} : { sessionToken: issued.SessionToken }) };
}

async function trail(endpoint: string, credentials: AwsCredentialIdentity, name: string, bucket: string, organization = false): Promise<void> {
  const cloudTrail = new CloudTrailClient({ endpoint, region: 'us-east-1', credentials });
  await cloudTrail.send(new CreateTrailCommand({ Name: name, S3BucketName: bucket, IsMultiRegionTrail: true, IsOrganizationTrail: organization }));
  await cloudTrail.send(new StartLoggingCommand({ Name: name }));
  cloudTrail.destroy();
}

async function bucket(endpoint: string, credentials: AwsCredentialIdentity, name: string): Promise<void> {
  const s3 = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  s3.destroy();
}

/** Management (moto's account, the caller) + log archive + members: N accounts in all. */
async function seed(endpoint: string, accounts: number): Promise<string[]> {
  const organizations = new OrganizationsClient({ endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const ids: string[] = [];
  for (let index = 1; index < accounts; index += 1) {
    const created = await organizations.send(new CreateAccountCommand({ AccountName: `account-${String(index)}`, Email: `a${String(index)}@example.com` }));
    ids.push(created.CreateAccountStatus?.AccountId ?? '');
  }
  organizations.destroy();
  const limit = pLimit(8);
  await Promise.all(
    [MOTO_ACCOUNT_ID, ...ids].map(async (id) =>
      limit(async () => {
        const credentials = await enter(endpoint, id);
        await bucket(endpoint, credentials, `logs-${id}`);
        await trail(endpoint, credentials, `trail-${id}`, `logs-${id}`);
      }),
    ),
  );
  // The first created account is the log archive.
  const archive = ids[0] ?? MOTO_ACCOUNT_ID;
  await bucket(endpoint, await enter(endpoint, archive), 'org-log-archive');
  await trail(endpoint, MOTO_CREDENTIALS, 'organization', 'org-log-archive', true);
  return [MOTO_ACCOUNT_ID, ...ids].sort();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const moto = await startMoto();
  try {
    const ids = await seed(moto.endpoint, ACCOUNTS);
    const plan: AccountPlan = { organizationId: null, managementAccountId: MOTO_ACCOUNT_ID, inScope: ids.map((id) => ({ id })), audited: ids.map((id) => ({ id })), skipped: [] };
    console.log(`${String(ids.length)} accounts, Regions ${REGIONS.join(',')}, repeat ${String(REPEAT)}, load ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
    for (const delay of DELAYS) {
      const proxy = await startLatencyProxy(moto.endpoint, delay);
      try {
        for (const accountConcurrency of ACCOUNT_CONCURRENCY) {
          for (const concurrency of CONCURRENCY) {
            const times: number[] = [];
            let calls = 0;
            for (let run = 0; run < REPEAT; run += 1) {
              const started = Date.now();
              const opened = await openOrganizationRun({
                needs: NEEDS,
                regions: REGIONS,
                endpointUrl: proxy.endpoint,
                credentials: MOTO_CREDENTIALS,
                concurrency,
                organization: { org: true, roleName: DEFAULT_ROLE_NAME, roleSessionName: DEFAULT_ROLE_SESSION_NAME, accountConcurrency },
              });
              try {
                await collectAccounts(opened, plan);
                calls = Object.values(opened.scheduler.apiCalls()).reduce((sum, count) => sum + count, 0);
              } finally {
                opened.close();
              }
              times.push(Date.now() - started);
            }
            console.log(
              `delay ${String(delay)} ms  account-concurrency ${String(accountConcurrency).padStart(2)}  concurrency ${String(concurrency).padStart(3)}  ` +
                `median ${(median(times) / 1000).toFixed(2)} s  (${times.map((time) => (time / 1000).toFixed(2)).join(', ')})  calls ${String(calls)}  load ${loadavg()[0]?.toFixed(2) ?? ''}`,
            );
          }
        }
      } finally {
        await proxy.close();
      }
    }
  } finally {
    await moto.stop();
  }
}

await main();
