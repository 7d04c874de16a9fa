/**
 * The run as the reports see it: a timeline of verdicts, gaps and unverified files in the order
 * the AWS CLI prints them, and a tally kept as items go by. Items are handed on as soon as they are
 * final, so the run keeps counts, never the list: a year of logs is millions of files.
 */
import { isFileResult, type ChainEvent, type FileResult, type Gap, type UnverifiedFile } from './types.js';

export type TimelineItem =
  | { readonly type: 'file'; readonly file: FileResult }
  | { readonly type: 'unverified'; readonly file: UnverifiedFile }
  | { readonly type: 'gap'; readonly gap: Gap };

/** Where a run's items go: an in-memory list in tests, a spill file in the CLI. */
export interface TimelineSink {
  append(item: TimelineItem): void;
}

/**
 * Segments filled concurrently (one per chain), read back in the order they were opened. It may be
 * iterated any number of times; each iteration is a fresh pass over everything, so a journal is
 * itself the timeline a report model takes.
 */
export interface TimelineJournal extends Iterable<TimelineItem> {
  segment(): TimelineSink;
}

/** Keeps every item in memory: for tests and small runs. */
export class MemoryJournal implements TimelineJournal {
  private readonly segments: TimelineItem[][] = [];

  segment(): TimelineSink {
    const items: TimelineItem[] = [];
    this.segments.push(items);
    return { append: (item) => items.push(item) };
  }

  *[Symbol.iterator](): Iterator<TimelineItem> {
    for (const segment of this.segments) {
      yield* segment;
    }
  }
}

export interface Tally {
  valid: number;
  INVALID: number;
}

export type FileCategory = 'digest' | 'backfillDigest' | 'log';

export function categoryOf(file: FileResult | UnverifiedFile): FileCategory {
  return file.kind === 'log' ? 'log' : file.backfill ? 'backfillDigest' : 'digest';
}

export type OverallStatus = 'valid' | 'INVALID' | 'incomplete';

/** One source Region's part of the run: the AWS CLI's summary, per Region. */
export interface RegionSummary {
  readonly region: string;
  readonly counts: Readonly<Record<FileCategory, Readonly<Tally>>>;
  readonly unverified: Readonly<Record<FileCategory, number>>;
  readonly gaps: number;
  /** "Results found for A to B" for this Region: its valid digests, clipped to the requested range. */
  readonly found: { readonly start: Date; readonly end: Date } | null;
  /**
   * End of the newest standard digest that exists and is not proven forged (valid, or present but
   * not verifiable): where this Region's chain stops. null when it has none in range.
   */
  readonly newestDigestEnd: Date | null;
}

/** What the summaries need, counted as the items go by. */
export interface RunSummary {
  readonly counts: Readonly<Record<FileCategory, Readonly<Tally>>>;
  readonly unverified: Readonly<Record<FileCategory, number>>;
  readonly gaps: number;
  /** The AWS CLI's "Results found for A to B": valid digests clipped to the requested range. */
  readonly found: { readonly start: Date; readonly end: Date } | null;
  /** Every source Region looked at (home Region first), each with its own results. */
  readonly regions: readonly RegionSummary[];
  /** INVALID if anything is; otherwise incomplete if something could not be verified. */
  readonly status: OverallStatus;
}

const emptyCounts = (): Record<FileCategory, Tally> => ({ digest: { valid: 0, INVALID: 0 }, backfillDigest: { valid: 0, INVALID: 0 }, log: { valid: 0, INVALID: 0 } });

/** Counts for one scope (the run, or one Region), as items go by. */
class Tallies {
  readonly counts = emptyCounts();
  readonly unverified: Record<FileCategory, number> = { digest: 0, backfillDigest: 0, log: 0 };
  gaps = 0;
  foundStart = Number.POSITIVE_INFINITY;
  foundEnd = Number.NEGATIVE_INFINITY;
  newestEnd = Number.NEGATIVE_INFINITY;

  add(item: TimelineItem): void {
    if (item.type === 'gap') {
      this.gaps += 1;
    } else if (item.type === 'file') {
      this.counts[categoryOf(item.file)][item.file.status] += 1;
    } else {
      this.unverified[categoryOf(item.file)] += 1;
    }
  }

