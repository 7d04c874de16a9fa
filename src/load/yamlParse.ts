/**
 * Parse YAML so that no document can make a loader slow, crash or explode, whoever wrote it.
 * Shared by every YAML reader (rules.yaml and check files through yamlDocument.ts, CloudFormation
 * templates through collect/cloudformation/parse.ts).
 *
 * - Duplicate keys are found here, with one Set per mapping. The `yaml` package's own
 *   `uniqueKeys` option compares each new key with every earlier key of its mapping, so a
 *   mapping of n keys cost n²/2 comparisons: loading a 1 MB rules.yaml took 4.3 s, 5 MB 61 s.
 * - Aliases are resolved here, once, in one pass over the document. `Alias.resolve(doc)` without
 *   a context walks the whole document on every call, so resolving each alias of a document
 *   with many aliases was quadratic too.
 * - Data is built here too ({@link toPlainData}): the `yaml` package's `toJS()` looks up each
 *   alias's anchor by scanning every anchor and alias before it, so 200,000 aliases in a 600 KB
 *   file took 6.5 minutes (during which no signal is handled).
 * - Alias expansion is bounded by how many nodes the aliases would add when expanded (an alias
 *   counts as the whole subtree it stands for, nested aliases included), computed once per node.
 *   A "billion laughs" document is a few hundred bytes whose expansion has billions of nodes;
 *   everything that walks the parsed data (schema validation, the checks' semantic validation,
 *   freezing) would walk them all. An alias that refers to a node containing it is refused too
 *   (its data would be a cycle).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Alias, type Document, type Node } from 'yaml';
import { TrailauditError } from '../errors.js';

/** The parser reports running out of stack on deep nesting in JavaScript's words. */
function readable(message: string): string {
  return /Maximum call stack size exceeded/u.test(message) ? 'nested too deeply to be read' : message;
}

/** How many nodes the aliases of one document may add in all. Real files add a few hundred. */
export const MAX_ALIAS_GROWTH = 1_000_000;

export interface YamlProblem {
  /** Offset in the text (LineCounter turns it into a line and column). */
  readonly offset: number;
  readonly message: string;
}

export interface ParsedYaml {
  readonly document: Document;
  readonly lineCounter: LineCounter;
  /** Syntax errors, duplicate keys and alias problems, in text order; empty when usable. */
  readonly problems: readonly YamlProblem[];
  /** The node an alias stands for (the last anchor of its name before it), in O(1). */
  readonly resolveAlias: (alias: Alias) => Node | undefined;
}

/**
 * How many aliases one document may hold. Real files hold a handful; parsing millions (a file of
 * a few MB of `*a, *a, …`) took the parser 20-45 s, during which no signal is handled, before
 * any expansion bound could apply. Counted on the text before parsing.
 */
export const MAX_ALIASES = 100_000;

// An alias token: `*name` after the start of a line, a space, `,`, `[` or `{`. A `*` of that
// shape inside a quoted string is counted too; the bound is far above real use, so that can only
// over-count a file that is refused anyway.
const ALIAS_TOKEN = /(?:^|[\s,[{])\*[^\s,[\]{}]/gu;

/** The offset of the alias past {@link MAX_ALIASES}, or null; linear, before any parsing. */
function tooManyAliases(text: string, limit: number): number | null {
  let count = 0;
  for (const match of text.matchAll(ALIAS_TOKEN)) {
    count += 1;
    if (count > limit) {
      return match.index + match[0].indexOf('*');
    }
  }
  return null;
}

export function parseYamlText(text: string, options: { maxAliasGrowth?: number; maxAliases?: number } = {}): ParsedYaml {
  const lineCounter = new LineCounter();
  const excess = tooManyAliases(text, options.maxAliases ?? MAX_ALIASES);
  if (excess !== null) {
    // Not parsed: only the lines are counted (as the parser would), so that the problem has its
    // line and column.
    lineCounter.addNewLine(0);
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
      lineCounter.addNewLine(index + 1);
    }
    const limit = (options.maxAliases ?? MAX_ALIASES).toLocaleString('en-US');
    return {
      document: parseDocument(''),
      lineCounter,
      problems: [{ offset: excess, message: `more than ${limit} aliases (*name); an alias bomb is refused before it is parsed` }],
      resolveAlias: () => undefined,
    };
  }
  // logLevel 'error': no process warning on stderr (a map used as a key, which no input of ours
  // can use anyway, makes the schema checks fail with a located error instead).
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const problems: YamlProblem[] = document.errors.map((error) => ({ offset: error.pos[0], message: readable(error.message.split('\n')[0] ?? error.code) }));
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  const aliases: Alias[] = [];
  // One pre-order walk, keys before values: document order, so an anchor is recorded before any
  // alias that may refer to it (and a later anchor of the same name replaces it, as YAML says).
  // A plain stack instead of yaml's visit(), which allocates a frozen path array per node (a
  // tenth of a 1,000-template scan's CPU went there and to collecting it), and has no recursion
  // to overflow on deep documents.
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      aliases.push(node);
      continue;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) {
      continue;
    }
    if (node.anchor !== undefined) {
      anchors.set(node.anchor, node);
    }
    if (isMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          if (keys.has(pair.key.value)) {
            problems.push({ offset: pair.key.range?.[0] ?? 0, message: 'Map keys must be unique' });
          }
          keys.add(pair.key.value);
        }
      }
      for (let index = node.items.length - 1; index >= 0; index -= 1) {
        const pair = node.items[index];
        stack.push(pair?.value, pair?.key);
      }
    } else if (isSeq(node)) {
      for (let index = node.items.length - 1; index >= 0; index -= 1) {
        stack.push(node.items[index]);
      }
    }
  }
  if (problems.length === 0 && aliases.length > 0) {
    const problem = aliasProblem(aliases, targets, options.maxAliasGrowth ?? MAX_ALIAS_GROWTH);
    if (problem !== null) {
      problems.push(problem);
    }
  }
  problems.sort((a, b) => a.offset - b.offset);
  return { document, lineCounter, problems, resolveAlias: (alias) => targets.get(alias) };
}

