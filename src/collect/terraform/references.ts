/**
 * Following `configuration` expression references from one resource's argument to the resource
 * instance it names (`s3_bucket_name = aws_s3_bucket.logs.id` → `aws_s3_bucket.logs`).
 *
 * References in the configuration are relative to the module that contains them. Besides plain
 * resource references this follows input variables (`var.x` → the module call's argument in the
 * parent module) and module outputs (`module.logs.bucket_id` → the output's expression inside the
 * called module), so a link survives module boundaries. What cannot be followed is reported, with
 * the reason, rather than guessed: locals (the plan JSON does not contain their definitions), data
 * sources (not declared by the plan), and resources with several instances when the reference
 * does not say which.
 */
import type { ConfigModule, ModuleStep, PlannedResource, PlanView } from './plan.js';
import { configModuleAt, isObject, joinModulePath } from './plan.js';

export type Resolution =
  /** Exactly one resource instance is referenced, and nothing else that could change the value. */
  | { readonly kind: 'resource'; readonly resource: PlannedResource }
  /** No references: a literal, a root variable, or a variable default; use the planned value. */
  | { readonly kind: 'literal' }
  /** References that could not be followed, or that name several resources. */
  | { readonly kind: 'unresolved'; readonly why: string };

interface Context {
  readonly steps: readonly ModuleStep[];
  readonly config: ConfigModule | undefined;
  /** Instance key of the referencing resource, to pick `x[count.index]` / `x[each.key]`. */
  readonly selfIndex?: number | string;
}

interface Found {
  readonly targets: Map<string, PlannedResource>;
  readonly blockers: string[];
}

