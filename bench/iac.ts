/**
 * The IaC case of `npm run bench`: generate a corpus of templates and plans (bench/iacCorpus.ts),
 * scan it with the real CLI as a child process writing all four reports, and report wall time,
 * files per second and peak RSS (the same RSS preload as the live cases).
 *
 *   tsx bench/run.ts --only iac [--files N] [--repeat N]
 *
 * No moto: a scan makes no AWS call. Exit status 1 if a scan did not run (exit other than
 * 0/1/3) or did not scan every generated file; the 3 s target is reported, not enforced.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCorpus } from './iacCorpus.js';
import { ROOT, runMeasured, toMb, toMs } from './measure.js';

const OUTPUT_DIR = join(ROOT, 'reports', 'bench', 'iac');
/** The issue's target: 1,000 templates and plans in under 3 s wall. */
const TARGET_WALL_MS = 3000;

interface ScanSample {
  readonly exitCode: number | null;
  readonly wallMs: number;
  readonly peakRssMb: number | null;
  readonly cpuMs: number | null;
  readonly scanned: number | null;
  readonly findings: number | null;
  readonly stderr: string;
}

async function scanOnce(corpus: string): Promise<ScanSample> {
  rmSync(OUTPUT_DIR, { recursive: true, force: true });
  const { exitCode, wallMs, stderr, usage } = await runMeasured(['scan', corpus, '--format', 'json,sarif,junit,markdown', '--output-dir', OUTPUT_DIR, '--quiet']);
  let scanned: number | null = null;
  let findings: number | null = null;
  try {
    const report = JSON.parse(readFileSync(join(OUTPUT_DIR, 'trailaudit.json'), 'utf8')) as { scope: { inputs: string[] }; findings: unknown[] };
    scanned = report.scope.inputs.length;
    findings = report.findings.length;
  } catch {
    // No report: the scan failed; the exit code and stderr say why.
  }
  return {
    exitCode,
    wallMs,
    peakRssMb: toMb(usage),
    cpuMs: toMs(usage),
    scanned,
    findings,
    stderr,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : Math.round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
}

export async function iacBench(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { files: { type: 'string' }, repeat: { type: 'string' } }, strict: false });
  const files = Number(typeof values.files === 'string' ? values.files : 1000);
  const repeat = Math.max(1, Number(typeof values.repeat === 'string' ? values.repeat : 3));
  const scratch = mkdtempSync(join(tmpdir(), 'trailaudit-bench-iac-'));
  try {
    const corpus = join(scratch, 'repo');
    const generated = writeCorpus(corpus, files);
    console.log(
      `\n== iac: ${generated.files} files (${generated.cloudFormationYaml} CloudFormation YAML, ${generated.cloudFormationJson} CloudFormation JSON, ` +
        `${generated.terraformPlans} Terraform plans), ${(generated.bytes / 1e6).toFixed(1)} MB, ${generated.trails} trails, ${generated.buckets} trail buckets; ` +
        `load average ${(loadavg()[0] ?? 0).toFixed(2)}`,
    );
    const samples: ScanSample[] = [];
    for (let i = 0; i < repeat; i += 1) {
      samples.push(await scanOnce(corpus));
    }
    const failed = samples.find((sample) => sample.exitCode === null || ![0, 1, 3].includes(sample.exitCode) || sample.scanned !== files);
    if (failed !== undefined) {
      console.log(`scan failed (exit ${String(failed.exitCode)}, scanned ${String(failed.scanned)} of ${files}):\n${failed.stderr.trim()}`);
      return 1;
    }
    const wallMs = median(samples.map((sample) => sample.wallMs));
    const rss = Math.max(...samples.map((sample) => sample.peakRssMb ?? 0));
    const cpuMs = median(samples.map((sample) => sample.cpuMs ?? 0));
    const filesPerSecond = Math.round((files / wallMs) * 1000);
    console.log('run            files  wall ms (runs)            files/s  peak RSS MB  CPU ms  findings  exit');
    console.log(
      `iac scan       ${String(files).padStart(5)}  ${`${wallMs} (${samples.map((sample) => sample.wallMs).join(', ')})`.padEnd(24)}  ${String(filesPerSecond).padStart(7)}  ` +
        `${String(rss).padStart(11)}  ${String(cpuMs).padStart(6)}  ${String(samples[0]?.findings ?? '-').padStart(8)}  ${String(samples[0]?.exitCode)}`,
    );
    const verdict = `target ${files} files in < ${TARGET_WALL_MS} ms wall: ${wallMs} ms, ${wallMs < TARGET_WALL_MS ? 'met' : 'MISSED'}`;
    console.log(verdict);
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const resultsFile = join(ROOT, 'reports', 'bench', 'iac-results.json');
    writeFileSync(
      resultsFile,
      `${JSON.stringify({ date: new Date().toISOString(), node: process.version, corpus: generated, samples: samples.map(({ stderr: _stderr, ...rest }) => rest), wallMs, filesPerSecond, peakRssMb: rss, verdict }, null, 2)}\n`,
    );
    console.log(`results: ${relative(ROOT, resultsFile)}`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
