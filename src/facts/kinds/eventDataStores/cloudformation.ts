/**
 * `AWS::CloudTrail::EventDataStore` → EventDataStoreFacts. KmsKeyId follows the trail's
 * KMSKeyId rule (any literal or intrinsic counts as set). The status of a store that does not
 * exist yet is null (not PENDING_DELETION, so CloudTrail.10 applies). MultiRegionEnabled and
 * OrganizationEnabled are reported only when written.
 */
import type { EventDataStoreFacts, SourceLocation } from '../../model.js';
import { DEPLOYMENT_REGION } from '../../../collect/iac/types.js';
import { isNoValue } from '../../../collect/cloudformation/intrinsics.js';
import { entryOf, literalString, valueOf } from '../../../collect/cloudformation/template.js';
import type { ResourceInfo, TemplateIndex } from '../../../collect/cloudformation/templateIndex.js';
import { locationOf } from '../../../collect/cloudformation/templateIndex.js';
import type { PropertyContext } from '../../../collect/cloudformation/values.js';
import { readBoolean, readSetting } from '../../../collect/cloudformation/values.js';

export const EVENT_DATA_STORE_TYPE = 'AWS::CloudTrail::EventDataStore';

export function collectEventDataStore(resource: ResourceInfo, index: TemplateIndex): EventDataStoreFacts {
  const { logicalId, properties } = resource;
  const name = literalString(valueOf(properties, 'Name')) ?? logicalId;
  const context = (property: string): PropertyContext => ({ index, owner: `Event data store ${logicalId}`, property });
  const locations: Record<string, SourceLocation> = {};
  const kmsEntry = entryOf(properties, 'KmsKeyId');
  if (kmsEntry !== undefined && !isNoValue(kmsEntry.value)) {
    locations.kmsKeyId = locationOf(index, kmsEntry.keyPosition);
  }
  const optionalFlag = (property: string): { readonly [key: string]: ReturnType<typeof readBoolean> } => {
    const node = valueOf(properties, property);
    return node === undefined || isNoValue(node) ? {} : { [property.charAt(0).toLowerCase() + property.slice(1)]: readBoolean(node, false, context(property)) };
  };
  return {
    ref: {
      type: EVENT_DATA_STORE_TYPE,
      id: logicalId,
      name,
      accountId: null,
      region: DEPLOYMENT_REGION,
      location: locationOf(index, resource.position),
    },
    locations,
    arn: logicalId,
    name,
    region: DEPLOYMENT_REGION,
    status: null,
    kmsKeyId: readSetting(kmsEntry?.value, context('KmsKeyId')),
    ...optionalFlag('MultiRegionEnabled'),
    ...optionalFlag('OrganizationEnabled'),
  };
}
