/**
 * `npm run bench`: seed accounts of known shapes into moto, audit each with the real CLI as a
 * child process, and compare what it cost with what it had to cost.
 *
 *   tsx bench/run.ts [--shape small|medium|large|all] [--latency-ms N] [--concurrency N] [--repeat N]
 *   tsx bench/run.ts --only iac [--files N] [--repeat N]   (templates and plans: bench/iac.ts)
 *
 * Without options: small, medium and large at 0 ms, then medium at 50 ms added latency, each
 * audited once (--repeat N: N audits of the same seeded account, median times, maximum RSS).
 * Exit status: 0 when every audit ran and made exactly the minimum number of calls per operation,
 * 1 otherwise (EXCESS or BELOW rows, a crashed audit). Time and memory targets are reported, not
 * enforced: they depend on the machine, and moto shares its CPU (MOTO_NOTES 17).
 */
import { readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { motoEnvironment } from '../support/moto/clients.js';
import { MotoMissingError, startMoto, type MotoServer } from '../support/moto/server.js';
import { startLatencyProxy, type LatencyProxy } from './latencyProxy.js';
import { compareCalls, minimumCalls, type CallCounts, type OperationComparison } from './minimum.js';
import { CLI, killActiveChild, ROOT, runMeasured, toMb, toMs, type ChildOutcome } from './measure.js';
import { SHAPES, seedShape, type SeededShape, type ShapeName } from './seedShape.js';
import { wireOperation } from './wireOperation.js';
import { takeOnly, validateLogsBench } from './validateLogs.js';
import { iacBench } from './iac.js';

/** The environment as the user gave it, for the audited child. */
/** moto accepts any credentials; explicit ones keep the SDK away from ~/.aws and IMDS. */
const MOTO_ENV = motoEnvironment();
// The SDK's "newer versions will need Node 22" notice, printed by our own seeding clients, says
// nothing about the audit; the child CLI gets the user's environment and decides for itself.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const OUTPUT_ROOT = join(ROOT, 'reports', 'bench');

/** The targets. */
const TARGETS = { mediumAt50msWallMs: 1500, largePeakRssMb: 150 } as const;

interface RunPlan {
  readonly shape: ShapeName;
  readonly latencyMs: number;
}

interface Options {
  readonly plans: readonly RunPlan[];
  readonly concurrency: string | undefined;
  /** Audits per plan (same seeded account); times are medians, RSS the maximum. */
  readonly repeat: number;
}

/** One audit of a seeded account. */
interface Sample {
  readonly exitCode: number | null;
  readonly wallMs: number;
  /** The CLI's own `stats.durationMs` (collection and evaluation, without Node start-up). */
  readonly auditMs: number | null;
  readonly peakRssMb: number | null;
  readonly cliCpuMs: number | null;
  /** CPU moto burnt while the audit ran (Linux /proc), to show how much of the wall it explains. */
  readonly motoCpuMs: number | null;
  readonly calls: readonly OperationComparison[];
  readonly summary: Readonly<Record<string, number>> | null;
  readonly problem: string | null;
}

interface RunResult extends Sample {
  readonly plan: RunPlan;
  readonly seeded: SeededShape;
  readonly samples: readonly Sample[];
  /** 1-minute load average when the plan started: other work on the machine skews times. */
  readonly loadAverage: number;
}

function usage(): string {
  return 'usage: tsx bench/run.ts [--shape small|medium|large|all] [--latency-ms N] [--concurrency N] [--repeat N]';
}

function positiveInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  if (!/^[0-9]+$/u.test(text)) {
    throw new Error(`--${name} must be a whole number, not "${text}"`);
  }
  return Number(text);
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      shape: { type: 'string' },
      'latency-ms': { type: 'string' },
      concurrency: { type: 'string' },
      repeat: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    console.log(usage());
    process.exit(0);
  }
  const latency = positiveInteger('latency-ms', values['latency-ms']);
  const repeat = positiveInteger('repeat', values.repeat) ?? 1;
  const concurrency = positiveInteger('concurrency', values.concurrency);
  if (repeat < 1 || concurrency === 0) {
    throw new Error('--repeat and --concurrency must be at least 1');
  }
  const shapeText = values.shape;
  if (shapeText !== undefined && shapeText !== 'all' && !(shapeText in SHAPES)) {
    throw new Error(`--shape must be small, medium, large or all, not "${shapeText}"`);
  }
  const all: ShapeName[] = ['small', 'medium', 'large'];
  const concurrencyArg = concurrency === undefined ? undefined : String(concurrency);
  if (shapeText === undefined && latency === undefined) {
    return {
      plans: [...all.map((shape) => ({ shape, latencyMs: 0 })), { shape: 'medium', latencyMs: 50 }],
      concurrency: concurrencyArg,
      repeat,
    };
  }
  const shapes = shapeText === undefined || shapeText === 'all' ? all : [shapeText as ShapeName];
  return { plans: shapes.map((shape) => ({ shape, latencyMs: latency ?? 0 })), concurrency: concurrencyArg, repeat };
}

