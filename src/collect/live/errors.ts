/**
 * Turning AWS failures into facts.
 *
 * Every failed call becomes an {@link UnknownDetail} (reason + a sentence a person can act on) that
 * is stored where the fact would have been, so a denied or throttled call shows up as UNKNOWN in
 * the report instead of silently disappearing (PEERS §4: errors swallowed, AccessDenied read as
 * "public" or as "no trails"). Only a missing identity is fatal: {@link CollectionError}.
 */
import type { Unknown, UnknownDetail, UnknownReason } from '../../facts/model.js';
import { ORGANIZATION_OPERATIONS, type IamAction } from './permissions.js';
import { TrailauditError } from '../../errors.js';

/** Fatal: nothing can be collected (no credentials, account identity or region list unreadable). */
export class CollectionError extends TrailauditError {
  override get userMessage(): string {
    return `cannot audit: ${this.message}`;
  }

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CollectionError';
  }
}

/**
 * The run's --timeout passed before the call was answered (or started). Carried as the abort
 * reason of the run's deadline signal and classified as `timeout`.
 */
export class DeadlineReached extends Error {
  constructor(readonly seconds: number) {
    super(`the run's --timeout of ${seconds} s passed before this call was answered`);
    this.name = 'DeadlineReached';
  }
}

/**
 * Not sent: an earlier call to the same endpoint got no answer on any attempt, and nothing sent
 * there has been answered (see EndpointHealth). Classified as `timeout`.
 */
export class EndpointSilent extends Error {
  constructor(readonly earlierCall: string) {
    super(`not sent: ${earlierCall} to the same endpoint got no answer in time`);
    this.name = 'EndpointSilent';
  }
}

/** What a call was for; used to word the message. */
export interface CallContext {
  readonly action: IamAction;
  readonly region: string;
  /** Human description of the resource, e.g. `trail arn:aws:cloudtrail:…` or `bucket my-logs`. */
  readonly resource?: string;
  /** Set when every client points at an emulator (it changes what a bare HTTP 500 probably means). */
  readonly endpointUrl?: string;
}

const ACCESS_DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
]);

// The SDK's own list of throttling codes, plus S3's SlowDown; once one of these escapes the
// adaptive retry strategy, the retries are exhausted.
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'PriorRequestNotComplete',
]);

// In a region that is not enabled for the account, STS-issued credentials are unknown there;
// the identity itself was verified with sts:GetCallerIdentity before any regional call.
const REGION_DISABLED_CODES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'AuthFailure',
  'OptInRequired',
]);

const NOT_FOUND_CODES = new Set([
  'NoSuchBucket',
  'TrailNotFoundException',
  'EventDataStoreNotFoundException',
]);

const UNSUPPORTED_CODES = new Set([
  'OperationNotPermittedException',
  'UnsupportedOperationException',
  'NotImplemented',
]);

interface ErrorShape {
  readonly name?: unknown;
  readonly Code?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly attempts?: unknown };
  readonly $response?: { readonly headers?: Record<string, unknown> };
}

function shape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

/** The AWS error code of an SDK error (`AccessDenied`, `NoSuchBucketPolicy`, …), or undefined. */
export function errorCode(error: unknown): string | undefined {
  const e = shape(error);
  // S3 errors carry the XML <Code> in `Code`; JSON services put it in `name`.
  if (typeof e.Code === 'string' && e.Code !== '') {
    return e.Code;
  }
  if (typeof e.name === 'string' && e.name !== '' && e.name !== 'Error') {
    return e.name;
  }
  if (typeof e.code === 'string' && e.code !== '') {
    return e.code;
  }
  return undefined;
}

/**
 * A refusal by IAM: one of AWS's denial codes, or HTTP 403 whatever the body (an emulator or a
 * proxy may answer a JSON service's denial in XML, which the SDK cannot parse into a code).
 */
export function isAccessDenied(error: unknown): boolean {
  const code = errorCode(error);
  return (code !== undefined && ACCESS_DENIED_CODES.has(code)) || httpStatus(error) === 403;
}

