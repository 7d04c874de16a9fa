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
import { printParseErrorCode, visit, type JSONVisitor, type ParseError } from 'jsonc-parser';

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

/** Where the parser was when it failed: the innermost open container, and its last key. */
export interface ErrorContext {
  readonly container?: 'map' | 'list';
  readonly key?: string;
  /** In a map: its last key has no value yet. */
  readonly awaitingValue?: boolean;
}

/**
 * What may come at a token the parser could not use, from where it stands: after `{` or `,` in an
 * object a property name, after a key its ':', after a value ',' or the container's close.
 */
function expectedAt(text: string, offset: number, context: ErrorContext, found: string): JsonSyntaxProblem {
  const before = /(\S)\s*$/u.exec(text.slice(Math.max(0, offset - 256), offset))?.[1];
  let expected = 'a JSON value';
  if (context.container === 'map') {
    if (context.awaitingValue === true) {
      expected = before === ':' ? 'a JSON value' : `':' after property name ${JSON.stringify(context.key ?? '')}`;
    } else {
      expected = before === '{' || before === ',' ? 'a property name in double quotes' : "',' or '}'";
    }
  } else if (context.container === 'list') {
    expected = before === '[' || before === ',' ? 'a JSON value' : "',' or ']'";
  }
  return { offset, message: `expected ${expected} but found ${found}` };
}

/** The longest valid JSON number at the start of `text`. */
const NUMBER_PREFIX = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/u;
const LITERAL_PREFIX = /^(?:true|false|null)/u;

/**
 * jsonc-parser reads a run of characters up to the next separator as one token, so `false-` or
 * `truex` is reported at its first letter; the character after the valid literal is the mistake.
 */
function junkAfterLiteral(text: string, offset: number): JsonSyntaxProblem | undefined {
  const rest = text.slice(offset, offset + 16);
  if (/^-(?![0-9])/u.test(rest)) {
    return numberProblem(text, offset);
  }
  const literal = LITERAL_PREFIX.exec(rest)?.[0] ?? (/^-?[0-9]/u.test(rest) ? NUMBER_PREFIX.exec(rest)?.[0] : undefined);
  if (literal === undefined || literal.length === 0) {
    return undefined;
  }
  const at = offset + literal.length;
  return { offset: at, message: `unexpected ${describeAt(text, at)} after ${literal}` };
}

/** What can still begin a valid number: `1.`, `1e`, `-` are unfinished, not yet wrong. */
const NUMBER_SO_FAR = /^-?(?:0|[1-9][0-9]*)?(?:\.[0-9]*)?(?:[eE][+-]?[0-9]*)?/u;

/** A bad number, at the first character that cannot continue it (`1.]`: the `]`), not at its start. */
function numberProblem(text: string, offset: number): JsonSyntaxProblem {
  let start = offset;
  while (start > 0 && /[-+.eE0-9]/u.test(text[start - 1] ?? '')) {
    start--;
  }
  const at = start + (NUMBER_SO_FAR.exec(text.slice(start, start + 400))?.[0].length ?? 0);
  return { offset: at, message: `invalid number: unexpected ${describeAt(text, at)}` };
}

/** Close of the container the parser is in (`}` or `]`), for "expected ',' or …". */
function closer(context: ErrorContext): string {
  return context.container === 'map' ? " or '}'" : context.container === 'list' ? " or ']'" : '';
}

function problemOf(text: string, error: ParseError, context: ErrorContext): JsonSyntaxProblem {
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
      return numberProblem(text, offset);
    case 'PropertyNameExpected':
      return { offset, message: `expected a property name in double quotes but found ${found}` };
    case 'ColonExpected':
      return { offset, message: `expected ':' after ${context.key === undefined ? 'a property name' : `property name ${JSON.stringify(context.key)}`} but found ${found}` };
    case 'CommaExpected':
      return { offset, message: `expected ','${closer(context)} but found ${found}` };
    case 'CloseBraceExpected':
      return { offset, message: `expected ',' or '}' but found ${found}` };
    case 'CloseBracketExpected':
      return { offset, message: `expected ',' or ']' but found ${found}` };
    case 'EndOfFileExpected':
      return { offset, message: `unexpected ${found} after the end of the JSON value` };
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return { offset, message: 'comments are not allowed in JSON' };
    case 'InvalidSymbol': {
      const junk = junkAfterLiteral(text, offset);
      if (junk !== undefined) {
        return junk;
      }
      // A bare word or stray character.
      return expectedAt(text, offset, context, found);
    }
    default:
      // ValueExpected.
      return expectedAt(text, offset, context, found);
  }
}

/**
 * How a caller's tree is made, node by node, bottom up. Positions are of each node's first
 * character (a key's opening quote), computed in document order, so locating costs a step each.
 */
export interface JsonTreeBuilder<N, E> {
  scalar(value: string | number | boolean | null, position: TextPosition): N;
  list(items: N[], position: TextPosition): N;
  map(entries: E[], position: TextPosition): N;
  entry(key: string, keyPosition: TextPosition, value: N): E;
}

