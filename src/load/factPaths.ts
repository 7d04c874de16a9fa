/**
 * Every fact reference in a check, checked against the catalogue of the facts model
 * (src/facts/fields.ts) when the check is loaded.
 *
 * The engine resolves a path that names no field to MISSING, which it must accept because many
 * facts are optional: so a misspelled path would quietly test "absent" and could PASS a check that
 * should FAIL. Only here, knowing the model, can a typo be told from an absent optional fact.
 * Resolution follows the engine's own rules (engine/paths.ts, conditions.ts, evaluate.ts,
 * template.ts): `$.` is the fact set, `^.` the enclosing item, `$param.` a parameter in leaf paths
 * and evidence, and `{{resource.…}}`, `{{item.…}}`, `{{param.…}}` in templates.
 */
import { placeholderPaths } from '../engine/template.js';
import type { CheckDefinition, Condition, ParameterDefinition, Quantified } from '../engine/types.js';
import { FACT_SET } from '../facts/fields.js';
import { RESOURCE_REF_FIELDS, type FieldSpec } from '../facts/fieldSpec.js';
import { closestName } from './suggest.js';

/** A bad reference: where it is in the check (JSON path) and what was expected there. */
export interface FactPathProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** The static counterpart of the engine's Scope: the spec of the current item and its parents. */
interface TypeScope {
  readonly spec: FieldSpec;
  /** For messages: "an item of $.buckets". */
  readonly label: string;
  readonly parent: TypeScope | null;
}

type Resolution = { readonly spec: FieldSpec } | { readonly problem: string };

const ROOT: TypeScope = { spec: FACT_SET, label: 'the fact set ($)', parent: null };
const LEAF: FieldSpec = 'leaf';
const PARAM_PREFIX = '$param.';
const TEMPLATE_ROOTS = ['resource', 'item', 'param'];
/** Beyond this many, "expected one of" would drown the message. */
const MAX_LISTED = 40;