  found(): { start: Date; end: Date } | null {
    return Number.isFinite(this.foundStart) && Number.isFinite(this.foundEnd) ? { start: new Date(this.foundStart), end: new Date(this.foundEnd) } : null;
  }
}

export class SummaryCounter {
  private readonly total = new Tallies();
  private readonly byRegion = new Map<string, Tallies>();

  constructor(private readonly requested: { readonly start: Date; readonly end: Date }) {}

  private region(name: string): Tallies {
    let tallies = this.byRegion.get(name);
    if (tallies === undefined) {
      tallies = new Tallies();
      this.byRegion.set(name, tallies);
    }
    return tallies;
  }

  /** A Region the run looks at, even if nothing is found there: it is reported (in call order). */
  expect(region: string): void {
    this.region(region);
  }

  add(item: TimelineItem): void {
    this.total.add(item);
    this.region(item.type === 'gap' ? item.gap.sourceRegion : item.file.sourceRegion).add(item);
  }

  /** A valid digest covers `start`–`end`, clipped to the requested range. */
  cover(region: string, start: Date, end: Date): void {
    const from = Math.max(start.getTime(), this.requested.start.getTime());
    const to = Math.min(end.getTime(), this.requested.end.getTime());
    for (const tallies of [this.total, this.region(region)]) {
      tallies.foundStart = Math.min(tallies.foundStart, from);
      tallies.foundEnd = Math.max(tallies.foundEnd, to);
    }
  }

  /** A standard digest ending at `end` exists in `region` (valid, or present but unverifiable). */
  reach(region: string, end: Date): void {
    const tallies = this.region(region);
    tallies.newestEnd = Math.max(tallies.newestEnd, end.getTime());
  }

  summary(): RunSummary {
    const invalid = Object.values(this.total.counts).some((tally) => tally.INVALID > 0);
    const unverified = Object.values(this.total.unverified).some((count) => count > 0);
    return {
      counts: structuredClone(this.total.counts),
      unverified: { ...this.total.unverified },
      gaps: this.total.gaps,
      found: this.total.found(),
      regions: [...this.byRegion].map(([region, tallies]) => ({
        region,
        counts: structuredClone(tallies.counts),
        unverified: { ...tallies.unverified },
        gaps: tallies.gaps,
        found: tallies.found(),
        newestDigestEnd: Number.isFinite(tallies.newestEnd) ? new Date(tallies.newestEnd) : null,
      })),
      status: invalid ? 'INVALID' : unverified ? 'incomplete' : 'valid',
    };
  }
}

/**
 * The items of one chain event, once its log slots are filled. A log listed by a digest whose
 * signature could not be checked stays unverified unless hashing it proved it INVALID.
 */
export function itemsOf(event: ChainEvent): TimelineItem[] {
  if (event.type === 'gap') {
    return [{ type: 'gap', gap: event.gap }];
  }
  if (event.type === 'unverified-digest') {
    const items: TimelineItem[] = [{ type: 'unverified', file: event.file }];
    event.logs.forEach((log, index) => {
      const checked = event.checked[index]?.result;
      if (checked !== undefined && checked !== null && isFileResult(checked) && checked.status === 'INVALID') {
        items.push({ type: 'file', file: checked });
      } else {
        items.push({ type: 'unverified', file: log });
      }
    });
    return items;
  }
  const items: TimelineItem[] = [{ type: 'file', file: event.result }];
  for (const slot of event.logs) {
    if (slot.result !== null) {
      items.push(isFileResult(slot.result) ? { type: 'file', file: slot.result } : { type: 'unverified', file: slot.result });
    }
  }
  return items;
}

/** Every file with a verdict, in timeline order. */
export function* filesOf(timeline: Iterable<TimelineItem>): Generator<FileResult> {
  for (const item of timeline) {
    if (item.type === 'file') {
      yield item.file;
    }
  }
}

export function* unverifiedOf(timeline: Iterable<TimelineItem>): Generator<UnverifiedFile> {
  for (const item of timeline) {
    if (item.type === 'unverified') {
      yield item.file;
    }
  }
}

export function* gapsOf(timeline: Iterable<TimelineItem>): Generator<Gap> {
  for (const item of timeline) {
    if (item.type === 'gap') {
      yield item.gap;
    }
  }
}
