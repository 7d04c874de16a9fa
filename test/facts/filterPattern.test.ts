/**
 * Metric-filter pattern comparison (logMonitoring/filterPattern.ts, filterCompare.ts) over every
 * prescribed pattern of CONTROLS §2.2 (monitoringPatterns.ts): other spellings of a pattern are
 * 'exact'; an added, removed, changed or reordered term is not, and says what differs.
 *
 * The spellings and mutations are made from the pattern text with plain string edits, never with
 * the parser under test.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseFilterPattern } from '../../src/facts/kinds/logMonitoring/filterPattern.js';
import { compareFilter, compareFilterToAny } from '../../src/facts/kinds/logMonitoring/filterCompare.js';
import { MONITORING_CONTROLS, PATTERN_SETS, prescribedPatterns } from '../../src/facts/kinds/logMonitoring/monitoringPatterns.js';
import { fuzzParameters } from '../fuzz/inputs.js';

interface Case {
  readonly name: string;
  readonly pattern: string;
}

// Every distinct prescribed pattern, named by the first control/set that uses it.
const CASES: readonly Case[] = (() => {
  const seen = new Map<string, string>();
  for (const control of MONITORING_CONTROLS) {
    for (const set of PATTERN_SETS) {
      prescribedPatterns(control, set).forEach((pattern, i) => {
        if (!seen.has(pattern)) {
          seen.set(pattern, `${control} ${set}${i > 0 ? ` (variant ${i + 1})` : ''}`);
        }
      });
    }
  }
  return [...seen].map(([pattern, name]) => ({ name, pattern }));
})();

/** The shape of a pattern, read from its text: which mutations mean what. */
function shape(pattern: string): 'or' | 'and' | 'and-of-or' | 'mixed' {
  if (/\)\s*\)\s*\}$/.test(pattern)) {
    return 'and-of-or';
  }
  if (pattern.includes('&&') && pattern.includes('||')) {
    return 'mixed';
  }
  return pattern.includes('||') ? 'or' : 'and';
}

const OPERATORS = /\s*(\|\||&&|!=|=|\(|\)|\{|\})\s*/g;
const SPELLINGS: readonly { readonly name: string; readonly spell: (pattern: string) => string }[] = [
  { name: 'as written', spell: (p) => p },
  { name: 'no optional spaces', spell: (p) => p.replace(OPERATORS, '$1') },
  { name: 'spaces, tabs and newlines everywhere', spell: (p) => p.replace(OPERATORS, ' \t$1\n  ') },
  { name: 'quotes around every bare value', spell: (p) => p.replace(/(!=|=)\s*([A-Za-z0-9*.]+)/g, '$1 "$2"') },
  { name: 'no quotes around one-word values', spell: (p) => p.replace(/"([A-Za-z0-9*.]+)"/g, '$1') },
  { name: 'extra parentheses around the whole pattern', spell: (p) => p.replace(/^\{/, '{ ((').replace(/\}$/, ')) }') },
  { name: 'doubled parentheses', spell: (p) => p.replace(/\(/g, '((').replace(/\)/g, '))') },
  { name: 'lower-case keywords', spell: (p) => p.replace('NOT EXISTS', 'not exists') },
];

