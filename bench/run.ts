/**
 * `npm run bench`: seed accounts (and organizations) of known shapes into moto, audit each with
 * the real CLI as a child process, and compare what it cost with what it had to cost.
 *
 *   tsx bench/run.ts [--shape S[,S…]] [--latency-ms N[,N…]] [--concurrency N[,N…]] [--account-concurrency N[,N…]] [--repeat N]
 *   tsx bench/run.ts --only iac [--files N] [--repeat N]   (templates and plans: bench/iac.ts)
 *   tsx bench/run.ts --only securityhub [--findings N] [--repeat N]   (Security Hub import: bench/securityHub.ts)
 *   tsx bench/run.ts --only history [--repeat N]   (what --history adds to a run: bench/history.ts)
 *
 * Shapes: small, medium, large (one account, bench/seedShape.ts; `all` = the three) and org-10,
 * org-50, org-200 (an organization audited with `--org`, bench/seedOrganization.ts; `orgs` = the
 * three). Each shape is audited at each latency and each given --concurrency and
 * --account-concurrency (the CLI's options; the cross product, to compare settings). Without --shape and --latency-ms: small, medium
 * and large at 0 ms, medium at 50 ms, org-10 at 0 ms and org-50 at 0 and 50 ms (org-200 only when
 * asked: seeding and auditing it take a minute more). --repeat N: N audits of the same seeded
 * estate, median times, maximum RSS. --cpu-prof: a V8 CPU profile of each audit in
 * reports/bench/profiles/ (summarise one with `tsx bench/profileSummary.ts FILE`).
 * Exit status: 0 when every audit ran and made exactly the minimum number of calls per operation,
 * 1 otherwise (EXCESS or BELOW rows, a crashed audit). Time and memory targets are reported, not
 * enforced: they depend on the machine, and moto shares its CPU (MOTO_NOTES 17).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MotoMissingError, startMoto, type MotoServer } from '../support/moto/server.js';
import { aggregate, auditOnce, maximum, median, OUTPUT_ROOT, sampleCallsOk, type AuditTarget, type Sample } from './audit.js';
import type { LatencyProxy } from './latencyProxy.js';
import { minimumCalls, minimumOrganizationCalls, type OperationComparison } from './minimum.js';
import { CLI, killActiveChild, ROOT, runMeasured, toMb, toMs, type ChildOutcome } from './measure.js';
import { ORGANIZATION_SHAPES, seedOrganizationShape, type OrganizationShapeName, type SeededOrganizationShape } from './seedOrganization.js';
import { SHAPES, seedShape, type SeededShape, type ShapeName } from './seedShape.js';
import { takeOnly, validateLogsBench } from './validateLogs.js';
import { iacBench } from './iac.js';
import { securityHubBench } from './securityHub.js';

// The SDK's "newer versions will need Node 22" notice, printed by our own seeding clients, says
// nothing about the audit; the child CLI gets the user's environment and decides for itself.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The issues' targets (10: medium, large; 13: an organization of 200 accounts). */
const TARGETS = { mediumAt50msWallMs: 1500, largePeakRssMb: 150, org200At50msWallMs: 30_000, org200PeakRssMb: 300 } as const;

type AnyShapeName = ShapeName | OrganizationShapeName;
const SINGLE_SHAPES: readonly ShapeName[] = ['small', 'medium', 'large'];
const ORG_SHAPES: readonly OrganizationShapeName[] = ['org-10', 'org-50', 'org-200'];

interface RunPlan {
  readonly shape: AnyShapeName;
  readonly latencyMs: number;
  /** Passed to `trailaudit audit` when set; the CLI's default otherwise. */
  readonly concurrency?: number;
  /** Organization shapes only. */
  readonly accountConcurrency?: number;
}

interface Options {
  readonly plans: readonly RunPlan[];
  /** Audits per plan (same seeded estate); times are medians, RSS the maximum. */
  readonly repeat: number;
  /** --cpu-prof: write a V8 CPU profile of each audit here (it slows the audit a little). */
  readonly profileDir: string | undefined;
}

