/**
 * Pacing of Security Hub calls: Security Hub allows 10 BatchImportFindings (and GetFindings)
 * requests per second per account and Region (burst 30). Every call to one (account, Region) goes
 * through that target's queue, which starts at most {@link SECURITY_HUB_PACING}.callsPerInterval
 * calls in any rolling interval (p-queue's strict sliding window, so two fixed windows back to
 * back cannot double the rate). Other targets have their own queues: AWS limits each separately.
 * This bounds the calls in flight and their starts; the limit AWS sees is kept at the wire, per
 * attempt (SDK retries included), by wirePacing.ts.
 */
import PQueue from 'p-queue';

export interface PacingOptions {
  readonly intervalMs: number;
  readonly callsPerInterval: number;
  /** Calls in flight per target (a slow answer does not hold the next call back). */
  readonly concurrency: number;
}

/**
 * 8 calls started in any second: under AWS's 10 per second with a margin, because requests started
 * a second apart can arrive closer together (one waited longer for a socket or on the network);
 * measured at the wire under load, 9 a second showed up as 10 within one second.
 */
export const SECURITY_HUB_PACING: PacingOptions = { intervalMs: 1000, callsPerInterval: 8, concurrency: 4 };

export class TargetPacer {
  private readonly queues = new Map<string, PQueue>();

  constructor(private readonly options: PacingOptions = SECURITY_HUB_PACING) {}

  /** Runs `call` when the target's rate allows it. */
  run<T>(accountId: string, region: string, call: () => Promise<T>): Promise<T> {
    const key = `${accountId}/${region}`;
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = new PQueue({
        concurrency: this.options.concurrency,
        interval: this.options.intervalMs,
        intervalCap: this.options.callsPerInterval,
        strict: true,
      });
      this.queues.set(key, queue);
    }
    return queue.add(call);
  }
}