/** User + system CPU of a process so far, from /proc (Linux only; null elsewhere). */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every Linux we run on.
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

interface ReportStats {
  summary: Record<string, number>;
  stats: { apiCalls: Record<string, number>; durationMs: number };
}

function readReport(file: string): ReportStats {
  const report = JSON.parse(readFileSync(file, 'utf8')) as Partial<ReportStats>;
  if (report.stats === undefined || typeof report.stats.apiCalls !== 'object' || report.summary === undefined) {
    throw new Error(`${file} has no stats.apiCalls or summary`);
  }
  return report as ReportStats;
}

async function auditOnce(
  moto: MotoServer,
  seeded: SeededShape,
  plan: RunPlan,
  options: Options,
  proxies: Set<LatencyProxy>,
): Promise<Sample> {
  const outputDir = join(OUTPUT_ROOT, `${plan.shape}-${plan.latencyMs}ms`);
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  // Every audit goes through the proxy (0 ms forwards at once) so that requests on the wire,
  // retries included, are counted alongside the report's logical calls.
  const wire = new Map<string, number>();
  const proxy = await startLatencyProxy(moto.endpoint, plan.latencyMs, {
    onRequest: (request) => {
      let operation = wireOperation(request);
      // The audit is given --regions, so the only query-protocol call is STS GetCallerIdentity.
      if (operation === 'query-protocol (sts/ec2)') {
        operation = 'sts:GetCallerIdentity';
      }
      wire.set(operation, (wire.get(operation) ?? 0) + 1);
    },
  });
  proxies.add(proxy);
  try {
    const motoCpuBefore = processCpuMs(moto.pid);
    const outcome = await runMeasured([
      'audit',
      '--endpoint-url',
      proxy.endpoint,
      '--regions',
      seeded.regions.join(','),
      '--output-dir',
      outputDir,
      '--format',
      'json',
      '--quiet',
      ...(options.concurrency === undefined ? [] : ['--concurrency', options.concurrency]),
    ], MOTO_ENV);
    const motoCpuAfter = processCpuMs(moto.pid);
    const base = {
      exitCode: outcome.exitCode,
      wallMs: outcome.wallMs,
      peakRssMb: toMb(outcome.usage),
      cliCpuMs: toMs(outcome.usage),
      motoCpuMs: motoCpuBefore === null || motoCpuAfter === null ? null : motoCpuAfter - motoCpuBefore,
    };
    // 0, 1 and 3 all mean "the audit ran" (pass, findings, incomplete); anything else did not.
    if (outcome.exitCode === null || ![0, 1, 3].includes(outcome.exitCode)) {
      const how = outcome.exitCode === null ? `signal ${String(outcome.signal)}` : `exit ${outcome.exitCode}`;
      return { ...base, auditMs: null, calls: [], summary: null, problem: `audit failed (${how}):\n${outcome.stderr.trim()}` };
    }
    const report = readReport(join(outputDir, 'trailaudit.json'));
    const minimum: CallCounts = minimumCalls(seeded);
    return {
      ...base,
      auditMs: report.stats.durationMs,
      calls: compareCalls(report.stats.apiCalls, minimum, Object.fromEntries(wire)),
      summary: report.summary,
      problem: null,
    };
  } finally {
    await proxy.close();
    proxies.delete(proxy);
  }
}

function median(values: readonly (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null).sort((a, b) => a - b);
  if (known.length === 0) {
    return null;
  }
  const middle = Math.floor(known.length / 2);
  return known.length % 2 === 1 ? (known[middle] ?? null) : Math.round(((known[middle - 1] ?? 0) + (known[middle] ?? 0)) / 2);
}

