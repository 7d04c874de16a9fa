/**
 * Endpoints that have never answered. Once every attempt of a call to a (service, Region)
 * endpoint timed out and nothing sent there has been answered, later calls to it fail at once
 * (UNKNOWN, reason `timeout`) instead of each waiting out its own attempts: an endpoint that
 * accepts connections and never answers would otherwise hold a run for as many rounds of
 * timeouts as calls queue behind the concurrency limits. One answer of any kind (an error
 * included) proves the endpoint alive, and it is never skipped after that.
 */
import { deadlineBehind, isTimeoutError } from './errors.js';

export class EndpointHealth {
  private readonly answered = new Set<string>();
  /** endpoint → the call that timed out there. */
  private readonly silent = new Map<string, string>();

  record(endpoint: string, action: string, error: unknown): void {
    if (error === undefined || !isTimeoutError(error)) {
      this.answered.add(endpoint);
      this.silent.delete(endpoint);
    } else if (deadlineBehind(error) === undefined && !this.answered.has(endpoint)) {
      // The run's deadline says nothing about the endpoint.
      this.silent.set(endpoint, action);
    }
  }

  /** The call that found the endpoint silent, if it never answered anything. */
  silentCall(endpoint: string): string | undefined {
    return this.silent.get(endpoint);
  }
}
