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
 * - Alias expansion is bounded by how many nodes the aliases would add when expanded (an alias
 *   counts as the whole subtree it stands for, nested aliases included), computed once per node.
 *   A "billion laughs" document is a few hundred bytes whose expansion has billions of nodes;
 *   everything that walks the parsed data (schema validation, the checks' semantic validation,
 *   freezing) would walk them all. An alias that refers to a node containing it is refused too
 *   (its data would be a cycle).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';

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

export function parseYamlText(text: string, options: { maxAliasGrowth?: number } = {}): ParsedYaml {
  const lineCounter = new LineCounter();
  // logLevel 'error': no process warning on stderr (a map used as a key, which no input of ours
  // can use anyway, makes the schema checks fail with a located error instead).
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const problems: YamlProblem[] = document.errors.map((error) => ({ offset: error.pos[0], message: error.message.split('\n')[0] ?? error.code }));
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  const aliases: Alias[] = [];
  // visit() calls back on a node before its children, keys before values: document order, so an
  // anchor is recorded before any alias that may refer to it (and a later anchor of the same
  // name replaces it, as YAML says).
  // (One visitor for all nodes: visit() calls only the most specific one a node has.)
  visit(document, {
    Node(_key, node) {
      if (isAlias(node)) {
        targets.set(node, anchors.get(node.source));
        aliases.push(node);
        return;
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
      }
    },
  });
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