function maximum(values: readonly (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : Math.max(...known);
}

async function runPlan(moto: MotoServer, plan: RunPlan, options: Options, proxies: Set<LatencyProxy>): Promise<RunResult> {
  await moto.reset();
  const loadAverage = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const seeded = await seedShape(moto.endpoint, SHAPES[plan.shape]);
  const samples: Sample[] = [];
  for (let i = 0; i < options.repeat; i += 1) {
    samples.push(await auditOnce(moto, seeded, plan, options, proxies));
  }
  const failed = samples.find((sample) => sample.problem !== null);
  // A run whose call counts differ between repeats is reported by its worst sample.
  const representative = failed ?? samples.find((sample) => !sampleCallsOk(sample)) ?? samples[samples.length - 1];
  if (representative === undefined) {
    throw new Error('no audit ran');
  }
  return {
    ...representative,
    plan,
    seeded,
    samples,
    loadAverage,
    wallMs: median(samples.map((sample) => sample.wallMs)) ?? representative.wallMs,
    auditMs: median(samples.map((sample) => sample.auditMs)),
    peakRssMb: maximum(samples.map((sample) => sample.peakRssMb)),
    cliCpuMs: median(samples.map((sample) => sample.cliCpuMs)),
    motoCpuMs: median(samples.map((sample) => sample.motoCpuMs)),
  };
}

interface StartupFloor {
  readonly wallMs: number | null;
  readonly peakRssMb: number | null;
  readonly cpuMs: number | null;
}

/** `trailaudit --help`: what loading the CLI costs before it makes a single call. */
async function measureStartup(repeat: number): Promise<StartupFloor> {
  const samples: ChildOutcome[] = [];
  for (let i = 0; i < Math.max(3, repeat); i += 1) {
    samples.push(await runMeasured(['--help']));
  }
  return {
    wallMs: median(samples.map((sample) => sample.wallMs)),
    peakRssMb: maximum(samples.map((sample) => toMb(sample.usage))),
    cpuMs: median(samples.map((sample) => toMs(sample.usage))),
  };
}

function table(headers: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? cell.length;
        return rightAligned.has(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const show = (value: number | null): string => (value === null ? '-' : String(value));

function label(plan: RunPlan): string {
  return `${plan.shape} @ ${plan.latencyMs} ms`;
}

function sampleCallsOk(sample: Sample): boolean {
  return sample.problem === null && sample.calls.every((row) => row.verdict === 'OK');
}

/** Every repeat made exactly the minimum. */
function callsOk(result: RunResult): boolean {
  return result.samples.every(sampleCallsOk);
}

function printRun(result: RunResult): void {
  const { seeded } = result;
  console.log(
    `\n== ${label(result.plan)}: ${seeded.trails} trails (${seeded.multiRegionTrails} multi-region), ` +
      `${seeded.trailBuckets} trail buckets (${seeded.trailBucketsWithPolicy} with policy, ${seeded.publicTrailBuckets} public), ` +
      `${seeded.allBuckets} buckets in all, ${seeded.regions.length} regions; seeded in ${seeded.seedMs} ms; ` +
      `load average ${result.loadAverage}`,
  );
  if (result.problem !== null) {
    console.log(result.problem);
    return;
  }
  const repeats =
    result.samples.length > 1 ? ` (median of ${result.samples.length}: ${result.samples.map((sample) => sample.wallMs).join(', ')} ms; RSS max)` : '';
  console.log(
    `wall ${result.wallMs} ms${repeats} (audit ${show(result.auditMs)} ms), peak RSS ${show(result.peakRssMb)} MB, ` +
      `CPU trailaudit ${show(result.cliCpuMs)} ms / moto ${show(result.motoCpuMs)} ms, exit ${show(result.exitCode)}, ` +
      `findings ${Object.entries(result.summary ?? {}).map(([status, n]) => `${status} ${n}`).join(', ')}`,
  );
  const rows = result.calls.map((row) => [
    row.operation,
    String(row.actual),
    String(row.minimum),
    row.verdict,
    String(row.wire),
    row.wire > row.actual ? `${row.wire - row.actual} retries` : '',
  ]);
  const total = (pick: (row: OperationComparison) => number): number => result.calls.reduce((sum, row) => sum + pick(row), 0);
  const retries = total((row) => row.wire) - total((row) => row.actual);
  rows.push([
    'total',
    String(total((row) => row.actual)),
    String(total((row) => row.minimum)),
    callsOk(result) ? 'OK' : 'EXCESS/BELOW',
    String(total((row) => row.wire)),
    retries > 0 ? `${retries} retries` : '',
  ]);
  console.log(table(['operation', 'calls', 'minimum', 'verdict', 'on wire', ''], rows, new Set([1, 2, 4])));
}

function printSummary(results: readonly RunResult[], startup: StartupFloor): string[] {
  const rows = results.map((result) => {
    const actual = result.calls.reduce((sum, row) => sum + row.actual, 0);
    const minimum = result.calls.reduce((sum, row) => sum + row.minimum, 0);
    const wire = result.calls.reduce((sum, row) => sum + row.wire, 0);
    return [
      label(result.plan),
      `${result.seeded.trails}/${result.seeded.trailBuckets}/${result.seeded.regions.length}`,
      String(result.wallMs),
      show(result.auditMs),
      show(result.peakRssMb),
      show(result.cliCpuMs),
      show(result.motoCpuMs),
      result.problem === null ? `${actual} / ${minimum}` : '-',
      result.problem === null ? (callsOk(result) ? 'OK' : 'EXCESS/BELOW') : 'FAILED',
      result.problem === null ? String(wire) : '-',
    ];
  });
  console.log('\n== summary');
  console.log(
    `CLI start-up floor (trailaudit --help): wall ${show(startup.wallMs)} ms, peak RSS ${show(startup.peakRssMb)} MB, CPU ${show(startup.cpuMs)} ms`,
  );
  console.log(
    table(
      ['run', 'trails/buckets/regions', 'wall ms', 'audit ms', 'peak RSS MB', 'CLI CPU ms', 'moto CPU ms', 'calls / min', 'calls', 'on wire'],
      rows,
      new Set([2, 3, 4, 5, 6, 9]),
    ),
  );
  const verdicts: string[] = [];
  for (const result of results) {
    if (result.problem !== null) {
      continue;
    }
    if (result.plan.shape === 'medium' && result.plan.latencyMs === 50) {
      const met = result.wallMs < TARGETS.mediumAt50msWallMs;
      verdicts.push(`target medium @ 50 ms wall < ${TARGETS.mediumAt50msWallMs} ms: ${result.wallMs} ms, ${met ? 'met' : 'MISSED'}`);
    }
    if (result.plan.shape === 'large' && result.peakRssMb !== null) {
      const met = result.peakRssMb < TARGETS.largePeakRssMb;
      verdicts.push(`target large (${label(result.plan)}) peak RSS < ${TARGETS.largePeakRssMb} MB: ${result.peakRssMb} MB, ${met ? 'met' : 'MISSED'}`);
    }
  }
  const callVerdict = results.every(callsOk) ? 'met' : 'MISSED';
  verdicts.push(`target API calls = minimum for every operation: ${callVerdict}`);
  for (const verdict of verdicts) {
    console.log(verdict);
  }
  return verdicts;
}

async function main(): Promise<number> {
  let parsed: Options;
  try {
    parsed = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n${usage()}`);
    return 2;
  }
  let moto: MotoServer;
  try {
    moto = await startMoto();
  } catch (error) {
    if (error instanceof MotoMissingError) {
      console.error(`bench: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const proxies = new Set<LatencyProxy>();
  const stopAll = async (): Promise<void> => {
    killActiveChild();
    await Promise.allSettled([...proxies].map((proxy) => proxy.close()));
    await moto.stop();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`\nbench: ${signal}, stopping moto (pid ${moto.pid})`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results: RunResult[] = [];
  try {
    console.log(`bench: moto_server pid ${moto.pid} at ${moto.endpoint}; CLI ${relative(ROOT, CLI)}; node ${process.version}`);
    for (const plan of parsed.plans) {
      const result = await runPlan(moto, plan, parsed, proxies);
      results.push(result);
      printRun(result);
    }
    const startup = await measureStartup(parsed.repeat);
    const verdicts = printSummary(results, startup);
    mkdirSync(OUTPUT_ROOT, { recursive: true });
    const resultsFile = join(OUTPUT_ROOT, 'results.json');
    writeFileSync(
      resultsFile,
      `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, startup, results, verdicts }, null, 2)}\n`,
    );
    console.log(`results: ${relative(ROOT, resultsFile)}`);
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return results.every(callsOk) ? 0 : 1;
}

// `--only validate-logs` / `--only iac` runs that case alone; without --only both run after the audits.
const only = takeOnly();
process.exitCode =
  only === 'validate-logs'
    ? await validateLogsBench(process.argv.slice(2))
    : only === 'iac'
      ? await iacBench(process.argv.slice(2))
      : Math.max(await main(), only === undefined ? await validateLogsBench([]) : 0, only === undefined ? await iacBench([]) : 0);
