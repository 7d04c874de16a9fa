/**
 * Pacing at the wire: every request a Security Hub client sends to one (account, Region) — reads,
 * imports, archives, and the SDK's own retries — waits here for a free slot right before it goes
 * out (an SDK middleware after the retry and signing steps). Pacing only where calls are queued
 * (pacing.ts) was not enough: a retried attempt never went back through the queue, and a call
 * started on time could still reach AWS together with later ones; a tester saw 12
 * BatchImportFindings within one second.
 *
 * Per target, taken at the same instant: a sliding window for all calls (AWS allows
 * BatchImportFindings 10 per second, burst 30) and a token bucket for GetFindings alone (AWS: 3
 * per second, burst 6, a token bucket too): reading 1,000 previous findings (10 pages) then starts
 * with a burst instead of waiting a third of a second per page. Hand-written rather than p-queue:
 * p-queue has one window per queue, and chaining two queues records a call in the first window
 * before it waits in the second, so reads could leave bunched.
 */
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';

export interface WireLimits {
  readonly intervalMs: number;
  /** Requests of any operation sent in any interval to one (account, Region). */
  readonly callsPerInterval: number;
  /** GetFindings: tokens added per interval to one (account, Region)'s bucket… */
  readonly readsPerInterval: number;
  /** …which holds at most this many (a burst after a pause). */
  readonly readBurst: number;
  /**
   * Added to the interval: a request leaves the SDK a few ms before it reaches the endpoint (more
   * on a new connection; up to 12 ms measured on loopback under load), so one that left late must
   * not share a second with those a full interval after it.
   */
  readonly slackMs: number;
}

/**
 * 8 of AWS's 10 BatchImportFindings per second (a margin for requests that reach AWS a few ms
 * closer together than they left); GetFindings at AWS's 3 per second (per 1,050 ms here) with a
 * burst of 5 of AWS's 6. Measured at the wire: test/securityhub/wirePacing.test.ts.
 */
export const SECURITY_HUB_WIRE_LIMITS: WireLimits = { intervalMs: 1000, callsPerInterval: 8, readsPerInterval: 3, readBurst: 5, slackMs: 50 };

interface Waiter {
  readonly read: boolean;
  readonly resolve: () => void;
}

/** One target's windows and its waiting requests, served in arrival order. */
class TargetWindows {
  private readonly sent: number[] = [];
  private readonly waiting: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readTokens: number;
  private refilledAt = performance.now();

  constructor(private readonly limits: WireLimits) {
    this.readTokens = limits.readBurst;
  }

  acquire(read: boolean): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ read, resolve });
      this.pump();
    });
  }

  private pump(): void {
    if (this.timer !== undefined) {
      return;
    }
    for (let head = this.waiting[0]; head !== undefined; head = this.waiting[0]) {
      const now = performance.now();
      const wait = Math.max(this.waitFor(this.sent, this.limits.callsPerInterval, now), head.read ? this.waitForReadToken(now) : 0);
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.waiting.shift();
      this.sent.push(now);
      if (head.read) {
        this.readTokens -= 1;
      }
      head.resolve();
    }
  }

  /** Ms until the GetFindings bucket holds a whole token, after refilling it for the time passed. */
  private waitForReadToken(now: number): number {
    const perMs = this.limits.readsPerInterval / (this.limits.intervalMs + this.limits.slackMs);
    this.readTokens = Math.min(this.limits.readBurst, this.readTokens + (now - this.refilledAt) * perMs);
    this.refilledAt = now;
    return this.readTokens >= 1 ? 0 : Math.ceil((1 - this.readTokens) / perMs) + 1;
  }

  /** Ms until one more request fits in `times` (ascending), after dropping those out of the window. */
  private waitFor(times: number[], cap: number, now: number): number {
    const window = this.limits.intervalMs + this.limits.slackMs;
    while (times.length > 0 && (times[0] ?? 0) + window <= now) {
      times.shift();
    }
    const leaving = times[times.length - cap];
    // +1: timers round to the millisecond; waking a hair early would only loop once more.
    return times.length < cap || leaving === undefined ? 0 : Math.ceil(leaving + window - now) + 1;
  }
}

/** The windows of every target one HubAccess reaches (one per process: the CLI, a Lambda invocation). */
export class WireLimiter {
  private readonly targets = new Map<string, TargetWindows>();

  constructor(private readonly limits: WireLimits = SECURITY_HUB_WIRE_LIMITS) {}

  /** Resolves when a request (a GetFindings when `read`) to the target may be sent. */
  acquire(accountId: string, region: string, read: boolean): Promise<void> {
    const key = `${accountId}/${region}`;
    let windows = this.targets.get(key);
    if (windows === undefined) {
      windows = new TargetWindows(this.limits);
      this.targets.set(key, windows);
    }
    return windows.acquire(read);
  }
}

const MIDDLEWARE_NAME = 'trailauditWirePacing';

/**
 * Makes every attempt the client sends wait for the target's slot. In the finalizeRequest step at
 * low priority, so it runs inside the retry middleware (each retry waits too) and after signing
 * (SigV4 signatures stay valid for minutes; the wait is at most about a second per queued call).
 */
export function paceAtTheWire(client: SecurityHubClient, accountId: string, region: string, limiter: WireLimiter): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      await limiter.acquire(accountId, region, context.commandName === 'GetFindingsCommand');
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: MIDDLEWARE_NAME, override: true },
  );
}
