/**
 * Seed a moto organization for the benchmark (issue 13), in the Control Tower layout: the
 * management account (moto's fixed account, the caller) owns one multi-Region organization trail
 * delivering to a bucket in a log-archive account; every member, the log archive included, has
 * its own trail and bucket in one of a few Regions. Deterministic patterns (not random) so every
 * run of a shape seeds the same estate; only the account ids are moto's (random 12-digit).
 *
 * Returns the numbers the organization minimum-call model (bench/minimum.ts) needs.
 */
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { cloudTrailClient, MOTO_ACCOUNT_ID } from '../support/moto/clients.js';
import { memberCredentials, seedOrganization, type MemberCredentials } from '../support/moto/organization.js';
import { bucketPolicy, createBucket } from '../support/moto/s3.js';

export type OrganizationShapeName = 'org-10' | 'org-50' | 'org-200';

export interface OrganizationShapeSpec {
  readonly name: OrganizationShapeName;
  /** Accounts in the organization, the management account and the log archive included. */
  readonly accounts: number;
}

export const ORGANIZATION_SHAPES: Readonly<Record<OrganizationShapeName, OrganizationShapeSpec>> = {
  'org-10': { name: 'org-10', accounts: 10 },
  'org-50': { name: 'org-50', accounts: 50 },
  'org-200': { name: 'org-200', accounts: 200 },
};

/** A realistic few Regions: most organizations work in two to five and deny the rest by SCP. */
export const ORGANIZATION_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1'] as const;

export const ORGANIZATION_TRAIL_NAME = 'organization-trail';
const ORGANIZATION_BUCKET = 'trailaudit-bench-organization-logs';

/** What was seeded, in the terms the organization minimum-call model uses. */
export interface SeededOrganizationShape {
  readonly spec: OrganizationShapeSpec;
  readonly regions: readonly string[];
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly logArchiveAccountId: string;
  /** Every account, the management account first. */
  readonly accountIds: readonly string[];
  /** Members' own trails (one per member), all single-account trails. */
  readonly memberTrails: number;
  readonly multiRegionMemberTrails: number;
  /** Distinct trail buckets: one per member plus the organization trail's (all with a policy, none public). */
  readonly trailBuckets: number;
  /** How long seeding took (CreateOrganization to the last StartLogging). */
  readonly seedMs: number;
}

interface MemberPlan {
  readonly id: string;
  readonly region: string;
  readonly multiRegion: boolean;
  readonly logging: boolean;
  readonly validation: boolean;
}

// Mostly sound members with a few realistic misconfigurations, so the report has FAILs to show.
function planMember(id: string, index: number): MemberPlan {
  return {
    id,
    region: ORGANIZATION_REGIONS[index % ORGANIZATION_REGIONS.length] ?? 'us-east-1',
    multiRegion: index % 3 !== 2,
    logging: index % 10 !== 7,
    validation: index % 2 === 0,
  };
}

/** One member's trail and bucket, created with that member's assumed-role credentials. */
async function seedMember(endpoint: string, plan: MemberPlan, credentials: MemberCredentials, extraBucket: boolean): Promise<void> {
  const config = { endpoint, region: plan.region, credentials };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const cloudtrail = new CloudTrailClient(config);
  try {
    const bucket = `trailaudit-bench-${plan.id}`;
    await createBucket(s3, bucket, plan.region, { ownership: 'BucketOwnerEnforced' });
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: bucketPolicy(bucket, 'cloudtrail', plan.id) }));
    if (extraBucket) {
      // The log archive's bucket for the organization trail; us-east-1, the trail's home.
      const archive = new S3Client({ ...config, region: 'us-east-1', forcePathStyle: true });
      try {
        await createBucket(archive, ORGANIZATION_BUCKET, 'us-east-1', { ownership: 'BucketOwnerEnforced' });
        // Delivered to by the management account's organization trail.
        await archive.send(new PutBucketPolicyCommand({ Bucket: ORGANIZATION_BUCKET, Policy: bucketPolicy(ORGANIZATION_BUCKET, 'cloudtrail', MOTO_ACCOUNT_ID) }));
      } finally {
        archive.destroy();
      }
    }
    await cloudtrail.send(
      new CreateTrailCommand({
        Name: 'member-trail',
        S3BucketName: bucket,
        IsMultiRegionTrail: plan.multiRegion,
        EnableLogFileValidation: plan.validation,
        TagsList: [{ Key: 'owner', Value: 'bench' }],
      }),
    );
    if (plan.logging) {
      await cloudtrail.send(new StartLoggingCommand({ Name: 'member-trail' }));
    }
  } finally {
    s3.destroy();
    cloudtrail.destroy();
  }
}

/**
 * Seed the shape into an empty (reset) moto. Members are seeded `concurrency` at a time: moto is
 * one Python process, so more in flight only queue there.
 */
export async function seedOrganizationShape(endpoint: string, spec: OrganizationShapeSpec, concurrency = 16): Promise<SeededOrganizationShape> {
  const started = performance.now();
  if (spec.accounts < 2) {
    throw new Error(`shape ${spec.name}: an organization needs a management and a log-archive account`);
  }
  const width = String(spec.accounts).length;
  const organization = await seedOrganization(endpoint, {
    accounts: Array.from({ length: spec.accounts - 1 }, (_, i) => ({
      name: i === 0 ? 'log-archive' : `member-${String(i).padStart(width, '0')}`,
    })),
  });
  const members = organization.accounts.map((account, index) => planMember(account.id, index));
  const logArchive = members[0];
  if (logArchive === undefined) {
    throw new Error('moto created no log-archive account');
  }
  const limit = pLimit(concurrency);
  await Promise.all(
    members.map((plan) =>
      limit(async () => {
        await seedMember(endpoint, plan, await memberCredentials(endpoint, plan.id), plan === logArchive);
      }),
    ),
  );
  // The bucket is the log archive's, so the trail can only be created once the bucket exists.
  const cloudtrail = cloudTrailClient(endpoint, 'us-east-1');
  try {
    await cloudtrail.send(
      new CreateTrailCommand({
        Name: ORGANIZATION_TRAIL_NAME,
        S3BucketName: ORGANIZATION_BUCKET,
        IsMultiRegionTrail: true,
        IsOrganizationTrail: true,
        EnableLogFileValidation: true,
        TagsList: [{ Key: 'owner', Value: 'security' }],
      }),
    );
    await cloudtrail.send(new StartLoggingCommand({ Name: ORGANIZATION_TRAIL_NAME }));
  } finally {
    cloudtrail.destroy();
  }
  return {
    spec,
    regions: [...ORGANIZATION_REGIONS],
    organizationId: organization.organizationId,
    managementAccountId: MOTO_ACCOUNT_ID,
    logArchiveAccountId: logArchive.id,
    accountIds: [MOTO_ACCOUNT_ID, ...members.map((member) => member.id)],
    memberTrails: members.length,
    multiRegionMemberTrails: members.filter((member) => member.multiRegion).length,
    trailBuckets: members.length + 1,
    seedMs: Math.round(performance.now() - started),
  };
}