export function httpStatus(error: unknown): number | undefined {
  const status = shape(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function attempts(error: unknown): number | undefined {
  const value = shape(error).$metadata?.attempts;
  return typeof value === 'number' ? value : undefined;
}

function errorMessage(error: unknown): string {
  const message = shape(error).message;
  const text = typeof message === 'string' ? message : String(error);
  // Keep messages one line; SDK deserialisation errors append a second paragraph.
  return text.split('\n')[0]?.trim() ?? '';
}

// Node's socket-level timeout codes; the SDK's own timeouts (connect, response headers, idle
// socket) are errors named TimeoutError.
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);
// The SDK's HTTP handler also names these TimeoutError (so that they are retried), but an
// endpoint that closed the connection answered at once: not "no answer in time".
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE']);

/**
 * The run's deadline behind an error: the error itself (the scheduler fails calls with it), or the
 * cause of the AbortError with which the SDK's handler rejects a request the deadline aborted
 * (validate-logs has no scheduler; its aborted reads arrive that way).
 */
export function deadlineBehind(error: unknown): DeadlineReached | undefined {
  if (error instanceof DeadlineReached) {
    return error;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof DeadlineReached ? cause : undefined;
}

/** A request that got no answer in time (our timeouts, the socket's, or the run's deadline). */
export function isTimeoutError(error: unknown): boolean {
  if (deadlineBehind(error) !== undefined) {
    return true;
  }
  const e = shape(error);
  if (typeof e.code === 'string' && CLOSED_CODES.has(e.code)) {
    return false;
  }
  return e.name === 'TimeoutError' || (typeof e.code === 'string' && TIMEOUT_CODES.has(e.code));
}

export function isHtmlResponse(error: unknown): boolean {
  const headers = shape(error).$response?.headers ?? {};
  const type = headers['content-type'] ?? headers['Content-Type'];
  return typeof type === 'string' && type.includes('text/html');
}

function serviceName(action: IamAction): string {
  const service = action.slice(0, action.indexOf(':'));
  switch (service) {
    case 'cloudtrail':
      return 'CloudTrail';
    case 's3':
      return 'S3';
    case 'ec2':
      return 'EC2';
    case 'sts':
      return 'STS';
    default:
      return service;
  }
}

/** Classify a failed call. Total: every input gives a reason and a message. */
export function classifyError(error: unknown, context: CallContext): UnknownDetail {
  const code = errorCode(error);
  const status = httpStatus(error);
  const { action, region } = context;
  const what = context.resource === undefined ? '' : ` for ${context.resource}`;
  const where = `in ${region}`;
  const detail = (reason: UnknownReason, message: string): UnknownDetail => ({
    reason,
    message,
    operation: action,
    region,
  });
  const cause = `${code ?? (status === undefined ? 'error' : `HTTP ${status}`)}: ${errorMessage(error)}`;

  const deadline = deadlineBehind(error);
  if (deadline !== undefined) {
    return detail('timeout', `${action}${what} ${where} was not answered before the run's --timeout of ${deadline.seconds} s passed.`);
  }
  if (error instanceof EndpointSilent) {
    return detail(
      'timeout',
      `${action}${what} ${where} was not sent: ${error.earlierCall} ${where} got no answer in time on any attempt, and nothing sent to that endpoint has been answered.`,
    );
  }
  if (isTimeoutError(error)) {
    const tries = attempts(error);
    const how = errorMessage(error)
      .replace(/^@smithy\/node-http-handler - (\[ERROR\] )?/u, '')
      .replace(/\.$/u, '');
    return detail(
      'timeout',
      `${action}${what} ${where} got no answer in time${tries === undefined ? '' : ` (${tries} attempts)`}: ${how}; the endpoint may be unreachable or overloaded, re-run later.`,
    );
  }
  if (code !== undefined && REGION_DISABLED_CODES.has(code)) {
    return detail(
      'region_disabled',
      `Region ${region} is not enabled for this account (${action} answered ${code}); enable the region or leave it out of --regions.`,
    );
  }
  if (isAccessDenied(error)) {
    return detail(
      'access_denied',
      `Access denied calling ${action}${what} ${where}; grant ${action} to the auditing identity (see \`trailaudit iam-policy${Object.hasOwn(ORGANIZATION_OPERATIONS, action) ? ' --org' : ''}\`).`,
    );
  }
  if ((code !== undefined && THROTTLING_CODES.has(code)) || status === 429) {
    const tries = attempts(error);
    return detail(
      'throttled',
      `${action}${what} ${where} was still throttled after ${tries ?? 'several'} attempts; re-run later or with a lower --concurrency.`,
    );
  }
  if (code !== undefined && NOT_FOUND_CODES.has(code)) {
    return detail('not_found', `${action}${what} ${where} found nothing: ${cause}.`);
  }
  if ((code !== undefined && UNSUPPORTED_CODES.has(code)) || status === 501) {
    return detail(
      'unsupported',
      `${serviceName(action)} ${where} does not support ${action}${what} for this account: ${cause}.`,
    );
  }
  if (status !== undefined && status >= 500 && isHtmlResponse(error)) {
    // An AWS endpoint answers with a JSON or XML error document; an HTML error page means the
    // endpoint is something else. moto answers operations it has not implemented this way.
    const hint =
      context.endpointUrl === undefined
        ? ''
        : ` The endpoint ${context.endpointUrl} may not implement this operation (emulators such as moto answer unimplemented calls this way).`;
    return detail(
      'error',
      `${action}${what} ${where} failed: the endpoint answered HTTP ${status} with an HTML page instead of an AWS error.${hint}`,
    );
  }
  const socketCode = shape(error).code;
  if (typeof socketCode === 'string' && CLOSED_CODES.has(socketCode)) {
    return detail(
      'error',
      `${action}${what} ${where} failed: the endpoint closed the connection without answering (${socketCode}${attempts(error) === undefined ? '' : `, ${String(attempts(error))} attempts`}).`,
    );
  }
  return detail('error', `${action}${what} ${where} failed (${cause}).`);
}

/** Store a failure where the fact would have been. */
export function asUnknown(detail: UnknownDetail): Unknown {
  return { $unknown: detail };
}
