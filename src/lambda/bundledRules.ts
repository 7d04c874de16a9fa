/**
 * The rules.yaml a deployment runs with, validated strictly: as the CLI validates `--rules FILE`.
 * The loader forgives unknown check ids in the package's own rules.yaml (the built-in defaults
 * with a --checks-dir of one's own), and in the Lambda zip the bundled file IS the package's
 * rules.yaml: without this, `checks: {CloudTrail.99: on}` would silently run every check. Called
 * by scripts/lambdaBundle.ts (the build fails) and at each function's cold start (it fails loudly).
 */
import { relative } from 'node:path';
import { loadCheckSet } from '../cli/pipeline.js';
import { InputError } from '../errors.js';
import { readInputFile } from '../load/inputFile.js';
import { parseRules, resolveRulesFile } from '../load/loadRules.js';

/** A rules file that is not valid for the checks beside it: the CLI's message for the same file. */
export class RulesFileError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'RulesFileError';
  }
}

/**
 * Parses `file` with every check loaded from `cwd` (the zip's checks/), under a name that is not
 * the package's own path, so nothing is forgiven. Throws the InputError of the CLI.
 */
export function checkRulesFile(file: string, cwd: string, label: string = relative(cwd, file) || file): void {
  parseRules(readInputFile(file, 'rules'), label, loadCheckSet(undefined, cwd));
}

/** The rules file checked in this process already (once per cold start). */
let checked: string | undefined;

/** The rules.yaml the handlers use (the working directory's, else the package's), checked once. */
export function checkDeploymentRules(cwd: string = process.cwd()): void {
  const file = resolveRulesFile(undefined, cwd);
  if (checked === file) {
    return;
  }
  try {
    checkRulesFile(file, cwd);
  } catch (error) {
    if (error instanceof InputError) {
      throw new RulesFileError(`the deployment's rules.yaml is invalid, nothing was audited (build the zip again with a valid file: deploy/aws/build.sh --rules FILE): ${error.message}`, { cause: error });
    }
    throw error;
  }
  checked = file;
}
