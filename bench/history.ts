/**
 * `npx tsx bench/history.ts [--repeat N]`: what `--history` adds to a run (issue 15's target:
 * under 2 s and 200 MB with 365 daily runs of a 2,000-finding organization).
 *
 * The history is made by the real streak code: 365 daily runs of 2,000 findings (50 accounts × 40
 * checks, ~5% of the results changing status each day), then one more run is added as the CLI adds
 * it (open and check the folder, plan the run, write the report and the index atomically), in a
 * fresh child process each time. Old run reports are only stat'ed by the store (never parsed), so
 * they are written as sparse files of a realistic size (3 MB) rather than filling the disk.
 * Prints the median time and the median growth of the peak RSS over the repeats.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { writeFilesAtomic } from '../src/cli/files.js';
import { EMPTY_INDEX, type HistoryIndex } from '../src/history/model.js';
import { planRun } from '../src/history/record.js';
import { openFolderHistory } from '../src/history/store.js';
import { ACCOUNTS, CHECKS, DAY_MS, findingsOf, median, RUNS, scope, START } from './historyShape.js';

const REPORT_BYTES = 3_000_000;




/** Returns the index's size in bytes. */
function makeHistory(folder: string): number {
  let index: HistoryIndex = EMPTY_INDEX;
  mkdirSync(join(folder, 'runs'), { recursive: true });
  for (let day = 0; day < RUNS; day += 1) {
    const startedAt = new Date(START + day * DAY_MS).toISOString();
    const run = planRun(index, findingsOf(day), scope, startedAt, startedAt);
    index = run.indexWith(REPORT_BYTES);
    writeFileSync(join(folder, run.file), '');
    truncateSync(join(folder, run.file), REPORT_BYTES);
  }
  const text = `${JSON.stringify(index)}\n`;
  writeFileSync(join(folder, 'index.json'), text);
  return Buffer.byteLength(text);
}

/** The child: add one run the way cli/pipeline.ts does, and report time and peak RSS growth. */
function addOneRun(folder: string): void {
  const findings = findingsOf(RUNS);
  // The run's JSON report exists without a history too: made before measuring.
  const report = JSON.stringify({ findings: findings.map((f) => ({ ...f, padding: 'x'.repeat(1400) })) });
  const rssBefore = process.memoryUsage().rss;
  const began = performance.now();
  const store = openFolderHistory(folder);
  const startedAt = new Date(START + RUNS * DAY_MS).toISOString();
  const run = planRun(store.index, findings, scope, startedAt, startedAt);
  writeFilesAtomic(store.append(run.file, report, run.indexWith(Buffer.byteLength(report))).files);
  const ms = performance.now() - began;
  const peakRssGrowth = process.resourceUsage().maxRSS * 1024 - rssBefore;
  process.stdout.write(`${JSON.stringify({ ms, peakRssGrowthMb: Math.max(0, peakRssGrowth) / 1e6 })}\n`);
}


const { values } = parseArgs({ options: { repeat: { type: 'string', default: '3' }, child: { type: 'string' } } });
if (values.child !== undefined) {
  addOneRun(values.child);
} else {
  const samples: { ms: number; peakRssGrowthMb: number }[] = [];
  let indexBytes = 0;
  for (let i = 0; i < Number(values.repeat); i += 1) {
    const folder = mkdtempSync(join(tmpdir(), 'trailaudit-bench-history-'));
    try {
      indexBytes = makeHistory(folder);
      const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', folder], { encoding: 'utf8' });
      samples.push(JSON.parse(out) as { ms: number; peakRssGrowthMb: number });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
  console.log(`history: ${RUNS} runs × ${ACCOUNTS * CHECKS} findings, index.json ${(indexBytes / 1e6).toFixed(1)} MB; adding a run: median ${median(samples.map((s) => s.ms)).toFixed(0)} ms, peak RSS +${median(samples.map((s) => s.peakRssGrowthMb)).toFixed(0)} MB (${samples.length} runs: ${samples.map((s) => `${s.ms.toFixed(0)} ms / +${s.peakRssGrowthMb.toFixed(0)} MB`).join(', ')})`);
}
