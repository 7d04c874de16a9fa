/**
 * Reports read the engine's suppression register (every configured suppression with its state
 * and the findings it matched) instead of matching suppressions again.
 */
import { strict as assert } from 'node:assert';
import { applySuppressions } from '../../src/engine/suppress.js';
import type { Finding } from '../../src/engine/types.js';
import { suppressionRegister, unknownsMatchedBySuppressions } from '../../src/report/common.js';
import { formatJson } from '../../src/report/json.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { FINDINGS, REGISTER, makeContext } from './fixtures.js';

describe('suppression register (reports read it, never re-match)', () => {
  it('the report fixtures carry the register the engine computes for them', () => {
    const unmarked: Finding[] = FINDINGS.map((f) => ({ ...f, suppressed: null }));
    const { findings, register } = applySuppressions(unmarked, REGISTER.map((r) => r.suppression), '2025-01-15');
    assert.deepEqual(findings, FINDINGS);
    assert.deepEqual(
      register.map((r) => [r.suppression, r.state, r.matched.map((f) => f.resource.id)]),
      REGISTER.map((r) => [r.suppression, r.state, r.matched.map((f) => f.resource.id)]),
    );
  });

  it('counts come from the register, whatever findings the formatter is given', () => {
    const entries = suppressionRegister(makeContext());
    assert.deepEqual(
      entries.map((e) => [e.state, e.matched, e.unknownMatched]),
      [
        ['active', 1, 0],
        ['unused', 1, 1],
        ['expired', 1, 0],
        ['unused', 0, 0],
      ],
    );
    // A register that says a suppression matched nothing is believed, even with matching findings around.
    const emptied = makeContext({ suppressions: REGISTER.map((r) => ({ ...r, matched: [] })) });
    assert.deepEqual(suppressionRegister(emptied).map((e) => e.matched), [0, 0, 0, 0]);
    assert.equal(unknownsMatchedBySuppressions(emptied), 0);
  });

  it('an UNKNOWN matched by two suppressions is one open verdict', () => {
    const unknown = REGISTER[1]!.matched[0]!;
    const twice = makeContext({ suppressions: [...REGISTER, { ...REGISTER[1]!, suppression: { ...REGISTER[1]!.suppression, reason: 'again' } }] });
    assert.equal(unknown.status, 'UNKNOWN');
    assert.equal(unknownsMatchedBySuppressions(twice), 1);
  });
});

describe('inline suppressions of two templates in the register', () => {
  it('name their file, so two identical texts in two templates are two rows a reader can tell apart', () => {
    const inFile = (file: string): (typeof REGISTER)[number] => ({ ...REGISTER[0]!, suppression: { ...REGISTER[0]!.suppression, file } });
    const context = makeContext({ suppressions: [inFile('a.yaml'), inFile('b.yaml')] });
    assert.deepEqual(suppressionRegister(context).map((entry) => entry.file), ['a.yaml', 'b.yaml']);
    const markdown = formatMarkdown(FINDINGS, context);
    assert.match(markdown, /\| `[^`|]+` in `a\.yaml` \|/u);
    assert.match(markdown, /\| `[^`|]+` in `b\.yaml` \|/u);
    const json = JSON.parse(formatJson(FINDINGS, context)) as { suppressions: { file?: string }[] };
    assert.deepEqual(json.suppressions.map((entry) => entry.file), ['a.yaml', 'b.yaml']);
  });
});
