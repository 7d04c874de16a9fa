import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { InputError } from '../errors.js';

/** One check file: `name` is its file name (the check id plus `.yaml`), `file` its path. */
export interface CheckFile {
  readonly name: string;
  readonly file: string;
}

const YAML = /\.ya?ml$/u;
/** A case table sits beside its check (`X.cases.yaml` next to `X.yaml`) and is never a check. */
const CASE_TABLE = /\.cases\.ya?ml$/u;

export function isCaseTableName(name: string): boolean {
  return CASE_TABLE.test(name);
}

/** The case table beside a check file: `CloudTrail.4.yaml` → `CloudTrail.4.cases.yaml`. */
export function caseTableFileOf(checkFile: string): string {
  return checkFile.replace(YAML, (extension) => `.cases${extension}`);
}

/**
 * The check files of a checks directory: its own `*.yaml` and those of its immediate
 * subdirectories (the built-in checks are grouped by service, `checks/cloudtrail/`; a user's
 * directory may be flat or grouped the same way). One level only, so pointing `--checks-dir` at a
 * large tree by mistake reads one level of folders, not the whole tree. Case tables and
 * dot-folders are skipped. Sorted by file name (numeric-aware, so CloudTrail.10 follows
 * CloudTrail.9) whatever folder a check is in: the order of checks in reports does not depend on
 * how they are grouped.
 */
export function listCheckFiles(dir: string): CheckFile[] {
  return listYamlFiles(dir).filter(({ name }) => !isCaseTableName(name));
}

/**
 * The service folder of each check (by id, which is its file name): `cloudtrail` for
 * `checks/cloudtrail/CloudTrail.1.yaml`, '' for a check directly in `dir`. The catalogue groups by it.
 */
export function checkFolders(dir: string): Map<string, string> {
  return new Map(listCheckFiles(dir).map(({ file }) => [checkIdOfFile(file), relative(dir, dirname(file))]));
}

/** The case tables in a checks directory, found where listCheckFiles finds checks. */
export function listCaseTableFiles(dir: string): CheckFile[] {
  return listYamlFiles(dir).filter(({ name }) => isCaseTableName(name));
}

function listYamlFiles(dir: string): CheckFile[] {
  const files: CheckFile[] = [];
  for (const entry of readEntries(dir)) {
    const path = join(dir, entry);
    if (YAML.test(entry)) {
      files.push({ name: entry, file: path });
    } else if (!entry.startsWith('.') && isDirectory(path)) {
      for (const inner of readEntries(path)) {
        if (YAML.test(inner)) {
          files.push({ name: inner, file: join(path, inner) });
        }
      }
    }
  }
  const collator = new Intl.Collator('en', { numeric: true });
  return files.sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.file, b.file));
}

function readEntries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    throw new InputError([{ file: dir, line: 0, column: 0, path: '', message: `cannot read checks directory: ${(error as Error).message}` }]);
  }
}

function isDirectory(path: string): boolean {
  try {
    // statSync follows a symbolic link: a linked service folder is read like a real one.
    return statSync(path).isDirectory();
  } catch {
    // A dangling link or an entry removed meanwhile is not a folder of checks.
    return false;
  }
}

/** The check id a check file must declare (its file name without the extension). */
export function checkIdOfFile(file: string): string {
  return basename(file).replace(YAML, '');
}
