/**
 * `npx tsx bench/reportSize.ts [--trails N] [--regions N]`: how big the reports of one account with
 * many trails get, and which evidence makes them big. No AWS and no moto: the facts are built with
 * the check tester's builders (the shapes a live audit gives), evaluated with the shipped checks and
 * rendered with the real formatters, so the numbers depend on the checks' evidence only.
 *
 * Every tenth trail is multi-Region; the others are single-Region, spread over the Regions in turn.
 * Prints the size of each report and the bytes of the largest controls' findings (and CloudTrail.1
 * and CloudTrail.3's) in the JSON report.
 */
import { parseArgs } from 'node:util';
import { evaluate } from '../src/engine/evaluate.js';
import { loadCheckSet } from '../src/cli/pipeline.js';
import { enabledChecks, parseRules } from '../src/load/loadRules.js';
import { formatJson } from '../src/report/json.js';
import { formatMarkdown } from '../src/report/markdown.js';
import { formatJunit } from '../src/report/junit.js';
import type { ReportContext } from '../src/report/types.js';
import { buildFacts } from '../src/tester/facts.js';
import { DEFAULT_REGIONS } from './seedShape.js';

const { values } = parseArgs({ options: { trails: { type: 'string', default: '1000' }, regions: { type: 'string', default: '17' } } });
const trailCount = Number(values.trails);
const regions = DEFAULT_REGIONS.slice(0, Number(values.regions));

const trails = Array.from({ length: trailCount }, (_, i) => ({
  name: `trail-${String(i).padStart(4, '0')}`,
  homeRegion: regions[i % regions.length] ?? 'us-east-1',
  isMultiRegion: i % 10 === 0,
}));
const facts = buildFacts({ regions: [...regions], trails });
const checks = loadCheckSet(undefined, process.cwd());
const enabled = enabledChecks(checks, parseRules('version: 1\n', 'rules.yaml', checks), undefined);
const evaluation = evaluate({ checks: enabled, facts, suppressions: [], today: '2026-06-15' });

const context: ReportContext = {
  tool: { name: 'trailaudit', version: 'bench' },
  scope: { source: 'live', accounts: [facts.account.id], regions: [...regions], inputs: [] },
  startedAt: '2026-06-15T00:00:00.000Z',
  finishedAt: '2026-06-15T00:00:01.000Z',
  stats: facts.stats,
  checks: enabled.map(({ check }) => check),
  checkParameters: {},
  suppressions: evaluation.suppressions,
  failOn: 'low',
  allowUnknown: false,
  baseline: null,
};

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;
const json = formatJson(evaluation.findings, context);
console.log(`${trailCount} trails, ${regions.length} Regions, ${evaluation.findings.length} findings`);
console.log(`JSON ${mb(Buffer.byteLength(json))}, Markdown ${mb(Buffer.byteLength(formatMarkdown(evaluation.findings, context)))}, JUnit ${mb(Buffer.byteLength(formatJunit(evaluation.findings, context)))}`);
const perControl = new Map<string, number>();
for (const finding of (JSON.parse(json) as { findings: { control: string }[] }).findings) {
  perControl.set(finding.control, (perControl.get(finding.control) ?? 0) + Buffer.byteLength(JSON.stringify(finding, null, 2)));
}
const largest = [...perControl].sort((a, b) => b[1] - a[1]);
for (const [control, bytes] of largest.filter(([control], rank) => rank < 4 || control === 'CloudTrail.1' || control === 'CloudTrail.3')) {
  console.log(`  ${control.padEnd(14)} ${mb(bytes)}`);
}
