/**
 * One CloudFormation template → the shared facts model (src/facts/model.ts), so that
 * checks/*.yaml run unchanged on it.
 *
 * What a template can prove (CONTROLS.md §5): the account is `scope: 'partial'` — a declared
 * qualifying trail proves CloudTrail.1/.3 ("this stack declares a compliant multi-Region
 * trail"); its absence proves nothing (the checks then say NOT_APPLICABLE, never FAIL). The
 * stack's Region is unknown, so trails live in DEPLOYMENT_REGION and `regions` holds that one
 * pseudo-Region when the template declares a trail (nothing to say about any Region otherwise).
 *
 * Every fact kind with a CloudFormation reader is collected (they all come from the same text, at
 * no cost), and only those are claimed in `collected`: a check over a kind templates cannot show
 * is UNKNOWN(unsupported), never a verdict over an empty list. Resource types other than trails, buckets, bucket policies and event data
 * stores are ignored. The account and region items are located at the top of the file so that
 * account-level findings, too, point at the template.
 *
 * Where each decision lives (under src/facts/kinds/): property defaults, IsLogging and conditional
 * trails (trails/cloudformation.ts);
 * parameters, Fn::If and "counts as set" (values.ts); bucket links and their Unknown reasons
 * (buckets/cloudformationLinks.ts); ACLs, Block Public Access, policies and logging
 * (buckets/cloudformation.ts, buckets/cloudformationPolicy.ts); inline
 * suppressions (collect/cloudformation/suppressions.ts); tags and selectors
 * (trails/cloudformationTags.ts, trails/cloudformationSelectors.ts).
 *
 * Not evaluated: template macros (`Transform` other than what is written: a macro may rewrite
 * resources at deploy time, the template is judged as written), `Fn::ForEach` loops
 * (AWS::LanguageExtensions; their resources are skipped), nested stacks
 * (AWS::CloudFormation::Stack: scan the child template too), and `Fn::FindInMap` lookups (a value
 * read from Mappings is Unknown('unsupported') where it decides a verdict).
 */
import type { BucketFacts, EventDataStoreFacts, FactSet, RegionFacts, SourceLocation, TrailFacts } from '../../facts/model.js';
import { needsReadBy } from '../../facts/kinds/index.js';
import { deriveFacts } from '../../facts/derive.js';
import type { IacCollectOptions, IacCollection } from '../iac/types.js';
import { DEPLOYMENT_REGION } from '../iac/types.js';
import type { DeclaredPolicy } from '../../facts/kinds/buckets/cloudformation.js';
import { collectPolicies, declaredBucketFacts, unresolvedBucketFacts } from '../../facts/kinds/buckets/cloudformation.js';
import { collectEventDataStore, EVENT_DATA_STORE_TYPE } from '../../facts/kinds/eventDataStores/cloudformation.js';
import type { BucketLink } from '../../facts/kinds/buckets/cloudformationLinks.js';
import { collectSuppressions } from './suppressions.js';
import type { CfnTemplate } from './template.js';
import { indexTemplate, resourcesOfType } from './templateIndex.js';
import type { TemplateIndex } from './templateIndex.js';
import type { CollectedTrail } from '../../facts/kinds/trails/cloudformation.js';
import { collectTrail, TRAIL_TYPE } from '../../facts/kinds/trails/cloudformation.js';
import { monitoringCollections } from './monitoring.js';

export const TEMPLATE_ACCOUNT_ID = '(template)';

interface BucketGroup {
  readonly link: Exclude<BucketLink, { kind: 'absent' }>;
  readonly trailIds: string[];
  readonly location: SourceLocation;
}

/** One group per distinct bucket: a declared logical id, or the text of an unresolved name. */
function groupBuckets(trails: readonly CollectedTrail[]): BucketGroup[] {
  const groups = new Map<string, BucketGroup>();
  for (const trail of trails) {
    const { bucket } = trail;
    if (bucket.kind === 'absent') {
      continue;
    }
    const key = bucket.kind === 'declared' ? `declared:${bucket.logicalId}` : `unresolved:${bucket.text}`;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { link: bucket, trailIds: [trail.facts.arn], location: trail.bucketLocation });
    } else {
      group.trailIds.push(trail.facts.arn);
    }
  }
  return [...groups.values()];
}

function bucketFacts(groups: readonly BucketGroup[], index: TemplateIndex, policies: readonly DeclaredPolicy[]): BucketFacts[] {
  return groups.map((group) => {
    if (group.link.kind === 'unresolved') {
      return unresolvedBucketFacts(group.link, group.trailIds, group.location);
    }
    const resource = index.resources.get(group.link.logicalId);
    if (resource === undefined) {
      throw new Error(`internal: bucket ${group.link.logicalId} resolved but not indexed`);
    }
    return declaredBucketFacts(resource, group.trailIds, index, policies);
  });
}

export function collectCloudFormation(template: CfnTemplate, options: IacCollectOptions): IacCollection {
  const index = indexTemplate(template, options.displayPath);
  const suppressions = collectSuppressions(index, options.expiryLimit, options.knownChecks);
  const top: SourceLocation = { file: options.displayPath, line: 1, column: 1 };

  const trailResources = resourcesOfType(index, TRAIL_TYPE);
  const trails = trailResources.map((resource) => collectTrail(resource, index));
  const policies = collectPolicies(index);
  const buckets = bucketFacts(groupBuckets(trails), index, policies);
  const eventDataStores: EventDataStoreFacts[] = resourcesOfType(index, EVENT_DATA_STORE_TYPE).map((resource) =>
    collectEventDataStore(resource, index),
  );
  const collected = needsReadBy('cloudformation', options.kinds).filter((need) => options.needs?.has(need) ?? true);
  const monitoring = monitoringCollections(index, collected, { trailResources, trails: trails.map((trail) => trail.facts), eventDataStores });
  const regions: RegionFacts[] =
    trails.length === 0
      ? []
      : [
          {
            ref: { type: 'AWS::::Account', id: TEMPLATE_ACCOUNT_ID, accountId: null, region: DEPLOYMENT_REGION, location: top },
            name: DEPLOYMENT_REGION,
          },
        ];

  const facts: FactSet = {
    schemaVersion: 1,
    source: 'cloudformation',
    collectedAt: options.collectedAt,
    collected,
    account: {
      ref: { type: 'AWS::::Account', id: TEMPLATE_ACCOUNT_ID, accountId: null, region: 'global', location: top },
      id: TEMPLATE_ACCOUNT_ID,
      partition: 'aws',
      scope: 'partial',
      publicAccessBlock: null,
    },
    regions,
    trails: trails.map((trail): TrailFacts => trail.facts),
    buckets,
    eventDataStores,
    ...monitoring,
    stats: { apiCalls: {}, durationMs: 0 },
  };
  // Facts derived across collections (trail health) need the whole file's collections.
  return { kind: 'cloudformation', facts: deriveFacts(facts), suppressions };
}
