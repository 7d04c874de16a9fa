/**
 * `AWS::CloudTrail::Trail` → TrailFacts, with CloudFormation's defaults for absent properties
 * (IsMultiRegionTrail false, EnableLogFileValidation false, IncludeGlobalServiceEvents true,
 * IsOrganizationTrail false, no selectors = the AWS default selector: all management events).
 *
 * - Identity: the logical id is the trail's `arn` and `ref.id` (the ARN exists only after
 *   deployment); its name is TrailName when literal, else the logical id. The owner is the
 *   account the stack is deployed to, so `ownerInScope` is true and `ownerAccountId` ''.
 * - IsLogging is required by CloudFormation: absent → Unknown('error') (the template cannot be
 *   deployed), never a guessed false or true.
 * - A trail with a resource `Condition` may not be created: its own settings are still judged
 *   (if it exists it must comply), but `isLogging` is Unknown('unsupported') naming the
 *   condition, so that it never proves CloudTrail.1/.3 coverage by itself.
 * - S3BucketName is required too; absent → Unknown('error').
 */
import { managementEventCoverage } from './eventSelectors.js';
import { normaliseEventSelectors } from './normaliseSelectors.js';
import type { EventSelectors, Maybe, ManagementEventCoverage, SourceLocation, TrailFacts } from '../../model.js';
import { isUnknown, unknown } from '../../model.js';
import { DEPLOYMENT_REGION } from '../../../collect/iac/types.js';
import { isNoValue } from '../../../collect/cloudformation/intrinsics.js';
import type { BucketLink } from '../buckets/cloudformationLinks.js';
import { resolveBucket } from '../buckets/cloudformationLinks.js';
import { readSelectorShape } from './cloudformationSelectors.js';
import { readTags } from './cloudformationTags.js';
import type { CfnNode } from '../../../collect/cloudformation/template.js';
import { entryOf, literalString } from '../../../collect/cloudformation/template.js';
import type { ResourceInfo, TemplateIndex } from '../../../collect/cloudformation/templateIndex.js';
import { locationOf } from '../../../collect/cloudformation/templateIndex.js';
import type { PropertyContext } from '../../../collect/cloudformation/values.js';
import { readBoolean, readSetting, readText } from '../../../collect/cloudformation/values.js';

export const TRAIL_TYPE = 'AWS::CloudTrail::Trail';

export interface CollectedTrail {
  readonly facts: TrailFacts;
  /** Where the trail delivers: resolved to a declared bucket or not. */
  readonly bucket: BucketLink;
  /** Position of S3BucketName (or of the trail when absent): where an unresolved bucket points. */
  readonly bucketLocation: SourceLocation;
}

function selectorFacts(
  resource: ResourceInfo,
  context: PropertyContext,
): { eventSelectors: Maybe<EventSelectors>; managementEvents: Maybe<ManagementEventCoverage>; hasCustomEventSelectors: Maybe<boolean> } {
  const basic = entryOf(resource.properties, 'EventSelectors')?.value;
  const advanced = entryOf(resource.properties, 'AdvancedEventSelectors')?.value;
  const shape = readSelectorShape(basic, advanced, context);
  if (isUnknown(shape)) {
    return { eventSelectors: shape, managementEvents: shape, hasCustomEventSelectors: shape };
  }
  let selectors: EventSelectors;
  try {
    selectors = normaliseEventSelectors(shape);
  } catch (error) {
    const failed = unknown('error', `${context.owner}: ${error instanceof Error ? error.message : String(error)}`);
    return { eventSelectors: failed, managementEvents: failed, hasCustomEventSelectors: failed };
  }
  // An empty list, like an absent property, puts no selectors: AWS keeps its default selector.
  const custom = selectors.basic.length > 0 || selectors.advanced.length > 0;
  return {
    eventSelectors: selectors,
    managementEvents: managementEventCoverage(selectors, custom),
    hasCustomEventSelectors: custom,
  };
}

