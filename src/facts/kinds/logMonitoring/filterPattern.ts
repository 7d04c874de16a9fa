/**
 * CloudWatch Logs JSON metric-filter patterns (`{ ($.eventName = CreateTrail) || … }`): a parser
 * into a normalised tree and a canonical rendering, so that two spellings of one filter compare
 * equal while any change of term, operator, value or grouping does not.
 *
 * Pure. A filter pattern is user data (read from AWS or a template): the parser never throws; a
 * pattern it cannot read is a result that says why and where.
 *
 * Syntax (CloudWatch Logs "filter pattern syntax for JSON log events"): the pattern is enclosed in
 * `{ }`; a comparison is `SELECTOR OP VALUE` with `=`, `!=` (strings, `*` wildcards, `%regex%`)
 * and `<`, `>`, `<=`, `>=` (numbers), or `SELECTOR IS TRUE|FALSE|NULL`, or `SELECTOR NOT EXISTS`;
 * comparisons join with `&&` and `||` and group with parentheses. Double quotes around a value are
 * optional unless it holds characters a bare value cannot (spaces, parentheses…).
 *
 * Normalisation keeps only what is provably meaningless:
 * - whitespace, the case of the keywords, and quotes around a string value (`"Root"` ≡ `Root`; a
 *   quoted number stays a string: `"1"` is not `1`, CloudWatch compares them differently);
 * - parentheses around one comparison, around the whole pattern, doubled parentheses, and
 *   parentheses that regroup a chain of one operator inside the same operator (`a || (b || c)` ≡
 *   `a || b || c`, associativity).
 * A chain that mixes `&&` and `||` without parentheses stays one `mixed` node: CloudWatch does not
 * document their precedence (CIS 3.0's unauthorized-API pattern relies on it), so it is compared as
 * the token sequence it is, never re-associated. Operand order is kept everywhere (see
 * filterCompare.ts for what a reordering means).
 */

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'IS TRUE' | 'IS FALSE' | 'IS NULL' | 'NOT EXISTS';

/** `regex` is `%…%`; `number` a bare numeric literal; anything else, quoted or bare, a `string`. */
export interface FilterValue {
  readonly kind: 'string' | 'number' | 'regex';
  readonly text: string;
}

export interface FilterTerm {
  readonly kind: 'term';
  readonly selector: string;
  readonly operator: ComparisonOperator;
  /** Absent for the `IS …` and `NOT EXISTS` forms. */
  readonly value?: FilterValue;
}

/** `and`/`or`: a chain of one operator, flattened; `mixed`: both operators, no parentheses. */
export interface FilterChain {
  readonly kind: 'and' | 'or' | 'mixed';
  readonly operands: readonly FilterNode[];
  /** Between consecutive operands: operands.length - 1 entries (all equal unless `mixed`). */
  readonly operators: readonly LogicalOperator[];
}

export type LogicalOperator = '&&' | '||';
export type FilterNode = FilterTerm | FilterChain;

export type ParsedFilter =
  | { readonly ok: true; readonly root: FilterNode; readonly canonical: string }
  | { readonly ok: false; readonly reason: string; readonly position: number };

/* ------------------------------------------------------------------------------- tokens */

type Token =
  | { readonly type: '{' | '}' | '(' | ')' | '&&' | '||'; readonly at: number }
  | { readonly type: 'op'; readonly op: '=' | '!=' | '<' | '>' | '<=' | '>='; readonly at: number }
  | { readonly type: 'selector'; readonly text: string; readonly at: number }
  | { readonly type: 'quoted'; readonly text: string; readonly at: number }
  | { readonly type: 'bare'; readonly text: string; readonly at: number };

/** Internal only: caught in parseFilterPattern, never seen by a caller. */
class PatternError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(reason);
  }
}

