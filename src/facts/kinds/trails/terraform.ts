/**
 * `aws_cloudtrail` → TrailFacts, with the hashicorp/aws argument defaults (CONTROLS §5.2) applied
 * to arguments the plan leaves unset.
 */
import { managementEventCoverage } from './eventSelectors.js';
import { normaliseEventSelectors, type AdvancedEventSelectorShape, type EventSelectorShape } from './normaliseSelectors.js';
import type { EventSelectors, ManagementEventCoverage, Maybe, TrailFacts } from '../../model.js';
import { unknown } from '../../model.js';
import { userTagKeysOf } from './tags.js';
import type { PlanContext } from '../../../collect/terraform/context.js';
import { presenceNaming } from '../../../collect/terraform/links.js';
import { isObject, type PlannedResource } from '../../../collect/terraform/plan.js';
import { afterApply, attribute, blocks, booleanAttribute, containsUnknown, KNOWN_AFTER_APPLY, knownString, presenceAttribute, strings } from '../../../collect/terraform/values.js';

const FIELD_OPERATORS = [
  ['equals', 'Equals'],
  ['not_equals', 'NotEquals'],
  ['starts_with', 'StartsWith'],
  ['not_starts_with', 'NotStartsWith'],
  ['ends_with', 'EndsWith'],
  ['not_ends_with', 'NotEndsWith'],
] as const;

/** after_unknown for the selector blocks, minus data resource values (irrelevant to management events). */
function selectorUnknowns(mark: unknown): boolean {
  if (Array.isArray(mark)) {
    return mark.some(selectorUnknowns);
  }
  if (isObject(mark)) {
    return Object.entries(mark).some(([key, value]) => key !== 'data_resource' && containsUnknown(value));
  }
  return mark === true;
}

/**
 * Terraform blocks → the PascalCase shape the shared normaliser reads. The provider sends an
 * operator only when its list is non-empty, and the plan cannot tell an omitted list from an
 * empty one, so empty lists are dropped (the algebra would read `equals: []` as "matches nothing").
 */
function selectorShapes(resource: PlannedResource): {
  readonly EventSelectors: EventSelectorShape[];
  readonly AdvancedEventSelectors: AdvancedEventSelectorShape[];
} {
  const basicMarks: unknown[] = isObject(resource.afterUnknown) && Array.isArray(resource.afterUnknown.event_selector) ? resource.afterUnknown.event_selector : [];
  const EventSelectors = blocks(resource.values.event_selector).map((selector, index): EventSelectorShape => {
    const marks = basicMarks[index];
    const dataMarks: unknown[] = isObject(marks) && Array.isArray(marks.data_resource) ? marks.data_resource : [];
    return {
      ReadWriteType: typeof selector.read_write_type === 'string' ? selector.read_write_type : null,
      IncludeManagementEvents: typeof selector.include_management_events === 'boolean' ? selector.include_management_events : null,
      ExcludeManagementEventSources: strings(selector.exclude_management_event_sources),
      DataResources: blocks(selector.data_resource).map((resourceBlock, dataIndex) => ({
        Type: typeof resourceBlock.type === 'string' ? resourceBlock.type : null,
        // ARNs of buckets created by the same plan are known only after apply.
        Values: [...strings(resourceBlock.values), ...(containsUnknown(dataMarks[dataIndex]) ? [KNOWN_AFTER_APPLY] : [])],
      })),
    };
  });
  const AdvancedEventSelectors = blocks(resource.values.advanced_event_selector).map(
    (selector): AdvancedEventSelectorShape => ({
      Name: typeof selector.name === 'string' ? selector.name : null,
      FieldSelectors: blocks(selector.field_selector).map((field) => {
        const shape: Record<string, unknown> = { Field: typeof field.field === 'string' ? field.field : null };
        for (const [snake, pascal] of FIELD_OPERATORS) {
          const values = strings(field[snake]);
          if (values.length > 0) {
            shape[pascal] = values;
          }
        }
        return shape;
      }),
    }),
  );
  return { EventSelectors, AdvancedEventSelectors };
}

function selectorFacts(resource: PlannedResource): {
  eventSelectors: Maybe<EventSelectors>;
  managementEvents: Maybe<ManagementEventCoverage>;
  hasCustomEventSelectors: Maybe<boolean>;
} {
  const marks = isObject(resource.afterUnknown) ? resource.afterUnknown : {};
  for (const name of ['event_selector', 'advanced_event_selector']) {
    if (selectorUnknowns(marks[name])) {
      const gap = afterApply(resource, name);
      return { eventSelectors: gap, managementEvents: gap, hasCustomEventSelectors: gap };
    }
  }
  try {
    const eventSelectors = normaliseEventSelectors(selectorShapes(resource));
    // No selector blocks = the trail keeps the AWS default selector (all management events).
    const hasCustom = eventSelectors.basic.length > 0 || eventSelectors.advanced.length > 0;
    return {
      eventSelectors,
      managementEvents: managementEventCoverage(eventSelectors, hasCustom),
      hasCustomEventSelectors: hasCustom,
    };
  } catch (error) {
    const gap = unknown('error', `The event selectors of ${resource.address} could not be read: ${error instanceof Error ? error.message : String(error)}`);
    return { eventSelectors: gap, managementEvents: gap, hasCustomEventSelectors: gap };
  }
}

