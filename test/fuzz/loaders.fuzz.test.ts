/**
 * Property: whatever the bytes, every loader either returns or throws its documented input error
 * (which the CLI turns into exit 2 with the file and line). Any other exception is a crash a user
 * would have met as "internal error" (or, before, as exit 1 with a stack trace).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DEFAULT_COLLECTORS } from '../../src/collect/iac/collectors.js';
import { scanFiles, scanOne } from '../../src/collect/iac/scan.js';
import { parseTemplate } from '../../src/collect/cloudformation/parse.js';
import { parsePublicKeyList } from '../../src/logs/chain/publicKeys.js';
import { InputError } from '../../src/errors.js';
import { loadCheckText, loadChecks } from '../../src/load/loadChecks.js';
import { parseRules } from '../../src/load/loadRules.js';
import { loadSnapshot } from '../../src/load/loadSnapshot.js';
import { BaselineError, parseBaseline } from '../../src/report/json.js';
import { anyText, CHECK_FILES, fuzzParameters, mutated, PLANS, RULES, TEMPLATES } from './inputs.js';

const checks = loadChecks();

/** Runs `load`; only the error classes listed may come out of it. */
function onlyThrows(load: () => unknown, ...allowed: (abstract new (...args: never[]) => Error)[]): void {
  try {
    load();
  } catch (error) {
    if (!allowed.some((type) => error instanceof type)) {
      throw new Error(`unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
    }
  }
}

describe('fuzz: every loader, any bytes → a result or an input error', function () {
  this.timeout(60_000);
  let dir: string;
  let snapshots: string[];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailaudit-fuzz-'));
    // Real snapshots to mutate: the facts of scanned fixtures, as `evaluate` reads them.
    snapshots = TEMPLATES.concat(PLANS).flatMap((text, index) => {
      const path = join(dir, `seed-${String(index)}.${text.trimStart().startsWith('{') ? 'json' : 'yaml'}`);
      writeFileSync(path, text);
      const facts = scanFiles([{ path, explicit: true }], { cwd: dir, collectedAt: '2026-01-01T00:00:00.000Z', wholeAccount: false }, DEFAULT_COLLECTORS).facts;
      return facts === null ? [] : [JSON.stringify(facts, null, 1)];
    });
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('rules.yaml', () => {
    fc.assert(fc.property(anyText(RULES), (text) => { onlyThrows(() => parseRules(text, 'rules.yaml', checks), InputError); }), fuzzParameters(600));
  });

  it('check files', () => {
    fc.assert(fc.property(anyText(CHECK_FILES), (text) => { onlyThrows(() => loadCheckText(text, 'CloudTrail.1.yaml'), InputError); }), fuzzParameters(600));
  });

  it('CloudFormation templates, YAML and JSON', () => {
    fc.assert(
      fc.property(anyText(TEMPLATES), fc.constantFrom('t.yaml', 't.json', 't.template'), (text, name) => { onlyThrows(() => parseTemplate(text, name), InputError); }),
      fuzzParameters(600),
    );
  });

  it('scanned files (template or Terraform plan): scanOne never throws', () => {
    const path = join(dir, 'scanned.json');
    fc.assert(
      fc.property(anyText([...PLANS, ...TEMPLATES]), fc.boolean(), (text, explicit) => {
        writeFileSync(path, text);
        scanOne({ path, explicit }, { cwd: dir, collectedAt: '2026-01-01T00:00:00.000Z', wholeAccount: false }, DEFAULT_COLLECTORS);
      }),
      fuzzParameters(400),
    );
  });

  it('snapshots (evaluate)', () => {
    const path = join(dir, 'snapshot.json');
    fc.assert(
      fc.property(fc.oneof(anyText(snapshots), mutated(snapshots)), (text) => {
        writeFileSync(path, text);
        onlyThrows(() => loadSnapshot(path), InputError);
      }),
      fuzzParameters(400),
    );
  });

  it('baseline reports', () => {
    fc.assert(fc.property(anyText(['{"schemaVersion": 1, "findings": []}']), (text) => { onlyThrows(() => parseBaseline(text, 'b.json'), BaselineError); }), fuzzParameters(400));
  });

  it('public-key files (the CLI reports any Error of this parser as bad input)', () => {
    const keys = '{"PublicKeyList": [{"Value": "MIIBCgKCAQEA", "ValidityStartTime": "2025-01-01T00:00:00Z", "ValidityEndTime": "2026-01-01T00:00:00Z", "Fingerprint": "ab"}]}';
    fc.assert(fc.property(anyText([keys]), (text) => { onlyThrows(() => parsePublicKeyList(text), Error); }), fuzzParameters(400));
  });
});
