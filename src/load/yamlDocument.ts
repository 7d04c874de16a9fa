import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { InputError, type InputIssue } from '../errors.js';
import { parseYamlText, toPlainData, YamlDepthError } from './yamlParse.js';

/** A parsed YAML file that can say where any JSON path of its data is. */
export interface LocatedDocument {
  readonly file: string;
  readonly data: unknown;
  /** Position of the node at `path`; with `key`, of that key inside the map at `path`. */
  locate(path: readonly (string | number)[], key?: string): { line: number; column: number };
}

export function parseYaml(text: string, file: string): LocatedDocument {
  const parsed = parseYamlText(text);
  const { document, lineCounter, problems, resolveAlias } = parsed;
  const positionOf = (offset: number | undefined): { line: number; column: number } => {
    if (offset === undefined) {
      return { line: 1, column: 1 };
    }
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };
  if (problems.length > 0) {
    const issues: InputIssue[] = problems.map((problem) => ({ file, ...positionOf(problem.offset), path: '', message: `invalid YAML: ${problem.message}` }));
    throw new InputError(issues);
  }
  let data: unknown;
  try {
    // Aliases were bounded by parseYamlText (by the nodes they add); built in linear time.
    data = toPlainData(parsed);
  } catch (error) {
    if (error instanceof YamlDepthError) {
      throw new InputError([{ file, ...positionOf(error.offset), path: '', message: `invalid YAML: ${error.message}` }]);
    }
    throw error;
  }
  // Keys of each map looked up by locate(), indexed on first use: YAMLMap.get() scans the map, so
  // locating one issue per entry of a large map would be quadratic.
  const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = keyIndexes.get(map);
    if (index === undefined) {
      index = new Map();
      for (const pair of map.items) {
        const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (name !== undefined && !index.has(name)) {
          index.set(name, pair);
        }
      }
      keyIndexes.set(map, index);
    }
    return index.get(key);
  };
  const resolved = (node: unknown): unknown => (isAlias(node) ? resolveAlias(node) : node);
  return {
    file,
    data,
    locate(path, key) {
      // Walk down as far as the path exists (a missing property is reported at its parent).
      // Aliases are followed, so a problem inside an anchored node is reported where it is written.
      let node: unknown = document.contents;
      for (const segment of path) {
        const current = resolved(node);
        const next: unknown = isMap(current) ? pairOf(current, String(segment))?.value : isSeq(current) ? current.get(segment, true) : undefined;
        if (next === undefined || next === null) {
          break;
        }
        node = next;
      }
      const target = resolved(node) as Node | null | undefined;
      if (key !== undefined && isMap(target)) {
        const pair = pairOf(target, key);
        if (pair !== undefined && isScalar(pair.key)) {
          return positionOf(pair.key.range?.[0]);
        }
      }
      return positionOf(target?.range?.[0]);
    },
  };
}
