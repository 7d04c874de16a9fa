import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryToken } from '@smithy/types';
import { httpStatus, isHtmlResponse, isTimeoutError } from './errors.js';

/**
 * A failure no retry can fix: HTTP 501, or HTTP 500 answered with an HTML page instead of an AWS
 * error document. AWS itself answers 500 with a JSON/XML `InternalFailure`, which is retried; an
 * HTML 500 comes from an endpoint that does not implement the operation (emulators such as moto
 * answer unimplemented calls so), and retrying it only holds up the audit for seconds.
 * Gateway pages (502/503/504) stay retryable: those can be transient.
 */
export function isPermanentServerError(error: unknown): boolean {
  const status = httpStatus(error);
  return status === 501 || (status === 500 && isHtmlResponse(error));
}

/**
 * Attempts for a call that timed out, first try included. The SDK retries timeouts like any
 * transient error; but each timed-out attempt costs a whole response timeout, so a dead endpoint
 * would hold a call for maxAttempts (5) of them. Three attempts still ride out a lost packet or
 * one stalled connection, and bound a call to an endpoint that never answers (README "Time bounds").
 */
export const DEFAULT_TIMEOUT_ATTEMPTS = 3;

/**
 * The SDK's adaptive strategy (client-side rate limiting, backoff on throttling), except that
 * permanent server errors fail at once and timeouts are retried fewer times.
 */
export class AuditRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'adaptive';
  private readonly inner: AdaptiveRetryStrategy;

  constructor(
    maxAttempts: number,
    private readonly timeoutAttempts: number = Math.min(maxAttempts, DEFAULT_TIMEOUT_ATTEMPTS),
  ) {
    this.inner = new AdaptiveRetryStrategy(() => Promise.resolve(maxAttempts));
  }

  acquireInitialRetryToken(retryTokenScope: string): Promise<RetryToken> {
    return this.inner.acquireInitialRetryToken(retryTokenScope);
  }

  refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    if (isPermanentServerError(errorInfo.error)) {
      // Rejecting makes the SDK's retry middleware give up and surface the original error.
      return Promise.reject(errorInfo.error ?? new Error('permanent server error'));
    }
    if (isTimeoutError(errorInfo.error) && token.getRetryCount() + 1 >= this.timeoutAttempts) {
      return Promise.reject(errorInfo.error ?? new Error('request timed out'));
    }
    return this.inner.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.inner.recordSuccess(token);
  }
}
