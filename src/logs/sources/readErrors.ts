/**
 * Turning a failed read into a verdict input: a missing object is evidence (`not_found`), anything
 * else (denied, throttled, network) is not, and leaves the file unverified.
 * Error codes are read with the live collector's helpers so both commands agree on what a code is.
 */
import { ObjectNotFoundError, ObjectReadError } from '../chain/source.js';
import { errorCode, httpStatus, isTimeoutError } from '../../collect/live/errors.js';

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'ENOENT']);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'AllAccessDisabled', 'EACCES', 'EPERM', 'KMS.AccessDeniedException']);
const THROTTLED = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);

export function toReadError(error: unknown, what: string, action: string): Error {
  const code = errorCode(error);
  const status = httpStatus(error);
  if ((code !== undefined && NOT_FOUND.has(code)) || status === 404) {
    return new ObjectNotFoundError(what, { cause: error });
  }
  const detail = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
  if ((code !== undefined && DENIED.has(code)) || status === 403) {
    return new ObjectReadError('access_denied', `access denied reading ${what}; grant ${action} (${code ?? 'HTTP 403'})`, { cause: error });
  }
  if ((code !== undefined && THROTTLED.has(code)) || status === 429 || status === 503) {
    return new ObjectReadError('throttled', `${what} was still throttled after retries (${code ?? `HTTP ${status ?? '?'}`}); re-run with a lower --concurrency`, { cause: error });
  }
  if (isTimeoutError(error)) {
    return new ObjectReadError('timeout', `${what} was not answered in time, after retries (${detail}); re-run later or with a lower --concurrency`, { cause: error });
  }
  return new ObjectReadError('error', `reading ${what} failed: ${code ?? ''}${code === undefined ? '' : ': '}${detail}`, { cause: error });
}
