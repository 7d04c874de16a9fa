/**
 * Naming a JSON value in an error message ("expected a string, found an array"), for the readers
 * of files trailaudit wrote itself (a baseline, a report read back for Security Hub).
 */
import { TrailauditError } from '../errors.js';

export type JsonObject = Record<string, unknown>;

/** A file trailaudit wrote that cannot be read back: `path` is a JSONPath into it. Exit 2. */
export class JsonFileError extends TrailauditError {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}: ${path}: ${problem}`);
    this.name = 'JsonFileError';
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeJsonValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (value === undefined) {
    return 'nothing (the field is missing)';
  }
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
