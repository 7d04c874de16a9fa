/**
 * The example organization: a small Control Tower-shaped estate seeded into one moto_server, used
 * by the organization end-to-end tests and by `npm run demo` (one code path, so the demo shows
 * exactly what the tests prove). The organization itself comes from support/moto/organization.ts
 * (moto's default account is the management account); each member is seeded with the credentials
 * AssumeRole into its OrganizationAccountAccessRole gives (moto keys its state by the account of
 * the caller's credentials, MOTO_NOTES "Organizations / STS").
 *
 *   root
 *   ├── management (caller)   organization trail → the log-archive bucket
 *   ├── log-archive           the organization trail's bucket (no server access logging)
 *   └── OU Workloads
 *       ├── workloads-sandbox nothing of its own: covered by the organization trail only
 *       └── OU Prod
 *           └── workloads-prod its own trail (log file validation off) and bucket
 */
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity } from '@smithy/types';
import { MOTO_CREDENTIALS } from './clients.js';
import { memberCredentials, seedOrganization } from './organization.js';
import { bucketPolicy, createBucket } from './s3.js';

/** The Regions the example organization is audited in (the issue's own command line). */
export const EXAMPLE_ORGANIZATION_REGIONS = ['us-east-1', 'eu-west-1'] as const;
const HOME_REGION = 'us-east-1';

export interface ExampleAccount {
  readonly id: string;
  readonly name: string;
}

export interface ExampleTrail {
  readonly name: string;
  readonly arn: string;
  readonly bucket: string;
  readonly ownerAccountId: string;
}

export interface ExampleOrganization {
  readonly organizationId: string;
  readonly rootId: string;
  /** OU ids: Workloads holds the sandbox and the nested OU Prod, which holds workloads-prod. */
  readonly ous: { readonly workloads: string; readonly prod: string };
  readonly management: ExampleAccount;
  readonly logArchive: ExampleAccount;
  readonly prod: ExampleAccount;
  readonly sandbox: ExampleAccount;
  /** The management account's organization trail, delivering into the log-archive bucket. */
  readonly organizationTrail: ExampleTrail;
  /** workloads-prod's own trail and bucket. */
  readonly prodTrail: ExampleTrail;
  readonly regions: readonly string[];
}

/** One verdict the example organization is seeded to produce (the demo's self-check). */
export interface ExpectedVerdict {
  readonly control: string;
  readonly status: 'PASS' | 'FAIL';
  readonly accountId: string;
  /** The finding's resource id: a trail ARN, `arn:aws:s3:::bucket` or the account id. */
  readonly resource: string;
  readonly why: string;
}

/** A private trail bucket in `account`: Block Public Access on, CloudTrail's delivery policy. */
async function createTrailBucket(endpoint: string, credentials: AwsCredentialIdentity, name: string, deliveringAccount: string): Promise<void> {
  const s3 = new S3Client({ endpoint, region: HOME_REGION, credentials, forcePathStyle: true });
  try {
    await createBucket(s3, name, HOME_REGION);
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: name,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      }),
    );
    await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: bucketPolicy(name, 'cloudtrail', deliveringAccount) }));
  } finally {
    s3.destroy();
  }
}

async function createLoggingTrail(
  endpoint: string,
  credentials: AwsCredentialIdentity,
  ownerAccountId: string,
  spec: { readonly name: string; readonly bucket: string; readonly organization: boolean; readonly logFileValidation: boolean },
): Promise<ExampleTrail> {
  const cloudtrail = new CloudTrailClient({ endpoint, region: HOME_REGION, credentials });
  try {
    const created = await cloudtrail.send(
      new CreateTrailCommand({
        Name: spec.name,
        S3BucketName: spec.bucket,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        IsOrganizationTrail: spec.organization,
        EnableLogFileValidation: spec.logFileValidation,
        TagsList: [{ Key: 'owner', Value: 'security-team' }],
      }),
    );
    // moto accepts only the trail name here (MOTO_NOTES 7).
    await cloudtrail.send(new StartLoggingCommand({ Name: spec.name }));
    return {
      name: spec.name,
      arn: created.TrailARN ?? `arn:aws:cloudtrail:${HOME_REGION}:${ownerAccountId}:trail/${spec.name}`,
      bucket: spec.bucket,
      ownerAccountId,
    };
  } finally {
    cloudtrail.destroy();
  }
}

