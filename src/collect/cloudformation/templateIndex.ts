/**
 * What the collector needs to know about a template as a whole: its resources by logical id and
 * its parameters (with their defaults), plus helpers to turn positions into source locations.
 */
import type { SourceLocation } from '../../facts/model.js';
import type { CfnMap, CfnNode, CfnTemplate, Position } from './template.js';
import { isMap, literalString, valueOf } from './template.js';

export interface ResourceInfo {
  readonly logicalId: string;
  readonly type: string;
  /** Position of the logical id key: where a finding about the resource points. */
  readonly position: Position;
  readonly node: CfnMap;
  /** The Properties map (undefined when absent or not a map). */
  readonly properties: CfnNode | undefined;
  /** Name of the resource's `Condition`, when it is created only if that condition holds. */
  readonly condition?: string;
}

export interface TemplateIndex {
  readonly file: string;
  readonly resources: ReadonlyMap<string, ResourceInfo>;
  /** Parameter name → its Default (undefined when it has none). */
  readonly parameters: ReadonlyMap<string, CfnNode | undefined>;
}

export function indexTemplate(template: CfnTemplate, file: string): TemplateIndex {
  const resources = new Map<string, ResourceInfo>();
  for (const entry of isMap(valueOf(template.root, 'Resources')) ? (valueOf(template.root, 'Resources') as CfnMap).entries : []) {
    const type = literalString(valueOf(entry.value, 'Type'));
    if (!isMap(entry.value) || type === undefined) {
      // Not a resource we can read (or a Fn::ForEach loop): nothing to audit in it.
      continue;
    }
    const condition = literalString(valueOf(entry.value, 'Condition'));
    resources.set(entry.key, {
      logicalId: entry.key,
      type,
      position: entry.keyPosition,
      node: entry.value,
      properties: valueOf(entry.value, 'Properties'),
      ...(condition === undefined ? {} : { condition }),
    });
  }
  const parameters = new Map<string, CfnNode | undefined>();
  const declared = valueOf(template.root, 'Parameters');
  if (isMap(declared)) {
    for (const entry of declared.entries) {
      parameters.set(entry.key, valueOf(entry.value, 'Default'));
    }
  }
  return { file, resources, parameters };
}

export function locationOf(index: TemplateIndex, position: Position): SourceLocation {
  return { file: index.file, line: position.line, column: position.column };
}

export function resourcesOfType(index: TemplateIndex, type: string): ResourceInfo[] {
  return [...index.resources.values()].filter((resource) => resource.type === type);
}
