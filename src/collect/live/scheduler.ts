/**
 * Runs every API call: concurrency limits, call counting and progress.
 *
 * Two limits apply. A global cap bounds requests in flight for the whole audit; a per-(service,
 * region) cap keeps one busy endpoint (a region with hundreds of trails, one S3 region) from
 * taking every slot and from being hammered into throttling. A call first waits for its endpoint's
 * slot and only then for a global one, so calls queued behind a hot endpoint never hold global
 * slots that other regions could use.
 *
 * Global slots go to the call with the longest chain of dependent calls still behind it (the
 * bucket path is location → configuration → policy status → Block Public Access), so the
 * audit's critical path is not queued behind one-shot trail detail calls.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import PQueue from 'p-queue';
import type { UnknownDetail } from '../../facts/model.js';
import { EndpointHealth } from './endpointHealth.js';
import { classifyError, EndpointSilent, type CallContext } from './errors.js';
import { serviceOf, type IamAction } from './permissions.js';

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: UnknownDetail; readonly cause: unknown };

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

export interface SchedulerOptions {
  readonly concurrency: number;
  readonly perEndpointConcurrency: number;
  readonly endpointUrl?: string;
  readonly onProgress?: (progress: Progress) => void;
  /**
   * Aborted when the run must stop (its --timeout passed, or its identity could not be read):
   * calls not answered by then fail at once with the signal's reason, calls not started are
   * never sent.
   */
  readonly stop?: AbortSignal;
}

/** Dependent round trips still to come after this call (higher runs first). */
const PRIORITY: Readonly<Partial<Record<IamAction, number>>> = {
  'sts:GetCallerIdentity': 4,
  'ec2:DescribeRegions': 4,
  'cloudtrail:DescribeTrails': 4,
  's3:ListAllMyBuckets': 4,
  's3:GetBucketLocation': 3,
  's3:GetBucketAcl': 2,
  's3:GetBucketPolicy': 2,
  // A public policy is followed by the bucket's Block Public Access; nothing follows those two.
  's3:GetBucketPolicyStatus': 2,
  's3:GetBucketLogging': 2,
  's3:GetAccountPublicAccessBlock': 2,
  'cloudtrail:ListEventDataStores': 2,
  // A key's policy and rotation are asked by the ARN DescribeKey resolves.
  'kms:DescribeKey': 2,
  // Alarm topics are asked for once a Region's filters and alarms are both in.
  'logs:DescribeMetricFilters': 2,
  'cloudwatch:DescribeAlarms': 2,
};

/**
 * Services whose read APIs are control-plane APIs with low per-region rate limits get the
 * per-endpoint cap; S3 bucket-configuration reads are served at much higher rates, so capping
 * them per region would only serialise the bucket path (most log buckets live in one region).
 */
const UNCAPPED_SERVICES: ReadonlySet<string> = new Set(['s3']);

// A function, not an inline test: TypeScript would otherwise keep `aborted` narrowed to false
// across the awaits in between.
function isStopped(stop: AbortSignal | undefined): boolean {
  return stop?.aborted === true;
}

/** The call's result, or a rejection with the stop's reason as soon as the stop is aborted. */
function untilStopped<T>(call: Promise<T>, stop: AbortSignal | undefined): Promise<T> {
  if (stop === undefined) {
    return call;
  }
  let onAbort = (): void => undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(stop.reason as Error);
    };
    stop.addEventListener('abort', onAbort, { once: true });
  });
  // The abandoned call still settles later (its request is aborted too); nobody waits for it.
  call.catch(() => undefined);
  return Promise.race([call, stopped]).finally(() => {
    stop.removeEventListener('abort', onAbort);
  });
}

/** What a reader needs of the scheduler: one logical call, never rejecting (an Outcome instead). */
export interface CallScheduler {
  call<T>(context: Omit<CallContext, 'endpointUrl'>, send: () => Promise<T>): Promise<Outcome<T>>;
}

/** What every account's view of one audit's scheduler shares: the global cap, the counts, progress. */
interface SharedState {
  readonly global: PQueue;
  readonly endpoints: Map<string, LimitFunction>;
  readonly counts: Map<IamAction, number>;
  readonly health: EndpointHealth;
  done: number;
  total: number;
  lastLaunch: Promise<void>;
}

export class ApiScheduler implements CallScheduler {
  private readonly shared: SharedState;

