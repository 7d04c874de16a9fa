/**
 * The one HTTP request handler every SDK client of a run shares, and its time bounds: no AWS call
 * can hold a run forever (README "Time bounds").
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';

/** Per-attempt time bounds of every AWS request (README "Time bounds" says how they were chosen). */
export interface HttpTimeouts {
  /** Establishing the TCP connection. */
  readonly connectMs: number;
  /**
   * Waiting for the response headers once the request is sent, and the longest silence allowed
   * while a response body streams in (a server that sends headers and then stalls).
   */
  readonly responseMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { connectMs: 5_000, responseMs: 20_000 };

/**
 * The SDK's Node handler with every request tied to the run's stop signal (its --timeout, or an
 * unreadable identity): when it fires, requests still open are aborted (an aborted request is
 * not retried) instead of waiting out their timeouts.
 */
class DeadlineHttpHandler extends NodeHttpHandler {
  constructor(
    options: ConstructorParameters<typeof NodeHttpHandler>[0],
    private readonly deadline: AbortSignal | undefined,
  ) {
    super(options);
  }

  override handle(request: Parameters<NodeHttpHandler['handle']>[0], options: HttpHandlerOptions = {}): ReturnType<NodeHttpHandler['handle']> {
    return super.handle(request, this.deadline === undefined || options.abortSignal !== undefined ? options : { ...options, abortSignal: this.deadline });
  }
}

/**
 * The handler every client shares. `requestTimeout` bounds the wait for response headers (it
 * only throws with `throwOnRequestTimeout`; without it the SDK merely logs a warning), and
 * `socketTimeout` the silence while a body streams (a timeout after the headers would cut long
 * but healthy downloads, such as validate-logs' log files).
 */
export function createRequestHandler(
  agents: { readonly httpAgent: HttpAgent; readonly httpsAgent: HttpsAgent },
  timeouts: HttpTimeouts,
  deadline?: AbortSignal,
): NodeHttpHandler {
  return new DeadlineHttpHandler({ ...agents, ...timeoutOptions(timeouts) }, deadline);
}

/** The handler options that bound one attempt; also given to the credential providers' clients. */
export function timeoutOptions(timeouts: HttpTimeouts) {
  return {
    connectionTimeout: timeouts.connectMs,
    requestTimeout: timeouts.responseMs,
    throwOnRequestTimeout: true,
    socketTimeout: timeouts.responseMs,
  } as const;
}
