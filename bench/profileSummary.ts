/**
 * Where an audit's CPU went, from a V8 CPU profile (`npm run bench -- --cpu-prof` writes one per
 * audit to reports/bench/profiles/):
 *
 *   tsx bench/profileSummary.ts FILE.cpuprofile [--top N]
 *
 * Prints self time by module (an npm package, a file of src/, or node's own internals; frames
 * in the bundled dist/ are traced back through its source maps) and the N functions with the
 * most self time. Self time only: in an I/O-bound audit
 * the inclusive times of the async frames say little.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload, type SourceMapping } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

const sourceMaps = new Map<string, SourceMap | null>();

/** The source map next to a bundled file (esbuild writes FILE.map), once per file. */
function sourceMapOf(path: string): SourceMap | null {
  let map = sourceMaps.get(path);
  if (map === undefined) {
    map = existsSync(`${path}.map`) ? new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')) as SourceMapPayload) : null;
    sourceMaps.set(path, map);
  }
  return map;
}

/** Where a frame's code came from: the original file and line when a source map knows it. */
function originalPosition(frame: ProfileNode['callFrame']): { readonly path: string; readonly line: number } {
  const path = decodeURIComponent(frame.url.replace(/^file:\/\//u, ''));
  // findEntry answers {} where the map has no entry.
  const entry: Partial<SourceMapping> | undefined = path === '' ? undefined : sourceMapOf(path)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry?.originalSource !== undefined && entry.originalLine !== undefined) {
    return { path: entry.originalSource, line: entry.originalLine + 1 };
  }
  return { path, line: frame.lineNumber + 1 };
}

/** Group a script path: the npm package, the file under src/ or dist/, or the kind of frame V8 reports. */
export function moduleOf(path: string, functionName: string): string {
  if (path === '') {
    // (program), (idle), (garbage collector) and native frames have no script.
    return functionName.startsWith('(') ? functionName : '(native)';
  }
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//u.exec(path);
  if (inPackage?.[1] !== undefined) {
    return inPackage[1];
  }
  if (path.startsWith('node:')) {
    return 'node internals';
  }
  const inProject = /\/((?:src|dist)\/.+)$/u.exec(path);
  return inProject?.[1] ?? path;
}

/** Self time in microseconds per node id (each sample is charged to the frame on top). */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const times = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    times.set(id, (times.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return times;
}

function add(into: Map<string, number>, key: string, value: number): void {
  into.set(key, (into.get(key) ?? 0) + value);
}

function top(map: ReadonlyMap<string, number>, count: number, totalUs: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${name}`);
}

export function summarise(profile: CpuProfile, count: number): string {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfTimes(profile)) {
    const frame = nodes.get(id)?.callFrame;
    if (frame === undefined) {
      continue;
    }
    totalUs += us;
    const position = originalPosition(frame);
    const module = moduleOf(position.path, frame.functionName);
    add(byModule, module, us);
    add(byFunction, `${frame.functionName === '' ? '(anonymous)' : frame.functionName} ${module}:${position.line}`, us);
  }
  const idle = byModule.get('(idle)') ?? 0;
  return [
    `profile ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms, ${((totalUs - idle) / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle (waiting on I/O)`,
    '',
    'self time by module:',
    ...top(byModule, count, totalUs),
    '',
    'self time by function:',
    ...top(byFunction, count, totalUs),
  ].join('\n');
}

function main(): number {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string' } }, allowPositionals: true });
  const file = positionals[0];
  if (file === undefined) {
    console.error('usage: tsx bench/profileSummary.ts FILE.cpuprofile [--top N]');
    return 2;
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(summarise(profile, Number(values.top ?? '25')));
  return 0;
}

// Run as a script, not when a test imports it.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = main();
}
