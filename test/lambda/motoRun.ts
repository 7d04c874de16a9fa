/**
 * What the Lambda handler tests share: the handlers' environment on a moto organization (the
 * management account and member `a`, each with a logging trail), and a full run of every account
 * in one batch, as the state machine would drive it.
 */
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { auditAccounts, listAccounts } from '../../src/lambda/index.js';
import { MOTO_CREDENTIALS, s3Client } from '../../support/moto/clients.js';
import { memberClientConfig, seedOrganization, type SeededOrganization } from '../../support/moto/organization.js';

export const REGION = 'us-east-1';
export const BUCKET = 'audit-runs';
export const PREFIX = 'trailaudit';

export function handlerEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    TRAILAUDIT_BUCKET: BUCKET,
    TRAILAUDIT_PREFIX: PREFIX,
    TRAILAUDIT_REGIONS: REGION,
    TRAILAUDIT_CHECKS: 'CloudTrail.1,CloudTrail.2,CloudTrail.4',
  };
}

/** Sets the environment (as Lambda would) and returns what restores it. */
export function setEnvironment(values: Readonly<Record<string, string | undefined>>): () => void {
  const saved = new Map(Object.keys(values).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) {
      Reflect.deleteProperty(process.env, name);
    } else {
      process.env[name] = value;
    }
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) {
        Reflect.deleteProperty(process.env, name);
      } else {
        process.env[name] = value;
      }
    }
  };
}

/** A logging multi-Region trail of the account (CloudTrail.1 can PASS there; CloudTrail.2/4 FAIL: no KMS, no validation). */
export async function trailIn(config: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } }, name: string): Promise<void> {
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const cloudTrail = new CloudTrailClient(config);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: `${name}-logs` }));
    await cloudTrail.send(new CreateTrailCommand({ Name: name, S3BucketName: `${name}-logs`, IsMultiRegionTrail: true }));
    await cloudTrail.send(new StartLoggingCommand({ Name: name }));
  } finally {
    s3.destroy();
    cloudTrail.destroy();
  }
}

/** An organization of two accounts with trails, and the report bucket. */
export async function seedRunWorld(endpoint: string): Promise<SeededOrganization> {
  const seeded = await seedOrganization(endpoint, { accounts: [{ name: 'a' }] });
  const s3 = s3Client(endpoint, REGION);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  } finally {
    s3.destroy();
  }
  await trailIn({ endpoint, region: REGION, credentials: MOTO_CREDENTIALS }, 'management-trail');
  await trailIn(await memberClientConfig(endpoint, REGION, seeded.accountId('a')), 'member-a-trail');
  return seeded;
}

/** listAccounts, then every account in one batch. `execution`: the execution's input. */
export async function auditRun(runId: string, execution?: Record<string, unknown>): Promise<void> {
  const listed = await listAccounts({ runId, ...(execution === undefined ? {} : { execution }) });
  const s3 = s3Client(process.env.AWS_ENDPOINT_URL ?? '', REGION);
  try {
    const items = JSON.parse(await readText(s3, listed.key)) as { id: string; name: string; member: boolean }[];
    await auditAccounts({ Items: items, BatchInput: { runId } });
  } finally {
    s3.destroy();
  }
}

export async function readText(client: S3Client, key: string, bucket = BUCKET): Promise<string> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await response.Body?.transformToString('utf8')) ?? '';
}

export async function keysUnder(client: S3Client, prefix: string, bucket = BUCKET): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key])).sort();
}
