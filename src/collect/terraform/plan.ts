/**
 * Reading a parsed `terraform show -json` plan: format detection, the version gate, and a flat
 * list of the managed resource instances the plan will leave in place, each joined with its
 * `resource_changes` entry (actions, after_unknown) and its `configuration` block (expressions).
 *
 * Everything here is defensive about shape: the input is a user file, so a field of the wrong
 * type reads as absent rather than throwing.
 */
import { InputError } from '../../errors.js';
import type { PlanPositions } from './positions.js';

export type Json = unknown;
export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** Content-based detection: a plan has `format_version` and planned values or resource changes. */
export function isTerraformPlan(data: unknown): boolean {
  return (
    isObject(data) &&
    typeof data.format_version === 'string' &&
    (isObject(data.planned_values) || Array.isArray(data.resource_changes))
  );
}

/**
 * Terraform promises that minor format versions only add fields; a new major version may change
 * meanings, so it is refused rather than misread.
 */
export function assertSupportedPlan(data: unknown, file: string, positions: PlanPositions | undefined): asserts data is JsonObject {
  const where = (offset: number | undefined): { line: number; column: number } =>
    offset === undefined || positions === undefined ? { line: 0, column: 0 } : positions.locate(offset);
  if (!isTerraformPlan(data)) {
    throw new InputError([
      {
        file,
        line: 0,
        column: 0,
        path: '',
        message: 'not a Terraform plan (expected the output of `terraform show -json PLANFILE`, with format_version and planned_values)',
      },
    ]);
  }
  const version = (data as JsonObject).format_version as string;
  const major = /^(\d+)\./.exec(version)?.[1];
  if (major !== '1') {
    throw new InputError([
      {
        file,
        ...where(positions?.formatVersion),
        path: 'format_version',
        message: `unsupported Terraform plan format_version '${version}' (trailaudit reads format 1.x, written by Terraform 0.12 and later)`,
      },
    ]);
  }
}

/** A `configuration` module: resources by (module-relative) address, calls, outputs. */
export interface ConfigModule {
  readonly resources: ReadonlyMap<string, ConfigResource>;
  readonly calls: ReadonlyMap<string, ModuleCall>;
  readonly outputs: ReadonlyMap<string, JsonObject>;
}

export interface ConfigResource {
  readonly address: string;
  readonly providerConfigKey?: string;
  readonly expressions: JsonObject;
}

export interface ModuleCall {
  readonly expressions: JsonObject;
  readonly module: ConfigModule;
}

export function readConfigModule(raw: unknown): ConfigModule {
  const node = isObject(raw) ? raw : {};
  const resources = new Map<string, ConfigResource>();
  for (const entry of asArray(node.resources)) {
    if (isObject(entry) && typeof entry.address === 'string') {
      resources.set(entry.address, {
        address: entry.address,
        ...(typeof entry.provider_config_key === 'string' ? { providerConfigKey: entry.provider_config_key } : {}),
        expressions: isObject(entry.expressions) ? entry.expressions : {},
      });
    }
  }
  const calls = new Map<string, ModuleCall>();
  if (isObject(node.module_calls)) {
    for (const [name, call] of Object.entries(node.module_calls)) {
      if (isObject(call)) {
        calls.set(name, {
          expressions: isObject(call.expressions) ? call.expressions : {},
          module: readConfigModule(call.module),
        });
      }
    }
  }
  const outputs = new Map<string, JsonObject>();
  if (isObject(node.outputs)) {
    for (const [name, output] of Object.entries(node.outputs)) {
      if (isObject(output)) {
        outputs.set(name, output);
      }
    }
  }
  return { resources, calls, outputs };
}

/** One step of a module instance path: `module.audit["eu"]` → {name: 'audit', key: '["eu"]'}. */
export interface ModuleStep {
  readonly name: string;
  /** The instance key exactly as written in addresses (`[0]`, `["eu"]`), '' when none. */
  readonly key: string;
}

