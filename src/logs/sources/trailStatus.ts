/**
 * cloudtrail:GetTrailStatus for validate-logs, in the trail's home Region and by ARN (the ARN is
 * what works for an organization trail seen from a member account). It tells a trail that stopped
 * logging (a gap) from digests that were deleted (a missing tail), and when CloudTrail last
 * delivered a digest. A failure is kept as the reason it could not be read — never read as "not
 * logging", which would excuse a missing tail without evidence.
 */
import { GetTrailStatusCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { TrailStatusView } from '../chain/chainEnds.js';
import { classifyError } from '../../collect/live/errors.js';
import type { CallCounter } from './callCounter.js';

const ACTION = 'cloudtrail:GetTrailStatus';

const dateOrNull = (value: Date | undefined): Date | null => (value instanceof Date && !Number.isNaN(value.getTime()) ? value : null);
const textOrNull = (value: string | undefined): string | null => (value === undefined || value.trim() === '' ? null : value);

export async function readTrailStatus(
  client: CloudTrailClient,
  trail: { readonly arn: string; readonly homeRegion: string },
  calls: CallCounter,
  endpointUrl: string | undefined,
): Promise<TrailStatusView> {
  calls.count(ACTION);
  try {
    const status = await client.send(new GetTrailStatusCommand({ Name: trail.arn }));
    return {
      state: 'read',
      isLogging: status.IsLogging ?? null,
      latestDigestDeliveryTime: dateOrNull(status.LatestDigestDeliveryTime),
      latestDigestDeliveryError: textOrNull(status.LatestDigestDeliveryError),
      startLoggingTime: dateOrNull(status.StartLoggingTime),
      stopLoggingTime: dateOrNull(status.StopLoggingTime),
    };
  } catch (error) {
    const detail = classifyError(error, { action: ACTION, region: trail.homeRegion, resource: `trail ${trail.arn}`, endpointUrl });
    return { state: 'unreadable', reason: detail.reason, message: detail.message };
  }
}
