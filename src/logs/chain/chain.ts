/**
 * Walking one digest chain backwards in time, as `aws cloudtrail validate-logs` does
 * (CONTROLS §4.4): start at the newest listed digest, verify it, follow its previousDigest*
 * pointers; where the pointers are null but older digests are listed, report a gap (logging or
 * validation was off) and continue from the next older listed digest; a digest that is missing or
 * invalid is reported and the walk continues from the next older listed digest.
 *
 * Beyond the CLI: a digest whose own signature is good but whose successor recorded a different
 * hash or signature for it is `chain_broken`; a local copy without the newest digest's signature
 * still verifies everything older, using the signature each successor carries.
 */
import type { KeyObject } from 'node:crypto';
import { parseDigest, type DigestDocument, type DigestLogEntry } from './document.js';
import { isBackfillKey, keyStamp, type ChainLocation } from './keys.js';
import { dataToSign, verifySignature } from './signing.js';
import { ObjectNotFoundError, ObjectReadError, type DigestSource, type KeyProvider } from './source.js';
import { parseCompactDate, parseUtc } from './time.js';
import type { ChainEvent, FileResult, InvalidReason, LogSlot, UnverifiedFile } from './types.js';

export interface ChainWalk {
  readonly source: DigestSource;
  readonly keys: KeyProvider;
  readonly location: ChainLocation;
  readonly backfill: boolean;
  readonly start: Date;
  /** The trail's bucket; null when unknown (a local copy, offline). */
  readonly bucket: string | null;
  /** This chain's listed digest keys, oldest first; consumed by the walk. */
  readonly listing: string[];
  /** Listing of another bucket, when a previousDigestS3Bucket points elsewhere. */
  readonly relist: (bucket: string) => Promise<string[]>;
  /** Queue the log files of an authenticated digest for hashing; returns their result slots. */
  readonly scheduleLogs: (entries: readonly DigestLogEntry[], digest: FileResult) => LogSlot[];
  /** Resolves when there is room for more log files (backpressure from the hashing pool). */
  readonly beforeDigest: () => Promise<void>;
  /** Receives the chain's events in the order the AWS CLI prints them (log slots fill later). */
  readonly emit: (event: ChainEvent) => void;
}

/** What the successor (the newer digest that pointed here) recorded about this digest. */
interface Successor {
  readonly key: string;
  readonly hash: string | null;
  readonly signature: string | null;
  /** Its own signature verified: what it recorded can be held against this digest. */
  readonly trusted: boolean;
}

type Outcome =
  | { readonly kind: 'invalid'; readonly reason: InvalidReason; readonly message: string }
  | { readonly kind: 'unreadable'; readonly file: UnverifiedFile }
  | {
      readonly kind: 'checked';
      readonly document: DigestDocument;
      /** null when valid; `chain_broken` is still authentic, so its pointers and logs are followed. */
      readonly problem: { readonly reason: InvalidReason; readonly message: string } | null;
      /** Set when the signature could not be checked (no signature available). */
      readonly unverified: string | null;
    };

const SIGNATURE_ALGORITHM = 'SHA256withRSA';

function keyDate(key: string): Date {
  // Listed keys matched the chain's pattern, so the stamp parses.
  return parseCompactDate(keyStamp(key)) ?? new Date(0);
}

/** The newest listed key, or the newest one older than `before` (the AWS CLI's `_get_last_digest`). */
function popOlder(listing: string[], before: string | null): { key: string; date: Date } | null {
  const limit = before === null ? null : keyDate(before).getTime();
  for (let key = listing.pop(); key !== undefined; key = listing.pop()) {
    const date = keyDate(key);
    if (limit === null || date.getTime() < limit) {
      return { key, date };
    }
  }
  return null;
}

async function examine(walk: ChainWalk, bucket: string | null, key: string, successor: Successor | null): Promise<Outcome> {
  const { source, location } = walk;
  const base = { kind: 'digest' as const, key, bucket: bucket ?? '', sourceRegion: location.sourceRegion, backfill: walk.backfill };
  let fetched;
  try {
    fetched = await source.fetchDigest(bucket, key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) {
      return { kind: 'invalid', reason: 'not_found', message: 'not found' };
    }
    if (error instanceof ObjectReadError) {
      return { kind: 'unreadable', file: { ...base, reason: error.reason, message: error.message } };
    }
    throw error;
  }
  const parsed = parseDigest(fetched.body);
  if (parsed === null) {
    return { kind: 'invalid', reason: 'invalid_format', message: 'invalid format' };
  }
  const { metadata } = fetched;
  const { document } = parsed;
  // S3 always stores the signature with the object: its absence means the object was replaced.
  if (source.metadataAuthoritative && (metadata?.signature === undefined || metadata['signature-algorithm'] === undefined)) {
    return { kind: 'invalid', reason: 'bad_signature', message: 'signature verification failed' };
  }
  if (source.metadataAuthoritative && isBackfillKey(key) && metadata?.['backfill-generation-timestamp'] === undefined) {
    return { kind: 'invalid', reason: 'invalid_format', message: 'invalid format' };
  }
  if ((bucket !== null && document.digestS3Bucket !== bucket) || document.digestS3Object !== key) {
    return { kind: 'invalid', reason: 'moved', message: 'has been moved from its original location' };
  }
  const fingerprint = document.digestPublicKeyFingerprint;
  const backfillStamp = metadata?.['backfill-generation-timestamp'];
  const publicKey: KeyObject | undefined = await walk.keys.find(fingerprint, {
    sourceRegion: location.sourceRegion,
    backfillTimestamp: backfillStamp === undefined ? null : parseUtc(backfillStamp),
  });
  if (publicKey === undefined) {
    return {
      kind: 'invalid',
      reason: 'unknown_public_key',
      message: `public key not found in region ${location.homeRegion} for fingerprint ${fingerprint}`,
    };
  }
  const ownSignature = metadata?.signature;
  const signature = ownSignature ?? successor?.signature ?? null;
  if (signature === null) {
    return {
      kind: 'checked',
      document,
      problem: null,
      unverified: source.metadataAuthoritative
        ? 'no signature'
        : `signature not available: no sidecar ${key}.metadata.json and no newer digest in the chain records it`,
    };
  }
  const algorithm = metadata?.['signature-algorithm'] ?? SIGNATURE_ALGORITHM;
  if (algorithm !== SIGNATURE_ALGORITHM || !verifySignature(dataToSign(document, parsed.sha256), signature, publicKey)) {
    if (ownSignature === undefined && successor !== null && !successor.trusted) {
      // The signature came from a successor that is itself unverified: it may be the forgery.
      return {
        kind: 'checked',
        document,
        problem: null,
        unverified: `the signature recorded by ${successor.key} (itself unverified) does not verify; save ${key}.metadata.json to decide`,
      };
    }
    return { kind: 'invalid', reason: 'bad_signature', message: 'signature verification failed' };
  }
  if (successor?.trusted === true) {
    const hashMismatch = successor.hash !== null && successor.hash.toLowerCase() !== parsed.sha256;
    const signatureMismatch = ownSignature !== undefined && successor.signature !== null && successor.signature.toLowerCase() !== ownSignature.toLowerCase();
    if (hashMismatch || signatureMismatch) {
      const what = hashMismatch ? 'previousDigestHashValue' : 'previousDigestSignature';
      return {
        kind: 'checked',
        document,
        problem: { reason: 'chain_broken', message: `does not match the ${what} recorded by ${source.url(bucket, successor.key)}` },
        unverified: null,
      };
    }
  }
  return { kind: 'checked', document, problem: null, unverified: null };
}