/** A seeded estate and how to audit it. */
interface Seeded {
  readonly target: AuditTarget;
  /** One line on what was seeded, for the run's header. */
  readonly description: string;
  /** The summary table's size column: trails/buckets/regions, or accounts/regions. */
  readonly size: string;
  readonly seedMs: number;
  readonly detail: SeededShape | SeededOrganizationShape;
}

interface RunResult extends Sample {
  readonly plan: RunPlan;
  readonly seeded: Seeded;
  readonly samples: readonly Sample[];
  /** 1-minute load average when the plan started: other work on the machine skews times. */
  readonly loadAverage: number;
}

function usage(): string {
  return (
    'usage: tsx bench/run.ts [--shape small|medium|large|all|org-10|org-50|org-200|orgs[,…]] [--latency-ms N[,N…]] ' +
    '[--concurrency N[,N…]] [--account-concurrency N[,N…]] [--repeat N] [--cpu-prof]'
  );
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

function isShape(name: string): name is AnyShapeName {
  return name in SHAPES || name in ORGANIZATION_SHAPES;
}

function parseShapes(text: string): AnyShapeName[] {
  const shapes = text.split(',').flatMap((name): AnyShapeName[] => {
    if (name === 'all') {
      return [...SINGLE_SHAPES];
    }
    if (name === 'orgs') {
      return [...ORG_SHAPES];
    }
    if (!isShape(name)) {
      throw new Error(`--shape takes small, medium, large, all, org-10, org-50, org-200 or orgs (comma-separated), not "${name}"`);
    }
    return [name];
  });
  return [...new Set(shapes)];
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      shape: { type: 'string' },
      'latency-ms': { type: 'string' },
      concurrency: { type: 'string' },
      'account-concurrency': { type: 'string' },
      repeat: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    console.log(usage());
    process.exit(0);
  }
  const list = (name: string, text: string | undefined): number[] | undefined => text?.split(',').map((item) => positiveInteger(name, item) ?? 0);
  const latencies = list('latency-ms', values['latency-ms']);
  const repeat = positiveInteger('repeat', values.repeat) ?? 1;
  const concurrencies: (number | undefined)[] = list('concurrency', values.concurrency) ?? [undefined];
  const accountConcurrencies: (number | undefined)[] = list('account-concurrency', values['account-concurrency']) ?? [undefined];
  if (repeat < 1 || concurrencies.includes(0) || accountConcurrencies.includes(0)) {
    throw new Error('--repeat, --concurrency and --account-concurrency must be at least 1');
  }
  const settings = concurrencies.flatMap((concurrency) =>
    accountConcurrencies.map((accountConcurrency) => ({
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(accountConcurrency === undefined ? {} : { accountConcurrency }),
    })),
  );
  const common = { repeat, profileDir: values['cpu-prof'] === true ? join(OUTPUT_ROOT, 'profiles') : undefined };
  if (values.shape === undefined && latencies === undefined) {
    const defaults: RunPlan[] = [
      ...SINGLE_SHAPES.map((shape) => ({ shape, latencyMs: 0 })),
      { shape: 'medium', latencyMs: 50 },
      { shape: 'org-10', latencyMs: 0 },
      { shape: 'org-50', latencyMs: 0 },
      { shape: 'org-50', latencyMs: 50 },
    ];
    return { plans: defaults.flatMap((plan) => settings.map((setting) => ({ ...plan, ...setting }))), ...common };
  }
  const shapes = values.shape === undefined ? [...SINGLE_SHAPES] : parseShapes(values.shape);
  const plans = shapes.flatMap((shape) =>
    (latencies ?? [0]).flatMap((latencyMs) => settings.map((setting) => ({ shape, latencyMs, ...setting }))),
  );
  return { plans, ...common };
}

