/**
 * Seed a realistic, deliberately imperfect AWS account into moto for `npm run demo` and the demo
 * tests. Everything is created with the real AWS SDK v3 clients, so the demo exercises the same
 * wire protocols as an audit of a real account.
 */
import {
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  type AdvancedEventSelector,
  type EventSelector,
  type Tag,
} from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  type ObjectOwnership,
} from '@aws-sdk/client-s3';
import { PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { cloudTrailClient, kmsClient, MOTO_ACCOUNT_ID, s3Client, s3ControlClient } from '../support/moto/clients.js';
import { bucketPolicy, createBucket, enableAccessLogging, grantLogDelivery, grantPublicRead } from '../support/moto/s3.js';
import {
  DISABLED_KEY_REGION,
  NON_ROTATING_KEY_REGION,
  REGION_WITHOUT_SECURITY_HUB,
  UNALARMED_CONTROL,
  seedMonitoring,
} from './seedMonitoring.js';

/** moto's fixed account (it accepts any credentials). */
export const DEMO_ACCOUNT_ID = MOTO_ACCOUNT_ID;
export const DEMO_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;

export function trailArn(region: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${DEMO_ACCOUNT_ID}:trail/${name}`;
}

export interface ExpectedFinding {
  readonly control: string;
  /** Trail ARN or `arn:aws:s3:::bucket`. */
  readonly resource: string;
  readonly status: 'FAIL';
  readonly why: string;
  /** Suppressed by demo/rules.yaml (does not affect the exit code). */
  readonly suppressed: boolean;
}

export interface DemoTrail {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly multiRegion: boolean;
  readonly bucket: string;
  readonly logging: boolean;
  readonly logFileValidation: boolean;
  readonly kmsKeyId: string | null;
  readonly cloudWatchLogsLogGroupArn: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly selectors: 'default' | 'basic-excluding-kms' | 'advanced';
  /** What this trail shows in the demo. */
  readonly purpose: string;
}

export interface DemoBucket {
  readonly name: string;
  readonly region: string;
  /** Server access logging target, or null when access logging is off. */
  readonly accessLogTarget: string | null;
  readonly publicVia: readonly ('acl' | 'policy')[];
  readonly hasPolicy: boolean;
  readonly blockPublicAccess: boolean;
  readonly purpose: string;
}

export interface DemoAccount {
  readonly accountId: string;
  readonly regions: readonly string[];
  readonly kmsKeyArns: Readonly<Record<string, string>>;
  readonly trails: readonly DemoTrail[];
  readonly buckets: readonly DemoBucket[];
  readonly expectedFailures: readonly ExpectedFinding[];
}

interface BucketSpec {
  readonly name: string;
  readonly region: string;
  readonly ownership: ObjectOwnership;
  /** Receives other buckets' server access logs. */
  readonly logDeliveryTarget: boolean;
  readonly accessLogTarget: string | null;
  readonly blockPublicAccess: boolean;
  readonly policy: 'cloudtrail' | 'cloudtrail+public' | null;
  readonly publicAcl: boolean;
  readonly purpose: string;
}


async function createDemoBucket(endpoint: string, spec: BucketSpec): Promise<void> {
  const s3 = s3Client(endpoint, spec.region);
  try {
    await createBucket(s3, spec.name, spec.region, { ownership: spec.ownership });
    // Explicit, because the default differs between AWS (BucketOwnerEnforced since 2023) and moto.
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: spec.name,
        OwnershipControls: { Rules: [{ ObjectOwnership: spec.ownership }] },
      }),
    );
    if (spec.blockPublicAccess) {
      await s3.send(
        new PutPublicAccessBlockCommand({
          Bucket: spec.name,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
      );
    }
    if (spec.policy !== null) {
      await s3.send(new PutBucketPolicyCommand({ Bucket: spec.name, Policy: bucketPolicy(spec.name, spec.policy) }));
    }
    if (spec.logDeliveryTarget) {
      await grantLogDelivery(s3, spec.name);
    }
    if (spec.publicAcl) {
      await grantPublicRead(s3, spec.name);
    }
    if (spec.accessLogTarget !== null) {
      await enableAccessLogging(s3, spec.name, spec.accessLogTarget);
    }
  } finally {
    s3.destroy();
  }
}

interface TrailSpec {
  readonly name: string;
  readonly region: string;
  readonly multiRegion: boolean;
  readonly bucket: string;
  readonly logging: boolean;
  readonly logFileValidation: boolean;
  readonly kms: boolean;
  readonly cloudWatchLogs: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly selectors: DemoTrail['selectors'];
  readonly purpose: string;
}

const BASIC_EXCLUDING_KMS: EventSelector[] = [
  {
    ReadWriteType: 'All',
    IncludeManagementEvents: true,
    DataResources: [],
    ExcludeManagementEventSources: ['kms.amazonaws.com'],
  },
];

/** Write-only management events plus S3 data events on the finance bucket, in the field-selector algebra. */
function advancedSelectors(dataBucket: string): AdvancedEventSelector[] {
  return [
    {
      Name: 'Management write events',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Management'] },
        { Field: 'readOnly', Equals: ['false'] },
      ],
    },
    {
      Name: 'S3 object writes in the finance bucket',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        { Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${dataBucket}/`] },
        { Field: 'readOnly', Equals: ['false'] },
      ],
    },
  ];
}

