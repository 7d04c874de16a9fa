/**
 * One chain's events, handed to the journal in the order they were emitted but only once final:
 * a digest's log files are hashed concurrently and finish in any order, so an event waits at the
 * head of the queue until all its log slots are filled. The queue is short — the walk stops when
 * the hashing pool is full — so memory does not grow with the number of files.
 */
import { keyStamp } from './keys.js';
import { parseCompactDate } from './time.js';
import { itemsOf, type SummaryCounter, type TimelineSink } from './timeline.js';
import type { ChainEvent, LogSlot } from './types.js';

interface Pending {
  readonly event: ChainEvent;
  readonly slots: readonly LogSlot[];
  /** Slots before this index are known to be filled (they fill out of order; scan forward). */
  filled: number;
}

function slotsOf(event: ChainEvent): readonly LogSlot[] {
  if (event.type === 'digest') {
    return event.logs;
  }
  return event.type === 'unverified-digest' ? event.checked : [];
}

/** A digest key's end time (its `YYYYMMDDTHHMMSSZ`); null for a key not in CloudTrail's layout. */
function keyEnd(key: string): Date | null {
  return parseCompactDate(keyStamp(key));
}

export class ChainOutput {
  private readonly queue: Pending[] = [];

  constructor(
    private readonly sink: TimelineSink,
    private readonly counter: SummaryCounter,
  ) {}

  push(event: ChainEvent): void {
    this.queue.push({ event, slots: slotsOf(event), filled: 0 });
    this.flush();
  }

  /** Hand on every event at the head whose slots are all filled; call when a slot fills. */
  flush(): void {
    for (let head = this.queue[0]; head !== undefined; head = this.queue[0]) {
      while (head.filled < head.slots.length && head.slots[head.filled]?.result !== null) {
        head.filled += 1;
      }
      if (head.filled < head.slots.length) {
        return;
      }
      this.queue.shift();
      const { event } = head;
      if (event.type === 'digest' && event.startTime !== null && event.endTime !== null) {
        this.counter.cover(event.result.sourceRegion, event.startTime, event.endTime);
        if (!event.result.backfill) {
          this.counter.reach(event.result.sourceRegion, event.endTime);
        }
      } else if (event.type === 'unverified-digest' && !event.file.backfill) {
        // Present but not verifiable: the chain does reach it (what it proves is reported apart).
        const end = keyEnd(event.file.key);
        if (end !== null) {
          this.counter.reach(event.file.sourceRegion, end);
        }
      }
      for (const item of itemsOf(event)) {
        this.counter.add(item);
        this.sink.append(item);
      }
    }
  }

  /** Events still waiting for a log file's hash (only after a hashing failure). */
  get waiting(): number {
    return this.queue.length;
  }
}