function isOrganizationShape(shape: AnyShapeName): shape is OrganizationShapeName {
  return shape in ORGANIZATION_SHAPES;
}

/** The plan's settings as `trailaudit audit` options. */
function cliOptions(plan: RunPlan): string[] {
  return [
    ...(plan.concurrency === undefined ? [] : ['--concurrency', String(plan.concurrency)]),
    ...(plan.accountConcurrency === undefined || !isOrganizationShape(plan.shape) ? [] : ['--account-concurrency', String(plan.accountConcurrency)]),
  ];
}

async function seed(moto: MotoServer, shape: AnyShapeName): Promise<Seeded> {
  await moto.reset();
  if (isOrganizationShape(shape)) {
    const seeded = await seedOrganizationShape(moto.endpoint, ORGANIZATION_SHAPES[shape]);
    return {
      target: {
        name: shape,
        regions: seeded.regions,
        extraArgs: ['--org'],
        minimum: minimumOrganizationCalls(seeded),
        readBodies: true,
      },
      description:
        `organization ${seeded.organizationId}: ${seeded.accountIds.length} accounts (management ${seeded.managementAccountId}, ` +
        `log archive ${seeded.logArchiveAccountId}), ${seeded.memberTrails} member trails ` +
        `(${seeded.multiRegionMemberTrails} multi-region) + 1 organization trail, ${seeded.trailBuckets} trail buckets, ` +
        `${seeded.regions.length} regions`,
      size: `${seeded.accountIds.length} accounts/${seeded.regions.length}`,
      seedMs: seeded.seedMs,
      detail: seeded,
    };
  }
  const seeded = await seedShape(moto.endpoint, SHAPES[shape]);
  return {
    target: { name: shape, regions: seeded.regions, extraArgs: [], minimum: minimumCalls(seeded), readBodies: false },
    description:
      `${seeded.trails} trails (${seeded.multiRegionTrails} multi-region), ` +
      `${seeded.trailBuckets} trail buckets (${seeded.trailBucketsWithPolicy} with policy, ${seeded.publicTrailBuckets} public), ` +
      `${seeded.allBuckets} buckets in all, ${seeded.regions.length} regions`,
    size: `${seeded.trails}/${seeded.trailBuckets}/${seeded.regions.length}`,
    seedMs: seeded.seedMs,
    detail: seeded,
  };
}

/**
 * `previous`: the estate the last plan seeded, reused when this plan audits the same shape (at
 * another latency): audits only read, and seeding org-200 takes seconds.
 */
