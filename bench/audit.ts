/**
 * One measured `trailaudit audit` of a seeded moto estate (one account or a whole organization),
 * through the latency proxy, and the aggregation of repeated audits. Shared by every live shape
 * of `npm run bench` (bench/run.ts).
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { motoEnvironment } from '../support/moto/clients.js';
import type { MotoServer } from '../support/moto/server.js';
import { startLatencyProxy, type LatencyProxy } from './latencyProxy.js';
import { compareCalls, type CallCounts, type OperationComparison } from './minimum.js';
import { ROOT, runMeasured, toMb, toMs } from './measure.js';
import { wireOperation } from './wireOperation.js';

/** moto accepts any credentials; explicit ones keep the SDK away from ~/.aws and IMDS. */
const MOTO_ENV = motoEnvironment();
export const OUTPUT_ROOT = join(ROOT, 'reports', 'bench');

/** What to audit and what it must cost. */
export interface AuditTarget {
  /** Names the report directory: reports/bench/<name>-<latency>ms/. */
  readonly name: string;
  readonly regions: readonly string[];
  /** Options beyond the endpoint, regions and output (e.g. `--org`, `--concurrency 64`). */
  readonly extraArgs: readonly string[];
  readonly minimum: CallCounts;
  /**
   * Read request bodies in the proxy to name STS calls exactly (an organization audit makes both
   * AssumeRole and GetCallerIdentity); a single-account audit makes only the latter.
   */
  readonly readBodies: boolean;
  /** Options for the audited child's Node (`--cpu-prof …`). */
  readonly nodeArgs?: readonly string[];
}

/** One audit of a seeded estate. */
export interface Sample {
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
  /** Size of trailaudit.json, bytes. */
  readonly reportBytes: number | null;
  readonly problem: string | null;
}

/** User + system CPU of a process so far, from /proc (Linux only; null elsewhere). */
export function processCpuMs(pid: number): number | null {
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

function readReport(file: string): { report: ReportStats; bytes: number } {
  const text = readFileSync(file, 'utf8');
  const report = JSON.parse(text) as Partial<ReportStats>;
  if (report.stats === undefined || typeof report.stats.apiCalls !== 'object' || report.summary === undefined) {
    throw new Error(`${file} has no stats.apiCalls or summary`);
  }
  return { report: report as ReportStats, bytes: Buffer.byteLength(text) };
}

export async function auditOnce(moto: MotoServer, target: AuditTarget, latencyMs: number, proxies: Set<LatencyProxy>): Promise<Sample> {
  const outputDir = join(OUTPUT_ROOT, `${target.name}-${latencyMs}ms`);
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  // Every audit goes through the proxy (0 ms forwards at once) so that requests on the wire,
  // retries included, are counted alongside the report's logical calls.
  const wire = new Map<string, number>();
  const proxy = await startLatencyProxy(moto.endpoint, latencyMs, {
    readBodies: target.readBodies,
    onRequest: (request, body) => {
      let operation = wireOperation(request, body);
      // The audit is given --regions, so without bodies the only query-protocol call is STS GetCallerIdentity.
      if (operation === 'query-protocol (sts/ec2)') {
        operation = 'sts:GetCallerIdentity';
      }
      wire.set(operation, (wire.get(operation) ?? 0) + 1);
    },
  });
  proxies.add(proxy);
  try {
    const motoCpuBefore = processCpuMs(moto.pid);
    const outcome = await runMeasured(
      [
        'audit',
        '--endpoint-url',
        proxy.endpoint,
        '--regions',
        target.regions.join(','),
        '--output-dir',
        outputDir,
        '--format',
        'json',
        '--quiet',
        ...target.extraArgs,
      ],
      MOTO_ENV,
      target.nodeArgs,
    );
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
      return { ...base, auditMs: null, calls: [], summary: null, reportBytes: null, problem: `audit failed (${how}):\n${outcome.stderr.trim()}` };
    }
    const { report, bytes } = readReport(join(outputDir, 'trailaudit.json'));
    return {
      ...base,
      auditMs: report.stats.durationMs,
      calls: compareCalls(report.stats.apiCalls, target.minimum, Object.fromEntries(wire)),
      summary: report.summary,
      reportBytes: bytes,
      problem: null,
    };
  } finally {
    await proxy.close();
    proxies.delete(proxy);
  }
}

export function median(values: readonly (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null).sort((a, b) => a - b);
  if (known.length === 0) {
    return null;
  }
  const middle = Math.floor(known.length / 2);
  return known.length % 2 === 1 ? (known[middle] ?? null) : Math.round(((known[middle - 1] ?? 0) + (known[middle] ?? 0)) / 2);
}

export function maximum(values: readonly (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : Math.max(...known);
}

export function sampleCallsOk(sample: Sample): boolean {
  return sample.problem === null && sample.calls.every((row) => row.verdict === 'OK');
}

/**
 * Repeated audits of one seeded estate as one result: median times, maximum RSS, and the calls of
 * the worst sample (a crashed one, else one that missed the minimum), so a flaky excess shows.
 */
export function aggregate(samples: readonly Sample[]): Sample {
  const failed = samples.find((sample) => sample.problem !== null);
  const representative = failed ?? samples.find((sample) => !sampleCallsOk(sample)) ?? samples[samples.length - 1];
  if (representative === undefined) {
    throw new Error('no audit ran');
  }
  return {
    ...representative,
    wallMs: median(samples.map((sample) => sample.wallMs)) ?? representative.wallMs,
    auditMs: median(samples.map((sample) => sample.auditMs)),
    peakRssMb: maximum(samples.map((sample) => sample.peakRssMb)),
    cliCpuMs: median(samples.map((sample) => sample.cliCpuMs)),
    motoCpuMs: median(samples.map((sample) => sample.motoCpuMs)),
  };
}
