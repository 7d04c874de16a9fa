/**
 * Run the built CLI as a child process, as a user would, and measure it: wall time from spawn to
 * exit (Node start-up included) and, through the RSS preload, the child's peak RSS and CPU.
 * Shared by every benchmark case.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RSS_FILE_ENV, RSS_PRELOAD_URL, type ChildUsage } from './rssPreload.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = join(ROOT, 'bin', 'trailaudit.js');

export interface ChildOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly wallMs: number;
  /** The last few KB of stderr. */
  readonly stderr: string;
  /** Null when the child died before its exit hook ran. */
  readonly usage: ChildUsage | null;
}

let activeChild: ReturnType<typeof spawn> | null = null;

/** Stop the child being measured (Ctrl-C in the benchmark). */
export function killActiveChild(): void {
  activeChild?.kill('SIGTERM');
}

/** `nodeArgs`: options for the child's Node itself, e.g. `--cpu-prof` (bench/profileSummary.ts reads the profile). */
export async function runMeasured(cliArgs: readonly string[], env: NodeJS.ProcessEnv = {}, nodeArgs: readonly string[] = []): Promise<ChildOutcome> {
  const scratch = mkdtempSync(join(tmpdir(), 'trailaudit-bench-'));
  const usageFile = join(scratch, 'usage.json');
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, '--import', RSS_PRELOAD_URL, CLI, ...cliArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env, [RSS_FILE_ENV]: usageFile },
  });
  activeChild = child;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  try {
    const { exitCode, signal } = await new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((resolvePromise, reject) => {
      child.once('error', reject);
      child.once('close', (code, killedBy) => {
        resolvePromise({ exitCode: code, signal: killedBy });
      });
    });
    return { exitCode, signal, wallMs: Math.round(performance.now() - started), stderr, usage: readUsage(usageFile) };
  } finally {
    activeChild = null;
    rmSync(scratch, { recursive: true, force: true });
  }
}

function readUsage(file: string): ChildUsage | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ChildUsage;
  } catch {
    return null;
  }
}

export const toMb = (usage: ChildUsage | null): number | null => (usage === null ? null : Math.round((usage.maxRssKb / 1024) * 10) / 10);
export const toMs = (usage: ChildUsage | null): number | null => (usage === null ? null : Math.round(usage.cpuUs / 1000));