describe('metric-filter patterns: the prescribed sets', () => {
  it('every control has a pattern in every set, two in the CIS sets for console sign-in without MFA', () => {
    for (const control of MONITORING_CONTROLS) {
      for (const set of PATTERN_SETS) {
        const expected = control === 'CloudWatch.3' && set !== 'securityhub' ? 2 : 1;
        assert.equal(prescribedPatterns(control, set).length, expected, `${control} ${set}`);
      }
    }
    assert.deepEqual(prescribedPatterns('CloudWatch.5'), prescribedPatterns('CloudWatch.5', 'securityhub'));
  });

  it('the sets differ where CONTROLS §2.2 says they do, and only there', () => {
    const differing = MONITORING_CONTROLS.filter((control) => {
      const texts = PATTERN_SETS.flatMap((set) => prescribedPatterns(control, set).map((p) => parseFilterPattern(p)).map((r) => (r.ok ? r.canonical : '')));
      return new Set(texts).size > 1;
    });
    assert.deepEqual(differing, ['CloudWatch.2', 'CloudWatch.3', 'CloudWatch.10', 'CloudWatch.13']);
    assert.match(prescribedPatterns('CloudWatch.10', 'cis-3.0')[0] ?? '', /ModifySecurityGroupRules/);
    assert.doesNotMatch(prescribedPatterns('CloudWatch.10', 'cis-1.4')[0] ?? '', /ModifySecurityGroupRules/);
    assert.match(prescribedPatterns('CloudWatch.13', 'cis-5.0')[0] ?? '', /^\{ \(\$\.eventSource = ec2\.amazonaws\.com\) && \(\$\.eventName = CreateRoute\) \|\|/);
  });

  for (const { name, pattern } of CASES) {
    describe(name, () => {
      it('parses', () => {
        const parsed = parseFilterPattern(pattern);
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
      });

      for (const spelling of SPELLINGS) {
        it(`is 'exact' against itself ${spelling.name}`, () => {
          const text = spelling.spell(pattern);
          const result = compareFilter(text, pattern);
          assert.equal(result.verdict, 'exact', `${text}\n${result.message}`);
        });
      }

      it("with an added term is 'superset' (Security Hub fails it), or 'different' for a mixed chain", () => {
        const kind = shape(pattern);
        const added =
          kind === 'and-of-or' ? pattern.replace(/\)\s*\)\s*\}$/, ') || ($.eventName = AddedEvent)) }') : kind === 'and' ? pattern.replace(/\}$/, ' && ($.awsRegion = us-east-1) }') : pattern.replace(/\}$/, ' || ($.eventName = AddedEvent) }');
        const result = compareFilter(added, pattern);
        if (kind === 'mixed') {
          assert.equal(result.verdict, 'different', result.message);
          return;
        }
        assert.equal(result.verdict, 'superset', result.message);
        assert.deepEqual(result.missing, []);
        assert.deepEqual(result.extra, [kind === 'and' ? '$.awsRegion = us-east-1' : '$.eventName = AddedEvent']);
        assert.match(result.message, /Security Hub fails/);
        assert.match(result.message, kind === 'and' ? /fewer events/ : /more events/);
      });

      it("with a term removed is 'subset' naming it, or 'different' for a mixed chain", () => {
        const kind = shape(pattern);
        // The second term of the first chain: `|| (term)` or `&& term`.
        const removedTerm = kind === 'and' ? /\s*&&\s*(\([^()]*\)|\$[^&|}]*[^\s&|}])/ : /\s*\|\|\s*(\([^()]*\))/;
        const match = removedTerm.exec(pattern);
        assert.ok(match?.[1] !== undefined);
        const removed = pattern.replace(match[0], '');
        const result = compareFilter(removed, pattern);
        if (kind === 'mixed') {
          assert.equal(result.verdict, 'different', result.message);
          return;
        }
        const value = /(?:=|NOT EXISTS)\s*"?([^")]*)/.exec(match[1])?.[1] ?? 'NOT EXISTS';
        assert.equal(result.verdict, 'subset', result.message);
        assert.deepEqual(result.extra, []);
        assert.equal(result.missing.length, 1);
        assert.ok(result.missing[0]?.includes(value.trim()), `${result.missing.join()} names ${value}`);
        assert.ok(result.message.includes(value.trim()));
      });

      it("with a value changed is 'different', naming both terms", () => {
        const changed = pattern.replace(/(=\s*"?)([A-Za-z*]+)/, '$1$2Changed');
        assert.notEqual(changed, pattern);
        const result = compareFilter(changed, pattern);
        assert.equal(result.verdict, 'different', result.message);
        if (shape(pattern) !== 'mixed') {
          assert.ok(result.extra.some((term) => term.includes('Changed')), result.extra.join());
          assert.equal(result.missing.length, 1);
        }
      });

      it("with an operator changed is 'different'", () => {
        const changed = pattern.replace(/([^!<>])=/, '$1!=');
        assert.notEqual(changed, pattern);
        assert.equal(compareFilter(changed, pattern).verdict, 'different');
      });
    });
  }
});

