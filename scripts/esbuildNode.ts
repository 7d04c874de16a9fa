/**
 * esbuild settings shared by the CLI bundle (scripts/bundle.ts) and the Lambda zip
 * (scripts/lambdaBundle.ts): ES modules for Node 20, the SDK's ES module builds, and minified
 * whitespace and syntax with readable identifiers and source maps (bundle.ts says why).
 */
import type { BuildOptions } from 'esbuild';

export const NODE_ESM_BUNDLE: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  // Nothing may need more than Node 20 (DESIGN §11), the Lambda runtime (nodejs22.x) included.
  target: 'node20',
  // The SDK's ES module builds: no CommonJS wrappers, and unused exports are dropped.
  mainFields: ['module', 'main'],
  // Bundled CommonJS (commander, yaml's dependents, xmlbuilder2...) may call require() for Node
  // built-ins, which an ES module does not have.
  banner: { js: "import { createRequire as __trailauditCreateRequire } from 'node:module';\nconst require = __trailauditCreateRequire(import.meta.url);" },
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
};
