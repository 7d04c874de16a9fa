/**
 * Reading `index.json` back: checks the shape later runs rely on, so a corrupt or foreign file is
 * reported (exit 2, with its path) instead of being silently replaced by a fresh history.
 */
import { InputError } from '../errors.js';
import { isJsonObject } from '../load/jsonValue.js';
import { HISTORY_FORMAT, HISTORY_VERSION, type HistoryIndex } from './model.js';

/** `runs/<name>.json`, one path segment, no `..`: how record.ts names run files. */
const RUN_FILE = /^runs\/[^/\\]+\.json$/u;

export function historyError(file: string, path: string, message: string): InputError {
  return new InputError([{ file, line: 0, column: 0, path, message }]);
}

export function parseIndex(text: string, file: string): HistoryIndex {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw historyError(file, '', `not a trailaudit history index: not valid JSON (${(error as Error).message})`);
  }
  if (!isJsonObject(root) || root.format !== HISTORY_FORMAT) {
    throw historyError(file, 'format', `not a trailaudit history index (expected "format": "${HISTORY_FORMAT}")`);
  }
  if (root.version !== HISTORY_VERSION) {
    throw historyError(file, 'version', `history index version ${JSON.stringify(root.version)} is not supported (expected ${HISTORY_VERSION})`);
  }
  if (!Array.isArray(root.runs) || !isJsonObject(root.results) || !Array.isArray(root.fixes)) {
    throw historyError(file, '', 'a history index needs "runs" (array), "results" (object) and "fixes" (array)');
  }
  const files = new Set<string>();
  let previous = '';
  for (const [index, run] of root.runs.entries()) {
    if (!isJsonObject(run) || typeof run.file !== 'string' || typeof run.bytes !== 'number' || !isTimestamp(run.startedAt) || !isJsonObject(run.counts) || !isJsonObject(run.scope)) {
      throw historyError(file, `runs[${index}]`, 'expected a run with file, bytes, startedAt (an ISO 8601 time), scope and counts');
    }
    // Only a file directly in runs/: an entry like runs/../../x.json would make the history
    // trust (and size-check) a file outside it.
    if (!RUN_FILE.test(run.file)) {
      throw historyError(file, `runs[${index}].file`, `${JSON.stringify(run.file)} is not a run file of this history (expected runs/<name>.json)`);
    }
    // A run listed twice, or out of order, would count twice or bend the trend.
    if (files.has(run.file)) {
      throw historyError(file, `runs[${index}].file`, `${run.file} is listed twice`);
    }
    if (Date.parse(run.startedAt) < Date.parse(previous)) {
      throw historyError(file, `runs[${index}].startedAt`, `runs are listed out of order (${run.startedAt} after ${previous})`);
    }
    files.add(run.file);
    previous = run.startedAt;
  }
  for (const [key, state] of Object.entries(root.results)) {
    if (!isJsonObject(state) || !isTimestamp(state.firstSeen) || typeof state.control !== 'string' || !(state.failingSince === null || isTimestamp(state.failingSince))) {
      throw historyError(file, `results[${JSON.stringify(key)}]`, 'expected control, firstSeen (an ISO 8601 time) and failingSince (an ISO 8601 time or null)');
    }
  }
  return root as unknown as HistoryIndex;
}

function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/u.test(value) && !Number.isNaN(Date.parse(value));
}
