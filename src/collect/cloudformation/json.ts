/**
 * A strict JSON (RFC 8259) parser that records the position of every key and value.
 *
 * JSON.parse reports neither where values are nor, portably, where a syntax error is; going
 * through the YAML parser instead would accept things JSON does not and reject valid JSON with
 * tab indentation. Duplicate keys are rejected: CloudFormation would keep one of them and the
 * audit must not guess which.
 */
import type { CfnEntry, CfnNode, Position } from './template.js';

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: Position,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class JsonReader {
  private offset = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  parseDocument(): CfnNode {
    this.skipWhitespace();
    const node = this.parseValue();
    this.skipWhitespace();
    if (this.offset < this.text.length) {
      this.fail(`unexpected ${this.describeHere()} after the end of the JSON value`);
    }
    return node;
  }

  private position(): Position {
    return { line: this.line, column: this.offset - this.lineStart + 1 };
  }

  private fail(message: string, position: Position = this.position()): never {
    throw new JsonSyntaxError(message, position);
  }

  private describeHere(): string {
    const char = this.text[this.offset];
    return char === undefined ? 'end of input' : `character ${JSON.stringify(char)}`;
  }

  private skipWhitespace(): void {
    for (;;) {
      const char = this.text[this.offset];
      if (char === '\n') {
        this.offset += 1;
        this.line += 1;
        this.lineStart = this.offset;
      } else if (char === ' ' || char === '\t' || char === '\r') {
        this.offset += 1;
      } else {
        return;
      }
    }
  }

  private parseValue(): CfnNode {
    const position = this.position();
    const char = this.text[this.offset];
    switch (char) {
      case '{':
        return this.parseObject(position);
      case '[':
        return this.parseArray(position);
      case '"':
        return { kind: 'scalar', value: this.parseString(), position };
      case 't':
        return this.parseKeyword('true', true, position);
      case 'f':
        return this.parseKeyword('false', false, position);
      case 'n':
        return this.parseKeyword('null', null, position);
      default:
        if (char !== undefined && (char === '-' || (char >= '0' && char <= '9'))) {
          return this.parseNumber(position);
        }
        return this.fail(`expected a JSON value but found ${this.describeHere()}`);
    }
  }

  private parseKeyword(word: string, value: boolean | null, position: Position): CfnNode {
    if (!this.text.startsWith(word, this.offset)) {
      this.fail(`expected a JSON value but found ${this.describeHere()}`);
    }
    this.offset += word.length;
    return { kind: 'scalar', value, position };
  }

  private parseNumber(position: Position): CfnNode {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.offset, this.offset + 64));
    if (match === null) {
      return this.fail(`invalid number`);
    }
    this.offset += match[0].length;
    return { kind: 'scalar', value: Number(match[0]), position };
  }

  private parseString(): string {
    this.offset += 1; // opening quote
    let result = '';
    for (;;) {
      const char = this.text[this.offset];
      if (char === undefined) {
        return this.fail('unterminated string');
      }
      if (char === '"') {
        this.offset += 1;
        return result;
      }
      if (char === '\\') {
        const escape = this.text[this.offset + 1];
        if (escape === 'u') {
          const hex = this.text.slice(this.offset + 2, this.offset + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            return this.fail('invalid \\u escape in string');
          }
          result += String.fromCharCode(parseInt(hex, 16));
          this.offset += 6;
          continue;
        }
        const replacement = escape === undefined ? undefined : ESCAPES[escape];
        if (replacement === undefined) {
          return this.fail(`invalid escape \\${escape ?? ''} in string`);
        }
        result += replacement;
        this.offset += 2;
        continue;
      }
      if (char < ' ') {
        return this.fail('control character (such as a line break) inside a string');
      }
      result += char;
      this.offset += 1;
    }
  }

  private parseObject(position: Position): CfnNode {
    this.offset += 1;
    const entries: CfnEntry[] = [];
    const seen = new Set<string>();
    this.skipWhitespace();
    if (this.text[this.offset] === '}') {
      this.offset += 1;
      return { kind: 'map', entries, position };
    }
    for (;;) {
      this.skipWhitespace();
      const keyPosition = this.position();
      if (this.text[this.offset] !== '"') {
        this.fail(`expected a property name in double quotes but found ${this.describeHere()}`);
      }
      const key = this.parseString();
      if (seen.has(key)) {
        this.fail(`duplicate key ${JSON.stringify(key)}`, keyPosition);
      }
      seen.add(key);
      this.skipWhitespace();
      if (this.text[this.offset] !== ':') {
        this.fail(`expected ':' after property name ${JSON.stringify(key)} but found ${this.describeHere()}`);
      }
      this.offset += 1;
      this.skipWhitespace();
      entries.push({ key, keyPosition, value: this.parseValue() });
      this.skipWhitespace();
      const next = this.text[this.offset];
      if (next === ',') {
        this.offset += 1;
        continue;
      }
      if (next === '}') {
        this.offset += 1;
        return { kind: 'map', entries, position };
      }
      this.fail(`expected ',' or '}' but found ${this.describeHere()}`);
    }
  }

  private parseArray(position: Position): CfnNode {
    this.offset += 1;
    const items: CfnNode[] = [];
    this.skipWhitespace();
    if (this.text[this.offset] === ']') {
      this.offset += 1;
      return { kind: 'list', items, position };
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.parseValue());
      this.skipWhitespace();
      const next = this.text[this.offset];
      if (next === ',') {
        this.offset += 1;
        continue;
      }
      if (next === ']') {
        this.offset += 1;
        return { kind: 'list', items, position };
      }
      this.fail(`expected ',' or ']' but found ${this.describeHere()}`);
    }
  }
}

/** Parse JSON text into a positioned tree; throws {@link JsonSyntaxError} with the position. */
export function parseJsonTree(text: string): CfnNode {
  return new JsonReader(text).parseDocument();
}