/** Walk one chain, emitting events in the order the AWS CLI prints them. */
export async function walkChain(walk: ChainWalk): Promise<void> {
  const { location, backfill, emit } = walk;
  let listing = walk.listing;
  let bucket = walk.bucket;
  const first = popOlder(listing, null);
  let key: string | null = first?.key ?? null;
  let lastStart: Date = first?.date ?? new Date(0);
  let successor: Successor | null = null;
  const common = { sourceRegion: location.sourceRegion, backfill };

  const skipTo = (from: string): void => {
    const next = popOlder(listing, from);
    key = next?.key ?? null;
    successor = null;
  };

  while (key !== null && walk.start.getTime() <= lastStart.getTime()) {
    const current: string = key;
    await walk.beforeDigest();
    const outcome = await examine(walk, bucket, current, successor);
    const reportBucket = bucket ?? '';
    if (outcome.kind === 'invalid') {
      emit({
        type: 'digest',
        result: { ...common, kind: 'digest', key: current, bucket: reportBucket, status: 'INVALID', reason: outcome.reason, message: outcome.message },
        logs: [],
        startTime: null,
        endTime: null,
      });
      skipTo(current);
      continue;
    }
    if (outcome.kind === 'unreadable') {
      emit({ type: 'unverified-digest', file: outcome.file, logs: [], checked: [] });
      skipTo(current);
      continue;
    }
    const { document } = outcome;
    const startTime = parseUtc(document.digestStartTime);
    const endTime = parseUtc(document.digestEndTime);
    if (outcome.unverified !== null) {
      const file: UnverifiedFile = { ...common, kind: 'digest', key: current, bucket: reportBucket, reason: 'signature_unavailable', message: outcome.unverified };
      const logs = document.logFiles.map(
        (entry): UnverifiedFile => ({
          ...common,
          kind: 'log',
          key: entry.s3Object,
          bucket: entry.s3Bucket,
          reason: 'digest_unverified',
          message: `listed by ${current}, whose signature could not be verified`,
        }),
      );
      // Its logs are still hashed: a mismatch is INVALID even though the digest is not authenticated.
      const listedBy: FileResult = { ...common, kind: 'digest', key: current, bucket: reportBucket, status: 'valid', reason: null, message: null };
      emit({ type: 'unverified-digest', file, logs, checked: walk.scheduleLogs(document.logFiles, listedBy) });
    } else {
      const result: FileResult = {
        ...common,
        kind: 'digest',
        key: current,
        bucket: reportBucket,
        status: outcome.problem === null ? 'valid' : 'INVALID',
        reason: outcome.problem?.reason ?? null,
        message: outcome.problem?.message ?? null,
      };
      emit({
        type: 'digest',
        result,
        logs: walk.scheduleLogs(document.logFiles, result),
        startTime: outcome.problem === null ? startTime : null,
        endTime: outcome.problem === null ? endTime : null,
      });
    }
    if (startTime === null) {
      // An unparsable start time cannot place the digest in time: treat the chain as ending here.
      skipTo(current);
      continue;
    }
    lastStart = startTime;
    const previousBucket = document.previousDigestS3Bucket;
    const previousKey = document.previousDigestS3Object;
    if (previousBucket === null || previousKey === null) {
      const next = popOlder(listing, current);
      if (next !== null) {
        emit({ type: 'gap', gap: { ...common, start: next.date, end: startTime } });
      }
      key = next?.key ?? null;
      successor = null;
      continue;
    }
    successor = {
      key: current,
      hash: document.previousDigestHashValue,
      signature: document.previousDigestSignature,
      trusted: outcome.unverified === null,
    };
    key = previousKey;
    if (bucket !== null && previousBucket !== bucket) {
      bucket = previousBucket;
      listing = await walk.relist(previousBucket);
    }
  }
}
