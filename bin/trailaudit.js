#!/usr/bin/env node
// Thin launcher: the CLI is compiled and bundled to dist/bundle/ by `npm run build` (run
// automatically by `npm ci` via `prepare`); the bundle starts in about half the CPU time of the
// unbundled dist/cli/main.js (scripts/bundle.ts says why).
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

// Let V8's young generation grow to 8 MB, then no further (by default it grows to 32 MB). An
// audit allocates a stream of short-lived SDK objects, and the fully grown young generation (plus
// what it promotes before the first full GC) was most of the peak RSS of a large account. Keeping
// it at its initial 2 MB (what this launcher did before) cost more scavenges: about 100 instead of
// 29 on the medium bench account, 25-40 ms more GC time, for no lower peak. Measured on a
// 500-trail account: grown 147 MB, 8 MB cap 129-130 MB, 2 MB 129-132 MB.
// V8 reads --semi-space-growth-factor each time it would grow the space, so setting it after a
// GC that reached the cap takes effect from the next growth on. GC entries reach the observer
// asynchronously, so during one long synchronous stretch (a scan parsing hundreds of templates)
// the space can grow one step past the cap before this runs; the 1,000-file scan peaks at about
// 224 MB (202 MB with a 2 MB young generation, 289 MB unlimited). Sizes are as V8's heap
// statistics report the new space.
const YOUNG_GENERATION_CAP_BYTES = 8 * 1024 * 1024;
const youngGenerationCap = new PerformanceObserver(() => {
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  if (newSpace !== undefined && newSpace.space_size >= YOUNG_GENERATION_CAP_BYTES) {
    setFlagsFromString('--semi-space-growth-factor=1');
    youngGenerationCap.disconnect();
  }
});
youngGenerationCap.observe({ entryTypes: ['gc'] });

// An audit spends its CPU in AWS SDK request handling: short-lived, megamorphic code that
// TurboFan compiles on a second thread for little gain. Without it (Maglev, where the Node version
// has it, stays allowed) an audit used 10-13 % less CPU and about 6 MB less memory on the large
// bench account and 12 % less CPU on the medium one, in alternating runs. Only for `audit`: the
// scan and validate-logs spend theirs in tight parsing and hashing loops and took twice as long.
const command = process.argv.slice(2).find((argument) => !argument.startsWith('-'));
if (command === 'audit') {
  setFlagsFromString('--max-opt=2');
}
// The AWS SDK's notice about its own future Node.js support is not actionable for an audit run and
// would clutter CI logs; users can opt back in by setting the variable to "false".
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// An error that escapes main() (an exception in a callback, a promise nobody awaited, a bundle
// that does not load) must not end with Node's stack trace and exit status 1, which would read as
// "failures found": one line and exit 2, the stack only with --debug (src/cli/main.ts).
const debug = process.argv.includes('--debug');
let reportError = (error) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`trailaudit: internal error: ${message.split('\n')[0]} (run with --debug for details)\n`);
  if (debug && error instanceof Error) {
    process.stderr.write(`${error.stack}\n`);
  }
  return 2;
};
const crash = (error) => {
  process.exit(reportError(error, debug));
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
try {
  const cli = await import('../dist/bundle/main.js');
  if (typeof cli.reportError === 'function') {
    reportError = cli.reportError;
  }
  process.exitCode = await cli.main(process.argv.slice(2));
} catch (error) {
  crash(error);
}
