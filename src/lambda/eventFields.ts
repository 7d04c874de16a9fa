/**
 * The fields a handler's event (or a run's execution input) may carry. A field nobody reads is
 * refused, naming the accepted ones: `{"regionz": [...]}` would otherwise start a full audit of
 * every Region without a word.
 */
import { SettingError } from './settings.js';

/** Settings of the deployment that an execution cannot change, and why (they need other permissions). */
const DEPLOYMENT_ONLY: Readonly<Record<string, string>> = {
  history:
    'history is a deployment parameter (template HistoryPrefix, TRAILAUDIT_HISTORY on the Reduce function): the Reduce role may write that prefix only',
};

export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws a SettingError for a non-object, or an object with a field not in `accepted`. */
export function checkFields(value: unknown, what: string, accepted: readonly string[]): void {
  if (value === undefined || value === null) {
    return;
  }
  if (!isPlainObject(value)) {
    throw new SettingError(`${what} must be a JSON object, got ${JSON.stringify(value)}`);
  }
  const unknown = Object.keys(value).filter((key) => !accepted.includes(key));
  if (unknown.length === 0) {
    return;
  }
  const reserved = unknown.filter((key) => DEPLOYMENT_ONLY[key] !== undefined);
  if (reserved.length > 0) {
    throw new SettingError(`${what}: ${reserved.map((key) => DEPLOYMENT_ONLY[key] ?? key).join('; ')}`);
  }
  throw new SettingError(`${what}: unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((key) => JSON.stringify(key)).join(', ')}; accepted: ${accepted.join(', ')}`);
}