/** Seed the example organization into an empty moto (call `reset()` first when reusing a server). */
export async function seedExampleOrganization(endpoint: string): Promise<ExampleOrganization> {
  const seeded = await seedOrganization(endpoint, {
    units: [{ name: 'Workloads' }, { name: 'Prod', parent: 'Workloads' }],
    accounts: [{ name: 'log-archive' }, { name: 'workloads-prod', unit: 'Prod' }, { name: 'workloads-sandbox', unit: 'Workloads' }],
  });
  const account = (name: string): ExampleAccount => ({ id: seeded.accountId(name), name });
  const unit = (name: string): string => {
    const id = seeded.units.get(name);
    if (id === undefined) {
      throw new Error(`unit ${name} was not seeded`);
    }
    return id;
  };
  // "master" is what moto's ListAccounts calls the management account.
  const management: ExampleAccount = { id: seeded.managementAccountId, name: 'master' };
  const logArchive = account('log-archive');
  const prod = account('workloads-prod');
  const sandbox = account('workloads-sandbox');

  // Bucket names carry the owner's id, as real log buckets usually do: S3 names are global.
  const organizationBucket = `org-trail-logs-${logArchive.id}`;
  await createTrailBucket(endpoint, await memberCredentials(endpoint, logArchive.id), organizationBucket, management.id);
  const organizationTrail = await createLoggingTrail(endpoint, MOTO_CREDENTIALS, management.id, {
    name: 'organization-trail',
    bucket: organizationBucket,
    organization: true,
    logFileValidation: true,
  });
  const prodCredentials = await memberCredentials(endpoint, prod.id);
  const prodBucket = `workloads-prod-trail-${prod.id}`;
  await createTrailBucket(endpoint, prodCredentials, prodBucket, prod.id);
  const prodTrail = await createLoggingTrail(endpoint, prodCredentials, prod.id, {
    name: 'prod-app',
    bucket: prodBucket,
    organization: false,
    logFileValidation: false,
  });
  return {
    organizationId: seeded.organizationId,
    rootId: seeded.rootId,
    ous: { workloads: unit('Workloads'), prod: unit('Prod') },
    management,
    logArchive,
    prod,
    sandbox,
    organizationTrail,
    prodTrail,
    regions: [...EXAMPLE_ORGANIZATION_REGIONS],
  };
}

/**
 * What an audit of the whole example organization must say (each entry is one finding): the
 * organization joins (coverage credited by the organization trail, its bucket read in the
 * log-archive account) and one seeded misconfiguration in a member.
 */
export function expectedVerdicts(organization: ExampleOrganization): ExpectedVerdict[] {
  const { management, logArchive, prod, sandbox, organizationTrail, prodTrail } = organization;
  const organizationBucket = `arn:aws:s3:::${organizationTrail.bucket}`;
  const covered = (account: ExampleAccount, why: string): ExpectedVerdict => ({
    control: 'CloudTrail.1',
    status: 'PASS',
    accountId: account.id,
    resource: account.id,
    why,
  });
  return [
    covered(management, 'the organization trail is its own multi-Region trail'),
    covered(logArchive, 'credited by the organization trail, which the member does not list itself on moto'),
    covered(sandbox, 'no trail of its own: covered by the organization trail only'),
    covered(prod, 'its own trail and the organization trail'),
    {
      control: 'CloudTrail.2',
      status: 'FAIL',
      accountId: management.id,
      resource: organizationTrail.arn,
      why: 'the organization trail is not encrypted with SSE-KMS (reported once, in the management account)',
    },
    {
      control: 'CloudTrail.4',
      status: 'FAIL',
      accountId: prod.id,
      resource: prodTrail.arn,
      why: "workloads-prod's own trail has log file validation off",
    },
    {
      control: 'CloudTrail.6',
      status: 'PASS',
      accountId: logArchive.id,
      resource: organizationBucket,
      why: 'the log-archive bucket is private, read with the log-archive account’s credentials',
    },
    {
      control: 'CloudTrail.7',
      status: 'FAIL',
      accountId: logArchive.id,
      resource: organizationBucket,
      why: 'the log-archive bucket has no server access logging (a real verdict, not UNKNOWN cross_account)',
    },
  ];
}

/** The part of a report finding the expectations are compared on. */
export interface ReportedFinding {
  readonly control: string;
  readonly status: string;
  readonly resource: { readonly id: string; readonly accountId: string | null };
}

/** The expected verdicts a report does not show (empty: the organization audit says what it should). */
export function missingVerdicts(findings: readonly ReportedFinding[], expected: readonly ExpectedVerdict[]): ExpectedVerdict[] {
  return expected.filter(
    (verdict) =>
      !findings.some(
        (finding) =>
          finding.control === verdict.control &&
          finding.status === verdict.status &&
          finding.resource.id === verdict.resource &&
          finding.resource.accountId === verdict.accountId,
      ),
  );
}
