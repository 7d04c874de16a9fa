/**
 * The trail behind an ARN: its bucket, key prefix and whether it is an organization trail
 * (cloudtrail:DescribeTrails in the trail's home region, matched on TrailARN; moto ignores
 * trailNameList, so the match is what decides).
 */
import { DescribeTrailsCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { classifyError } from '../../collect/live/errors.js';
import type { CallCounter } from './callCounter.js';
import { TrailauditError } from '../../errors.js';

export interface TrailArn {
  readonly arn: string;
  readonly partition: string;
  readonly homeRegion: string;
  readonly accountId: string;
  readonly name: string;
}

/** The AWS CLI's shape check, with the parts split out; null when it is not a trail ARN. */
export function parseTrailArn(arn: string): TrailArn | null {
  const match = /^arn:([^:]+):cloudtrail:([^:]+):(\d{12}):trail\/(.+)$/u.exec(arn);
  if (match === null) {
    return null;
  }
  const [, partition = '', homeRegion = '', accountId = '', path = ''] = match;
  // A trail name cannot contain "/"; the CLI takes the last segment.
  return { arn, partition, homeRegion, accountId, name: path.split('/').pop() ?? path };
}

export interface ResolvedTrail {
  readonly bucket: string;
  readonly prefix: string | null;
  readonly organizationTrail: boolean;
  /** IsMultiRegionTrail now: a single-Region trail delivers digests for its home Region only. */
  readonly multiRegion: boolean;
}

export class TrailResolutionError extends TrailauditError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrailResolutionError';
  }
}

export async function resolveTrail(client: CloudTrailClient, trail: TrailArn, calls: CallCounter): Promise<ResolvedTrail> {
  calls.count('cloudtrail:DescribeTrails');
  let trails;
  try {
    ({ trailList: trails } = await client.send(new DescribeTrailsCommand({ trailNameList: [trail.arn], includeShadowTrails: true })));
  } catch (error) {
    // Worded as the audit words its failures (timeouts, closed connections, HTML error pages).
    const detail = classifyError(error, { action: 'cloudtrail:DescribeTrails', region: trail.homeRegion, resource: `trail ${trail.arn}` });
    throw new TrailResolutionError(detail.message, { cause: error });
  }
  const found = (trails ?? []).find((candidate) => candidate.TrailARN === trail.arn);
  if (found === undefined) {
    throw new TrailResolutionError(`trail ${trail.arn} was not found in ${trail.homeRegion} (cloudtrail:DescribeTrails)`);
  }
  if (found.S3BucketName === undefined || found.S3BucketName === '') {
    throw new TrailResolutionError(`trail ${trail.arn} has no S3 bucket`);
  }
  return {
    bucket: found.S3BucketName,
    prefix: found.S3KeyPrefix === undefined || found.S3KeyPrefix === '' ? null : found.S3KeyPrefix.replace(/\/+$/u, ''),
    organizationTrail: found.IsOrganizationTrail === true,
    multiRegion: found.IsMultiRegionTrail === true,
  };
}
