/**
 * What every fact builder needs from one plan file: positions, regions, the account the plan
 * shows (if any), the reference resolver and the declared buckets by name.
 */
import type { FactLocations, SourceLocation } from '../../facts/model.js';
import { DEPLOYMENT_REGION } from '../iac/types.js';
import { bucketsByName } from '../../facts/kinds/buckets/terraformLinks.js';
import { isObject, type PlannedResource, type PlanView } from './plan.js';
import type { PlanPositions } from './positions.js';
import { ReferenceResolver } from './references.js';
import { knownString } from './values.js';

export interface PlanContext {
  readonly file: string;
  readonly plan: PlanView;
  readonly resolver: ReferenceResolver;
  readonly bucketsByName: ReadonlyMap<string, PlannedResource>;
  /** Account id found in a planned ARN, else null. */
  readonly accountId: string | null;
  readonly partition: string;
  location(resource: PlannedResource): SourceLocation;
  attributeLocation(resource: PlannedResource, attribute: string): SourceLocation | undefined;
  /** fact path → attribute, for the attributes present in the plan file. */
  locations(resource: PlannedResource, facts: readonly (readonly [string, string])[]): FactLocations;
  region(resource: PlannedResource): string;
}

const CLOUDTRAIL_ARN = /^arn:([\w-]+):cloudtrail:([\w-]*):(\d{12}):/;

/** The account and partition in the first known CloudTrail ARN (trails and event data stores). */
function accountOf(plan: PlanView): { accountId: string | null; partition: string } {
  for (const resource of plan.resources) {
    if (resource.type === 'aws_cloudtrail' || resource.type === 'aws_cloudtrail_event_data_store') {
      const match = CLOUDTRAIL_ARN.exec(knownString(resource, 'arn') ?? '');
      if (match !== null) {
        return { accountId: match[3] ?? null, partition: match[1] ?? 'aws' };
      }
    }
  }
  for (const resource of plan.resources) {
    if (resource.type === 'aws_s3_account_public_access_block') {
      const account = knownString(resource, 'account_id');
      if (account !== undefined && /^\d{12}$/.test(account)) {
        return { accountId: account, partition: 'aws' };
      }
    }
  }
  return { accountId: null, partition: 'aws' };
}

/**
 * The region the provider configuration pins, when the plan shows it: a constant, or a root
 * variable (whose value the plan records). Modules that inherit the root provider point at the
 * root configuration's key; an unknown key falls back to the default `aws` configuration.
 */
function providerRegion(plan: PlanView, resource: PlannedResource): string | undefined {
  const key = resource.config?.providerConfigKey ?? 'aws';
  const configs = plan.providerConfig;
  const config = configs[key] ?? configs[key.slice(key.lastIndexOf(':') + 1)] ?? configs.aws;
  if (!isObject(config) || !isObject(config.expressions) || !isObject(config.expressions.region)) {
    return undefined;
  }
  const region = config.expressions.region;
  if (typeof region.constant_value === 'string' && region.constant_value !== '') {
    return region.constant_value;
  }
  const references = Array.isArray(region.references) ? (region.references as unknown[]) : [];
  const variable = typeof references[0] === 'string' ? /^var\.([\w-]+)$/.exec(references[0])?.[1] : undefined;
  if (variable !== undefined && config.module_address === undefined) {
    const value = plan.variables[variable];
    if (isObject(value) && typeof value.value === 'string' && value.value !== '') {
      return value.value;
    }
  }
  return undefined;
}

export function createContext(file: string, plan: PlanView, positions: PlanPositions): PlanContext {
  const { accountId, partition } = accountOf(plan);
  const at = (offset: number): SourceLocation => ({ file, ...positions.locate(offset) });
  const attributeLocation = (resource: PlannedResource, attribute: string): SourceLocation | undefined => {
    const offset = positions.resources.get(resource.address)?.attributes.get(attribute);
    return offset === undefined ? undefined : at(offset);
  };
  return {
    file,
    plan,
    resolver: new ReferenceResolver(plan),
    bucketsByName: bucketsByName(plan.resources),
    accountId,
    partition,
    location: (resource) => {
      const offset = positions.resources.get(resource.address)?.offset;
      // Every planned resource was indexed from the same text; the fallback is for hand-made
      // plans whose addresses the scanner could not see (e.g. duplicated).
      return offset === undefined ? { file, line: 1, column: 1 } : at(offset);
    },
    attributeLocation,
    locations: (resource, facts) => {
      const result: Record<string, SourceLocation> = {};
      for (const [fact, attribute] of facts) {
        const location = attributeLocation(resource, attribute);
        if (location !== undefined) {
          result[fact] = location;
        }
      }
      return result;
    },
    region: (resource) =>
      // Provider v6 has a per-resource `region`; an existing trail knows its home region; an
      // ARN carries one; otherwise the provider configuration, otherwise "wherever it is applied".
      knownString(resource, 'region') ??
      knownString(resource, 'home_region') ??
      knownString(resource, 'bucket_region') ??
      CLOUDTRAIL_ARN.exec(knownString(resource, 'arn') ?? '')?.[2] ??
      providerRegion(plan, resource) ??
      DEPLOYMENT_REGION,
  };
}
