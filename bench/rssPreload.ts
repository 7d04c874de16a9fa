/**
 * A tiny ES module preloaded into the audited CLI (`node --import <url>`): when the process exits
 * it writes its peak resident set size (`process.resourceUsage().maxRSS`, kilobytes) and its CPU
 * time (microseconds) as JSON to the file named by TRAILAUDIT_BENCH_RSS_FILE. The kernel tracks
 * the peak, so nothing samples or misses it.
 *
 * It is shipped as a data: URL rather than a .mjs file: plain JavaScript in bench/ is outside the
 * type-checked lint project, and the child must not pay for a TypeScript loader.
 */
export const RSS_FILE_ENV = 'TRAILAUDIT_BENCH_RSS_FILE';

const PRELOAD_SOURCE = `
import { writeFileSync } from 'node:fs';
const file = process.env.${RSS_FILE_ENV};
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKb: usage.maxRSS, cpuUs: usage.userCPUTime + usage.systemCPUTime }));
  });
}
`;

export const RSS_PRELOAD_URL = `data:text/javascript,${encodeURIComponent(PRELOAD_SOURCE)}`;

export interface ChildUsage {
  readonly maxRssKb: number;
  readonly cpuUs: number;
}
