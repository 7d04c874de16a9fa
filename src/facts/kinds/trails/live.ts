/**
 * Trails: one DescribeTrails per audited region, deduplicated by ARN.
 *
 * A multi-region trail is listed in every region (as a shadow outside its home region) and an
 * organization trail is listed in member accounts; both are one trail, keyed by ARN, with the
 * regions that listed it recorded. A region that could not be listed becomes a {@link TrailGap}
 * so that no check can mistake "could not look" for "no trail there".
 */
import { DescribeTrailsCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import type { Maybe, TrailFacts } from '../../model.js';
import { unknown } from '../../model.js';
import { parseArn } from '../../../collect/live/arn.js';
import type { ClientFactory } from '../../../collect/live/clients.js';
import type { ApiScheduler, Outcome } from '../../../collect/live/scheduler.js';

export async function describeTrails(
  clients: ClientFactory,
  scheduler: ApiScheduler,
  region: string,
): Promise<Outcome<readonly Trail[]>> {
  return scheduler.call({ action: 'cloudtrail:DescribeTrails', region }, async () => {
    // Shadow trails are what make multi-region and organization trails visible per region.
    const response = await clients.cloudTrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    return [...(response.trailList ?? [])];
  });
}

/** One trail as first listed, plus where it was seen. */
export interface TrailSighting {
  readonly trail: Trail;
  readonly arn: string;
  readonly name: string;
  readonly homeRegion: string;
  readonly ownerAccountId: string;
  readonly ownerInScope: boolean;
  /**
   * Whether this account's collection describes the trail (status, selectors, tags, key, log
   * group): its own trail, or one whose owner is not audited at all. A trail owned by another
   * account in scope (an organization trail's shadow in a member) is described there, once.
   */
  readonly describedHere: boolean;
  readonly listedIn: string;
  readonly visibleInRegions: string[];
  readonly shadowInRegions: string[];
}

export class TrailRegistry {
  private readonly byArn = new Map<string, TrailSighting>();

  /**
   * @param scope the account listing the trails (owner of a trail whose ARN does not say) and the
   *   accounts in scope: a trail owned by any of them is audited (an organization trail seen from
   *   a member whose management account is not in scope is not).
   */
  constructor(private readonly scope: { readonly accountId: string; readonly partition: string; readonly inScope: ReadonlySet<string> }) {}

  /** Record a trail listed in `region`; returns the sighting when the trail is new, else null. */
  add(region: string, trail: Trail): TrailSighting | null {
    const parsed = trail.TrailARN === undefined ? null : parseArn(trail.TrailARN);
    const homeRegion = nonEmpty(trail.HomeRegion) ?? nonEmpty(parsed?.region) ?? region;
    const ownerAccountId = nonEmpty(parsed?.accountId) ?? this.scope.accountId;
    const name = nonEmpty(trail.Name) ?? parsed?.resource.replace(/^trail\//, '') ?? '(unnamed)';
    const arn = trail.TrailARN ?? `arn:${this.scope.partition}:cloudtrail:${homeRegion}:${ownerAccountId}:trail/${name}`;
    const existing = this.byArn.get(arn);
    const shadow = region !== homeRegion;
    if (existing !== undefined) {
      addOnce(existing.visibleInRegions, region);
      if (shadow) {
        addOnce(existing.shadowInRegions, region);
      }
      return null;
    }
    const sighting: TrailSighting = {
      trail,
      arn,
      name,
      homeRegion,
      ownerAccountId,
      ownerInScope: this.scope.inScope.has(ownerAccountId),
      describedHere: ownerAccountId === this.scope.accountId || !this.scope.inScope.has(ownerAccountId),
      listedIn: region,
      visibleInRegions: [region],
      shadowInRegions: shadow ? [region] : [],
    };
    this.byArn.set(arn, sighting);
    return sighting;
  }

  all(): TrailSighting[] {
    return [...this.byArn.values()].sort((a, b) => compare(a.arn, b.arn));
  }
}

function addOnce(list: string[], value: string): void {
  if (!list.includes(value)) {
    list.push(value);
  }
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : value;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The DescribeTrails fields of a trail (details such as status are added by the caller). */
export function trailBaseFacts(sighting: TrailSighting): TrailFacts {
  const { trail, arn, name, homeRegion, ownerAccountId, ownerInScope } = sighting;
  // AWS always reports these booleans; if one is missing the fact is unknown, not false.
  const flag = (value: boolean | undefined, field: string): Maybe<boolean> =>
    value ??
    unknown('error', `DescribeTrails in ${sighting.listedIn} did not report ${field} for trail ${arn}.`, {
      operation: 'cloudtrail:DescribeTrails',
      region: sighting.listedIn,
    });
  // AWS omits unset optional strings and moto sends JSON null; both mean "not set".
  const text = (value: string | null | undefined): string | null => nonEmpty(value) ?? null;
  return {
    ref: { type: 'AWS::CloudTrail::Trail', id: arn, name, accountId: ownerAccountId, region: homeRegion },
    arn,
    name,
    homeRegion,
    ownerAccountId,
    ownerInScope,
    isMultiRegion: flag(trail.IsMultiRegionTrail, 'IsMultiRegionTrail'),
    isOrganizationTrail: flag(trail.IsOrganizationTrail, 'IsOrganizationTrail'),
    includeGlobalServiceEvents: flag(trail.IncludeGlobalServiceEvents, 'IncludeGlobalServiceEvents'),
    logFileValidationEnabled: flag(trail.LogFileValidationEnabled, 'LogFileValidationEnabled'),
    kmsKeyId: text(trail.KmsKeyId),
    cloudWatchLogsLogGroupArn: text(trail.CloudWatchLogsLogGroupArn),
    cloudWatchLogsRoleArn: text(trail.CloudWatchLogsRoleArn),
    s3BucketName: text(trail.S3BucketName),
    s3KeyPrefix: text(trail.S3KeyPrefix),
    snsTopicArn: text(trail.SnsTopicARN),
    hasCustomEventSelectors: flag(trail.HasCustomEventSelectors, 'HasCustomEventSelectors'),
    visibleInRegions: [...sighting.visibleInRegions].sort(compare),
    shadowInRegions: [...sighting.shadowInRegions].sort(compare),
  };
}