// CloudWatch caps a filter pattern at 1024 characters; the cap here only bounds the work on
// hostile input (snapshots and templates are not length-checked by AWS).
const MAX_LENGTH = 10_000;
const MAX_DEPTH = 64;
const SELECTOR_CHAR = /[A-Za-z0-9_.[\]*$-]/;
// A bare value ends at whitespace, a grouping or logical character, a quote or an operator.
const BARE_STOP = /[\s(){}&|"=!<>]/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
// What a string value may be rendered as without quotes in the canonical form (and be re-read
// as the same string): not numeric, not a regex, no character a bare value stops at.
const SAFE_BARE = /^[A-Za-z0-9_.*:/@+,;#?~^'`[\]-]+$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '{' || c === '}' || c === '(' || c === ')') {
      tokens.push({ type: c, at: i });
      i += 1;
    } else if (c === '&' || c === '|') {
      if (text.charAt(i + 1) !== c) {
        throw new PatternError(`'${c}' alone is not an operator (use '${c}${c}')`, i);
      }
      tokens.push({ type: c === '&' ? '&&' : '||', at: i });
      i += 2;
    } else if (c === '=' || c === '!' || c === '<' || c === '>') {
      const two = text.slice(i, i + 2);
      if (two === '!=' || two === '<=' || two === '>=') {
        tokens.push({ type: 'op', op: two, at: i });
        i += 2;
      } else if (c === '!') {
        throw new PatternError("'!' must be followed by '='", i);
      } else {
        tokens.push({ type: 'op', op: c, at: i });
        i += 1;
      }
    } else if (c === '"') {
      const [value, end] = quoted(text, i);
      tokens.push({ type: 'quoted', text: value, at: i });
      i = end;
    } else if (c === '$') {
      let end = i + 1;
      while (end < text.length && SELECTOR_CHAR.test(text.charAt(end))) {
        end += 1;
      }
      tokens.push({ type: 'selector', text: text.slice(i, end), at: i });
      i = end;
    } else {
      let end = i;
      while (end < text.length && !BARE_STOP.test(text.charAt(end))) {
        end += 1;
      }
      tokens.push({ type: 'bare', text: text.slice(i, end), at: i });
      i = end;
    }
  }
  return tokens;
}

/**
 * A double-quoted value from `start` (the quote): its content and the index after it. Only `\"`
 * and `\\` are unescaped; any other backslash is kept as written, so `"Ro\ot"` is not `Root` and
 * `"AccessDenied\*"` (a literal asterisk) is not the wildcard `"AccessDenied*"`: a filter that is not
 * exactly the prescribed one must never compare equal to it.
 */
function quoted(text: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') {
      return [value, i + 1];
    }
    const next = text.charAt(i + 1);
    if (c === '\\' && (next === '"' || next === '\\')) {
      value += next;
      i += 2;
    } else {
      value += c;
      i += 1;
    }
  }
  throw new PatternError('unterminated quoted value', start);
}

/* ------------------------------------------------------------------------------- parser */