export function factPathProblems(check: CheckDefinition): FactPathProblem[] {
  const problems: FactPathProblem[] = [];
  const report = (path: readonly (string | number)[], resolution: Resolution): resolution is { spec: FieldSpec } => {
    if ('problem' in resolution) {
      problems.push({ path, message: resolution.problem });
      return false;
    }
    return true;
  };
  const params = check.parameters;

  const given = resolveFactPath(check.given, ROOT);
  let item: TypeScope | null = null;
  if (report(['given'], given)) {
    if (given.spec === 'leaf') {
      problems.push({ path: ['given'], message: `"${check.given}" is a single value; given must name a collection or an object of the fact set` });
    } else {
      item = { spec: elementSpec(given.spec), label: 'list' in given.spec ? `an item of ${check.given}` : check.given, parent: ROOT };
    }
  }
  // Without the item's type nothing relative to it can be checked; the `given` problem says why.
  if (item === null) {
    return problems;
  }

  const visit = (condition: Condition, scope: TypeScope, path: readonly (string | number)[]): void => {
    if ('all' in condition) {
      condition.all.forEach((child, index) => {
        visit(child, scope, [...path, 'all', index]);
      });
    } else if ('any' in condition) {
      condition.any.forEach((child, index) => {
        visit(child, scope, [...path, 'any', index]);
      });
    } else if ('not' in condition) {
      visit(condition.not, scope, [...path, 'not']);
    } else if ('some' in condition) {
      quantifier(condition.some, scope, [...path, 'some']);
    } else if ('every' in condition) {
      quantifier(condition.every, scope, [...path, 'every']);
    } else if ('none' in condition) {
      quantifier(condition.none, scope, [...path, 'none']);
    } else {
      report([...path, 'path'], resolveLeafPath(condition.path, scope, params));
      if (condition.ref !== undefined) {
        report([...path, 'ref'], resolveRef(condition.ref, scope));
      }
    }
  };
  const quantifier = (quantified: Quantified, scope: TypeScope, path: readonly (string | number)[]): void => {
    const collection = resolveFactPath(quantified.in, scope);
    if (!report([...path, 'in'], collection)) {
      return;
    }
    if (collection.spec === 'leaf') {
      problems.push({ path: [...path, 'in'], message: `"${quantified.in}" is a single value; "in" must name a list or an object` });
      return;
    }
    const inner: TypeScope = { spec: elementSpec(collection.spec), label: `an item of ${quantified.in}`, parent: scope };
    if (quantified.where !== undefined) {
      visit(quantified.where, inner, [...path, 'where']);
    }
    if (quantified.match !== undefined) {
      visit(quantified.match, inner, [...path, 'match']);
    }
  };
  if (check.select !== undefined) {
    visit(check.select, item, ['select']);
  }
  if (check.where !== undefined) {
    visit(check.where, item, ['where']);
  }
  visit(check.assert, item, ['assert']);
  check.notes?.forEach((note, index) => {
    visit(note.when, item, ['notes', index, 'when']);
  });

  check.evidence.forEach((spec, index) => {
    if (typeof spec === 'string') {
      report(['evidence', index], resolveLeafPath(spec, item, params));
      return;
    }
    const projected = resolveLeafPath(spec.path, item, params);
    if (!report(['evidence', index, 'path'], projected)) {
      return;
    }
    // Each field is read from every item of the projected value (evaluate.ts collectEvidence).
    const each: TypeScope = { spec: elementSpec(projected.spec), label: `an item of ${spec.path}`, parent: item };
    if (spec.where !== undefined) {
      visit(spec.where, each, ['evidence', index, 'where']);
    }
    spec.fields.forEach((field, fieldIndex) => {
      report(['evidence', index, 'fields', fieldIndex], resolveFactPath(field, each));
    });
  });

  // Templates rendered with { resource, item, param } (evaluate.ts makeFinding).
  const templates: [readonly (string | number)[], string][] = [
    ...Object.entries(check.messages).map(([key, text]): [readonly (string | number)[], string] => [['messages', key], text]),
    [['remediation', 'cli'], check.remediation.cli],
    ...(check.notes ?? []).map((note, index): [readonly (string | number)[], string] => [['notes', index, 'text'], note.text]),
  ];
  for (const [path, text] of templates) {
    for (const placeholder of placeholderPaths(text)) {
      report(path, resolvePlaceholder(placeholder, item, params));
    }
  }
  return problems;
}

/** A list's items, or the value itself (the engine treats a single object as a one-item list). */
function elementSpec(spec: FieldSpec): FieldSpec {
  return typeof spec === 'object' && 'list' in spec ? spec.list : spec;
}

/** As engine/paths.ts resolvePath: `$.` from the root, each `^.` one scope up, else the item. */
function resolveFactPath(path: string, scope: TypeScope): Resolution {
  let segments = path.split('.');
  let start: TypeScope | null = scope;
  let prefix = '';
  if (segments[0] === '$') {
    start = ROOT;
    segments = segments.slice(1);
    prefix = '$.';
  } else if (segments[0] === '^') {
    while (segments[0] === '^') {
      start = start?.parent ?? null;
      segments = segments.slice(1);
      prefix += '^.';
    }
  }
  if (start === null) {
    return { problem: `"${path}" climbs above the fact set with "^."; each "^." goes up one quantifier` };
  }
  // The engine skips empty segments (`a..b`), so they are no typo here.
  return walk(
    start,
    segments.filter((segment) => segment !== ''),
    `unknown fact path "${path}"`,
    prefix,
  );
}

/** As conditions.ts resolveLeafPath: `$param.x` reads a parameter, anything else a fact. */
function resolveLeafPath(path: string, scope: TypeScope, params: CheckDefinition['parameters']): Resolution {
  if (path.startsWith(PARAM_PREFIX)) {
    return resolveParameter(path.slice(PARAM_PREFIX.length).split('.'), `"${path}"`, params);
  }
  return resolveFactPath(path, scope);
}

/** A `ref` is resolved as a fact path only (conditions.ts), so `$param.` there reads nothing. */
function resolveRef(ref: string, scope: TypeScope): Resolution {
  if (ref.startsWith(PARAM_PREFIX)) {
    const name = ref.slice(PARAM_PREFIX.length);
    return { problem: `"ref" reads facts, not parameters; to compare with a parameter write value: "{{param.${name}}}"` };
  }
  return resolveFactPath(ref, scope);
}

