/**
 * The `Resources` of an ASFF finding (src/report/asff.ts): the finding's resource with the
 * Security Hub type and, where the finding knows them, its `Details`; plus the KMS key a trail
 * finding names (TrailHealth.3, CloudTrail.2), so that Security Hub's resource view links both.
 * Only fields of the SDK's AwsCloudTrailTrailDetails / AwsS3BucketDetails / AwsKmsKeyDetails are
 * written; a value the finding does not carry is left out, never guessed.
 */
import type { AwsCloudTrailTrailDetails, AwsKmsKeyDetails, AwsS3BucketDetails } from '@aws-sdk/client-securityhub';
import type { Finding } from '../engine/types.js';

/** ASFF resource types for ours; anything else is `Other`. */
const RESOURCE_TYPES: Readonly<Record<string, string>> = {
  'AWS::CloudTrail::Trail': 'AwsCloudTrailTrail',
  'AWS::S3::Bucket': 'AwsS3Bucket',
  'AWS::KMS::Key': 'AwsKmsKey',
  'AWS::::Account': 'AwsAccount',
};

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/u;

export interface AsffPlacement {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

function stringField(evidence: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = evidence[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function booleanField(evidence: Readonly<Record<string, unknown>>, key: string): boolean | undefined {
  const value = evidence[key];
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * Drops the undefined entries (ASFF has no null for "not known"). Callers declare the SDK's details
 * type on the literal, so a field ASFF does not have fails to compile.
 */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

function trailDetails(finding: Finding): AwsCloudTrailTrailDetails {
  const { evidence, resource } = finding;
  const isArn = resource.id.startsWith('arn:');
  const details: AwsCloudTrailTrailDetails = {
    TrailArn: isArn ? resource.id : undefined,
    Name: resource.name ?? (isArn ? resource.id.slice(resource.id.lastIndexOf('/') + 1) : undefined),
    HomeRegion: stringField(evidence, 'homeRegion'),
    IsMultiRegionTrail: booleanField(evidence, 'isMultiRegion'),
    LogFileValidationEnabled: booleanField(evidence, 'logFileValidationEnabled'),
    KmsKeyId: stringField(evidence, 'kmsKeyId'),
  };
  return defined(details);
}

function bucketDetails(finding: Finding): AwsS3BucketDetails {
  const { resource } = finding;
  const name = resource.name ?? (resource.id.startsWith('arn:') ? resource.id.slice(resource.id.lastIndexOf(':') + 1) : undefined);
  // OwnerAccountId only when the collector established the owner (a foreign bucket's is null).
  const details: AwsS3BucketDetails = { Name: name, OwnerAccountId: resource.accountId ?? undefined };
  return defined(details);
}

/** The key a trail finding names, with what the finding read of it (TrailHealth.3's `kmsKey`). */
function kmsKeyResource(finding: Finding, placement: AsffPlacement): Record<string, unknown> | null {
  const keyId = stringField(finding.evidence, 'kmsKeyId');
  if (keyId === undefined || !KMS_KEY_ARN.test(keyId)) {
    return null;
  }
  const read = finding.evidence.kmsKey;
  const keyState = typeof read === 'object' && read !== null && typeof (read as { keyState?: unknown }).keyState === 'string' ? (read as { keyState: string }).keyState : undefined;
  const region = keyId.split(':')[3] ?? placement.region;
  const details: AwsKmsKeyDetails = { KeyId: keyId, KeyState: keyState };
  return { Type: 'AwsKmsKey', Id: keyId, Partition: placement.partition, Region: region, Details: { AwsKmsKey: defined(details) } };
}

export function asffResources(finding: Finding, placement: AsffPlacement): Record<string, unknown>[] {
  const type = RESOURCE_TYPES[finding.resource.type] ?? 'Other';
  const id = type === 'AwsAccount' ? `AWS::::Account:${placement.accountId}` : finding.resource.id;
  const base = { Type: type, Id: id, Partition: placement.partition, Region: placement.region };
  if (type === 'AwsCloudTrailTrail') {
    const details = trailDetails(finding);
    const key = kmsKeyResource(finding, placement);
    return [{ ...base, Details: { AwsCloudTrailTrail: details } }, ...(key === null ? [] : [key])];
  }
  if (type === 'AwsS3Bucket') {
    return [{ ...base, Details: { AwsS3Bucket: bucketDetails(finding) } }];
  }
  if (type === 'AwsKmsKey') {
    const details: AwsKmsKeyDetails = { KeyId: finding.resource.id };
    return [{ ...base, Details: { AwsKmsKey: details } }];
  }
  return [base];
}