/**
 * Tags from `tags_all` (which includes the provider's default_tags), else `tags`. A map whose
 * keys are known but some values are not still has known keys, which is all CloudTrail.9 reads.
 */
function tagFacts(resource: PlannedResource): { tags: Maybe<Readonly<Record<string, string>>>; attribute: string } {
  const name = attribute(resource, 'tags_all').state === 'unset' ? 'tags' : 'tags_all';
  const value = attribute(resource, name);
  if (value.state === 'unknown') {
    return { tags: afterApply(resource, name), attribute: name };
  }
  const tags: Record<string, string> = {};
  if (value.state === 'known' && isObject(value.value)) {
    for (const [key, tagValue] of Object.entries(value.value)) {
      tags[key] = typeof tagValue === 'string' ? tagValue : KNOWN_AFTER_APPLY;
    }
  }
  const marks = isObject(resource.afterUnknown) ? resource.afterUnknown[name] : undefined;
  if (isObject(marks)) {
    for (const [key, mark] of Object.entries(marks)) {
      if (mark === true) {
        tags[key] = KNOWN_AFTER_APPLY;
      }
    }
  }
  return { tags, attribute: name };
}

export function trailFacts(context: PlanContext, resource: PlannedResource): TrailFacts {
  const homeRegion = context.region(resource);
  const arn = knownString(resource, 'arn') ?? resource.address;
  const name = knownString(resource, 'name') ?? resource.name;
  const isLogging = booleanAttribute(resource, 'enable_logging', true);
  const selectors = selectorFacts(resource);
  const { tags, attribute: tagAttribute } = tagFacts(resource);
  const userTagKeys = userTagKeysOf(tags);
  const selectorAttribute = blocks(resource.values.advanced_event_selector).length > 0 ? 'advanced_event_selector' : 'event_selector';
  const s3BucketName = presenceAttribute(resource, 's3_bucket_name');
  return {
    ref: {
      type: 'AWS::CloudTrail::Trail',
      id: resource.address,
      name,
      accountId: context.accountId,
      region: homeRegion,
      location: context.location(resource),
    },
    locations: context.locations(resource, [
      ['isMultiRegion', 'is_multi_region_trail'],
      ['isLogging', 'enable_logging'],
      ['isOrganizationTrail', 'is_organization_trail'],
      ['includeGlobalServiceEvents', 'include_global_service_events'],
      ['logFileValidationEnabled', 'enable_log_file_validation'],
      ['kmsKeyId', 'kms_key_id'],
      ['cloudWatchLogsLogGroupArn', 'cloud_watch_logs_group_arn'],
      ['cloudWatchLogsRoleArn', 'cloud_watch_logs_role_arn'],
      ['s3BucketName', 's3_bucket_name'],
      ['s3KeyPrefix', 's3_key_prefix'],
      ['hasCustomEventSelectors', selectorAttribute],
      ['eventSelectors', selectorAttribute],
      ['managementEvents', selectorAttribute],
      ['managementEvents.allInOneSelector', selectorAttribute],
      ['tags', tagAttribute],
      ['userTagKeys', tagAttribute],
    ]),
    arn,
    name,
    homeRegion,
    // A plan does not say which account it is applied to; the file is the scope.
    ownerAccountId: '',
    ownerInScope: true,
    isMultiRegion: booleanAttribute(resource, 'is_multi_region_trail', false),
    isOrganizationTrail: booleanAttribute(resource, 'is_organization_trail', false),
    includeGlobalServiceEvents: booleanAttribute(resource, 'include_global_service_events', true),
    logFileValidationEnabled: booleanAttribute(resource, 'enable_log_file_validation', false),
    kmsKeyId: presenceNaming(resource, 'kms_key_id', context.resolver),
    cloudWatchLogsLogGroupArn: presenceAttribute(resource, 'cloud_watch_logs_group_arn'),
    cloudWatchLogsRoleArn: presenceAttribute(resource, 'cloud_watch_logs_role_arn'),
    s3BucketName,
    s3KeyPrefix: presenceAttribute(resource, 's3_key_prefix'),
    // sns_topic_arn is computed by the provider (known after apply even when no topic is set).
    snsTopicArn: presenceAttribute(resource, 'sns_topic_name'),
    visibleInRegions: [homeRegion],
    shadowInRegions: [],
    // No `status`: a plan shows what is declared, not GetTrailStatus (delivery times and errors),
    // so, as for CloudFormation, the trail keeps its own `isLogging` and the delivery facts the
    // trail-health checks read stay absent rather than look like "nothing delivered, no error".
    isLogging,
    ...selectors,
    tags,
    userTagKeys,
  };
}