const MODULE_STEP = /^module\.([A-Za-z_][\w-]*)((?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?)/;

/** Split a module instance address into steps; the rest of the text is returned too. */
export function splitModulePath(address: string): { readonly steps: ModuleStep[]; readonly rest: string } {
  const steps: ModuleStep[] = [];
  let rest = address;
  for (;;) {
    const match = MODULE_STEP.exec(rest);
    if (match === null) {
      break;
    }
    steps.push({ name: match[1] ?? '', key: match[2] ?? '' });
    rest = rest.slice(match[0].length).replace(/^\./, '');
  }
  return { steps, rest };
}

export function joinModulePath(steps: readonly ModuleStep[]): string {
  return steps.map((step) => `module.${step.name}${step.key}`).join('.');
}

/** A managed resource instance that will exist after apply. */
export interface PlannedResource {
  /** Full instance address (`module.audit.aws_cloudtrail.main[0]`). */
  readonly address: string;
  /** Module instance address ('' for the root module). */
  readonly moduleAddress: string;
  readonly moduleSteps: readonly ModuleStep[];
  readonly type: string;
  readonly name: string;
  /** `index` from the plan (count number or for_each key), undefined when neither is used. */
  readonly index?: number | string;
  /** Planned attribute values (unknown ones are absent). */
  readonly values: JsonObject;
  /**
   * `after_unknown` from resource_changes: true, or a nested object/array marking the values that
   * are known only after apply. undefined when the plan has no change entry (no-op omitted).
   */
  readonly afterUnknown: unknown;
  readonly actions: readonly string[];
  readonly config?: ConfigResource;
}

export interface PlanView {
  readonly resources: readonly PlannedResource[];
  readonly rootConfig: ConfigModule;
  readonly providerConfig: JsonObject;
  readonly variables: JsonObject;
  /** Whether the plan carries a `configuration` section (it always does from Terraform itself). */
  readonly hasConfiguration: boolean;
}

/** The config module for a module instance path (instance keys are ignored: one block, many instances). */
export function configModuleAt(root: ConfigModule, steps: readonly ModuleStep[]): ConfigModule | undefined {
  let current: ConfigModule | undefined = root;
  for (const step of steps) {
    current = current?.calls.get(step.name)?.module;
  }
  return current;
}

/** `aws_s3_bucket.logs[0]` → `aws_s3_bucket.logs` (config addresses have no instance key). */
function withoutIndex(address: string): string {
  const bracket = address.indexOf('[');
  return bracket < 0 ? address : address.slice(0, bracket);
}

export function readPlan(data: JsonObject): PlanView {
  const changes = new Map<string, JsonObject>();
  for (const change of asArray(data.resource_changes)) {
    if (isObject(change) && typeof change.address === 'string' && isObject(change.change)) {
      changes.set(change.address, change.change);
    }
  }
  const configuration = isObject(data.configuration) ? data.configuration : undefined;
  const rootConfig = readConfigModule(configuration?.root_module);
  const resources: PlannedResource[] = [];
  const visit = (module: unknown): void => {
    if (!isObject(module)) {
      return;
    }
    for (const entry of asArray(module.resources)) {
      if (!isObject(entry) || typeof entry.address !== 'string' || typeof entry.type !== 'string') {
        continue;
      }
      // Data sources are read, not managed: they declare nothing about the account.
      if (entry.mode !== undefined && entry.mode !== 'managed') {
        continue;
      }
      const change = changes.get(entry.address);
      const actions = asArray(change?.actions).filter((action): action is string => typeof action === 'string');
      // Terraform leaves destroyed resources out of planned_values; a plan that lists one anyway
      // (hand-made, or another tool's output) must not count what is about to disappear.
      if (actions.length === 1 && actions[0] === 'delete') {
        continue;
      }
      const { steps, rest } = splitModulePath(entry.address);
      const moduleConfig = configModuleAt(rootConfig, steps);
      const config = moduleConfig?.resources.get(withoutIndex(rest));
      const index = typeof entry.index === 'number' || typeof entry.index === 'string' ? entry.index : undefined;
      resources.push({
        address: entry.address,
        moduleAddress: joinModulePath(steps),
        moduleSteps: steps,
        type: entry.type,
        name: typeof entry.name === 'string' ? entry.name : rest,
        ...(index === undefined ? {} : { index }),
        values: isObject(entry.values) ? entry.values : {},
        afterUnknown: change?.after_unknown,
        actions,
        ...(config === undefined ? {} : { config }),
      });
    }
    for (const child of asArray(module.child_modules)) {
      visit(child);
    }
  };
  visit(isObject(data.planned_values) ? data.planned_values.root_module : undefined);
  return {
    resources,
    rootConfig,
    providerConfig: isObject(configuration?.provider_config) ? configuration.provider_config : {},
    variables: isObject(data.variables) ? data.variables : {},
    hasConfiguration: configuration !== undefined,
  };
}
