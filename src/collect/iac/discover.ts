/**
 * Which files a `trailaudit scan PATH...` reads.
 *
 * Explicit files are always read, whatever their name: the user named them, so if one turns out
 * not to be a template or plan that is an error. Directories are walked recursively and only
 * candidate extensions are considered; what a candidate actually is gets decided by its content
 * (src/collect/iac/scan.ts), never by its name alone.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { InputIssue } from '../../errors.js';

/**
 * `.template` is the classic CloudFormation console extension; `.json` covers CDK's
 * `*.template.json` and `terraform show -json` output (named `plan.json`, `tfplan.json`, …).
 */
export const CANDIDATE_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json', '.template'];

/*
 * Never worth walking: dependencies, VCS metadata, Terraform's provider/module cache and
 * Terragrunt's copy of the sources (both would double-count every resource), Python virtualenvs.
 */
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.terraform',
  '.terragrunt-cache',
  '.venv',
  '__pycache__',
]);

export interface DiscoveredFile {
  /** Absolute path. */
  readonly path: string;
  /** Named on the command line (not found by walking a directory). */
  readonly explicit: boolean;
}

export interface Discovery {
  readonly files: readonly DiscoveredFile[];
  /** Paths that do not exist or cannot be listed. */
  readonly issues: readonly InputIssue[];
}

function isCandidate(name: string): boolean {
  const lower = name.toLowerCase();
  return CANDIDATE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/**
 * Inside a CDK cloud assembly only the synthesized templates matter: `manifest.json`,
 * `tree.json`, `*.assets.json` describe the assembly, and `asset.*` folders hold Lambda code and
 * other bundles, which can be large and contain JSON of every shape.
 */
function cdkOutWants(name: string, isDirectory: boolean): boolean {
  if (isDirectory) {
    return !name.startsWith('asset.');
  }
  return name.toLowerCase().endsWith('.template.json');
}

function walk(directory: string, inCdkOut: boolean, files: DiscoveredFile[], issues: InputIssue[]): void {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    issues.push({ file: directory, line: 0, column: 0, path: '', message: `cannot list directory: ${(error as Error).message}` });
    return;
  }
  for (const entry of entries) {
    const path = join(directory, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      // Symlinked files are read; symlinked directories are not followed, so a link cycle
      // (or a link to `/`) cannot make a scan endless.
      try {
        isFile = statSync(path).isFile();
      } catch {
        isFile = false;
      }
      isDirectory = false;
    }
    if (isDirectory) {
      if (SKIPPED_DIRECTORIES.has(entry.name) || (inCdkOut && !cdkOutWants(entry.name, true))) {
        continue;
      }
      walk(path, inCdkOut || entry.name === 'cdk.out', files, issues);
    } else if (isFile && isCandidate(entry.name) && (!inCdkOut || cdkOutWants(entry.name, false))) {
      files.push({ path, explicit: false });
    }
  }
}

/**
 * Expand the command-line paths into the files to read: deduplicated, sorted by path so that
 * reports and exit codes do not depend on directory listing order.
 */
export function discover(paths: readonly string[], cwd: string): Discovery {
  const found: DiscoveredFile[] = [];
  const issues: InputIssue[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    let stats;
    try {
      stats = statSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      issues.push({ file: given, line: 0, column: 0, path: '', message: code === 'ENOENT' ? 'no such file or directory' : (error as Error).message });
      continue;
    }
    if (stats.isDirectory()) {
      walk(path, basename(path) === 'cdk.out', found, issues);
    } else {
      found.push({ path, explicit: true });
    }
  }
  // An explicit mention wins over the same file found in a directory walk.
  const byPath = new Map<string, DiscoveredFile>();
  for (const file of found) {
    const seen = byPath.get(file.path);
    if (seen === undefined || (file.explicit && !seen.explicit)) {
      byPath.set(file.path, file);
    }
  }
  const files = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, issues };
}
