/**
 * Build step: bundle the CLI into dist/bundle/ with esbuild, which bin/trailaudit.js runs.
 *
 * Loading the unbundled CLI resolved, read and compiled several hundred module files (most of
 * them the AWS SDK's CommonJS, which Node's ES module loader also scans for exports and for
 * module syntax): about 0.3 s of CPU before the first AWS request. One bundle per lazily loaded
 * part (code splitting keeps the dynamic imports lazy: the SDK is loaded only by `audit`, the
 * EC2 client only to discover Regions) removes that cost. dist/ (tsc) stays as it was for
 * anything importing the modules directly.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { NODE_ESM_BUNDLE } from './esbuildNode.js';

const root = resolve(import.meta.dirname, '..');
/** Two levels below the package root, like dist/<dir>/, so packagePath() finds checks/ and schemas/. */
const outdir = join(root, 'dist', 'bundle');

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir,
  // Its whitespace and syntax minification cut the bundle from 4.7 to 3.3 MB, and V8 parses every
  // byte of a module before running it (about 65 ms of an audit's start-up went to compiling the
  // chunks). Identifiers keep their names, so stack traces stay readable; source maps map back.
  ...NODE_ESM_BUNDLE,
  splitting: true,
});