export function collectTrail(resource: ResourceInfo, index: TemplateIndex): CollectedTrail {
  const { logicalId, properties } = resource;
  const entry = (key: string): { readonly value: CfnNode; readonly location: SourceLocation } | undefined => {
    const found = entryOf(properties, key);
    return found === undefined || isNoValue(found.value) ? undefined : { value: found.value, location: locationOf(index, found.keyPosition) };
  };
  const context = (property: string): PropertyContext => ({ index, owner: `Trail ${logicalId}`, property });
  const resourceLocation = locationOf(index, resource.position);
  const name = literalString(entry('TrailName')?.value) ?? logicalId;

  const locations: Record<string, SourceLocation> = {};
  const located = <T>(factPath: string, property: string, value: T): T => {
    const found = entry(property);
    if (found !== undefined) {
      locations[factPath] = found.location;
    }
    return value;
  };

  let isLogging = located('isLogging', 'IsLogging', readBoolean(entry('IsLogging')?.value, 'required', context('IsLogging')));
  if (resource.condition !== undefined && !isUnknown(isLogging)) {
    isLogging = unknown(
      'unsupported',
      `Trail ${logicalId} is created only when condition ${resource.condition} is true, so it may not exist; it is judged as declared, but does not prove account coverage by itself.`,
    );
  }

  const bucketEntry = entry('S3BucketName');
  const bucket = resolveBucket(bucketEntry?.value, index);
  let s3BucketName: Maybe<string | null>;
  if (bucketEntry === undefined) {
    s3BucketName = unknown('error', `Trail ${logicalId}: S3BucketName is required by CloudFormation but missing, so the template cannot be deployed as written.`);
  } else if (bucket.kind === 'declared') {
    const declared = index.resources.get(bucket.logicalId);
    // The bucket item's own name (its literal BucketName, else its logical id), so that the trail
    // finds its bucket item by name (TrailHealth.1's bucketExists joins on it).
    s3BucketName = literalString(entryOf(declared?.properties, 'BucketName')?.value) ?? bucket.logicalId;
  } else {
    s3BucketName = readText(bucketEntry.value);
  }

  const selectors = selectorFacts(resource, context('EventSelectors'));
  if (entry('AdvancedEventSelectors') !== undefined) {
    locations['managementEvents.allInOneSelector'] = entry('AdvancedEventSelectors')?.location ?? resourceLocation;
  } else if (entry('EventSelectors') !== undefined) {
    locations['managementEvents.allInOneSelector'] = entry('EventSelectors')?.location ?? resourceLocation;
  }
  const tags = located('userTagKeys', 'Tags', readTags(entry('Tags')?.value, context('Tags')));

  const facts: TrailFacts = {
    ref: { type: TRAIL_TYPE, id: logicalId, name, accountId: null, region: DEPLOYMENT_REGION, location: resourceLocation },
    arn: logicalId,
    name,
    homeRegion: DEPLOYMENT_REGION,
    ownerAccountId: '',
    ownerInScope: true,
    // No location recorded for isMultiRegion: the engine locates a finding at the first evidence
    // path that has one, and CloudTrail.2 lists isMultiRegion after kmsKeyId, so a KMS finding
    // would point at IsMultiRegionTrail whenever KMSKeyId is absent.
    isMultiRegion: readBoolean(entry('IsMultiRegionTrail')?.value, false, context('IsMultiRegionTrail')),
    isOrganizationTrail: readBoolean(entry('IsOrganizationTrail')?.value, false, context('IsOrganizationTrail')),
    includeGlobalServiceEvents: readBoolean(entry('IncludeGlobalServiceEvents')?.value, true, context('IncludeGlobalServiceEvents')),
    logFileValidationEnabled: located(
      'logFileValidationEnabled',
      'EnableLogFileValidation',
      readBoolean(entry('EnableLogFileValidation')?.value, false, context('EnableLogFileValidation')),
    ),
    kmsKeyId: located('kmsKeyId', 'KMSKeyId', readSetting(entry('KMSKeyId')?.value, context('KMSKeyId'))),
    cloudWatchLogsLogGroupArn: located(
      'cloudWatchLogsLogGroupArn',
      'CloudWatchLogsLogGroupArn',
      readSetting(entry('CloudWatchLogsLogGroupArn')?.value, context('CloudWatchLogsLogGroupArn')),
    ),
    cloudWatchLogsRoleArn: readSetting(entry('CloudWatchLogsRoleArn')?.value, context('CloudWatchLogsRoleArn')),
    s3BucketName,
    s3KeyPrefix: readSetting(entry('S3KeyPrefix')?.value, context('S3KeyPrefix')),
    snsTopicArn: readSetting(entry('SnsTopicName')?.value, context('SnsTopicName')),
    hasCustomEventSelectors: selectors.hasCustomEventSelectors,
    visibleInRegions: [],
    shadowInRegions: [],
    isLogging,
    eventSelectors: selectors.eventSelectors,
    managementEvents: selectors.managementEvents,
    tags: tags.tags,
    userTagKeys: tags.userTagKeys,
  };
  return {
    facts: { ...facts, locations },
    bucket,
    bucketLocation: bucketEntry?.location ?? resourceLocation,
  };
}
