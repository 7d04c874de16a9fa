/** `aws_cloudtrail_event_data_store` → EventDataStoreFacts (provider defaults applied). */
import type { EventDataStoreFacts } from '../../model.js';
import type { PlanContext } from '../../../collect/terraform/context.js';
import type { PlannedResource } from '../../../collect/terraform/plan.js';
import { presenceNaming } from '../../../collect/terraform/links.js';
import { booleanAttribute, knownString } from '../../../collect/terraform/values.js';

export function eventDataStoreFacts(context: PlanContext, resource: PlannedResource): EventDataStoreFacts {
  const region = context.region(resource);
  const name = knownString(resource, 'name') ?? resource.name;
  return {
    ref: {
      type: 'AWS::CloudTrail::EventDataStore',
      id: resource.address,
      name,
      accountId: context.accountId,
      region,
      location: context.location(resource),
    },
    locations: context.locations(resource, [
      ['kmsKeyId', 'kms_key_id'],
      ['multiRegionEnabled', 'multi_region_enabled'],
      ['organizationEnabled', 'organization_enabled'],
    ]),
    arn: knownString(resource, 'arn') ?? resource.address,
    name,
    region,
    // A planned store has no service status yet; null is "not reported", which CloudTrail.10's
    // PENDING_DELETION filter treats as applicable.
    status: null,
    // A key known only after apply (a KMS key created by the same plan) is still a key.
    kmsKeyId: presenceNaming(resource, 'kms_key_id', context.resolver),
    multiRegionEnabled: booleanAttribute(resource, 'multi_region_enabled', true),
    organizationEnabled: booleanAttribute(resource, 'organization_enabled', false),
  };
}
