/**
 * Template text → {@link CfnTemplate}: YAML (with CloudFormation's short-form intrinsic tags) or
 * JSON (hand-written templates and CDK's `*.template.json`), keeping positions.
 *
 * Choices:
 * - JSON is recognised by the `.json` extension or by a first character `{`; a `{` file that is
 *   not valid JSON but valid YAML (a flow mapping) is read as YAML.
 * - YAML is read as YAML 1.2 (core schema), so `yes`/`no` stay strings and dates stay strings.
 *   Aliases are expanded (a node reached through an alias keeps the anchor's position); merge
 *   keys (`<<`) are not a CloudFormation feature and stay ordinary keys.
 * - Short-form tags become the long form CloudFormation documents: `!Ref X` → `{Ref: X}`,
 *   `!Condition X` → `{Condition: X}`, `!GetAtt A.B.C` → `{Fn::GetAtt: [A, B.C]}` (split at the
 *   first dot, as CloudFormation does), every other `!Name` → `{Fn::Name: …}`. An unknown `!tag`
 *   is an error: CloudFormation rejects it, and guessing would hide a typo.
 * - Duplicate keys are errors in both syntaxes (which one CloudFormation keeps is not something
 *   an audit should guess).
 */
import { isAlias, isMap as isYamlMap, isPair, isScalar as isYamlScalar, isSeq, type Alias, type LineCounter, type Node } from 'yaml';
import { InputError } from '../../errors.js';
import { parseYamlText } from '../../load/yamlParse.js';
import { parseJsonWith, type JsonSyntaxProblem } from '../../load/jsonPositions.js';
import type { CfnEntry, CfnNode, CfnTemplate, Position } from './template.js';
import { toPlain } from './template.js';

/** Every short-form tag CloudFormation accepts, by tag name → long-form key. */
const SHORT_FORMS: ReadonlyMap<string, string> = new Map([
  ['!Ref', 'Ref'],
  ['!Condition', 'Condition'],
  ...[
    'And',
    'Base64',
    'Cidr',
    'Contains',
    'EachMemberEquals',
    'EachMemberIn',
    'Equals',
    'FindInMap',
    'ForEach',
    'GetAtt',
    'GetAZs',
    'If',
    'ImportValue',
    'Join',
    'Length',
    'Not',
    'Or',
    'RefAll',
    'Select',
    'Split',
    'Sub',
    'ToJsonString',
    'Transform',
    'ValueOf',
  ].map((name): [string, string] => [`!${name}`, `Fn::${name}`]),
]);

/** Expanding aliases repeatedly could blow up (the "billion laughs" document); templates never need this many. */
const MAX_ALIAS_EXPANSIONS = 10_000;

function inputError(file: string, position: Position, message: string, path = ''): InputError {
  return new InputError([{ file, line: position.line, column: position.column, path, message }]);
}

/** Text of a scalar the core schema resolved to something other than string/number/boolean. */
function scalarText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return value.toString();
  }
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

class YamlTreeBuilder {
  private aliasExpansions = 0;
  private readonly expanding = new Set<Node>();

