/**
 * The Security Hub case of `npm run bench` (issue 14: 1,000 findings import in under 5 s on moto):
 * import 1,000 findings of one account into one Region of a fresh moto Security Hub (the worst
 * case for pacing: every call goes to one (account, Region), at most 8 sent per second, GetFindings as a 3-a-second token bucket), then import
 * them again (1,000 previous findings read in 10 pages, every finding updated). In-process, with
 * the library API the CLI and the Lambda use; wall time from opening the access to the outcome.
 *
 *   tsx bench/run.ts --only securityhub [--findings N] [--repeat N]
 *
 * Exit status 1 if an import reported a failure or Security Hub does not hold each finding once;
 * the 5 s target is reported, not enforced (moto shares the machine's CPU).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { Finding } from '../src/engine/types.js';
import { createHubAccess } from '../src/securityhub/access.js';
import { importToSecurityHub } from '../src/securityhub/importRun.js';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, motoClientConfig } from '../support/moto/clients.js';
import { startMoto } from '../support/moto/server.js';
import { liveContext, trailFinding } from '../test/securityhub/fixtures.js';

const REGION = 'us-east-1';
const TARGET_WALL_MS = 5000;

interface Sample {
  readonly firstMs: number;
  readonly againMs: number;
  readonly calls: string;
  readonly held: number;
  readonly failures: number;
}

async function heldCount(endpoint: string): Promise<number> {
  const client = new SecurityHubClient(motoClientConfig(endpoint, REGION));
  let count = 0;
  let token: string | undefined;
  do {
    const page = await client.send(new GetFindingsCommand({ MaxResults: 100, ...(token === undefined ? {} : { NextToken: token }) }));
    count += page.Findings?.length ?? 0;
    token = page.NextToken === '' ? undefined : page.NextToken;
  } while (token !== undefined);
  client.destroy();
  return count;
}

async function importOnce(endpoint: string, findings: readonly Finding[], now: Date): Promise<{ ms: number; calls: Readonly<Record<string, number>>; failures: number }> {
  const started = performance.now();
  const access = await createHubAccess({ endpointUrl: endpoint, credentials: MOTO_CREDENTIALS, region: REGION });
  try {
    const outcome = await importToSecurityHub({ findings, context: liveContext([MOTO_ACCOUNT_ID], [REGION]), accountLevelRegion: REGION, now, dryRun: false, access });
    return { ms: Math.round(performance.now() - started), calls: outcome.calls, failures: outcome.failures.length };
  } finally {
    access.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function securityHubBench(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { findings: { type: 'string', default: '1000' }, repeat: { type: 'string', default: '3' } } });
  const count = Number(values.findings);
  const repeat = Number(values.repeat);
  const findings = Array.from({ length: count }, (_, index) => trailFinding(`bench-${String(index).padStart(5, '0')}`, index % 3 === 0 ? 'PASS' : 'FAIL', REGION, MOTO_ACCOUNT_ID));
  const moto = await startMoto();
  const samples: Sample[] = [];
  try {
    for (let run = 0; run < repeat; run += 1) {
      await moto.reset();
      const hub = new SecurityHubClient(motoClientConfig(moto.endpoint, REGION));
      await hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
      hub.destroy();
      const first = await importOnce(moto.endpoint, findings, new Date(Date.UTC(2026, 0, 1)));
      const again = await importOnce(moto.endpoint, findings, new Date(Date.UTC(2026, 0, 2)));
      samples.push({
        firstMs: first.ms,
        againMs: again.ms,
        calls: `${JSON.stringify(first.calls)} then ${JSON.stringify(again.calls)}`,
        held: await heldCount(moto.endpoint),
        failures: first.failures + again.failures,
      });
    }
  } finally {
    await moto.stop();
  }
  const firstMedian = median(samples.map((sample) => sample.firstMs));
  const againMedian = median(samples.map((sample) => sample.againMs));
  process.stdout.write(
    `\nSecurity Hub import on moto: ${String(count)} findings, one account and Region, ${String(repeat)} runs, load ${loadavg()[0]?.toFixed(2) ?? '?'}\n` +
      `  first import: median ${String(firstMedian)} ms (${samples.map((s) => s.firstMs).join(', ')})\n` +
      `  re-import:    median ${String(againMedian)} ms (${samples.map((s) => s.againMs).join(', ')})\n` +
      `  calls: ${samples[0]?.calls ?? ''}\n` +
      `  target: under ${String(TARGET_WALL_MS)} ms each — ${Math.max(firstMedian, againMedian) < TARGET_WALL_MS ? 'met' : 'MISSED'}\n`,
  );
  const ok = samples.every((sample) => sample.failures === 0 && sample.held === count);
  if (!ok) {
    process.stdout.write(`  FAILED: ${samples.map((s) => `${String(s.failures)} failures, ${String(s.held)} held`).join('; ')}\n`);
  }
  return ok ? 0 : 1;
}
