#!/usr/bin/env node
// Thin launcher: the CLI is compiled and bundled to dist/bundle/ by `npm run build` (run
// automatically by `npm ci` via `prepare`); the bundle starts in about half the CPU time of the
// unbundled dist/cli/main.js (scripts/bundle.ts says why).
// The AWS SDK's notice about its own future Node.js support is not actionable for an audit run and
// would clutter CI logs; users can opt back in by setting the variable to "false".
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/bundle/main.js');

process.exitCode = await main(process.argv.slice(2));