type Frame<N, E> =
  | { readonly kind: 'list'; readonly position: TextPosition; readonly items: N[] }
  | {
      readonly kind: 'map';
      readonly position: TextPosition;
      readonly entries: E[];
      readonly keys: Set<string>;
      key: string;
      keyPosition: TextPosition;
      /** A key was read and its value not yet: what the parser expects next depends on it. */
      awaitingValue: boolean;
    };

export type ParsedJsonTree<N> =
  | { readonly root: N; readonly problem?: undefined }
  | { readonly root?: undefined; readonly problem: JsonSyntaxProblem & TextPosition };

/**
 * Parse strict JSON straight into the caller's tree (no intermediate tree: a template's tree is
 * built once). The problem, when there is one, is the first in the text: a syntax error or a
 * repeated key, whichever comes first.
 */
export function parseJsonWith<N, E>(text: string, builder: JsonTreeBuilder<N, E>): ParsedJsonTree<N> {
  const at = lineLocator(text);
  const stack: Frame<N, E>[] = [];
  let root: N | undefined;
  let syntax: { readonly error: ParseError; readonly context: ErrorContext } | undefined;
  let duplicate: JsonSyntaxProblem | undefined;
  const add = (node: N): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      root = node;
    } else if (top.kind === 'list') {
      top.items.push(node);
    } else {
      top.entries.push(builder.entry(top.key, top.keyPosition, node));
      top.awaitingValue = false;
    }
  };
  try {
    visitTree(text, stack, at, builder, add, (problem) => (duplicate ??= problem), (error, context) => (syntax ??= { error, context }));
  } catch (error) {
    if (!(error instanceof NestedTooDeep)) {
      throw error;
    }
    const { offset } = error;
    return { problem: { offset, message: `nested more than ${MAX_NESTING.toLocaleString('en-US')} levels deep (objects and arrays inside each other)`, ...at(offset) } };
  }
  let problem: JsonSyntaxProblem | undefined;
  if (duplicate !== undefined && (syntax === undefined || duplicate.offset < syntax.error.offset)) {
    problem = duplicate;
  } else if (syntax !== undefined) {
    problem = problemOf(text, syntax.error, syntax.context);
  }
  if (problem === undefined && root !== undefined) {
    return { root };
  }
  problem ??= { offset: 0, message: 'expected a JSON value but found end of input' };
  return { problem: { ...problem, ...at(problem.offset) } };
}

/** The visitor of {@link parseJsonWith}: builds the caller's tree on `stack`, records the first problems. */
function visitTree<N, E>(
  text: string,
  stack: Frame<N, E>[],
  at: (offset: number) => TextPosition,
  builder: JsonTreeBuilder<N, E>,
  add: (node: N) => void,
  onDuplicate: (problem: JsonSyntaxProblem) => void,
  onSyntax: (error: ParseError, context: ErrorContext) => void,
): void {
  visit(
    text,
    {
      onObjectBegin: (offset) => {
        refuseDeeper(stack.length, offset);
        const position = at(offset);
        stack.push({ kind: 'map', position, entries: [], keys: new Set(), key: '', keyPosition: position, awaitingValue: false });
      },
      onObjectProperty: (key, offset) => {
        const top = stack[stack.length - 1];
        if (top?.kind !== 'map') {
          return;
        }
        if (top.keys.has(key)) {
          onDuplicate({ offset, message: `duplicate key ${JSON.stringify(key)}` });
        }
        top.keys.add(key);
        top.key = key;
        top.keyPosition = at(offset);
        top.awaitingValue = true;
      },
      onObjectEnd: () => {
        const frame = stack.pop();
        if (frame?.kind === 'map') {
          add(builder.map(frame.entries, frame.position));
        }
      },
      onArrayBegin: (offset) => {
        refuseDeeper(stack.length, offset);
        stack.push({ kind: 'list', position: at(offset), items: [] });
      },
      onArrayEnd: () => {
        const frame = stack.pop();
        if (frame?.kind === 'list') {
          add(builder.list(frame.items, frame.position));
        }
      },
      onLiteralValue: (value: unknown, offset) => {
        add(builder.scalar(value as string | number | boolean | null, at(offset)));
      },
      onError: (error, offset, length) => {
        const top = stack[stack.length - 1];
        onSyntax({ error, offset, length }, top === undefined ? {} : top.kind === 'map' ? { container: 'map', key: top.key, awaitingValue: top.awaitingValue } : { container: 'list' });
      },
    },
    STRICT,
  );
}

/**
 * Deeper than any real template, and well within what the recursive parser can follow (it runs
 * out of stack at a few thousand levels); the same bound as YAML documents (yamlParse.ts). A
 * template nested deeper is refused, located, instead of ending in a stack overflow.
 */
const MAX_NESTING = 1_000;

/** Thrown by the visitor to stop at the first container opened beyond {@link MAX_NESTING}. */
class NestedTooDeep extends Error {
  constructor(readonly offset: number) {
    super('nested too deep');
  }
}

function refuseDeeper(openContainers: number, offset: number): void {
  if (openContainers >= MAX_NESTING) {
    throw new NestedTooDeep(offset);
  }
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

