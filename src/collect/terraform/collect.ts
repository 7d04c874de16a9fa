/**
 * One Terraform plan (`terraform show -json PLANFILE`) → the shared facts model.
 *
 * Decisions the spec (CONTROLS §5.2, §6.18) leaves open, taken here:
 * - Resources: `planned_values` (root and nested child modules), managed mode only; an entry
 *   whose `resource_changes` action is exactly ["delete"] is ignored; replacements are kept.
 * - Known only after apply: "is it set" arguments (kms_key_id, cloud_watch_logs_group_arn,
 *   logging target_bucket) count as set and read "(known after apply)"; a boolean, a policy,
 *   an ACL or a selector block is Unknown('unsupported'). Unknown data-resource ARNs inside event
 *   selectors do not make management-event coverage unknown.
 * - Legacy inline `aws_s3_bucket` arguments (acl, grant, policy, logging) are computed in provider
 *   v4+, so "known after apply" there means "not configured" unless the configuration sets them.
 * - Links (trail → bucket, bucket resource → bucket) follow configuration references across
 *   modules (variables, outputs); failing that, a known name is matched against declared buckets.
 *   A name no declared bucket has → bucket facts Unknown('not_found'); a link that cannot be
 *   followed (locals, data sources, ambiguous instances, values known only after apply) →
 *   Unknown('unsupported'). Neither can PASS.
 * - Account: the plan shows part of an account (`scope: 'partial'`). Account-level S3 Block
 *   Public Access counts only when the plan declares `aws_s3_account_public_access_block`; one
 *   applied outside the plan is not credited (null = "none declared"), so a public bucket FAILs
 *   even if the real account blocks it — the plan is judged on what it declares.
 * - Account id: from a known CloudTrail ARN or account_id in the plan, else '(plan)' (accountId null).
 * - Regions: the resource's `region` (provider v6), a known home region or ARN, the provider
 *   configuration's region (a constant or a root variable), else '(deployment region)'. One
 *   RegionFacts per distinct trail home region.
 * - Trails: ref.id and arn are the address unless the plan knows the ARN; ownerAccountId '',
 *   ownerInScope true; trailArns of a bucket are trail addresses.
 * - Locations: every item's ref.location is its object in planned_values; `locations` point at
 *   the attribute key inside `values` when the plan writes it (Terraform writes every argument,
 *   defaults included). The account and region items point at the first trail, else line 1.
 */
import type {
  BucketFacts,
  EventDataStoreFacts,
  FactSet,
  Maybe,
  PublicAccessBlock,
  RegionFacts,
  SourceLocation,
  TrailFacts,
} from '../../facts/model.js';
import { needsReadBy } from '../../facts/kinds/index.js';
import { deriveFacts } from '../../facts/derive.js';
import { unknown } from '../../facts/model.js';
import type { IacCollectOptions, IacCollection } from '../iac/types.js';
import { bucketFacts, BucketAttachments, publicAccessBlockOf, unlinkedBucketFacts } from '../../facts/kinds/buckets/terraform.js';
import { createContext, type PlanContext } from './context.js';
import { eventDataStoreFacts } from '../../facts/kinds/eventDataStores/terraform.js';
import { linkBucket } from '../../facts/kinds/buckets/terraformLinks.js';
import { assertSupportedPlan, isTerraformPlan, readPlan, type PlannedResource } from './plan.js';
import { indexPlanPositions } from './positions.js';
import { trailFacts } from '../../facts/kinds/trails/terraform.js';
import { planMonitoringCollections } from './monitoring.js';

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function accountPublicAccessBlock(context: PlanContext): Maybe<PublicAccessBlock | null> {
  const blocks = context.plan.resources.filter((resource) => resource.type === 'aws_s3_account_public_access_block');
  const [only, second] = blocks;
  if (second !== undefined) {
    return unknown(
      'unsupported',
      `${blocks.map((b) => b.address).join(' and ')} all declare account-level Block Public Access; which applies depends on their accounts and apply order.`,
    );
  }
  return only === undefined ? null : publicAccessBlockOf(only);
}

interface TrailBucket {
  readonly trails: string[];
  build(trails: readonly string[]): BucketFacts;
}

