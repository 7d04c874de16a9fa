/**
 * Validating a trail: every chain (account folder × source region × standard|backfill) walked
 * concurrently, and every log file of an authenticated digest hashed through one bounded pool.
 * The walk waits when the pool's queue is long, and verdicts go to the journal as soon as they
 * are final, so memory stays flat however many files there are.
 */
import pLimit from 'p-limit';
import { walkChain } from './chain.js';
import type { DigestLogEntry } from './document.js';
import { DigestKeySelector, startMarker, type ChainLocation } from './keys.js';
import { ObjectFormatError, ObjectNotFoundError, ObjectReadError, type DigestSource, type KeyProvider } from './source.js';
import { ChainOutput } from './chainOutput.js';
import { SummaryCounter, type RunSummary, type TimelineJournal } from './timeline.js';
import type { FileResult, LogSlot } from './types.js';

export interface ValidationRequest {
  readonly trailName: string;
  readonly homeRegion: string;
  readonly accountId: string;
  /** The trail's bucket (null for a local copy without it) and S3 key prefix. */
  readonly bucket: string | null;
  readonly prefix: string | null;
  /** true/false from DescribeTrails; null when unknown (a local copy): both layouts are looked for. */
  readonly organizationTrail: boolean | null;
  readonly start: Date;
  readonly end: Date;
  /** Log files read and hashed at the same time. */
  readonly concurrency: number;
}

export interface ValidationProgress {
  readonly digests: number;
  readonly logsDone: number;
  readonly logsQueued: number;
  readonly bytes: number;
}

export interface ValidationOutcome {
  /** Counts and verdict; the items themselves are in the journal, chain by chain. */
  readonly summary: RunSummary;
  /** Uncompressed log bytes hashed. */
  readonly logBytes: number;
}

/** Home region first (the trail's own events), then the others alphabetically: a stable order. */
function orderRegions(regions: readonly string[], home: string): string[] {
  return [...new Set(regions)].sort((a, b) => (a === home ? -1 : b === home ? 1 : a.localeCompare(b)));
}

export async function validateTrail(
  request: ValidationRequest,
  source: DigestSource,
  keys: KeyProvider,
  journal: TimelineJournal,
  onProgress: (progress: ValidationProgress) => void = () => undefined,
): Promise<ValidationOutcome> {
  const limit = pLimit(request.concurrency);
  const counter = new SummaryCounter(request);
  const outputs: ChainOutput[] = [];
  // Enough queued work to keep every slot busy while the walk fetches the next digest, no more.
  const highWater = Math.max(64, request.concurrency * 8);
  let queued = 0;
  let done = 0;
  let digests = 0;
  let bytes = 0;
  // In flight or queued; bounded by the high-water mark because the walk waits for room.
  const inFlight = new Set<Promise<void>>();
  let waiters: (() => void)[] = [];
  let failure: unknown = null;
  const wake = (): void => {
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) {
      resolve();
    }
  };
  const report = (): void => {
    onProgress({ digests, logsDone: done, logsQueued: queued, bytes });
  };

  const hashOne = async (entry: DigestLogEntry, digest: FileResult, slot: LogSlot): Promise<void> => {
    const base = { kind: 'log' as const, key: entry.s3Object, bucket: entry.s3Bucket, sourceRegion: digest.sourceRegion, backfill: digest.backfill, digestKey: digest.key };
    try {
      const hash = await source.hashLog(entry.s3Bucket, entry.s3Object);
      bytes += hash.bytes;
      slot.result =
        hash.sha256 === entry.hashValue.toLowerCase()
          ? { ...base, status: 'valid', reason: null, message: null }
          : { ...base, status: 'INVALID', reason: 'hash_mismatch', message: "hash value doesn't match" };
    } catch (error) {
      if (error instanceof ObjectNotFoundError) {
        slot.result = { ...base, status: 'INVALID', reason: 'not_found', message: 'not found' };
      } else if (error instanceof ObjectFormatError) {
        slot.result = { ...base, status: 'INVALID', reason: 'invalid_format', message: 'invalid format' };
      } else if (error instanceof ObjectReadError) {
        slot.result = { ...base, reason: error.reason, message: error.message };
      } else {
        throw error;
      }
    }
  };

  const scheduleLogs = (output: ChainOutput) => (entries: readonly DigestLogEntry[], digest: FileResult): LogSlot[] => {
    digests += 1;
    return entries.map((entry) => {
      const slot: LogSlot = { result: null };
      queued += 1;
      const task: Promise<void> = limit(() => hashOne(entry, digest, slot))
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => {
          done += 1;
          inFlight.delete(task);
          output.flush();
          report();
          if (limit.pendingCount < highWater) {
            wake();
          }
        });
      inFlight.add(task);
      return slot;
    });
  };

  const room = async (): Promise<void> => {
    while (limit.pendingCount >= highWater && failure === null) {
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };

  const listChain = async (location: ChainLocation, bucket: string | null): Promise<DigestKeySelector> => {
    const selector = new DigestKeySelector(location, request.start, request.end);
    await source.listDigestKeys(bucket, location, startMarker(location, request.start), (key) => selector.add(key));
    return selector;
  };

  const runChain = async (location: ChainLocation, backfill: boolean, listing: string[], output: ChainOutput): Promise<void> => {
    await walkChain({
      source,
      keys,
      location,
      backfill,
      start: request.start,
      bucket: request.bucket,
      listing,
      relist: async (bucket) => {
        const selector = await listChain(location, bucket);
        return backfill ? selector.backfill : selector.standard;
      },
      scheduleLogs: scheduleLogs(output),
      beforeDigest: room,
      emit: (event) => {
        output.push(event);
      },
    });
  };

  const roots = await source.listRoots(request.accountId, request.organizationTrail);
  const chainRuns: Promise<void>[] = [];
  // The home Region always has a chain: with its folder gone (or never delivered), it is reported
  // as a Region without digests, never silently left out.
  counter.expect(request.homeRegion);
  for (const root of roots) {
    const regions = orderRegions([request.homeRegion, ...(await source.listSourceRegions(root, request.accountId))], request.homeRegion);
    for (const sourceRegion of regions) {
      counter.expect(sourceRegion);
      const location: ChainLocation = {
        prefix: root.prefix,
        organizationId: root.organizationId,
        accountId: request.accountId,
        sourceRegion,
        trailName: request.trailName,
        homeRegion: request.homeRegion,
      };
      // One listing per chain folder, split into standard and backfill digests (as the CLI caches it).
      const listed = listChain(location, request.bucket);
      // Segments are opened in chain order, so the journal reads back in the AWS CLI's order.
      const standard = new ChainOutput(journal.segment(), counter);
      const backfill = new ChainOutput(journal.segment(), counter);
      outputs.push(standard, backfill);
      chainRuns.push(listed.then((selector) => runChain(location, false, selector.standard, standard)));
      chainRuns.push(listed.then((selector) => runChain(location, true, selector.backfill, backfill)));
    }
  }
  await Promise.all(chainRuns);
  while (inFlight.size > 0) {
    await Promise.all([...inFlight]);
  }
  if (failure !== null) {
    throw failure instanceof Error ? failure : new Error('hashing a log file failed', { cause: failure });
  }
  if (outputs.some((output) => output.waiting > 0)) {
    throw new Error('internal error: a digest was left waiting for log files that were never hashed');
  }
  report();
  return { summary: counter.summary(), logBytes: bytes };
}
