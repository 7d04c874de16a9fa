/**
 * JSON with positions: the one place JSON text is parsed where a position matters (CloudFormation
 * JSON templates, Terraform plans), through one parser, jsonc-parser, configured for strict JSON
 * (RFC 8259): comments and trailing commas are syntax errors, like anything else JSON.parse
 * rejects. JSON.parse gives neither the position of a value nor, portably, of a syntax error.
 *
 * What jsonc-parser does not do, done here:
 * - duplicate keys are errors (at the repeated key): CloudFormation would keep one of them and
 *   the audit must not guess which;
 * - its error codes become sentences that say what was expected and what was found, and an error
 *   inside a string points at the offending character rather than at the string's opening quote;
 * - offsets become 1-based line and column, lines counted at `\n` only (a `\r\n` file's columns
 *   count the `\r`, as every earlier version of trailaudit reported them).
 */
import { parseTree, printParseErrorCode, visit, type JSONVisitor, type Node, type ParseError } from 'jsonc-parser';

export type JsonNode = Node;
export type JsonVisitor = JSONVisitor;

/** 1-based line and column. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** The first thing wrong with a JSON text: where, and what. */
export interface JsonSyntaxProblem {
  readonly offset: number;
  readonly message: string;
}

export type ParsedJson = { readonly root: JsonNode; readonly problem?: undefined } | { readonly root?: undefined; readonly problem: JsonSyntaxProblem };

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

function describeAt(text: string, offset: number): string {
  const char = text[offset];
  return char === undefined ? 'end of input' : `character ${JSON.stringify(char)}`;
}

/**
 * jsonc-parser reports a bad string at its opening quote; the first offending character (a bad
 * escape, a control character, the end of input) is the useful place.
 */
function stringProblem(text: string, quote: number): JsonSyntaxProblem {
  for (let at = quote + 1; at < text.length; at++) {
    const char = text[at] ?? '';
    if (char === '"') {
      break;
    }
    if (char === '\\') {
      const escape = text[at + 1];
      if (escape === 'u') {
        if (!/^[0-9a-fA-F]{4}$/u.test(text.slice(at + 2, at + 6))) {
          return { offset: at, message: 'invalid \\u escape in string' };
        }
        at += 5;
      } else if (escape === undefined || !ESCAPES.has(escape)) {
        return { offset: at, message: `invalid escape \\${escape ?? ''} in string` };
      } else {
        at += 1;
      }
    } else if (char < ' ') {
      return { offset: at, message: 'control character (such as a line break) inside a string' };
    }
  }
  return { offset: text.length, message: 'unterminated string' };
}

function problemOf(text: string, error: ParseError): JsonSyntaxProblem {
  const { offset } = error;
  const found = describeAt(text, offset);
  // By name: the codes are a `const enum`, which this project's isolated modules cannot inline.
  switch (printParseErrorCode(error.error)) {
    case 'UnexpectedEndOfString':
    case 'InvalidUnicode':
    case 'InvalidEscapeCharacter':
    case 'InvalidCharacter':
      return text[offset] === '"' ? stringProblem(text, offset) : { offset, message: 'invalid string' };
    case 'InvalidNumberFormat':
    case 'UnexpectedEndOfNumber':
      return { offset, message: 'invalid number' };
    case 'PropertyNameExpected':
      return { offset, message: `expected a property name in double quotes but found ${found}` };
    case 'ColonExpected':
      return { offset, message: `expected ':' after a property name but found ${found}` };
    case 'CommaExpected':
      return { offset, message: `expected ',' but found ${found}` };
    case 'CloseBraceExpected':
      return { offset, message: `expected ',' or '}' but found ${found}` };
    case 'CloseBracketExpected':
      return { offset, message: `expected ',' or ']' but found ${found}` };
    case 'EndOfFileExpected':
      return { offset, message: `unexpected ${found} after the end of the JSON value` };
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return { offset, message: 'comments are not allowed in JSON' };
    case 'InvalidSymbol':
      // A bare word or stray character; right after `{` only a property name may come.
      return /\{\s*$/u.test(text.slice(Math.max(0, offset - 64), offset))
        ? { offset, message: `expected a property name in double quotes but found ${found}` }
        : { offset, message: `expected a JSON value but found ${found}` };
    default:
      // ValueExpected.
      return { offset, message: `expected a JSON value but found ${found}` };
  }
}

/** The first repeated key of any object in the tree, in document order; undefined when none. */
function firstDuplicateKey(root: JsonNode): JsonSyntaxProblem | undefined {
  let first: JsonNode | undefined;
  // Every object is checked, and the earliest repeat wins. No recursion: a deeply nested file
  // must not overflow the stack.
  const pending: JsonNode[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const children = node.children;
    if (children === undefined) {
      continue;
    }
    const keys = node.type === 'object' ? new Set<unknown>() : undefined;
    for (const child of children) {
      if (keys !== undefined) {
        const key = child.children?.[0];
        const value = child.children?.[1];
        if (key !== undefined) {
          if (keys.has(key.value) && (first === undefined || key.offset < first.offset)) {
            first = key;
          }
          keys.add(key.value);
        }
        if (value?.children !== undefined) {
          pending.push(value);
        }
      } else if (child.children !== undefined) {
        pending.push(child);
      }
    }
  }
  return first === undefined ? undefined : { offset: first.offset, message: `duplicate key ${JSON.stringify(first.value)}` };
}

/**
 * Parse strict JSON into jsonc-parser's tree (every node with its offset and length, keys as
 * property nodes). The problem, when there is one, is the first in the text: a syntax error or a
 * duplicate key, whichever comes first.
 */
export function parseJsonTree(text: string): ParsedJson {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, STRICT);
  const [syntax] = errors;
  const syntaxProblem = syntax === undefined ? undefined : problemOf(text, syntax);
  const duplicate = root === undefined ? undefined : firstDuplicateKey(root);
  if (duplicate !== undefined && (syntax === undefined || duplicate.offset < syntax.offset)) {
    return { problem: duplicate };
  }
  if (syntaxProblem !== undefined) {
    return { problem: syntaxProblem };
  }
  if (root === undefined) {
    return { problem: { offset: 0, message: 'expected a JSON value but found end of input' } };
  }
  return { root };
}

/**
 * Walk JSON text with callbacks (a visitor returning false from `onObjectBegin` / `onArrayBegin`
 * is not called for that container's contents). For text already known to be valid JSON where
 * only a few positions are needed: building the whole tree of a large Terraform plan would cost
 * several times its parse.
 */
export function visitJson(text: string, visitor: JsonVisitor): void {
  visit(text, visitor, STRICT);
}

/**
 * Offset → 1-based line and column; the line table is built on first use. Offsets asked in
 * increasing order (a tree walked in document order) cost a step or two forward each.
 */
export function lineLocator(text: string): (offset: number) => TextPosition {
  let lineStarts: number[] | undefined;
  let last = 0;
  return (offset) => {
    if (lineStarts === undefined) {
      lineStarts = [0];
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
        lineStarts.push(at + 1);
      }
    }
    // A few lines forward from the last answer, else a binary search (a far jump, or backwards).
    for (let line = last; line < last + 8 && offset >= (lineStarts[line] ?? Infinity); line++) {
      if (line + 1 >= lineStarts.length || offset < (lineStarts[line + 1] ?? 0)) {
        last = line;
        return { line: line + 1, column: offset - (lineStarts[line] ?? 0) + 1 };
      }
    }
    // Binary search for the last line start ≤ offset.
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= offset) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    last = low;
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };
}
