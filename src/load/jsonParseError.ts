/** Positions of JSON.parse errors (snapshots, baselines: files read without the positions parser). */
import { lineLocator, type TextPosition } from './jsonPositions.js';

/**
 * Where JSON.parse failed, from its message: Node 20 says "at position N" (later versions add the
 * line and column themselves), which a person cannot find in a large file.
 */
export function jsonParseErrorPosition(text: string, message: string): TextPosition | undefined {
  const lineColumn = /line (\d+) column (\d+)/u.exec(message);
  if (lineColumn?.[1] !== undefined && lineColumn[2] !== undefined) {
    return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  }
  const offset = /at position (\d+)/u.exec(message)?.[1];
  return offset === undefined ? undefined : lineLocator(text)(Math.min(Number(offset), text.length));
}
