/**
 * Per-trail details, each read once per trail, in the trail's home region, by ARN.
 *
 * The ARN is required for organization trails seen from member accounts and for shadow copies;
 * the home region because GetEventSelectors and ListTags only find a trail there (moto) or only
 * answer for the current region (ListTags on AWS).
 */
import { GetEventSelectorsCommand, GetTrailStatusCommand, ListTagsCommand } from '@aws-sdk/client-cloudtrail';
import { managementEventCoverage } from './eventSelectors.js';
import { normaliseEventSelectors } from './normaliseSelectors.js';
import type { EventSelectors, ManagementEventCoverage, Maybe, TrailStatus } from '../../model.js';
import { unknown } from '../../model.js';
import { userTagKeysOf } from './tags.js';
import type { ClientFactory } from '../../../collect/live/clients.js';
import { asUnknown } from '../../../collect/live/errors.js';
import { scheduledPages } from '../../../collect/live/pages.js';
import type { ApiScheduler } from '../../../collect/live/scheduler.js';
import type { TrailSighting } from './live.js';

/** ListTags accepts at most 20 resource ids per call. */
export const LIST_TAGS_BATCH = 20;

export interface StatusFacts {
  readonly isLogging: Maybe<boolean>;
  readonly status: Maybe<TrailStatus>;
}

function iso(value: Date | undefined): string | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : undefined;
}

export async function getTrailStatus(clients: ClientFactory, scheduler: ApiScheduler, sighting: TrailSighting): Promise<StatusFacts> {
  const region = sighting.homeRegion;
  const outcome = await scheduler.call(
    { action: 'cloudtrail:GetTrailStatus', region, resource: `trail ${sighting.arn}` },
    async () => {
      const response = await clients.cloudTrail(region).send(new GetTrailStatusCommand({ Name: sighting.arn }));
      // A copy, so that the reading below never depends on the SDK's output object.
      return { ...response };
    },
  );
  if (!outcome.ok) {
    const failed = asUnknown(outcome.error);
    return { isLogging: failed, status: failed };
  }
  const r = outcome.value;
  if (r.IsLogging === undefined) {
    const missing = unknown('error', `GetTrailStatus in ${region} did not report IsLogging for trail ${sighting.arn}.`, {
      operation: 'cloudtrail:GetTrailStatus',
      region,
    });
    return { isLogging: missing, status: missing };
  }
  const optional: Record<string, string> = {};
  const put = (key: keyof TrailStatus, value: string | undefined): void => {
    if (value !== undefined && value !== '') {
      optional[key] = value;
    }
  };
  put('latestDeliveryError', r.LatestDeliveryError);
  put('latestDeliveryTime', iso(r.LatestDeliveryTime));
  put('startLoggingTime', iso(r.StartLoggingTime));
  put('stopLoggingTime', iso(r.StopLoggingTime));
  put('latestCloudWatchLogsDeliveryTime', iso(r.LatestCloudWatchLogsDeliveryTime));
  put('latestCloudWatchLogsDeliveryError', r.LatestCloudWatchLogsDeliveryError);
  put('latestDigestDeliveryTime', iso(r.LatestDigestDeliveryTime));
  put('latestDigestDeliveryError', r.LatestDigestDeliveryError);
  return { isLogging: r.IsLogging, status: { isLogging: r.IsLogging, ...optional } };
}

export interface SelectorFacts {
  readonly eventSelectors: Maybe<EventSelectors>;
  readonly managementEvents: Maybe<ManagementEventCoverage>;
}

