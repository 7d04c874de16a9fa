/**
 * One signal that stops everything still open in a run: its --timeout deadline, or a failure
 * after which nothing collected can be used (an unreadable identity). The scheduler fails calls
 * at once when it fires, and the shared request handler aborts the requests in flight.
 */
import { setMaxListeners } from 'node:events';
import { DeadlineReached } from './errors.js';

export class RunStop {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;

  /** `timeoutSeconds` undefined: no deadline. */
  constructor(timeoutSeconds: number | undefined) {
    // Every request in flight listens to the signal (scheduler and handler): no listener cap.
    setMaxListeners(0, this.controller.signal);
    this.timer =
      timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => {
            this.stop(new DeadlineReached(timeoutSeconds));
          }, timeoutSeconds * 1000);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The first reason wins: a deadline that already passed stays the reason. */
  stop(reason: Error): void {
    this.controller.abort(reason);
  }

  /** The deadline, if it is what stopped the run. */
  deadlineReached(): DeadlineReached | undefined {
    const reason: unknown = this.controller.signal.reason;
    return reason instanceof DeadlineReached ? reason : undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