describe('metric-filter patterns: regrouped terms are exact, reordered terms are not', () => {
  const swapFirstTwo = (p: string): string => p.replace(/\((\$[^()]*)\)\s*\|\|\s*\((\$[^()]*)\)/, '($2) || ($1)');
  for (const { name, pattern } of CASES.filter((c) => shape(c.pattern) === 'or' || shape(c.pattern) === 'and-of-or')) {
    it(`${name}: two ||-terms swapped → 'different', reordered, "matches the same events"`, () => {
      const swapped = swapFirstTwo(pattern);
      assert.notEqual(swapped, pattern);
      const result = compareFilter(swapped, pattern);
      assert.equal(result.verdict, 'different', result.message);
      assert.equal(result.reordered, true);
      assert.deepEqual([result.missing, result.extra], [[], []]);
      assert.match(result.message, /same events/);
    });
  }

  // Associativity: parentheses regrouping terms of one operator are redundant.
  const regroupLastTwo = (p: string): string => p.replace(/\((\$[^()]*)\)\s*\|\|\s*\((\$[^()]*)\)(\s*\)?\s*\})$/, '(($1) || ($2))$3');
  for (const { name, pattern } of CASES.filter((c) => shape(c.pattern) === 'or' || shape(c.pattern) === 'and-of-or')) {
    it(`${name}: the last two ||-terms in their own parentheses → 'exact'`, () => {
      const regrouped = regroupLastTwo(pattern);
      assert.notEqual(regrouped, pattern);
      assert.equal(compareFilter(regrouped, pattern).verdict, 'exact', regrouped);
    });
  }

  it('&&-terms regrouped (root usage) → exact', () => {
    const prescribed = prescribedPatterns('CloudWatch.1')[0] ?? '';
    const regrouped = '{ ($.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS) && $.eventType != "AwsServiceEvent" }';
    assert.equal(compareFilter(regrouped, prescribed).verdict, 'exact');
  });

  it('&&-terms swapped (root usage) → different, reordered', () => {
    const prescribed = prescribedPatterns('CloudWatch.1')[0] ?? '';
    const result = compareFilter('{ $.userIdentity.invokedBy NOT EXISTS && $.userIdentity.type = "Root" && $.eventType != "AwsServiceEvent" }', prescribed);
    assert.equal(result.verdict, 'different');
    assert.equal(result.reordered, true);
  });

  it('a reordered mixed chain (CIS 3.0 unauthorized API calls) is different and not called equivalent', () => {
    const prescribed = prescribedPatterns('CloudWatch.2', 'cis-3.0')[0] ?? '';
    const result = compareFilter('{ ($.errorCode =AccessDenied*) || ($.errorCode =*UnauthorizedOperation) && ($.sourceIPAddress!=delivery.logs.amazonaws.com) && ($.eventName!=HeadBucket) }', prescribed);
    assert.equal(result.verdict, 'different');
    assert.doesNotMatch(result.message, /same events/);
  });

  it('parentheses that change the grouping of a mixed chain are not redundant', () => {
    const prescribed = prescribedPatterns('CloudWatch.13', 'cis-3.0')[0] ?? '';
    const regrouped = prescribed.replace('&& ($.eventName = CreateRoute)', '&& (($.eventName = CreateRoute)').replace(/\) \}$/, ')) }');
    assert.equal(compareFilter(regrouped, prescribed).verdict, 'different');
  });
});