/** As template.ts lookup over { resource, item, param }; empty segments are not skipped there. */
function resolvePlaceholder(placeholder: string, item: TypeScope, params: CheckDefinition['parameters']): Resolution {
  const [root = '', ...rest] = placeholder.split('.');
  const text = `{{${placeholder}}}`;
  switch (root) {
    case 'resource':
      return walk({ spec: { fields: RESOURCE_REF_FIELDS }, label: 'the resource', parent: null }, rest, `unknown placeholder ${text}`);
    case 'item':
      return walk(item, rest, `unknown placeholder ${text}`);
    case 'param':
      return resolveParameter(rest, text, params);
    default: {
      const suggestion = closestName(root, TEMPLATE_ROOTS);
      return {
        problem: `unknown placeholder ${text}: "${root}" is not one of ${TEMPLATE_ROOTS.join(', ')}${suggestion === null ? '' : `; did you mean "${suggestion}"?`}`,
      };
    }
  }
}

function resolveParameter(segments: readonly string[], text: string, params: CheckDefinition['parameters']): Resolution {
  const [name = '', ...rest] = segments;
  const definition = Object.hasOwn(params, name) ? params[name] : undefined;
  if (definition === undefined) {
    const suggestion = closestName(name, Object.keys(params));
    return {
      problem: `unknown parameter "${name}" in ${text} (declare it under parameters)${suggestion === null ? '' : `; did you mean "${suggestion}"?`}`,
    };
  }
  return walk({ spec: parameterSpec(definition), label: `parameter ${name}`, parent: null }, rest, `unknown parameter path ${text}`);
}

function parameterSpec(definition: ParameterDefinition): FieldSpec {
  return definition.type === 'string[]' ? { list: LEAF } : LEAF;
}

/**
 * Walk `segments` down from `scope`'s spec; at the first one that leads nowhere, say why after
 * `subject` (`unknown fact path "a.b"`). `prefix` (`$.`, `^.`) is what led to `scope`.
 */
function walk(scope: TypeScope, segments: readonly string[], subject: string, prefix = ''): Resolution {
  let spec = scope.spec;
  let walked = '';
  for (const segment of segments) {
    const where = walked === '' ? scope.label : `"${prefix}${walked}"`;
    if (spec === 'leaf') {
      return { problem: `${subject}: ${where} is a single value with no field "${segment}"` };
    }
    if ('list' in spec) {
      // Arrays answer indexes and `length` in the engine's resolver; nothing else.
      if (/^\d+$/u.test(segment)) {
        spec = spec.list;
      } else if (segment === 'length') {
        spec = LEAF;
      } else {
        const hint =
          spec.list === 'leaf'
            ? '; compare its values with contains, containsAny or containsAll'
            : `; to test its items, use a some/every/none quantifier${walked === '' ? '' : ` with in: ${prefix}${walked}`}`;
        return { problem: `${subject}: ${where} is a list, which has no field "${segment}"${hint}` };
      }
    } else if ('record' in spec) {
      spec = spec.record;
    } else {
      const next = Object.hasOwn(spec.fields, segment) ? spec.fields[segment] : undefined;
      if (next === undefined) {
        return { problem: unknownField(subject, segment, where, Object.keys(spec.fields)) };
      }
      spec = next;
    }
    walked = walked === '' ? segment : `${walked}.${segment}`;
  }
  return { spec };
}

function unknownField(subject: string, segment: string, where: string, fields: readonly string[]): string {
  const suggestion = closestName(segment, fields);
  const sorted = [...fields].sort();
  const listed = sorted.length > MAX_LISTED ? [...sorted.slice(0, MAX_LISTED), '…'] : sorted;
  return (
    `${subject}: ${where} has no field "${segment}"` +
    (suggestion === null ? '' : `; did you mean "${suggestion}"?`) +
    ` Expected one of: ${listed.join(', ')}`
  );
}