async function runPlan(moto: MotoServer, plan: RunPlan, options: Options, proxies: Set<LatencyProxy>, previous: RunResult | undefined): Promise<RunResult> {
  const loadAverage = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const seeded = previous?.plan.shape === plan.shape ? previous.seeded : await seed(moto, plan.shape);
  const target: AuditTarget = {
    ...seeded.target,
    extraArgs: [...seeded.target.extraArgs, ...cliOptions(plan)],
    ...(options.profileDir === undefined ? {} : { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', options.profileDir] }),
  };
  const samples: Sample[] = [];
  for (let i = 0; i < options.repeat; i += 1) {
    samples.push(await auditOnce(moto, target, plan.latencyMs, proxies));
  }
  return { ...aggregate(samples), plan, seeded, samples, loadAverage };
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
  const settings = cliOptions(plan).join(' ').replace('--account-concurrency', 'accounts').replace('--concurrency', 'requests');
  return `${plan.shape} @ ${plan.latencyMs} ms${settings === '' ? '' : ` (${settings})`}`;
}

/** Every repeat made exactly the minimum. */
function callsOk(result: RunResult): boolean {
  return result.samples.every(sampleCallsOk);
}

function printRun(result: RunResult): void {
  const { seeded } = result;
  console.log(`\n== ${label(result.plan)}: ${seeded.description}; seeded in ${seeded.seedMs} ms; load average ${result.loadAverage}`);
  if (result.problem !== null) {
    console.log(result.problem);
    return;
  }
  const repeats =
    result.samples.length > 1 ? ` (median of ${result.samples.length}: ${result.samples.map((sample) => sample.wallMs).join(', ')} ms; RSS max)` : '';
  console.log(
    `wall ${result.wallMs} ms${repeats} (audit ${show(result.auditMs)} ms), peak RSS ${show(result.peakRssMb)} MB, ` +
      `CPU trailaudit ${show(result.cliCpuMs)} ms / moto ${show(result.motoCpuMs)} ms, exit ${show(result.exitCode)}, ` +
      `report ${show(result.reportBytes)} bytes, ` +
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

function targetVerdicts(result: RunResult): string[] {
  const verdicts: string[] = [];
  const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');
  if (result.plan.shape === 'medium' && result.plan.latencyMs === 50) {
    verdicts.push(`target medium @ 50 ms wall < ${TARGETS.mediumAt50msWallMs} ms: ${result.wallMs} ms, ${verdict(result.wallMs < TARGETS.mediumAt50msWallMs)}`);
  }
  if (result.plan.shape === 'large' && result.peakRssMb !== null) {
    verdicts.push(`target large (${label(result.plan)}) peak RSS < ${TARGETS.largePeakRssMb} MB: ${result.peakRssMb} MB, ${verdict(result.peakRssMb < TARGETS.largePeakRssMb)}`);
  }
  if (result.plan.shape === 'org-200' && result.plan.latencyMs === 50) {
    verdicts.push(`target org-200 @ 50 ms wall < ${TARGETS.org200At50msWallMs} ms: ${result.wallMs} ms, ${verdict(result.wallMs < TARGETS.org200At50msWallMs)}`);
  }
  if (result.plan.shape === 'org-200' && result.peakRssMb !== null) {
    verdicts.push(
      `target org-200 (${label(result.plan)}) peak RSS < ${TARGETS.org200PeakRssMb} MB: ${result.peakRssMb} MB, ${verdict(result.peakRssMb < TARGETS.org200PeakRssMb)}`,
    );
  }
  return verdicts;
}

function printSummary(results: readonly RunResult[], startup: StartupFloor): string[] {
  const rows = results.map((result) => {
    const actual = result.calls.reduce((sum, row) => sum + row.actual, 0);
    const minimum = result.calls.reduce((sum, row) => sum + row.minimum, 0);
    const wire = result.calls.reduce((sum, row) => sum + row.wire, 0);
    return [
      label(result.plan),
      result.seeded.size,
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
      ['run', 'trails/buckets/regions or accounts', 'wall ms', 'audit ms', 'peak RSS MB', 'CLI CPU ms', 'moto CPU ms', 'calls / min', 'calls', 'on wire'],
      rows,
      new Set([2, 3, 4, 5, 6, 9]),
    ),
  );
  const verdicts = results.filter((result) => result.problem === null).flatMap(targetVerdicts);
  verdicts.push(`target API calls = minimum for every operation: ${results.every(callsOk) ? 'met' : 'MISSED'}`);
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
      const result = await runPlan(moto, plan, parsed, proxies, results.at(-1));
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

/** bench/history.ts runs itself at import (it re-runs itself as a child per sample): a child here too. */
function historyBench(args: readonly string[]): number {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('history.ts', import.meta.url)), ...args], { stdio: 'inherit' });
  return child.status ?? 1;
}

// `--only validate-logs` / `--only iac` runs that case alone; without --only both run after the audits.
const only = takeOnly();
process.exitCode =
  only === 'validate-logs'
    ? await validateLogsBench(process.argv.slice(2))
    : only === 'iac'
      ? await iacBench(process.argv.slice(2))
      : only === 'securityhub'
        ? await securityHubBench(process.argv.slice(2))
        : only === 'history'
          ? historyBench(process.argv.slice(2))
        : Math.max(await main(), only === undefined ? await validateLogsBench([]) : 0, only === undefined ? await iacBench([]) : 0);