describe('metric-filter patterns: the other sets, literals and malformed text', () => {
  it('the Security Hub unauthorized-API filter is a subset of CIS 1.4 and different from CIS 3.0', () => {
    const securityHub = prescribedPatterns('CloudWatch.2', 'securityhub')[0] ?? '';
    const cis14 = compareFilter(securityHub, prescribedPatterns('CloudWatch.2', 'cis-1.4')[0] ?? '');
    assert.equal(cis14.verdict, 'subset');
    assert.deepEqual(cis14.missing, ['$.sourceIPAddress != delivery.logs.amazonaws.com', '$.eventName != HeadBucket']);
    assert.equal(compareFilter(securityHub, prescribedPatterns('CloudWatch.2', 'cis-3.0')[0] ?? '').verdict, 'different');
  });

  it('CIS accepts either console sign-in pattern; Security Hub only the SSO-aware one', () => {
    const basic = '{($.eventName="ConsoleLogin") && ($.additionalEventData.MFAUsed!="Yes")}';
    assert.equal(compareFilterToAny(basic, prescribedPatterns('CloudWatch.3', 'cis-5.0')).verdict, 'exact');
    const securityHub = compareFilterToAny(basic, prescribedPatterns('CloudWatch.3', 'securityhub'));
    assert.equal(securityHub.verdict, 'subset');
    assert.deepEqual(securityHub.missing, ['$.userIdentity.type = IAMUser', '$.responseElements.ConsoleLogin = Success']);
  });

  it('a term inside the || group of an &&: dropped → subset; the whole group replaced by one term → subset', () => {
    const prescribed = prescribedPatterns('CloudWatch.7')[0] ?? '';
    const one = compareFilter('{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }', prescribed);
    assert.equal(one.verdict, 'subset', one.message);
    assert.deepEqual(one.missing, ['$.eventName = ScheduleKeyDeletion']);
    const noSource = compareFilter('{ ($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion) }', prescribed);
    assert.deepEqual([noSource.verdict, noSource.missing], ['subset', ['$.eventSource = kms.amazonaws.com']]);
  });

  it('&& in place of || is different, though the terms are the same', () => {
    const result = compareFilter('{ ($.errorCode = "*UnauthorizedOperation") && ($.errorCode = "AccessDenied*") }', prescribedPatterns('CloudWatch.2')[0] ?? '');
    assert.equal(result.verdict, 'different');
  });

  it('a quoted number is not the number; a quoted %…% is not a regex; a quoted value with a space keeps it', () => {
    assert.equal(compareFilter('{ $.n = "1" }', '{ $.n = 1 }').verdict, 'different');
    assert.equal(compareFilter('{ $.n = 1 }', '{ $.n=1 }').verdict, 'exact');
    assert.equal(compareFilter('{ $.m = "%a+%" }', '{ $.m = %a+% }').verdict, 'different');
    assert.equal(compareFilter('{ $.e = "Failed  authentication" }', '{ $.e = "Failed authentication" }').verdict, 'different');
    assert.equal(compareFilter('{ $.e = "say \\"hi\\"" }', '{ $.e="say \\"hi\\"" }').verdict, 'exact');
  });

  it('only \\" and \\\\ are escapes in a quoted value: any other backslash stays, so the value is not the prescribed one', () => {
    // "Ro\ot" is the five characters R o \ o t, not Root.
    assert.notEqual(compareFilter('{ $.userIdentity.type = "Ro\\ot" }', '{ $.userIdentity.type = "Root" }').verdict, 'exact');
    assert.notEqual(compareFilter('{ $.userIdentity.type = "Ro\\ot" }', '{ $.userIdentity.type = Root }').verdict, 'exact');
    // A backslash before * makes a literal asterisk, not the prescribed wildcard.
    assert.notEqual(compareFilter('{ $.errorCode = "AccessDenied\\*" }', '{ $.errorCode = "AccessDenied*" }').verdict, 'exact');
    const cw2 = prescribedPatterns('CloudWatch.2', 'securityhub')[0] ?? '';
    assert.equal(compareFilter(cw2.replace('"AccessDenied*"', '"AccessDenied\\*"'), cw2).verdict, 'different');
    // The two real escapes still parse, and mean the character they escape.
    for (const text of ['{ $.a = "a\\"b" }', '{ $.a = "a\\\\b" }']) {
      assert.equal(parseFilterPattern(text).ok, true, text);
    }
    assert.equal(compareFilter('{ $.a = "a\\"b" }', '{ $.a="a\\"b" }').verdict, 'exact');
    assert.notEqual(compareFilter('{ $.a = "a\\\\b" }', '{ $.a = "ab" }').verdict, 'exact');
    assert.notEqual(compareFilter('{ $.a = "a\\"b" }', '{ $.a = "ab" }').verdict, 'exact');
  });

  it('IS TRUE / IS FALSE / IS NULL / NOT EXISTS and numeric operators parse and are told apart', () => {
    for (const term of ['$.a IS TRUE', '$.a IS FALSE', '$.a IS NULL', '$.a NOT EXISTS', '$.a < 1', '$.a > 1', '$.a <= 1', '$.a >= 1', '$.a[0].b = x', '$.a[*] = x']) {
      assert.equal(compareFilter(`{${term}}`, `{ ${term} }`).verdict, 'exact', term);
    }
    assert.equal(compareFilter('{ $.a IS NULL }', '{ $.a NOT EXISTS }').verdict, 'different');
    assert.equal(compareFilter('{ $.a < 1 }', '{ $.a <= 1 }').verdict, 'different');
  });

  const GARBAGE: readonly [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['ERROR MainThread', /starts with '\{'/],
    ['{ $.eventName = CreateTrail ', /'\}'/],
    ['{ ($.eventName = CreateTrail }', /expected '\)'/],
    ['{ $.eventName = CreateTrail } trailing', /after the closing/],
    ['{ $.eventName = }', /expected a value/],
    ['{ $.eventName CreateTrail }', /expected an operator/],
    ['{ $.a = b | $.c = d }', /'\|' alone/],
    ['{ $.a = b & $.c = d }', /'&' alone/],
    ['{ $.a ! b }', /'!' must be followed/],
    ['{ $.a = "unterminated }', /unterminated/],
    ['{ = b }', /expected a selector/],
    ['{ $.a = b && }', /expected a selector/],
    ['{ $.a IS MAYBE }', /expected an operator/],
    ['{ $.a NOT THERE }', /expected an operator/],
    [`{ ${'('.repeat(200)}$.a = b${')'.repeat(200)} }`, /nested more than/],
    ['{ x'.repeat(5000), /longer than/],
  ];
  for (const [text, reason] of GARBAGE) {
    it(`unparseable with a reason: ${JSON.stringify(text.slice(0, 40))}`, () => {
      const parsed = parseFilterPattern(text);
      if (parsed.ok) {
        assert.fail(`parsed as ${parsed.canonical}`);
      }
      assert.match(parsed.reason, reason);
      const result = compareFilter(text, prescribedPatterns('CloudWatch.5')[0] ?? '');
      assert.equal(result.verdict, 'unparseable');
      assert.match(result.message, reason);
      assert.match(result.message, /at character \d+/);
    });
  }
});

