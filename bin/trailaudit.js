#!/usr/bin/env node
// Thin launcher: the CLI is compiled and bundled to dist/bundle/ by `npm run build` (run
// automatically by `npm ci` via `prepare`); the bundle starts in about half the CPU time of the
// unbundled dist/cli/main.js (scripts/bundle.ts says why).
import { setFlagsFromString } from 'node:v8';

// Keep V8's young generation at its initial size instead of letting it grow to 32 MB: an audit
// allocates a stream of short-lived SDK objects, and the grown young generation (plus what it
// promotes before the first full GC) was most of the peak RSS of a large account. Measured on a
// 500-trail account: peak RSS 159–164 MB → 132–142 MB, about 4% more CPU, same wall time
// (BENCHMARKS.md). The flag is read by V8 each time it would grow the space, so setting it here,
// before anything is allocated in bulk, takes effect.
setFlagsFromString('--semi-space-growth-factor=1');
// The AWS SDK's notice about its own future Node.js support is not actionable for an audit run and
// would clutter CI logs; users can opt back in by setting the variable to "false".
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/bundle/main.js');

process.exitCode = await main(process.argv.slice(2));
