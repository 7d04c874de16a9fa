import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { InputError, type InputIssue } from '../errors.js';

/** A parsed YAML file that can say where any JSON path of its data is. */
export interface LocatedDocument {
  readonly file: string;
  readonly data: unknown;
  /** Position of the node at `path`; with `key`, of that key inside the map at `path`. */
  locate(path: readonly (string | number)[], key?: string): { line: number; column: number };
}

export function parseYaml(text: string, file: string): LocatedDocument {
  const lineCounter = new LineCounter();
  const document: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const issues: InputIssue[] = document.errors.map((error) => {
      const position = lineCounter.linePos(error.pos[0]);
      return {
        file,
        line: position.line,
        column: position.col,
        path: '',
        message: `invalid YAML: ${error.message.split('\n')[0] ?? error.code}`,
      };
    });
    throw new InputError(issues);
  }
  const data: unknown = document.toJS({ maxAliasCount: 100 });
  const positionOf = (offset: number | undefined): { line: number; column: number } => {
    if (offset === undefined) {
      return { line: 1, column: 1 };
    }
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };
  return {
    file,
    data,
    locate(path, key) {
      // Walk down as far as the path exists (a missing property is reported at its parent).
      // Aliases are followed, so a problem inside an anchored node is reported where it is written.
      let node: unknown = document.contents;
      for (const segment of path) {
        const resolved = isAlias(node) ? node.resolve(document) : node;
        const next: unknown = isMap(resolved) || isSeq(resolved) ? resolved.get(segment, true) : undefined;
        if (next === undefined || next === null) {
          break;
        }
        node = next;
      }
      const target = (isAlias(node) ? node.resolve(document) : node) as Node | null | undefined;
      if (key !== undefined && isMap(target)) {
        const pair = target.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
        if (pair !== undefined && isScalar(pair.key)) {
          return positionOf(pair.key.range?.[0]);
        }
      }
      return positionOf(target?.range?.[0]);
    },
  };
}
