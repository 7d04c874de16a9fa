/**
 * Seed benchmark accounts of a given shape into moto, quickly (bounded concurrency), and return
 * the numbers the minimum-call formula (bench/minimum.ts) needs. The shapes are synthetic but
 * mix what real accounts have: multi- and single-region trails, trails sharing a bucket, public
 * buckets, buckets with policies, access logging to non-trail buckets, tagged and untagged trails,
 * and (medium, large) a monitored trail, log groups and KMS keys (seedMonitoring.ts).
 */
import { CreateTrailCommand, StartLoggingCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { PutBucketPolicyCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { bucketPolicy, createBucket, enableAccessLogging, grantLogDelivery, grantPublicRead } from '../support/moto/s3.js';
import { cloudTrailClient, s3Client } from '../support/moto/clients.js';
import { CLOUDTRAIL_LOGS_ROLE_ARN } from '../support/moto/monitoring.js';
import { seedMonitoring, type SeededMonitoring } from './seedMonitoring.js';

export type ShapeName = 'small' | 'medium' | 'large';

export interface ShapeSpec {
  readonly name: ShapeName;
  readonly trails: number;
  readonly buckets: number;
  readonly regions: number;
}

export const SHAPES: Readonly<Record<ShapeName, ShapeSpec>> = {
  small: { name: 'small', trails: 3, buckets: 2, regions: 2 },
  medium: { name: 'medium', trails: 50, buckets: 30, regions: 17 },
  large: { name: 'large', trails: 500, buckets: 200, regions: 17 },
};

/** The 17 regions enabled by default in a commercial AWS account (no opt-in regions). */
export const DEFAULT_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;

/** What was seeded, in the terms the minimum-call formula uses. */
export interface SeededShape {
  readonly spec: ShapeSpec;
  readonly regions: readonly string[];
  /** Distinct trails, all owned by the audited account. */
  readonly trails: number;
  readonly multiRegionTrails: number;
  /** Own trails per home region (regions without trails omitted). */
  readonly trailsByHomeRegion: Readonly<Record<string, number>>;
  /** Distinct buckets that some trail delivers to. */
  readonly trailBuckets: number;
  /** Trail buckets that have a bucket policy. */
  readonly trailBucketsWithPolicy: number;
  /** Trail buckets public through their ACL or their policy (before Block Public Access). */
  readonly publicTrailBuckets: number;
  /** Trail buckets whose ACL grants a public group access. */
  readonly publicAclTrailBuckets: number;
  readonly loggingTrailBuckets: number;
  /** Every bucket in the account, including access-log targets no trail uses. */
  readonly allBuckets: number;
  /** CloudTrail Lake event data stores (moto cannot create any). */
  readonly eventDataStores: number;
  /** Distinct CloudWatch Logs log groups trails deliver to. */
  readonly logGroups: number;
  /** Of those, the log groups of multi-Region trails (the only ones whose metric filters can count). */
  readonly monitoredLogGroups: number;
  /** DescribeAlarms pages over the Regions holding a monitored log group (one page = 100 alarms). */
  readonly alarmPages: number;
  /** Distinct SNS topics named by alarms on the metric filters' metrics. */
  readonly alarmTopics: number;
  /** Distinct KMS keys trails encrypt with. */
  readonly kmsKeys: number;
  readonly seedMs: number;
}

interface BucketPlan {
  readonly name: string;
  readonly region: string;
  readonly publicAcl: boolean;
  readonly policy: 'cloudtrail' | 'cloudtrail+public' | null;
  readonly accessLogging: boolean;
}

interface TrailPlan {
  readonly name: string;
  readonly region: string;
  readonly multiRegion: boolean;
  readonly bucket: string;
  readonly logging: boolean;
  readonly validation: boolean;
  readonly tagged: boolean;
}

const pad = (n: number): string => String(n).padStart(4, '0');

// Deterministic patterns (not random) so that every run of a shape seeds the same account.
function planBuckets(spec: ShapeSpec, regions: readonly string[]): BucketPlan[] {
  return Array.from({ length: spec.buckets }, (_, j) => ({
    name: `trailaudit-bench-${pad(j)}`,
    region: regions[j % regions.length] ?? 'us-east-1',
    publicAcl: j % 5 === 4,
    policy: j % 4 === 1 ? 'cloudtrail' : j % 8 === 3 ? 'cloudtrail+public' : null,
    accessLogging: j % 3 === 0,
  }));
}

function planTrails(spec: ShapeSpec, regions: readonly string[], buckets: readonly BucketPlan[]): TrailPlan[] {
  return Array.from({ length: spec.trails }, (_, i) => ({
    name: `bench-trail-${pad(i)}`,
    region: regions[i % regions.length] ?? 'us-east-1',
    multiRegion: i % 10 === 0,
    // Trails cycle over the buckets, so with more trails than buckets some share one.
    bucket: buckets[i % buckets.length]?.name ?? '',
    logging: i % 7 !== 3,
    validation: i % 3 !== 2,
    tagged: i % 2 === 0,
  }));
}

/** A client per (service, region), shared by all concurrent seeding calls. */
class Clients {
  private readonly cloudtrail = new Map<string, CloudTrailClient>();
  private readonly s3 = new Map<string, S3Client>();
  constructor(private readonly endpoint: string) {}

  trail(region: string): CloudTrailClient {
    let client = this.cloudtrail.get(region);
    if (client === undefined) {
      client = cloudTrailClient(this.endpoint, region);
      this.cloudtrail.set(region, client);
    }
    return client;
  }

  bucket(region: string): S3Client {
    let client = this.s3.get(region);
    if (client === undefined) {
      client = s3Client(this.endpoint, region);
      this.s3.set(region, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of [...this.cloudtrail.values(), ...this.s3.values()]) {
      client.destroy();
    }
  }
}

/** The log group and KMS key a trail names, when the monitoring seeding gave it any. */
function logDelivery(monitoring: SeededMonitoring | undefined, trail: string): { CloudWatchLogsLogGroupArn?: string; CloudWatchLogsRoleArn?: string; KmsKeyId?: string } {
  const logGroup = monitoring?.logGroupArnByTrail.get(trail);
  const key = monitoring?.kmsKeyByTrail.get(trail);
  return {
    ...(logGroup === undefined ? {} : { CloudWatchLogsLogGroupArn: logGroup, CloudWatchLogsRoleArn: CLOUDTRAIL_LOGS_ROLE_ARN }),
    ...(key === undefined ? {} : { KmsKeyId: key }),
  };
}

function accessLogBucketName(region: string): string {
  return `trailaudit-bench-access-logs-${region}`;
}

/**
 * Seed the shape into an empty moto. `concurrency` bounds in-flight calls: moto is a single
 * Python process, so more than a few dozen only queue there.
 */
export async function seedShape(endpoint: string, spec: ShapeSpec, concurrency = 16): Promise<SeededShape> {
  const started = performance.now();
  const regions = DEFAULT_REGIONS.slice(0, spec.regions);
  if (regions.length < spec.regions) {
    throw new Error(`shape ${spec.name} wants ${spec.regions} regions; only ${DEFAULT_REGIONS.length} are defined`);
  }
  const buckets = planBuckets(spec, regions);
  const trails = planTrails(spec, regions, buckets);
  const limit = pLimit(concurrency);
  const clients = new Clients(endpoint);
  let monitoring: SeededMonitoring | undefined;
  try {
    // The small shape stays a trails-and-buckets account; the others get log groups, alarms and keys.
    monitoring = spec.name === 'small' ? undefined : await seedMonitoring(endpoint, trails, limit);
    // moto requires the server access log target in the bucket's own region (MOTO_NOTES 15).
    const logRegions = [...new Set(buckets.filter((bucket) => bucket.accessLogging).map((bucket) => bucket.region))];
    await Promise.all(
      logRegions.map((region) =>
        limit(async () => {
          const s3 = clients.bucket(region);
          await createBucket(s3, accessLogBucketName(region), region, { ownership: 'BucketOwnerPreferred' });
          await grantLogDelivery(s3, accessLogBucketName(region));
        }),
      ),
    );
    await Promise.all(
      buckets.map((bucket) =>
        limit(async () => {
          const s3 = clients.bucket(bucket.region);
          await createBucket(s3, bucket.name, bucket.region, {
            ownership: bucket.publicAcl ? 'BucketOwnerPreferred' : 'BucketOwnerEnforced',
          });
          if (bucket.policy !== null) {
            await s3.send(new PutBucketPolicyCommand({ Bucket: bucket.name, Policy: bucketPolicy(bucket.name, bucket.policy) }));
          }
          if (bucket.publicAcl) {
            await grantPublicRead(s3, bucket.name);
          }
          if (bucket.accessLogging) {
            await enableAccessLogging(s3, bucket.name, accessLogBucketName(bucket.region));
          }
        }),
      ),
    );
    await Promise.all(
      trails.map((trail) =>
        limit(async () => {
          const cloudtrail = clients.trail(trail.region);
          await cloudtrail.send(
            new CreateTrailCommand({
              Name: trail.name,
              S3BucketName: trail.bucket,
              IsMultiRegionTrail: trail.multiRegion,
              EnableLogFileValidation: trail.validation,
              ...logDelivery(monitoring, trail.name),
              ...(trail.tagged ? { TagsList: [{ Key: 'owner', Value: 'bench' }] } : {}),
            }),
          );
          if (trail.logging) {
            await cloudtrail.send(new StartLoggingCommand({ Name: trail.name }));
          }
        }),
      ),
    );
  } finally {
    clients.destroy();
  }

  const usedBuckets = new Set(trails.map((trail) => trail.bucket));
  const trailBuckets = buckets.filter((bucket) => usedBuckets.has(bucket.name));
  const trailsByHomeRegion: Record<string, number> = {};
  for (const trail of trails) {
    trailsByHomeRegion[trail.region] = (trailsByHomeRegion[trail.region] ?? 0) + 1;
  }
  return {
    spec,
    regions,
    trails: trails.length,
    multiRegionTrails: trails.filter((trail) => trail.multiRegion).length,
    trailsByHomeRegion,
    trailBuckets: trailBuckets.length,
    trailBucketsWithPolicy: trailBuckets.filter((bucket) => bucket.policy !== null).length,
    publicTrailBuckets: trailBuckets.filter((bucket) => bucket.publicAcl || bucket.policy === 'cloudtrail+public').length,
    publicAclTrailBuckets: trailBuckets.filter((bucket) => bucket.publicAcl).length,
    loggingTrailBuckets: trailBuckets.filter((bucket) => bucket.accessLogging).length,
    allBuckets: buckets.length + new Set(buckets.filter((bucket) => bucket.accessLogging).map((bucket) => bucket.region)).size,
    eventDataStores: 0,
    logGroups: monitoring?.logGroups ?? 0,
    monitoredLogGroups: monitoring?.monitoredLogGroups ?? 0,
    alarmPages: monitoring?.alarmPages ?? 0,
    alarmTopics: monitoring?.alarmTopics ?? 0,
    kmsKeys: monitoring?.kmsKeys ?? 0,
    seedMs: Math.round(performance.now() - started),
  };
}
