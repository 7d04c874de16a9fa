/**
 * A source that does not implement a fact kind does not claim it (issue 11, item 2). A test kind
 * with only a live reader is registered next to the real ones; `scan` (the CLI's own pipeline:
 * prepare → scanFiles → evaluateAndReport) must then report every check needing it UNKNOWN
 * (unsupported), never PASS, FAIL or NOT_APPLICABLE over a list no file could fill.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evaluateAndReport, loadFormatters, prepare, type Prepared } from '../../../src/cli/pipeline.js';
import { DEFAULT_COLLECTORS } from '../../../src/collect/iac/collectors.js';
import { scanFiles } from '../../../src/collect/iac/scan.js';
import { FACT_KINDS } from '../../../src/facts/kinds/index.js';
import type { FactKind, KindSource } from '../../../src/facts/kinds/types.js';
import type { FactNeed, FactSet } from '../../../src/facts/model.js';

const ROOT = resolve(import.meta.dirname, '../../..');
/** Not a need of the model: the registry is what makes it a kind here. */
const PROBE = 'liveOnlyProbe' as FactNeed;
const LIVE_ONLY_KIND: FactKind = {
  need: PROBE,
  collection: 'trails',
  dependsOn: ['trails'],
  operations: { 'cloudtrail:GetInsightSelectors': 'GetInsightSelectors' },
  sources: ['live'],
  requiredFacts: [],
};
/**
 * Read by every source: proves `collected` comes from the registry handed in (the old code listed
 * the model's FACT_NEEDS whatever the sources could read), so the probe's absence means something.
 */
const EVERY_SOURCE_PROBE = 'everySourceProbe' as FactNeed;
const EVERY_SOURCE_KIND: FactKind = { ...LIVE_ONLY_KIND, need: EVERY_SOURCE_PROBE, sources: ['live', 'cloudformation', 'terraform'] };
const KINDS = [...FACT_KINDS, LIVE_ONLY_KIND, EVERY_SOURCE_KIND];

const FILES = {
  cloudformation: ['test/fixtures/cloudformation/compliant.yaml', 'test/fixtures/cloudformation/noncompliant.yaml'],
  terraform: ['test/fixtures/terraform/compliant.plan.json', 'test/fixtures/terraform/noncompliant.plan.json'],
  mixed: ['test/fixtures/cloudformation/noncompliant.yaml', 'test/fixtures/terraform/noncompliant.plan.json'],
};

/** The sources behind each set of files: a merged scan claims only what all of them read. */
const SOURCES: Readonly<Record<keyof typeof FILES, readonly KindSource[]>> = {
  cloudformation: ['cloudformation'],
  terraform: ['terraform'],
  mixed: ['cloudformation', 'terraform'],
};

function scan(paths: readonly string[], wholeAccount: boolean): FactSet {
  const files = paths.map((path) => ({ path: join(ROOT, path), explicit: true }));
  const result = scanFiles(files, { cwd: ROOT, collectedAt: '2026-12-06T00:00:00.000Z', wholeAccount, kinds: KINDS }, DEFAULT_COLLECTORS);
  assert.deepEqual(result.issues, []);
  assert.ok(result.facts !== null);
  return result.facts;
}

/** The shipped checks, each also needing the probe kind when `probe` is set. */
function prepared(probe: boolean): Prepared {
  const base = prepare({ outputDir: 'unused', allowUnknown: false, cwd: ROOT, format: ['json'] });
  if (!probe) {
    return base;
  }
  const enabled = base.enabled.map(({ check, params }) => ({ check: { ...check, needs: [...check.needs, PROBE] }, params }));
  return { ...base, enabled, needs: new Set([...base.needs, PROBE]) };
}

describe('a source claims only the kinds it reads', () => {
  let outputDir: string;
  before(() => {
    outputDir = mkdtempSync(join(tmpdir(), 'trailaudit-honest-'));
  });
  after(() => {
    rmSync(outputDir, { recursive: true, force: true });
  });

  async function findings(facts: FactSet, probe: boolean) {
    const outcome = await evaluateAndReport(prepared(probe), facts, {
      outputDir,
      startedAt: new Date('2026-12-06T00:00:00Z'),
      inputs: [],
      now: new Date('2026-12-06T00:00:00Z'),
      formatters: await loadFormatters(),
    });
    return outcome.evaluation.findings;
  }

  for (const [name, paths] of Object.entries(FILES)) {
    for (const wholeAccount of [false, true]) {
      it(`${name}${wholeAccount ? ' --whole-account' : ''}: the live-only kind is not collected, its checks are UNKNOWN(unsupported)`, async () => {
        const facts = scan(paths, wholeAccount);
        assert.ok(!facts.collected.includes(PROBE), `collected: ${facts.collected.join(', ')}`);
        // Every kind the files' readers declare is claimed, in registry order.
        const read = FACT_KINDS.filter((kind) => SOURCES[name as keyof typeof FILES].every((source) => kind.sources.includes(source)));
        assert.deepEqual(facts.collected, [...read.map((kind) => kind.need), EVERY_SOURCE_PROBE]);

        // Without the probe the same checks reach verdicts on these files (so the assertion below can fail).
        const plain = await findings(facts, false);
        assert.ok(plain.some((finding) => finding.status !== 'UNKNOWN'));

        const probed = await findings(facts, true);
        assert.equal(probed.length, prepared(true).enabled.length, 'one finding per check, none per item');
        for (const finding of probed) {
          assert.equal(finding.status, 'UNKNOWN', `${finding.checkId}: ${finding.status}`);
          assert.equal(finding.reason, 'unsupported', finding.checkId);
          assert.match(finding.message + JSON.stringify(finding.unknowns), /liveOnlyProbe/u);
        }
      });
    }
  }
});