/** The first alias (in text order) that is unresolved, cyclic, or makes the expansion too large. */
function aliasProblem(aliases: readonly Alias[], targets: ReadonlyMap<Alias, Node | undefined>, maxGrowth: number): YamlProblem | null {
  const sizes = new Map<Node, number>();
  const inProgress = new Set<Node>();
  // An object, not a `let`: it is set inside sizeOf, which TypeScript's narrowing cannot see.
  const cycle: { alias: Alias | null } = { alias: null };
  // Nodes in the expansion of `node`; an alias counts as its target's expansion.
  const sizeOf = (node: unknown): number => {
    if (isAlias(node)) {
      const target = targets.get(node);
      if (target === undefined) {
        return 1;
      }
      if (inProgress.has(target)) {
        cycle.alias ??= node;
        return 1;
      }
      return sizeOf(target);
    }
    if (!isMap(node) && !isSeq(node)) {
      return 1;
    }
    const known = sizes.get(node);
    if (known !== undefined) {
      return known;
    }
    inProgress.add(node);
    let size = 1;
    for (const item of node.items) {
      size += isPair(item) ? sizeOf(item.key) + sizeOf(item.value) : sizeOf(item);
    }
    inProgress.delete(node);
    sizes.set(node, size);
    return size;
  };
  let growth = 0;
  for (const alias of aliases) {
    const target = targets.get(alias);
    const offset = alias.range?.[0] ?? 0;
    if (target === undefined) {
      return { offset, message: `unknown alias *${alias.source} (its anchor &${alias.source} must come before it)` };
    }
    growth += sizeOf(target) - 1;
    if (cycle.alias !== null) {
      return { offset: cycle.alias.range?.[0] ?? offset, message: `alias *${cycle.alias.source} refers to a node that contains it` };
    }
    if (growth > maxGrowth) {
      return {
        offset,
        message: `aliases expand this document by more than ${maxGrowth.toLocaleString('en-US')} nodes (here, with *${alias.source}); an alias bomb is refused`,
      };
    }
  }
  return null;
}

/** Nesting deeper than this is refused: no real rules, check or template file comes near it. */
export const MAX_DEPTH = 1_000;

/**
 * The document's data as plain JSON-like values, as `document.toJS()` gives it for our inputs
 * (YAML 1.2 core schema, no merge keys; keys as strings), in time linear in the number of nodes
 * plus the expansion parseYamlText already bounded. Every alias of one anchor shares the same
 * converted value. Throws {@link YamlDepthError} past {@link MAX_DEPTH} levels.
 */
export function toPlainData(parsed: ParsedYaml): unknown {
  const converted = new Map<Node, unknown>();
  const convert = (node: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH) {
      throw new YamlDepthError(node);
    }
    if (isAlias(node)) {
      const target = parsed.resolveAlias(node);
      return target === undefined ? null : convert(target, depth);
    }
    if (isScalar(node)) {
      return node.value;
    }
    if (!isMap(node) && !isSeq(node)) {
      return node ?? null;
    }
    const known = converted.get(node);
    if (known !== undefined) {
      return known;
    }
    if (isSeq(node)) {
      const list: unknown[] = [];
      converted.set(node, list);
      for (const item of node.items) {
        list.push(convert(item, depth + 1));
      }
      return list;
    }
    const map: Record<string, unknown> = {};
    converted.set(node, map);
    for (const pair of node.items) {
      const key = convert(pair.key, depth + 1);
      // As yaml's toJS names keys: null is '', a collection its JSON text.
      const name = key === null ? '' : typeof key === 'string' ? key : JSON.stringify(key);
      // defineProperty: a key named __proto__ is data, never the object's prototype.
      Object.defineProperty(map, name, { value: convert(pair.value, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return map;
  };
  return convert(parsed.document.contents, 0);
}

/** Raised by {@link toPlainData} for a document nested deeper than {@link MAX_DEPTH}. */
export class YamlDepthError extends TrailauditError {
  readonly offset: number;

  constructor(node: unknown) {
    super(`nested more than ${MAX_DEPTH.toLocaleString('en-US')} levels deep`);
    this.name = 'YamlDepthError';
    this.offset = isAlias(node) || isScalar(node) || isMap(node) || isSeq(node) ? (node.range?.[0] ?? 0) : 0;
  }
}