/* ---------------------------------------------------------------------------- property */

// Split a pattern into its pieces, keeping separators out: quoted values whole, operators, words.
const PIECE = /"(?:[^"\\]|\\.)*"|\|\||&&|!=|<=|>=|[=<>(){}]|[^\s"|&=!<>(){}]+/g;
const WORDISH = /^[^|&=!<>(){}]/;

/** `pattern` re-spelt: `gaps[i]` whitespace after piece i (≥ 1 space between two words), quotes toggled on values. */
function respell(pattern: string, gaps: readonly string[], toggles: readonly boolean[]): string {
  const pieces = pattern.match(PIECE) ?? [];
  let out = '';
  pieces.forEach((piece, i) => {
    let text = piece;
    const previous = pieces[i - 1];
    const isValue = previous === '=' || previous === '!=';
    if (isValue && toggles[i % toggles.length] === true) {
      text = piece.startsWith('"') ? (/^"[A-Za-z0-9*.]+"$/.test(piece) ? piece.slice(1, -1) : piece) : `"${piece}"`;
    }
    const next = pieces[i + 1];
    let gap = gaps[i % gaps.length] ?? '';
    if (gap === '' && next !== undefined && WORDISH.test(text.slice(-1)) && WORDISH.test(next)) {
      gap = ' ';
    }
    out += text + gap;
  });
  return out;
}

// Mostly well-formed filters: random terms, operators and groupings.
const termSoup = fc
  .array(
    fc.tuple(
      fc.constantFrom('$.a', '$.b.c', '$.d[0]'),
      fc.constantFrom('= x', '!= "y z"', '= 1', '= "1"', '= %r+%', '>= 2', 'IS NULL', 'NOT EXISTS', '= "q\\"uote"', '= *wild'),
      fc.constantFrom(' && ', ' || ', ') && (', ' || ((', '))'),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((terms) => `{ ${terms.map(([selector, rest, join], i) => `${selector} ${rest}${i < terms.length - 1 ? join : ''}`).join('')} }`);

describe('metric-filter patterns: property', () => {
  it('random whitespace and quote toggling never change an exact verdict, for every prescribed pattern', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CASES),
        fc.array(fc.constantFrom('', ' ', '  ', '\t', '\n', ' \r\n '), { minLength: 1, maxLength: 40 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
        fc.nat(3),
        ({ pattern }, gaps, toggles, wraps) => {
          const spelt = respell(pattern, gaps, toggles).trim();
          const wrapped = `{${'('.repeat(wraps)}${spelt.slice(1, -1)}${')'.repeat(wraps)}}`;
          const result = compareFilter(wrapped, pattern);
          assert.equal(result.verdict, 'exact', `${wrapped}\n${result.message}`);
        },
      ),
      fuzzParameters(300),
    );
  });

  it('any text gives a result, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: fc.constantFrom(...'{}()$.a= !<>&|"\\ xNOTEXISIS%*'.split('')), maxLength: 60 }), termSoup), (text) => {
        const result = compareFilter(text, prescribedPatterns('CloudWatch.7')[0] ?? '');
        assert.ok(['exact', 'superset', 'subset', 'different', 'unparseable'].includes(result.verdict));
        // What parses has one canonical spelling, which reads back as itself.
        const parsed = parseFilterPattern(text);
        if (parsed.ok) {
          const again = parseFilterPattern(parsed.canonical);
          assert.equal(again.ok ? again.canonical : again.reason, parsed.canonical);
        }
      }),
      fuzzParameters(500),
    );
  });
});
