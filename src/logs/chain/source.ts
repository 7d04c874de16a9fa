/**
 * What the chain walk needs from where the files are (S3 or a local copy). Implementations live
 * in src/logs/sources/; the walk itself never does I/O of its own.
 */
import type { KeyObject } from 'node:crypto';
import type { ChainLocation } from './keys.js';
import type { UnverifiedReason } from './types.js';
import { TrailauditError } from '../../errors.js';

export interface FetchedDigest {
  /** The object as stored (gzip). Digests are small: one entry per log file of one hour. */
  readonly body: Uint8Array;
  /** The object's user metadata (`signature`, `signature-algorithm`, …); null when not available. */
  readonly metadata: Readonly<Record<string, string>> | null;
}

export interface LogHash {
  /** hex SHA-256 of the gunzipped bytes. */
  readonly sha256: string;
  /** Uncompressed size, for throughput statistics. */
  readonly bytes: number;
}

/** The object does not exist (S3 `NoSuchKey`, ENOENT). */
export class ObjectNotFoundError extends Error {
  constructor(key: string, options?: { cause?: unknown }) {
    super(`${key} not found`, options);
    this.name = 'ObjectNotFoundError';
  }
}

/** The object exists but is not gzip (a log file's `invalid format`). */
export class ObjectFormatError extends Error {
  constructor(key: string, options?: { cause?: unknown }) {
    super(`${key} is not gzip`, options);
    this.name = 'ObjectFormatError';
  }
}

/**
 * The object could not be read (denied, throttled, I/O error): no verdict either way; a file's is
 * "not verified", and a listing's ends the run (exit 2), which is why it is a TrailauditError.
 */
export class ObjectReadError extends TrailauditError {
  readonly reason: UnverifiedReason;

  constructor(reason: UnverifiedReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObjectReadError';
    this.reason = reason;
  }
}

/** The account folders of a trail: `[prefix/]AWSLogs/[o-org/]<account>/`. */
export interface DigestRoot {
  readonly prefix: string | null;
  readonly organizationId: string | null;
}

export interface DigestSource {
  readonly kind: 's3' | 'directory';
  /**
   * true when every digest comes with its object metadata (S3): a missing signature is then
   * evidence of tampering. A local copy has metadata only where a sidecar was saved.
   */
  readonly metadataAuthoritative: boolean;
  /** Account folders holding this trail's digests (organization id discovered, not assumed). */
  listRoots(accountId: string, organizationTrail: boolean | null): Promise<DigestRoot[]>;
  /** Source regions with a digest folder under a root. */
  listSourceRegions(root: DigestRoot, accountId: string): Promise<string[]>;
  /** Calls `accept` with each key after `startAfter` under the chain's folder, in key order, until it returns false. */
  listDigestKeys(bucket: string | null, location: ChainLocation, startAfter: string, accept: (key: string) => boolean): Promise<void>;
  fetchDigest(bucket: string | null, key: string): Promise<FetchedDigest>;
  hashLog(bucket: string, key: string): Promise<LogHash>;
  /** How a file is named in human output: `s3://bucket/key`, as the AWS CLI prints it. */
  url(bucket: string | null, key: string): string;
}

export interface KeyProvider {
  /**
   * The key with this fingerprint. Sources that call ListPublicKeys may fetch more keys: around a
   * backfill digest's generation time (as the AWS CLI does), or in the digest's source region.
   */
  find(fingerprint: string, hint: { readonly sourceRegion: string; readonly backfillTimestamp: Date | null }): Promise<KeyObject | undefined>;
}