const RESOURCE_REFERENCE = /^([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)((?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?)/;
const MODULE_REFERENCE = /^module\.([A-Za-z_][\w-]*)((?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?)(?:\.([A-Za-z_][\w-]*))?/;
const INDEX_HINTS = new Set(['count', 'each']);
const IGNORED_ROOTS = new Set(['path', 'terraform', 'self']);
/** Guard against reference cycles through module outputs and variables. */
const MAX_DEPTH = 16;

export class ReferenceResolver {
  /** Instances by address without their instance key (`module.a.aws_s3_bucket.logs`). */
  private readonly instances = new Map<string, PlannedResource[]>();

  constructor(private readonly plan: PlanView) {
    for (const resource of plan.resources) {
      const base = resource.index === undefined ? resource.address : resource.address.slice(0, resource.address.lastIndexOf('['));
      const list = this.instances.get(base) ?? [];
      list.push(resource);
      this.instances.set(base, list);
    }
  }

  /** The resource named by `resource`'s argument `name`. */
  resolve(resource: PlannedResource, name: string): Resolution {
    if (resource.config === undefined) {
      return this.plan.hasConfiguration
        ? { kind: 'unresolved', why: `the plan's configuration has no block for ${resource.address}` }
        : { kind: 'literal' };
    }
    const context: Context = {
      steps: resource.moduleSteps,
      config: configModuleAt(this.plan.rootConfig, resource.moduleSteps),
      ...(resource.index === undefined ? {} : { selfIndex: resource.index }),
    };
    const found: Found = { targets: new Map(), blockers: [] };
    this.follow(resource.config.expressions[name], context, found, 0);
    if (found.blockers.length > 0) {
      return { kind: 'unresolved', why: [...new Set(found.blockers)].join('; ') };
    }
    const targets = [...found.targets.values()];
    if (targets.length > 1) {
      return { kind: 'unresolved', why: `it combines ${targets.map((t) => t.address).join(' and ')}` };
    }
    const [target] = targets;
    return target === undefined ? { kind: 'literal' } : { kind: 'resource', resource: target };
  }

  private follow(expression: unknown, context: Context, found: Found, depth: number): void {
    if (!isObject(expression) || !Array.isArray(expression.references)) {
      return;
    }
    if (depth > MAX_DEPTH) {
      found.blockers.push('the references are nested too deeply to follow');
      return;
    }
    const references = (expression.references as unknown[]).filter((item): item is string => typeof item === 'string');
    const hinted = references.some((reference) => INDEX_HINTS.has(reference.split('.')[0] ?? ''));
    // Terraform lists each traversal from the most to the least specific form
    // (`aws_s3_bucket.logs[0].id`, `aws_s3_bucket.logs[0]`, `aws_s3_bucket.logs`): the first
    // form of each referenced object says the most.
    const seen = new Set<string>();
    for (const reference of references) {
      const rootName = reference.split('.')[0] ?? '';
      if (INDEX_HINTS.has(rootName) || IGNORED_ROOTS.has(rootName)) {
        continue;
      }
      if (rootName === 'var') {
        const variable = reference.split('.')[1] ?? '';
        if (!seen.has(`var.${variable}`)) {
          seen.add(`var.${variable}`);
          this.followVariable(variable, context, found, depth);
        }
        continue;
      }
      if (rootName === 'local') {
        const local = reference.split('.').slice(0, 2).join('.');
        found.blockers.push(`it uses ${local}, and the plan JSON does not record local values`);
        continue;
      }
      if (rootName === 'data') {
        const source = reference.split('.').slice(0, 3).join('.').replace(/\[.*$/, '');
        found.blockers.push(`it comes from the data source ${source}, which the plan reads rather than declares`);
        continue;
      }
      if (rootName === 'module') {
        const match = MODULE_REFERENCE.exec(reference);
        const key = match === null ? reference : `module.${match[1] ?? ''}`;
        if (match !== null && !seen.has(key)) {
          seen.add(key);
          this.followOutput(match[1] ?? '', match[2] ?? '', match[3], context, found, depth);
        }
        continue;
      }
      const match = RESOURCE_REFERENCE.exec(reference);
      if (match === null) {
        found.blockers.push(`it uses ${reference}, which trailaudit cannot follow`);
        continue;
      }
      const key = `${match[1] ?? ''}.${match[2] ?? ''}`;
      if (!seen.has(key)) {
        seen.add(key);
        this.followResource(key, match[3] ?? '', hinted, context, found);
      }
    }
  }

  private followResource(relative: string, index: string, hinted: boolean, context: Context, found: Found): void {
    const moduleAddress = joinModulePath(context.steps);
    const prefix = moduleAddress === '' ? relative : `${moduleAddress}.${relative}`;
    const instances = this.instances.get(prefix) ?? [];
    let chosen: PlannedResource | undefined;
    if (index !== '') {
      chosen = instances.find((candidate) => candidate.address === `${prefix}${index}`);
    } else if (instances.length === 1) {
      chosen = instances[0];
    } else if (hinted && context.selfIndex !== undefined) {
      // `aws_s3_bucket.logs[count.index]`: the same instance key as the referencing resource.
      chosen = instances.find((candidate) => candidate.index === context.selfIndex);
    }
    if (chosen !== undefined) {
      found.targets.set(chosen.address, chosen);
    } else if (instances.length === 0) {
      found.blockers.push(`${prefix}${index} is not among the resources this plan leaves in place`);
    } else {
      found.blockers.push(`${prefix} has ${instances.length} instances and the reference does not say which one`);
    }
  }

  private followVariable(variable: string, context: Context, found: Found, depth: number): void {
    const call = context.steps.at(-1);
    if (call === undefined) {
      // A root module variable: its value is in the plan, so the planned attribute already has it.
      return;
    }
    const parentSteps = context.steps.slice(0, -1);
    const parentConfig = configModuleAt(this.plan.rootConfig, parentSteps);
    const argument = parentConfig?.calls.get(call.name)?.expressions[variable];
    // No argument in the call: the variable's default, a constant the planned value already shows.
    this.follow(argument, { steps: parentSteps, config: parentConfig }, found, depth + 1);
  }

  private followOutput(
    call: string,
    key: string,
    output: string | undefined,
    context: Context,
    found: Found,
    depth: number,
  ): void {
    const moduleAddress = joinModulePath(context.steps);
    const callPrefix = `${moduleAddress === '' ? '' : `${moduleAddress}.`}module.${call}`;
    let instanceKey = key;
    if (instanceKey === '') {
      const keys = new Set<string>();
      for (const resource of this.plan.resources) {
        const step = resource.moduleSteps[context.steps.length];
        if (step?.name === call && joinModulePath(resource.moduleSteps.slice(0, context.steps.length)) === moduleAddress) {
          keys.add(step.key);
        }
      }
      if (keys.size > 1) {
        found.blockers.push(`${callPrefix} has ${keys.size} instances and the reference does not say which one`);
        return;
      }
      instanceKey = [...keys][0] ?? '';
    }
    const steps = [...context.steps, { name: call, key: instanceKey }];
    const config = configModuleAt(this.plan.rootConfig, steps);
    const expression = output === undefined ? undefined : config?.outputs.get(output)?.expression;
    if (output === undefined || expression === undefined) {
      found.blockers.push(`it uses ${callPrefix}${output === undefined ? '' : `.${output}`}, whose value the plan does not show`);
      return;
    }
    this.follow(expression, { steps, config }, found, depth + 1);
  }
}
