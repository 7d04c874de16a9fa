/** The one JSON-with-positions parser: strict JSON, located problems, duplicate keys. */
import { strict as assert } from 'node:assert';
import { lineLocator, parseJsonWith, type JsonTreeBuilder, type TextPosition } from '../../src/load/jsonPositions.js';

/** A node with its position, keys with theirs: what the builder was given. */
type Node =
  | { readonly kind: 'scalar'; readonly value: unknown; readonly at: TextPosition }
  | { readonly kind: 'list'; readonly items: readonly Node[]; readonly at: TextPosition }
  | { readonly kind: 'map'; readonly entries: readonly Entry[]; readonly at: TextPosition };

interface Entry {
  readonly key: string;
  readonly at: TextPosition;
  readonly value: Node;
}

const BUILDER: JsonTreeBuilder<Node, Entry> = {
  scalar: (value, at) => ({ kind: 'scalar', value, at }),
  list: (items, at) => ({ kind: 'list', items, at }),
  map: (entries, at) => ({ kind: 'map', entries, at }),
  entry: (key, at, value) => ({ key, at, value }),
};

const parseJsonTree = (text: string): ReturnType<typeof parseJsonWith<Node, Entry>> => parseJsonWith(text, BUILDER);

/** The located problem of a text that must not parse. */
function problem(text: string): { line: number; column: number; message: string } {
  const parsed = parseJsonTree(text);
  assert.ok(parsed.problem !== undefined, `expected a problem in ${JSON.stringify(text)}`);
  assert.deepEqual(lineLocator(text)(parsed.problem.offset), { line: parsed.problem.line, column: parsed.problem.column });
  return { line: parsed.problem.line, column: parsed.problem.column, message: parsed.problem.message };
}

