/**
 * Arbitrary inputs for the fuzz tests: random text, random JSON and YAML documents, hostile YAML
 * token soups (anchors, aliases, tags, flow brackets, directives) and real fixtures with random
 * edits. Seeded: FUZZ_SEED reproduces a run (fast-check prints the seed and the shrunk input of a
 * failure), FUZZ_RUNS scales every property's run count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { BUILT_IN_CHECK_FILES } from '../helpers/builtInChecks.js';

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);

/** fast-check parameters: reproducible, with `runs` scaled by FUZZ_RUNS. */
export function fuzzParameters(runs: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(runs * SCALE)) };
}

const FIXTURES = new URL('../fixtures/', import.meta.url);
const REPO = new URL('../../', import.meta.url);

function readAll(dir: URL, pattern: RegExp): string[] {
  return readdirSync(dir)
    .filter((name) => pattern.test(name))
    .map((name) => readFileSync(new URL(name, dir), 'utf8'));
}

export const TEMPLATES = readAll(new URL('cloudformation/', FIXTURES), /\.(ya?ml|json)$/u);
export const PLANS = readAll(new URL('terraform/', FIXTURES), /\.json$/u);
export const CHECK_FILES = BUILT_IN_CHECK_FILES.map((file) => readFileSync(file, 'utf8'));
export const RULES = [readFileSync(new URL('rules.yaml', REPO), 'utf8'), readFileSync(new URL('iac/rules.yaml', FIXTURES), 'utf8')];

const YAML_TOKENS = [
  '&a ', '&b ', '*a', '*b', '[', ']', '{', '}', ', ', ': ', '- ', '? ', '\n', '  ', '    ', '\t', '#', '"', "'", '|\n', '>-\n',
  '!Ref ', '!GetAtt ', '!!str ', '!!binary ', '<<: ', '%YAML 1.1\n', '---\n', '...\n', '\uFEFF', '\u0000', '\r\n', '~', 'null',
  'version: 1\n', 'checks:\n', 'suppressions:\n', 'CloudTrail.1', 'CloudTrail.*', 'expires: 2027-02-30', 'reason: r', 'off', 'true',
  'id: CloudTrail.1\n', 'assert:', 'path: trails', 'op: eq', 'Resources:\n', 'Type: AWS::CloudTrail::Trail', 'format_version',
  '{"format_version": "1.2", "planned_values": ', '9'.repeat(400), '1e999', '-0', '"\\ud800"',
];

/** Sequences of YAML-significant tokens: the shapes a parser's corner cases live in. */
export const yamlSoup = fc.array(fc.constantFrom(...YAML_TOKENS), { maxLength: 60 }).map((tokens) => tokens.join(''));

/** A random value written as YAML or JSON. */
export const document = fc.jsonValue({ maxDepth: 5 }).chain((value) => fc.constantFrom(JSON.stringify(value), stringify(value)));

/** A real input with a few random edits: deletions, insertions and duplications of slices. */
export function mutated(seeds: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 40 }),
    insert: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...YAML_TOKENS)),
  });
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) =>
    edits.reduce((current, { at, remove, insert }) => {
      const position = current.length === 0 ? 0 : at % current.length;
      return current.slice(0, position) + insert + current.slice(position + remove);
    }, text),
  );
}

/** Any text: unicode noise, documents, YAML soups and mutated fixtures of the given kind. */
export function anyText(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), document, yamlSoup, mutated(seeds));
}
