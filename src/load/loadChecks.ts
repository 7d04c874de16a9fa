import { InputError, type InputIssue } from '../errors.js';
import { OPERATORS } from '../engine/operators.js';
import type { CheckDefinition, Condition } from '../engine/types.js';
import { checkCacheKey, type CheckCache } from './checkCache.js';
import { checkIdOfFile, listCheckFiles } from './checkFiles.js';
import { missingPermissions, permissionsForNeeds } from './checkPermissions.js';
import { factPathProblems } from './factPaths.js';
import { readInputFile } from './inputFile.js';
import { packagePath } from './packagePaths.js';
import { parameterProblem } from './parameters.js';
import { schemaIssues, schemaValidator } from './schemaValidation.js';
import { parseYaml, type LocatedDocument } from './yamlDocument.js';

export const DEFAULT_CHECKS_DIR = packagePath('checks');

/**
 * Load and validate every check in `dir` (its `*.yaml` and those of its service folders, see
 * checkFiles.ts; case tables excluded); all problems in all files are reported at once.
 * A file found in `cache` (same name and bytes, see checkCache.ts) is not parsed again.
 */
export function loadChecks(dir: string = DEFAULT_CHECKS_DIR, cache: CheckCache = new Map()): CheckDefinition[] {
  const files = listCheckFiles(dir);
  if (files.length === 0) {
    // Said here: otherwise rules.yaml would be blamed for naming checks that do not exist.
    throw new InputError([{ file: dir, line: 0, column: 0, path: '', message: `no check files (*.yaml) in ${dir}` }]);
  }
  const issues: InputIssue[] = [];
  const checks: CheckDefinition[] = [];
  const fileOfId = new Map<string, string>();
  for (const { name, file } of files) {
    try {
      const text = readInputFile(file, 'check');
      const cached = cache.get(checkCacheKey(name, text));
      const check = cached === undefined ? loadCheckText(text, file) : deepFreeze(cached);
      const previous = fileOfId.get(check.id);
      if (previous !== undefined) {
        issues.push({ file, line: 1, column: 1, path: 'id', message: `duplicate check id ${check.id} (also in ${previous})` });
      }
      fileOfId.set(check.id, file);
      checks.push(check);
    } catch (error) {
      if (error instanceof InputError) {
        issues.push(...error.issues);
      } else {
        throw error;
      }
    }
  }
  if (issues.length > 0) {
    throw new InputError(issues);
  }
  return checks;
}

export function loadCheckText(text: string, file: string): CheckDefinition {
  const document = parseYaml(text, file);
  const validate = schemaValidator('check.schema.json');
  if (!validate(document.data)) {
    throw new InputError(schemaIssues(document, validate.errors ?? []));
  }
  const raw = document.data as Omit<CheckDefinition, 'parameters' | 'permissions'> & {
    parameters?: CheckDefinition['parameters'];
    permissions?: CheckDefinition['permissions'];
  };
  // Permissions left out are derived from needs; listed ones must cover them (checkPermissions.ts).
  const check: CheckDefinition = { ...raw, parameters: raw.parameters ?? {}, permissions: raw.permissions ?? permissionsForNeeds(raw.needs) };
  const issues = semanticIssues(check, document);
  const missing = missingPermissions(check.needs, check.permissions);
  if (missing.length > 0) {
    issues.push({
      file,
      ...document.locate(['permissions']),
      path: 'permissions',
      message: `lacks ${missing.join(', ')}, which its needs (${check.needs.join(', ')}) make the collector call (list them, or leave permissions out to derive them)`,
    });
  }
  if (issues.length > 0) {
    throw new InputError(issues);
  }
  return deepFreeze(check);
}

function semanticIssues(check: CheckDefinition, document: LocatedDocument): InputIssue[] {
  const issues: InputIssue[] = [];
  const issue = (path: (string | number)[], message: string): void => {
    issues.push({ file: document.file, ...document.locate(path), path: path.join('.'), message });
  };
  const stem = checkIdOfFile(document.file);
  if (stem !== check.id) {
    issue(['id'], `the file name must equal the id: expected ${stem}, got ${check.id}`);
  }
  for (const [name, definition] of Object.entries(check.parameters)) {
    const problem = parameterProblem(definition, definition.default);
    if (problem !== null) {
      issue(['parameters', name, 'default'], problem);
    }
  }
  const visit = (condition: Condition, path: (string | number)[]): void => {
    if ('all' in condition) {
      condition.all.forEach((child, index) => {
        visit(child, [...path, 'all', index]);
      });
    } else if ('any' in condition) {
      condition.any.forEach((child, index) => {
        visit(child, [...path, 'any', index]);
      });
    } else if ('not' in condition) {
      visit(condition.not, [...path, 'not']);
    } else if ('some' in condition || 'every' in condition || 'none' in condition) {
      const key = 'some' in condition ? 'some' : 'every' in condition ? 'every' : 'none';
      const quantified = 'some' in condition ? condition.some : 'every' in condition ? condition.every : condition.none;
      if (quantified.where !== undefined) {
        visit(quantified.where, [...path, key, 'where']);
      }
      if (quantified.match !== undefined) {
        visit(quantified.match, [...path, key, 'match']);
      }
    } else {
      const takesValue = OPERATORS[condition.op].takesValue;
      const hasValue = condition.value !== undefined || condition.ref !== undefined;
      if (takesValue && !hasValue) {
        issue(path, `operator "${condition.op}" needs a "value" or a "ref"`);
      }
      if (!takesValue && hasValue) {
        issue(path, `operator "${condition.op}" takes no "value" or "ref"`);
      }
      if (condition.value !== undefined && condition.ref !== undefined) {
        issue(path, 'give either "value" or "ref", not both');
      }
      for (const name of parameterReferences(condition.value)) {
        if (!(name in check.parameters)) {
          issue([...path, 'value'], `unknown parameter "${name}" (declare it under parameters)`);
        }
      }
      if (condition.op === 'matches' && typeof condition.value === 'string') {
        try {
          new RegExp(condition.value, 'u');
        } catch (error) {
          issue([...path, 'value'], `invalid regular expression: ${(error as Error).message}`);
        }
      }
    }
  };
  if (check.select !== undefined) {
    visit(check.select, ['select']);
  }
  if (check.where !== undefined) {
    visit(check.where, ['where']);
  }
  visit(check.assert, ['assert']);
  check.notes?.forEach((note, index) => {
    visit(note.when, ['notes', index, 'when']);
  });
  check.evidence.forEach((spec, index) => {
    if (typeof spec !== 'string' && spec.where !== undefined) {
      visit(spec.where, ['evidence', index, 'where']);
    }
  });
  // Fact paths, evidence and template placeholders (the parameters messages name among them).
  // A condition reached again through a YAML alias gives the same problem at the same position: once.
  const seen = new Set<string>();
  for (const problem of factPathProblems(check)) {
    const position = document.locate(problem.path);
    const key = `${position.line}:${position.column}|${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push({ file: document.file, ...position, path: problem.path.join('.'), message: problem.message });
    }
  }
  return issues;
}

function parameterReferences(value: unknown): string[] {
  if (typeof value === 'string') {
    return [...value.matchAll(/\{\{\s*param\.([\w-]+)\s*\}\}/gu)].map((match) => match[1] ?? '');
  }
  if (Array.isArray(value)) {
    return value.flatMap((entry) => parameterReferences(entry));
  }
  return [];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
    Object.freeze(value);
  }
  return value;
}