class Parser {
  private index = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly end: number,
  ) {}

  pattern(): FilterNode {
    const open = this.next();
    if (open?.type !== '{') {
      throw new PatternError("a JSON filter pattern starts with '{' (text patterns are not metric-filter patterns CIS prescribes)", open?.at ?? 0);
    }
    const root = this.expression(0);
    this.expect('}', "'}' closing the pattern");
    const extra = this.peek();
    if (extra !== undefined) {
      throw new PatternError("text after the closing '}'", extra.at);
    }
    return root;
  }

  private expression(depth: number): FilterNode {
    if (depth > MAX_DEPTH) {
      throw new PatternError(`parentheses nested more than ${MAX_DEPTH} deep`, this.peek()?.at ?? this.end);
    }
    const operands = [this.operand(depth)];
    const operators: LogicalOperator[] = [];
    for (let token = this.peek(); token?.type === '&&' || token?.type === '||'; token = this.peek()) {
      this.index += 1;
      operators.push(token.type);
      operands.push(this.operand(depth));
    }
    return chain(operands, operators);
  }

  private operand(depth: number): FilterNode {
    const token = this.peek();
    if (token?.type === '(') {
      this.index += 1;
      const inner = this.expression(depth + 1);
      this.expect(')', "')'");
      return inner;
    }
    return this.term();
  }

  private term(): FilterTerm {
    const selector = this.next();
    if (selector?.type !== 'selector') {
      throw new PatternError(`expected a selector ($.field) ${selector === undefined ? 'before the end' : `at ${describe(selector)}`}`, selector?.at ?? this.end);
    }
    const after = this.next();
    if (after?.type === 'op') {
      return { kind: 'term', selector: selector.text, operator: after.op, value: this.value(after.op) };
    }
    if (after?.type === 'bare') {
      const keyword = after.text.toUpperCase();
      const second = this.next();
      const word = second?.type === 'bare' ? second.text.toUpperCase() : '';
      if (keyword === 'IS' && (word === 'TRUE' || word === 'FALSE' || word === 'NULL')) {
        return { kind: 'term', selector: selector.text, operator: `IS ${word}` };
      }
      if (keyword === 'NOT' && word === 'EXISTS') {
        return { kind: 'term', selector: selector.text, operator: 'NOT EXISTS' };
      }
    }
    throw new PatternError(`expected an operator (=, !=, <, >, <=, >=, IS TRUE|FALSE|NULL, NOT EXISTS) after ${selector.text}`, after?.at ?? this.end);
  }

  private value(op: string): FilterValue {
    const token = this.next();
    if (token?.type === 'quoted') {
      return { kind: 'string', text: token.text };
    }
    if (token?.type === 'bare') {
      if (NUMBER.test(token.text)) {
        return { kind: 'number', text: token.text };
      }
      if (token.text.length > 1 && token.text.startsWith('%') && token.text.endsWith('%')) {
        return { kind: 'regex', text: token.text };
      }
      return { kind: 'string', text: token.text };
    }
    throw new PatternError(`expected a value after '${op}'${token === undefined ? '' : `, found ${describe(token)}`}`, token?.at ?? this.end);
  }

  private expect(type: '}' | ')', what: string): void {
    const token = this.next();
    if (token?.type !== type) {
      throw new PatternError(`expected ${what}${token === undefined ? ' before the end' : `, found ${describe(token)}`}`, token?.at ?? this.end);
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(): Token | undefined {
    const token = this.tokens[this.index];
    this.index += 1;
    return token;
  }
}

function describe(token: Token): string {
  switch (token.type) {
    case 'selector':
    case 'bare':
      return `'${token.text}'`;
    case 'quoted':
      return `"${token.text}"`;
    case 'op':
      return `'${token.op}'`;
    default:
      return `'${token.type}'`;
  }
}

/**
 * The normalised chain of `operands` joined by `operators`: one operand is itself; a chain of one
 * operator absorbs operands that are chains of that same operator (associativity); a mixed chain
 * keeps its parenthesised operands as they are.
 */
function chain(operands: readonly FilterNode[], operators: readonly LogicalOperator[]): FilterNode {
  const [first] = operands;
  if (first !== undefined && operands.length === 1) {
    return first;
  }
  const kind = operators.every((op) => op === '&&') ? 'and' : operators.every((op) => op === '||') ? 'or' : 'mixed';
  if (kind === 'mixed') {
    return { kind, operands, operators };
  }
  const flat = operands.flatMap((operand) => (operand.kind === kind ? operand.operands : [operand]));
  const op: LogicalOperator = kind === 'and' ? '&&' : '||';
  return { kind, operands: flat, operators: flat.slice(1).map(() => op) };
}

/* ---------------------------------------------------------------------------- rendering */

function renderValue(value: FilterValue): string {
  if (value.kind !== 'string' || (SAFE_BARE.test(value.text) && !NUMBER.test(value.text))) {
    return value.text;
  }
  return `"${value.text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The canonical text of a node: one spelling per normalised tree, so equal text ⇔ equal tree. */
export function renderNode(node: FilterNode): string {
  if (node.kind === 'term') {
    return node.value === undefined ? `${node.selector} ${node.operator}` : `${node.selector} ${node.operator} ${renderValue(node.value)}`;
  }
  return node.operands
    .map((operand, i) => {
      const text = operand.kind === 'term' ? renderNode(operand) : `(${renderNode(operand)})`;
      return i === 0 ? text : `${node.operators[i - 1] ?? ''} ${text}`;
    })
    .join(' ');
}

export function parseFilterPattern(text: string): ParsedFilter {
  if (text.trim() === '') {
    return { ok: false, reason: 'the pattern is empty (it matches every event)', position: 0 };
  }
  if (text.length > MAX_LENGTH) {
    return { ok: false, reason: `the pattern is longer than ${MAX_LENGTH} characters`, position: MAX_LENGTH };
  }
  try {
    const root = new Parser(tokenize(text), text.length).pattern();
    return { ok: true, root, canonical: `{ ${renderNode(root)} }` };
  } catch (error) {
    if (error instanceof PatternError) {
      return { ok: false, reason: error.reason, position: error.position };
    }
    throw error;
  }
}
