/**
 * Build the Lambda deployment's code (deploy/aws/template.yaml): one zip, every handler in it.
 * Run after `npm run build` (it copies the check and rules caches that build makes):
 *
 *   npx tsx scripts/lambdaBundle.ts [--rules path/to/rules.yaml] [--out deploy/aws/build]
 *
 * The zip is laid out like the installed package, so that packagePath() finds checks/, schemas/,
 * rules.yaml and the caches beside the bundle: dist/lambda/index.mjs (the handlers of
 * src/lambda/index.ts with the AWS SDK and every other dependency bundled in: the SDK the runtime
 * ships is not the version tested here), checks/, schemas/, rules.yaml, package.json and
 * dist/checks.cache.json, dist/rules.cache.json. No network: esbuild and the `zip` command only.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { NODE_ESM_BUNDLE } from './esbuildNode.js';
import { checkRulesFile } from '../src/lambda/bundledRules.js';
import { InputError } from '../src/errors.js';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { rules: { type: 'string' }, out: { type: 'string' } } });
const out = resolve(values.out ?? join(root, 'deploy', 'aws', 'build'));
const staging = join(out, 'staging');
const zipFile = join(out, 'trailaudit-lambda.zip');
const rules = resolve(values.rules ?? join(root, 'rules.yaml'));

// The functions would refuse an invalid rules file at every cold start: refuse it here, with the CLI's message.
try {
  checkRulesFile(rules, root, values.rules ?? 'rules.yaml');
} catch (error) {
  if (error instanceof InputError) {
    process.stderr.write(`trailaudit: ${error.userMessage}\n`);
    process.exit(2);
  }
  throw error;
}

for (const cache of ['checks.cache.json', 'rules.cache.json']) {
  if (!existsSync(join(root, 'dist', cache))) {
    throw new Error(`dist/${cache} is missing: run \`npm run build\` first`);
  }
}
/**
 * The precompiled schema validators call require() through a createRequire of their own, which
 * esbuild cannot follow, so the CLI's bundle loads ajv's runtime helpers from node_modules at run
 * time. The zip has no node_modules: without the local require, esbuild bundles those calls.
 */
const bundleValidatorRequires: Plugin = {
  name: 'bundle-validator-requires',
  setup(context) {
    // esbuild passes the filter to Go's regexp, which has no `u` flag.
    context.onLoad({ filter: /schemaValidators\.generated\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace("import { createRequire } from 'node:module';", '').replace('const require = createRequire(import.meta.url);', '');
      if (contents === source) {
        throw new Error(`${args.path} no longer makes its own require(): update scripts/lambdaBundle.ts`);
      }
      return { contents, loader: 'ts' };
    });
  },
};

rmSync(staging, { recursive: true, force: true });
rmSync(zipFile, { force: true });
mkdirSync(join(staging, 'dist'), { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: { 'dist/lambda/index': 'src/lambda/index.ts' },
  outdir: staging,
  outExtension: { '.js': '.mjs' },
  ...NODE_ESM_BUNDLE,
  plugins: [bundleValidatorRequires],
});

cpSync(join(root, 'checks'), join(staging, 'checks'), { recursive: true });
cpSync(join(root, 'schemas'), join(staging, 'schemas'), { recursive: true });
cpSync(join(root, 'package.json'), join(staging, 'package.json'));
// rules.yaml beside the code is the one every run uses (the handlers' working directory is the zip's root).
cpSync(rules, join(staging, 'rules.yaml'));
for (const cache of ['checks.cache.json', 'rules.cache.json']) {
  cpSync(join(root, 'dist', cache), join(staging, 'dist', cache));
}

// -X: no extra file attributes; the same sources give the same zip contents.
const zipped = spawnSync('zip', ['-q', '-r', '-X', zipFile, '.'], { cwd: staging, stdio: 'inherit' });
if (zipped.error !== undefined || zipped.status !== 0) {
  throw new Error(`zip failed (${zipped.error?.message ?? `exit ${String(zipped.status)}`}): the \`zip\` command is needed`);
}
rmSync(staging, { recursive: true, force: true });
process.stdout.write(`${zipFile} (${(statSync(zipFile).size / 1024 / 1024).toFixed(1)} MB)\n`);