  /**
   * @param account the account whose calls this view makes (an organization audit's
   *   {@link forAccount}); undefined for a single-account audit.
   */
  constructor(
    private readonly options: SchedulerOptions,
    shared?: SharedState,
    private readonly account?: string,
  ) {
    this.shared = shared ?? {
      global: new PQueue({ concurrency: Math.max(1, options.concurrency) }),
      endpoints: new Map(),
      counts: new Map(),
      health: new EndpointHealth(),
      done: 0,
      total: 0,
      lastLaunch: Promise.resolve(),
    };
  }

  /**
   * The same scheduler (global cap, call counts, progress) for one account's calls, with that
   * account's own per-endpoint limits: AWS rate limits are per account, service and Region, so a
   * throttled member must not hold the slots of the others.
   */
  forAccount(accountId: string): ApiScheduler {
    return new ApiScheduler(this.options, this.shared, accountId);
  }

  private endpointLimit(action: IamAction, region: string): LimitFunction {
    const service = serviceOf(action);
    const key = this.endpointKey(service, region);
    const endpoints = this.shared.endpoints;
    let limit = endpoints.get(key);
    if (limit === undefined) {
      const cap = UNCAPPED_SERVICES.has(service) ? this.options.concurrency : this.options.perEndpointConcurrency;
      limit = pLimit(Math.max(1, Math.min(cap, this.options.concurrency)));
      endpoints.set(key, limit);
    }
    return limit;
  }

  /** The key of a per-endpoint limit: (service, Region), per account in an organization audit. */
  endpointKey(service: string, region: string): string {
    return this.account === undefined ? `${service}/${region}` : `${this.account}/${service}/${region}`;
  }

  /**
   * Make one logical API call (the SDK's retries are not counted again). Never rejects: a failure
   * comes back as an Outcome carrying the classified reason.
   */
  async call<T>(context: Omit<CallContext, 'endpointUrl'>, send: () => Promise<T>): Promise<Outcome<T>> {
    const { action, region } = context;
    const { stop } = this.options;
    const full: CallContext = this.options.endpointUrl === undefined ? context : { ...context, endpointUrl: this.options.endpointUrl };
    if (stop !== undefined && isStopped(stop)) {
      // Never sent, so not counted as a call.
      return { ok: false, error: classifyError(stop.reason, full), cause: stop.reason };
    }
    const shared = this.shared;
    shared.counts.set(action, (shared.counts.get(action) ?? 0) + 1);
    shared.total += 1;
    const label = `${action} ${region}${context.resource === undefined ? '' : ` ${context.resource}`}`;
    const endpoint = `${serviceOf(action)}/${region}`;
    try {
      const priority = PRIORITY[action] ?? 1;
      const value = await untilStopped(
        this.endpointLimit(action, region)(() =>
          shared.global.add(async () => {
            await this.nextLaunchTurn();
            // Queued before the stop and started after it: do not send.
            stop?.throwIfAborted();
            const silentCall = shared.health.silentCall(endpoint);
            if (silentCall !== undefined) {
              throw new EndpointSilent(silentCall);
            }
            try {
              const value = await send();
              shared.health.record(endpoint, action, undefined);
              return value;
            } catch (error) {
              shared.health.record(endpoint, action, error);
              throw error;
            }
          }, { priority }),
        ),
        stop,
      );
      return ok(value);
    } catch (error) {
      // A request aborted by the stop fails with the SDK's AbortError; name the stop instead.
      const cause: unknown = stop !== undefined && isStopped(stop) ? stop.reason : error;
      return { ok: false, error: classifyError(cause, full), cause };
    } finally {
      shared.done += 1;
      try {
        this.options.onProgress?.({ done: shared.done, total: shared.total, label });
      } catch {
        // A failing progress display must not fail the audit.
      }
    }
  }

  /**
   * Resolves on a later event-loop turn than the previous launch did, so calls start one per turn.
   * The SDK prepares a request (serialise, resolve the endpoint, sign) in promise callbacks, which
   * all run before the event loop gets to any socket: 32 calls started together used to be
   * prepared in one 60-80 ms stretch before the first byte was written, leaving the service idle
   * for that long at the start of every audit. One launch per turn lets each request reach its
   * socket while the next is prepared, and lets responses that have arrived be handled between
   * launches. A turn with nothing else to do takes microseconds.
   */
  private nextLaunchTurn(): Promise<void> {
    const turn = this.shared.lastLaunch.then(
      () =>
        new Promise<void>((resolve) => {
          setImmediate(resolve);
        }),
    );
    this.shared.lastLaunch = turn;
    return turn;
  }

  /** Calls made so far by IAM action, keys sorted. */
  apiCalls(): Record<string, number> {
    const entries = [...this.shared.counts.entries()].sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries);
  }
}