/** One bucket entry per distinct link target (declared bucket, outside name, or unresolvable trail link). */
function trailBuckets(
  context: PlanContext,
  trails: readonly { readonly resource: PlannedResource; readonly facts: TrailFacts }[],
  accountBlock: Maybe<PublicAccessBlock | null>,
): BucketFacts[] {
  const attachments = new BucketAttachments(context);
  const entries = new Map<string, TrailBucket>();
  const add = (key: string, trail: string, build: (trails: readonly string[]) => BucketFacts): void => {
    const entry = entries.get(key) ?? { trails: [], build };
    entry.trails.push(trail);
    entries.set(key, entry);
  };
  for (const { resource, facts } of trails) {
    const link = linkBucket(resource, 's3_bucket_name', context.resolver, context.bucketsByName);
    const location: SourceLocation = context.attributeLocation(resource, 's3_bucket_name') ?? context.location(resource);
    if (link.kind === 'declared') {
      add(`declared ${link.bucket.address}`, resource.address, (addresses) =>
        bucketFacts(context, link.bucket, addresses, attachments, accountBlock),
      );
    } else if (link.kind === 'outside') {
      add(`outside ${link.name}`, resource.address, (addresses) =>
        unlinkedBucketFacts(
          context,
          link.name,
          link.name,
          facts.homeRegion,
          unknown(
            'not_found',
            `Bucket ${link.name} (log destination of ${addresses.join(', ')}) is not declared in this plan, so its access settings cannot be checked here; audit it live (trailaudit audit) or scan the configuration that creates it.`,
          ),
          addresses,
          location,
        ),
      );
    } else {
      add(`unresolved ${resource.address}`, resource.address, (addresses) =>
        unlinkedBucketFacts(
          context,
          `${resource.address}.s3_bucket_name`,
          `${resource.address}.s3_bucket_name`,
          facts.homeRegion,
          unknown(
            'unsupported',
            `The log bucket of ${resource.address} cannot be identified from the plan: ${link.why}. Reference the bucket resource directly (s3_bucket_name = aws_s3_bucket.<name>.id) or audit it live.`,
          ),
          addresses,
          location,
        ),
      );
    }
  }
  return [...entries.values()].map((entry) => entry.build([...entry.trails].sort(compare)));
}

export function collectTerraformPlan(text: string, data: unknown, options: IacCollectOptions): IacCollection {
  const file = options.displayPath;
  // Positions are needed for a located version error too, but only index a file that is a plan.
  if (!isTerraformPlan(data)) {
    assertSupportedPlan(data, file, undefined);
  }
  const positions = indexPlanPositions(text);
  assertSupportedPlan(data, file, positions);
  const plan = readPlan(data);
  const context = createContext(file, plan, positions);

  const trailResources = plan.resources.filter((resource) => resource.type === 'aws_cloudtrail');
  const trails = trailResources.map((resource) => ({ resource, facts: trailFacts(context, resource) }));
  const accountBlock = accountPublicAccessBlock(context);
  const buckets = trailBuckets(context, trails, accountBlock).sort((a, b) => compare(a.ref.id, b.ref.id));
  const plannedStores = plan.resources
    .filter((resource) => resource.type === 'aws_cloudtrail_event_data_store')
    .map((resource) => ({ resource, facts: eventDataStoreFacts(context, resource) }));
  const eventDataStores: EventDataStoreFacts[] = plannedStores.map((store) => store.facts).sort((a, b) => compare(a.ref.id, b.ref.id));
  const collected = needsReadBy('terraform', options.kinds).filter((need) => options.needs?.has(need) ?? true);
  const monitoring = planMonitoringCollections(context, collected, trails, plannedStores);

  const accountId = context.accountId ?? '(plan)';
  const firstTrail = trails[0];
  const fileStart: SourceLocation = { file, line: 1, column: 1 };
  const accountLocation = firstTrail === undefined ? fileStart : context.location(firstTrail.resource);
  const regions: RegionFacts[] = [];
  for (const { resource, facts } of trails) {
    if (!regions.some((region) => region.name === facts.homeRegion)) {
      regions.push({
        ref: { type: 'AWS::::Account', id: accountId, accountId: context.accountId, region: facts.homeRegion, location: context.location(resource) },
        name: facts.homeRegion,
      });
    }
  }
  regions.sort((a, b) => compare(a.name, b.name));

  const facts: FactSet = {
    schemaVersion: 1,
    source: 'terraform',
    collectedAt: options.collectedAt,
    collected,
    account: {
      ref: { type: 'AWS::::Account', id: accountId, accountId: context.accountId, region: 'global', location: accountLocation },
      id: accountId,
      partition: context.partition,
      scope: 'partial',
      publicAccessBlock: accountBlock,
    },
    regions,
    trails: trails.map((trail) => trail.facts).sort((a, b) => compare(a.ref.id, b.ref.id)),
    buckets,
    eventDataStores,
    ...monitoring,
    stats: { apiCalls: {}, durationMs: 0 },
  };
  // Facts derived across collections (trail health) need the whole plan's collections.
  return { kind: 'terraform-plan', facts: deriveFacts(facts), suppressions: [] };
}