export async function getEventSelectors(
  clients: ClientFactory,
  scheduler: ApiScheduler,
  sighting: TrailSighting,
): Promise<SelectorFacts> {
  const region = sighting.homeRegion;
  const outcome = await scheduler.call(
    { action: 'cloudtrail:GetEventSelectors', region, resource: `trail ${sighting.arn}` },
    async () => {
      const response = await clients.cloudTrail(region).send(new GetEventSelectorsCommand({ TrailName: sighting.arn }));
      // A copy, so that the reading below never depends on the SDK's output object.
      return { ...response };
    },
  );
  if (!outcome.ok) {
    const failed = asUnknown(outcome.error);
    return { eventSelectors: failed, managementEvents: failed };
  }
  try {
    const eventSelectors = normaliseEventSelectors(outcome.value);
    // moto always reports HasCustomEventSelectors false; the shared function treats "no
    // selectors" as the AWS default unless the trail says it has custom ones.
    return {
      eventSelectors,
      managementEvents: managementEventCoverage(eventSelectors, sighting.trail.HasCustomEventSelectors),
    };
  } catch (error) {
    const failed = unknown(
      'error',
      `GetEventSelectors for trail ${sighting.arn} in ${region} returned selectors that could not be read: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { operation: 'cloudtrail:GetEventSelectors', region },
    );
    return { eventSelectors: failed, managementEvents: failed };
  }
}

/**
 * Stand-in for the selectors of a trail DescribeTrails reports as single-Region, which are not
 * read: they only decide CloudTrail.1, and only a multi-Region trail can satisfy it (CONTROLS
 * §1.1), so no built-in verdict depends on them. They stand as Unknown rather than absent so that
 * a custom check reading them without that gate gets UNKNOWN, never a verdict from a value nobody
 * read.
 */
export function singleRegionSelectors(sighting: TrailSighting): SelectorFacts {
  const notRead = unknown(
    'unsupported',
    'Not read: single-Region trail (event selectors only matter for CloudTrail.1, which needs a multi-Region trail).',
    { region: sighting.homeRegion },
  );
  return { eventSelectors: notRead, managementEvents: notRead };
}

export interface TagFacts {
  readonly tags: Maybe<Readonly<Record<string, string>>>;
  readonly userTagKeys: Maybe<readonly string[]>;
}

/**
 * Tags of trails homed in one region, ≤ 20 ARNs per ListTags call. Returns facts by ARN for every
 * ARN asked for.
 */
export async function listTags(
  clients: ClientFactory,
  scheduler: ApiScheduler,
  homeRegion: string,
  arns: readonly string[],
): Promise<Map<string, TagFacts>> {
  const result = new Map<string, TagFacts>();
  const batches: string[][] = [];
  for (let i = 0; i < arns.length; i += LIST_TAGS_BATCH) {
    batches.push(arns.slice(i, i + LIST_TAGS_BATCH));
  }
  await Promise.all(
    batches.map(async (batch) => {
      const outcome = await scheduledPages(
        scheduler,
        {
          action: 'cloudtrail:ListTags',
          region: homeRegion,
          resource: batch.length === 1 ? `trail ${batch[0] ?? ''}` : `${batch.length} trails`,
        },
        async (token) => {
          const response = await clients
            .cloudTrail(homeRegion)
            .send(new ListTagsCommand({ ResourceIdList: batch, ...(token === undefined ? {} : { NextToken: token }) }));
          return { items: response.ResourceTagList ?? [], nextToken: response.NextToken };
        },
      );
      const tagsByArn = new Map<string, Record<string, string>>();
      for (const entry of outcome.ok ? outcome.value : []) {
        if (entry.ResourceId === undefined) {
          continue;
        }
        // A resource's tags may come over several pages.
        const tags = tagsByArn.get(entry.ResourceId) ?? {};
        for (const tag of entry.TagsList ?? []) {
          if (tag.Key !== undefined) {
            tags[tag.Key] = tag.Value ?? '';
          }
        }
        tagsByArn.set(entry.ResourceId, tags);
      }
      for (const arn of batch) {
        if (!outcome.ok) {
          const failed = asUnknown(outcome.error);
          result.set(arn, { tags: failed, userTagKeys: failed });
          continue;
        }
        // AWS answers every requested id; a trail absent from the answer has no tags.
        const tags = tagsByArn.get(arn) ?? {};
        result.set(arn, { tags, userTagKeys: userTagKeysOf(tags) });
      }
    }),
  );
  return result;
}
