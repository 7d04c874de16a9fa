/**
 * What the tester's modules share: the fixed identity of the account a case describes, the
 * compact-facts shape, the error for a malformed table or case, and the `{$unknown: reason}`
 * shorthand.
 */
import { UNKNOWN_REASONS, unknown, type Maybe, type PublicAccessBlock, type UnknownReason } from '../facts/model.js';

export const ACCOUNT_ID = '123456789012';
export const PARTITION = 'aws';
/** Fixed "today" so that evaluation never depends on the clock. */
export const TODAY = '2026-06-15';
export const DEFAULT_BUCKET = 'trail-logs';

export type Compact = Readonly<Record<string, unknown>>;

/**
 * A malformed case table or case. `path` is where in the table's YAML the problem is (as far as
 * it is known), so the command can give file, line and column.
 */
export class TableError extends Error {
  override readonly name = 'TableError';
  readonly path: readonly (string | number)[];

  constructor(message: string, path: readonly (string | number)[] = []) {
    super(message);
    this.path = path;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireKeys(
  where: string,
  value: Record<string, unknown>,
  allowed: readonly string[],
  required: readonly string[],
  path: readonly (string | number)[] = [],
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new TableError(`${where}: unexpected key "${key}" (allowed: ${allowed.join(', ')})`, [...path, key]);
    }
  }
  for (const key of required) {
    if (!(key in value)) {
      throw new TableError(`${where}: missing "${key}"`, path);
    }
  }
}

export interface BuildContext {
  readonly regions: readonly string[];
  readonly accountPublicAccessBlock: Maybe<PublicAccessBlock | null>;
}

export function stringField(where: string, value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new TableError(`${where}: ${name} must be a non-empty string`);
  }
  return value;
}

/** Replace every `{$unknown: reason}` shorthand by a real Unknown marker. */
export function expandUnknowns(value: unknown, where = 'facts'): unknown {
  if (Array.isArray(value)) {
    return value.map((entry, index) => expandUnknowns(entry, `${where}[${index}]`));
  }
  if (!isRecord(value)) {
    return value;
  }
  if ('$unknown' in value) {
    const reason = value.$unknown;
    if (typeof reason !== 'string' || !UNKNOWN_REASONS.includes(reason as UnknownReason)) {
      throw new TableError(`${where}: $unknown must be one of ${UNKNOWN_REASONS.join(', ')}`);
    }
    requireKeys(where, value, ['$unknown', 'operation', 'message'], []);
    const message = typeof value.message === 'string' ? value.message : `(test) ${where} could not be read: ${reason}.`;
    return unknown(reason as UnknownReason, message, typeof value.operation === 'string' ? { operation: value.operation } : {});
  }
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, expandUnknowns(entry, `${where}.${key}`)]));
}