  constructor(
    private readonly resolveAlias: (alias: Alias) => Node | undefined,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  positionOf(node: Node | null | undefined, fallback: Position): Position {
    const offset = node?.range?.[0];
    if (offset === undefined) {
      return fallback;
    }
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  build(node: unknown, fallback: Position): CfnNode {
    if (node === null || node === undefined) {
      return { kind: 'scalar', value: null, position: fallback };
    }
    if (isAlias(node)) {
      const target = this.resolveAlias(node);
      if (target === undefined) {
        throw inputError(this.file, this.positionOf(node, fallback), `unresolved alias *${node.source}`);
      }
      this.aliasExpansions += 1;
      if (this.aliasExpansions > MAX_ALIAS_EXPANSIONS) {
        throw inputError(this.file, this.positionOf(node, fallback), `more than ${MAX_ALIAS_EXPANSIONS} alias expansions`);
      }
      if (this.expanding.has(target)) {
        throw inputError(this.file, this.positionOf(node, fallback), `alias *${node.source} refers to a node that contains it`);
      }
      this.expanding.add(target);
      try {
        return this.build(target, fallback);
      } finally {
        this.expanding.delete(target);
      }
    }
    const yamlNode = node as Node;
    const position = this.positionOf(yamlNode, fallback);
    const plain = this.buildUntagged(yamlNode, position);
    const tag = yamlNode.tag;
    if (tag === undefined || !tag.startsWith('!') || tag.startsWith('!!')) {
      // Standard YAML tags (tag:yaml.org,2002:…) were already applied by the parser.
      return plain;
    }
    return this.expandShortForm(tag, plain, position);
  }

  private buildUntagged(node: Node, position: Position): CfnNode {
    if (isYamlScalar(node)) {
      const value = node.value;
      if (value === null || value === undefined) {
        // An empty tagged node (`!GetAZs`) reads as an empty string, as CloudFormation does.
        return { kind: 'scalar', value: node.tag?.startsWith('!') === true ? '' : null, position };
      }
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        return { kind: 'scalar', value, position };
      }
      return { kind: 'scalar', value: scalarText(value), position };
    }
    if (isSeq(node)) {
      return { kind: 'list', items: node.items.map((item) => this.build(item, position)), position };
    }
    if (isYamlMap(node)) {
      const entries: CfnEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) {
          continue;
        }
        const keyNode = isAlias(pair.key) ? this.resolveAlias(pair.key) : pair.key;
        if (!isYamlScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
          throw inputError(this.file, this.positionOf(pair.key as Node, position), 'only plain scalar keys are supported in a template');
        }
        const keyPosition = this.positionOf(pair.key as Node, position);
        entries.push({ key: scalarText(keyNode.value), keyPosition, value: this.build(pair.value, keyPosition) });
      }
      return { kind: 'map', entries, position };
    }
    return { kind: 'scalar', value: null, position };
  }

  private expandShortForm(tag: string, plain: CfnNode, position: Position): CfnNode {
    const key = SHORT_FORMS.get(tag);
    if (key === undefined) {
      throw inputError(this.file, position, `unknown tag ${tag} (CloudFormation short forms are !Ref, !GetAtt, !Sub, !Join, !If, …)`);
    }
    let value = plain;
    if (key === 'Fn::GetAtt' && plain.kind === 'scalar' && typeof plain.value === 'string') {
      const dot = plain.value.indexOf('.');
      if (dot <= 0 || dot === plain.value.length - 1) {
        throw inputError(this.file, position, `!GetAtt ${plain.value}: expected LogicalId.Attribute`);
      }
      value = {
        kind: 'list',
        items: [
          { kind: 'scalar', value: plain.value.slice(0, dot), position },
          { kind: 'scalar', value: plain.value.slice(dot + 1), position },
        ],
        position,
      };
    }
    return { kind: 'map', entries: [{ key, keyPosition: position, value }], position };
  }
}

function parseYamlTemplate(text: string, file: string): CfnTemplate {
  // Duplicate keys, alias bombs and alias resolution in linear time (see load/yamlParse.ts).
  const { document, lineCounter: lines, problems, resolveAlias } = parseYamlText(text);
  const [problem] = problems;
  if (problem !== undefined) {
    const { line, col } = lines.linePos(problem.offset);
    throw inputError(file, { line, column: col }, `invalid YAML: ${problem.message}`);
  }
  const root = new YamlTreeBuilder(resolveAlias, lines, file).build(document.contents, { line: 1, column: 1 });
  return { file, format: 'yaml', root, data: toPlain(root) };
}

/** A JSON template, or the first syntax problem (which the caller may prefer to a YAML reading). */
function parseJsonTemplate(text: string, file: string): CfnTemplate | { readonly problem: JsonSyntaxProblem & Position } {
  const parsed = parseJsonWith<CfnNode, CfnEntry>(text, {
    scalar: (value, position) => ({ kind: 'scalar', value, position }),
    list: (items, position) => ({ kind: 'list', items, position }),
    map: (entries, position) => ({ kind: 'map', entries, position }),
    entry: (key, keyPosition, value) => ({ key, keyPosition, value }),
  });
  if (parsed.problem !== undefined) {
    return { problem: parsed.problem };
  }
  return { file, format: 'json', root: parsed.root, data: toPlain(parsed.root) };
}

function jsonError(file: string, problem: JsonSyntaxProblem & Position): InputError {
  return inputError(file, problem, `invalid JSON: ${problem.message}`);
}

/**
 * Parse a template. Syntax errors become an {@link InputError} naming the file, line and column.
 * Whether the content IS a CloudFormation template is a separate question
 * ({@link isCloudFormationTemplate}).
 */
export function parseTemplate(text: string, file: string): CfnTemplate {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const looksLikeJson = /^\s*\{/.test(source);
  const isJsonFile = file.toLowerCase().endsWith('.json');
  if (!isJsonFile && !looksLikeJson) {
    return parseYamlTemplate(source, file);
  }
  const json = parseJsonTemplate(source, file);
  if (!('problem' in json)) {
    return json;
  }
  if (isJsonFile) {
    throw jsonError(file, json.problem);
  }
  try {
    return parseYamlTemplate(source, file);
  } catch {
    // It looked like JSON and is not YAML either: the JSON error is the useful one.
    throw jsonError(file, json.problem);
  }
}