describe('parseJsonWith', () => {
  it('gives every node and key its line and column, and builds the tree bottom up', () => {
    const text = '{\n  "a": [1, "x"],\n\t"b": {"c": null}\n}';
    const parsed = parseJsonTree(text);
    assert.deepEqual(parsed.root, {
      kind: 'map',
      at: { line: 1, column: 1 },
      entries: [
        {
          key: 'a',
          at: { line: 2, column: 3 },
          value: {
            kind: 'list',
            at: { line: 2, column: 8 },
            items: [
              { kind: 'scalar', value: 1, at: { line: 2, column: 9 } },
              { kind: 'scalar', value: 'x', at: { line: 2, column: 12 } },
            ],
          },
        },
        {
          key: 'b',
          at: { line: 3, column: 2 },
          value: { kind: 'map', at: { line: 3, column: 7 }, entries: [{ key: 'c', at: { line: 3, column: 8 }, value: { kind: 'scalar', value: null, at: { line: 3, column: 13 } } }] },
        },
      ],
    });
  });

  it('rejects what JSON.parse rejects, comments and trailing commas included, at the offending token', () => {
    const cases: [string, { line: number; column: number; message: RegExp }][] = [
      ['{"a": 1,}', { line: 1, column: 9, message: /^expected a property name in double quotes but found character "\}"$/u }],
      ['[1, 2,\n]', { line: 2, column: 1, message: /^expected a JSON value but found character "\]"$/u }],
      ['{"a": 1 // note\n}', { line: 1, column: 9, message: /^comments are not allowed in JSON$/u }],
      ['{"a": /* x */ 1}', { line: 1, column: 7, message: /^comments are not allowed in JSON$/u }],
      ['{a: 1}', { line: 1, column: 2, message: /^expected a property name in double quotes but found character "a"$/u }],
      ["{'a': 1}", { line: 1, column: 2, message: /property name/u }],
      ['{"a" 1}', { line: 1, column: 6, message: /^expected ':' after property name "a" but found character "1"$/u }],
      ['[1 2]', { line: 1, column: 4, message: /^expected ',' or '\]' but found character "2"$/u }],
      ['{"a": 1 "b": 2}', { line: 1, column: 9, message: /^expected ',' or '\}' but found character "\\""$/u }],
      ['{"a": [1}', { line: 1, column: 9, message: /^expected ',' or '\]' but found character "\}"$/u }],
      ['[[1]', { line: 1, column: 5, message: /^expected ',' or '\]' but found end of input$/u }],
      ['{"a": 1', { line: 1, column: 8, message: /^expected ',' or '\}' but found end of input$/u }],
      ['{} {}', { line: 1, column: 4, message: /^unexpected character "\{" after the end of the JSON value$/u }],
      ['', { line: 1, column: 1, message: /^expected a JSON value but found end of input$/u }],
      ['[01]', { line: 1, column: 3, message: /^expected ',' or '\]' but found character "1"$/u }],
      ['[1.]', { line: 1, column: 4, message: /^invalid number: unexpected character "\]"$/u }],
      ['[1e,2]', { line: 1, column: 4, message: /^invalid number: unexpected character ","$/u }],
      ['[-]', { line: 1, column: 3, message: /^invalid number: unexpected character "\]"$/u }],
      ['{"a": false-, "b": 1}', { line: 1, column: 12, message: /^unexpected character "-" after false$/u }],
      ['{"a": truex}', { line: 1, column: 11, message: /^unexpected character "x" after true$/u }],
      ['{"a": 1, b: 2}', { line: 1, column: 10, message: /^expected a property name in double quotes but found character "b"$/u }],
      ['{"a":1 b:2}', { line: 1, column: 8, message: /^expected ',' or '\}' but found character "b"$/u }],
      ['{,"a":1}', { line: 1, column: 2, message: /^expected a property name in double quotes but found character ","$/u }],
      ['{"a" b}', { line: 1, column: 6, message: /^expected ':' after property name "a" but found character "b"$/u }],
      ['[1 x]', { line: 1, column: 4, message: /^expected ',' or '\]' but found character "x"$/u }],
      ['[NaN]', { line: 1, column: 2, message: /^expected a JSON value but found character "N"$/u }],
      ['[True]', { line: 1, column: 2, message: /^expected a JSON value/u }],
      ['{"a": "x\\qy"}', { line: 1, column: 9, message: /^invalid escape \\q in string$/u }],
      ['{"a": "x\\u12G4"}', { line: 1, column: 9, message: /^invalid \\u escape in string$/u }],
      ['{"a": "x\ty"}', { line: 1, column: 9, message: /^control character \(such as a line break\) inside a string$/u }],
      ['{"a": "x\ny"}', { line: 1, column: 9, message: /^control character/u }],
      ['{"a": "xy', { line: 1, column: 10, message: /^unterminated string$/u }],
      ['[1,\u00a02]', { line: 1, column: 4, message: /^expected a JSON value/u }],
    ];
    for (const [text, expected] of cases) {
      assert.throws(() => JSON.parse(text), SyntaxError, `JSON.parse accepts ${JSON.stringify(text)}`);
      const found = problem(text);
      assert.deepEqual({ line: found.line, column: found.column }, { line: expected.line, column: expected.column }, JSON.stringify(text));
      assert.match(found.message, expected.message, JSON.stringify(text));
    }
  });

  it('accepts what strict JSON allows: tabs, CRLF, escapes, exponents, deep nesting', () => {
    for (const text of ['{\r\n\t"a": "\\u0062\\/\\"",\r\n\t"b": [-0.5e+3, 1E2, true, false, null]\r\n}', '[[[[[[[[[[[]]]]]]]]]]]', '"just a string"', '  42  ']) {
      assert.equal(parseJsonTree(text).problem, undefined, text);
    }
  });

  it('refuses nesting beyond 1,000 levels at the first container too deep, instead of running out of stack', () => {
    const deep = (levels: number): string => `{"a": ${'['.repeat(levels)}${']'.repeat(levels)}}`;
    assert.equal(parseJsonTree(deep(999)).problem, undefined);
    for (const levels of [1000, 5000, 100_000]) {
      const found = problem(deep(levels));
      // The object is level 1, so the 1,000th bracket opens level 1,001.
      assert.deepEqual(found, { line: 1, column: 7 + 999, message: 'nested more than 1,000 levels deep (objects and arrays inside each other)' });
    }
  });

  it('a duplicate key is a problem at the repeated key, the first one in the text whatever the nesting', () => {
    assert.deepEqual(problem('{"Resources": {},\n "Resources": {}}'), { line: 2, column: 2, message: 'duplicate key "Resources"' });
    // The nested repeat comes first in the text, before the outer one.
    assert.deepEqual(problem('{"a": {"x": 1, "x": 2}, "a": 1}'), { line: 1, column: 16, message: 'duplicate key "x"' });
    assert.deepEqual(problem('{"a": 1, "a": {"x": 1, "x": 2}}'), { line: 1, column: 10, message: 'duplicate key "a"' });
    assert.deepEqual(problem('[{"k": 1}, {"k": 2, "k": 3}]'), { line: 1, column: 21, message: 'duplicate key "k"' });
    // Equal keys in different objects, and a key equal to a value, are not duplicates.
    assert.equal(parseJsonTree('{"a": {"a": "a"}, "b": [{"a": 1}, {"a": 2}]}').problem, undefined);
  });

  it('reports whichever comes first: a duplicate key or a syntax error', () => {
    assert.match(problem('{"a": 1, "a": 2, }').message, /duplicate key "a"/u);
    assert.match(problem('{"a": 1,, "a": 2}').message, /expected a property name in double quotes but found character ","/u);
  });
});

describe('lineLocator', () => {
  it('counts lines at \\n only and columns from 1, in any query order', () => {
    const text = 'ab\ncd\r\nef\n\ngh';
    const locate = lineLocator(text);
    const expected = Array.from({ length: text.length }, (_, offset) => {
      const before = text.slice(0, offset);
      return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
    });
    const order = [...expected.keys()];
    for (const offsets of [order, [...order].reverse(), [0, 12, 3, 11, 1, 9, 2]]) {
      for (const offset of offsets) {
        assert.deepEqual(locate(offset), expected[offset], `offset ${offset}`);
      }
    }
  });
});