function toTagList(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

async function createDemoTrail(
  endpoint: string,
  spec: TrailSpec,
  kmsKeyArn: string,
  dataBucket: string,
): Promise<DemoTrail> {
  const cloudtrail = cloudTrailClient(endpoint, spec.region);
  const logGroupArn = `arn:aws:logs:${spec.region}:${DEMO_ACCOUNT_ID}:log-group:aws-cloudtrail-logs-${spec.name}:*`;
  try {
    const created = await cloudtrail.send(
      new CreateTrailCommand({
        Name: spec.name,
        S3BucketName: spec.bucket,
        IsMultiRegionTrail: spec.multiRegion,
        IncludeGlobalServiceEvents: spec.multiRegion,
        EnableLogFileValidation: spec.logFileValidation,
        ...(spec.kms ? { KmsKeyId: kmsKeyArn } : {}),
        ...(spec.cloudWatchLogs
          ? {
              CloudWatchLogsLogGroupArn: logGroupArn,
              CloudWatchLogsRoleArn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:role/CloudTrailToCloudWatchLogs`,
            }
          : {}),
        ...(Object.keys(spec.tags).length > 0 ? { TagsList: toTagList(spec.tags) } : {}),
      }),
    );
    const arn = created.TrailARN ?? trailArn(spec.region, spec.name);
    if (spec.selectors === 'basic-excluding-kms') {
      await cloudtrail.send(new PutEventSelectorsCommand({ TrailName: spec.name, EventSelectors: BASIC_EXCLUDING_KMS }));
    } else if (spec.selectors === 'advanced') {
      await cloudtrail.send(
        new PutEventSelectorsCommand({ TrailName: spec.name, AdvancedEventSelectors: advancedSelectors(dataBucket) }),
      );
    }
    if (spec.logging) {
      // moto accepts only the trail name here (an ARN gives HTTP 500, MOTO_NOTES 7).
      await cloudtrail.send(new StartLoggingCommand({ Name: spec.name }));
    }
    return {
      name: spec.name,
      arn,
      homeRegion: spec.region,
      multiRegion: spec.multiRegion,
      bucket: spec.bucket,
      logging: spec.logging,
      logFileValidation: spec.logFileValidation,
      kmsKeyId: spec.kms ? kmsKeyArn : null,
      cloudWatchLogsLogGroupArn: spec.cloudWatchLogs ? logGroupArn : null,
      tags: spec.tags,
      selectors: spec.selectors,
      purpose: spec.purpose,
    };
  } finally {
    cloudtrail.destroy();
  }
}

async function createKmsKey(endpoint: string, region: string): Promise<string> {
  const kms = kmsClient(endpoint, region);
  try {
    const key = await kms.send(
      new CreateKeyCommand({ Description: `trailaudit demo: CloudTrail log encryption (${region})`, KeyUsage: 'ENCRYPT_DECRYPT' }),
    );
    const arn = key.KeyMetadata?.Arn;
    if (arn === undefined) {
      throw new Error(`moto KMS returned no key ARN in ${region}`);
    }
    return arn;
  } finally {
    kms.destroy();
  }
}

/**
 * Turn account-level Block Public Access explicitly off: the demo account must show bucket-level
 * exposure, which an account-wide block would neutralise.
 */
async function putAccountPublicAccessBlock(endpoint: string): Promise<void> {
  const control = s3ControlClient(endpoint, 'us-east-1');
  try {
    await control.send(
      new PutAccountPublicAccessBlockCommand({
        AccountId: DEMO_ACCOUNT_ID,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: false,
          IgnorePublicAcls: false,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: false,
        },
      }),
    );
  } finally {
    control.destroy();
  }
}

// Bucket names carry the account id, as real log buckets usually do, which keeps them globally unique.
const ACCESS_LOGS = `trailaudit-demo-access-logs-${DEMO_ACCOUNT_ID}`;
const MAIN_LOGS = `trailaudit-demo-cloudtrail-${DEMO_ACCOUNT_ID}`;
const LEGACY_LOGS = `trailaudit-demo-legacy-eu-${DEMO_ACCOUNT_ID}`;
const PUBLIC_LOGS = `trailaudit-demo-shared-reports-${DEMO_ACCOUNT_ID}`;
const FINANCE_DATA = `trailaudit-demo-finance-data-${DEMO_ACCOUNT_ID}`;

const BUCKETS: readonly BucketSpec[] = [
  {
    name: ACCESS_LOGS,
    region: 'us-east-1',
    // ACL-based log delivery needs ACLs enabled (BucketOwnerEnforced would disable them on AWS).
    ownership: 'BucketOwnerPreferred',
    logDeliveryTarget: true,
    accessLogTarget: null,
    blockPublicAccess: true,
    policy: null,
    publicAcl: false,
    purpose: 'server access log target; not a trail bucket, so never audited',
  },
  {
    name: MAIN_LOGS,
    region: 'us-east-1',
    ownership: 'BucketOwnerEnforced',
    logDeliveryTarget: false,
    accessLogTarget: ACCESS_LOGS,
    blockPublicAccess: true,
    policy: 'cloudtrail',
    publicAcl: false,
    purpose: 'central trail bucket: private, Block Public Access on, server access logging on',
  },
  {
    name: LEGACY_LOGS,
    region: 'eu-west-1',
    ownership: 'BucketOwnerEnforced',
    logDeliveryTarget: false,
    accessLogTarget: null,
    blockPublicAccess: true,
    policy: 'cloudtrail',
    publicAcl: false,
    purpose: 'private, but without server access logging',
  },
  {
    name: PUBLIC_LOGS,
    region: 'ap-southeast-2',
    ownership: 'BucketOwnerPreferred',
    logDeliveryTarget: false,
    accessLogTarget: null,
    blockPublicAccess: false,
    policy: 'cloudtrail+public',
    publicAcl: true,
    purpose: 'public through an AllUsers READ grant and a Principal "*" policy; no access logging',
  },
  {
    name: FINANCE_DATA,
    region: 'us-east-1',
    ownership: 'BucketOwnerEnforced',
    logDeliveryTarget: false,
    accessLogTarget: ACCESS_LOGS,
    blockPublicAccess: true,
    policy: null,
    publicAcl: false,
    purpose: 'application data whose object writes the data-events trail records',
  },
];

const STANDARD_TAGS = { owner: 'security-team', env: 'prod' } as const;

const TRAILS: readonly TrailSpec[] = [
  {
    name: 'org-main',
    region: 'us-east-1',
    multiRegion: true,
    bucket: MAIN_LOGS,
    logging: true,
    logFileValidation: true,
    kms: true,
    cloudWatchLogs: true,
    tags: STANDARD_TAGS,
    selectors: 'default',
    purpose: 'compliant multi-region trail: KMS, log file validation, CloudWatch Logs, tags',
  },
  {
    name: 'legacy-eu',
    region: 'eu-west-1',
    multiRegion: false,
    bucket: LEGACY_LOGS,
    logging: true,
    logFileValidation: false,
    kms: false,
    cloudWatchLogs: false,
    tags: { owner: 'platform-team' },
    selectors: 'default',
    purpose: 'legacy single-region trail: no log file validation, no KMS, no CloudWatch Logs',
  },
  {
    name: 'shared-reports',
    region: 'ap-southeast-2',
    multiRegion: false,
    bucket: PUBLIC_LOGS,
    logging: true,
    logFileValidation: true,
    kms: true,
    cloudWatchLogs: true,
    tags: { owner: 'analytics', env: 'prod' },
    selectors: 'default',
    purpose: 'well configured trail delivering to a public bucket',
  },
  {
    name: 'app-audit',
    region: 'eu-west-1',
    multiRegion: false,
    bucket: MAIN_LOGS,
    logging: true,
    logFileValidation: true,
    kms: true,
    cloudWatchLogs: true,
    tags: {},
    selectors: 'default',
    purpose: 'untagged trail sharing the central bucket',
  },
  {
    name: 'finance-data-events',
    region: 'us-east-1',
    multiRegion: false,
    bucket: MAIN_LOGS,
    logging: true,
    logFileValidation: true,
    kms: true,
    cloudWatchLogs: true,
    tags: STANDARD_TAGS,
    selectors: 'advanced',
    purpose: 'advanced event selectors: write-only management events plus S3 object writes',
  },
  {
    name: 'all-but-kms',
    region: 'us-east-1',
    multiRegion: true,
    bucket: MAIN_LOGS,
    logging: true,
    logFileValidation: true,
    kms: true,
    cloudWatchLogs: true,
    tags: STANDARD_TAGS,
    selectors: 'basic-excluding-kms',
    purpose: 'multi-region trail whose basic selector excludes kms.amazonaws.com (does not satisfy CloudTrail.1 on its own)',
  },
  {
    name: 'dr-standby',
    region: 'ap-southeast-2',
    multiRegion: true,
    bucket: MAIN_LOGS,
    logging: false,
    logFileValidation: true,
    kms: true,
    cloudWatchLogs: true,
    tags: STANDARD_TAGS,
    selectors: 'default',
    purpose: 'stopped multi-region trail (not logging): counts for no coverage',
  },
];

function expectedFailures(trails: readonly DemoTrail[]): ExpectedFinding[] {
  const arnOf = (name: string): string => {
    const trail = trails.find((candidate) => candidate.name === name);
    if (trail === undefined) {
      throw new Error(`demo trail ${name} was not created`);
    }
    return trail.arn;
  };
  const failure = (control: string, resource: string, why: string, suppressed = false): ExpectedFinding => ({
    control,
    resource,
    status: 'FAIL',
    why,
    suppressed,
  });
  return [
    failure('CloudTrail.2', arnOf('legacy-eu'), 'no SSE-KMS encryption'),
    failure('CloudTrail.4', arnOf('legacy-eu'), 'log file validation off (suppressed until 2027-06-30)', true),
    failure('CloudTrail.5', arnOf('legacy-eu'), 'no CloudWatch Logs integration'),
    failure('CloudTrail.6', `arn:aws:s3:::${PUBLIC_LOGS}`, 'AllUsers READ grant and a Principal "*" policy statement'),
    failure('CloudTrail.7', `arn:aws:s3:::${LEGACY_LOGS}`, 'server access logging off'),
    failure('CloudTrail.7', `arn:aws:s3:::${PUBLIC_LOGS}`, 'server access logging off'),
    failure('CloudTrail.9', arnOf('app-audit'), 'no tags (requiredTagKeys: owner); its suppression expired'),
    failure(UNALARMED_CONTROL, DEMO_ACCOUNT_ID, 'org-main logs root usage to a metric filter, but no alarm watches its metric'),
    failure('S3.22', DEMO_ACCOUNT_ID, 'no multi-Region trail logs S3 object writes for all buckets (finance-data-events covers one bucket, one Region)'),
    failure('S3.23', DEMO_ACCOUNT_ID, 'no trail logs S3 object reads'),
    failure('TrailHealth.3', arnOf('app-audit'), `its KMS key (${DISABLED_KEY_REGION}) is disabled: CloudTrail cannot encrypt, so no log is delivered`),
    failure('TrailHealth.4', arnOf('shared-reports'), `its KMS key (${NON_ROTATING_KEY_REGION}) does not rotate automatically`),
    failure('TrailHealth.4', arnOf('dr-standby'), `shares shared-reports' KMS key (${NON_ROTATING_KEY_REGION}), which does not rotate`),
    failure('TrailHealth.4', arnOf('app-audit'), `its KMS key (${DISABLED_KEY_REGION}) is disabled, and AWS rotates only enabled keys`),
    failure(
      'CIS.4.16',
      `arn:aws:securityhub:${REGION_WITHOUT_SECURITY_HUB}:${DEMO_ACCOUNT_ID}:hub/default`,
      `Security Hub is not enabled in ${REGION_WITHOUT_SECURITY_HUB}`,
    ),
  ];
}

/**
 * Create the demo account. Assumes an empty moto (call `reset()` first when reusing a server).
 * Buckets first (CreateTrail needs the bucket), then trails, all independent steps concurrently.
 */
export async function seedDemoAccount(endpoint: string): Promise<DemoAccount> {
  const accessLogs = BUCKETS.filter((bucket) => bucket.logDeliveryTarget);
  const others = BUCKETS.filter((bucket) => !bucket.logDeliveryTarget);
  const [kmsKeys] = await Promise.all([
    Promise.all(DEMO_REGIONS.map(async (region) => [region, await createKmsKey(endpoint, region)] as const)),
    Promise.all(accessLogs.map((spec) => createDemoBucket(endpoint, spec))),
    putAccountPublicAccessBlock(endpoint),
  ]);
  // The access-log target must exist before other buckets point their logging at it.
  await Promise.all(others.map((spec) => createDemoBucket(endpoint, spec)));
  const kmsKeyArns = Object.fromEntries(kmsKeys);
  const trails = await Promise.all(
    TRAILS.map((spec) => {
      const key = kmsKeyArns[spec.region];
      if (key === undefined) {
        throw new Error(`no demo KMS key in ${spec.region}`);
      }
      return createDemoTrail(endpoint, spec, key, FINANCE_DATA);
    }),
  );
  await seedMonitoring(endpoint, DEMO_ACCOUNT_ID, DEMO_REGIONS, trails, kmsKeyArns);
  return {
    accountId: DEMO_ACCOUNT_ID,
    regions: [...DEMO_REGIONS],
    kmsKeyArns,
    trails,
    buckets: BUCKETS.map((spec) => ({
      name: spec.name,
      region: spec.region,
      accessLogTarget: spec.accessLogTarget,
      publicVia: [...(spec.publicAcl ? (['acl'] as const) : []), ...(spec.policy === 'cloudtrail+public' ? (['policy'] as const) : [])],
      hasPolicy: spec.policy !== null,
      blockPublicAccess: spec.blockPublicAccess,
      purpose: spec.purpose,
    })),
    expectedFailures: expectedFailures(trails),
  };
}
