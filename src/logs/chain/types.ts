/**
 * The vocabulary of digest-chain validation (CONTROLS §4), shared by the chain walk, the sources
 * and the reports. Nothing here does I/O.
 */

/** Why a digest or log file is INVALID. */
export const INVALID_REASONS = [
  'not_found',
  'moved',
  'bad_signature',
  'unknown_public_key',
  'invalid_format',
  'hash_mismatch',
  'chain_broken',
] as const;
export type InvalidReason = (typeof INVALID_REASONS)[number];

/**
 * Why a file could not be verified either way. Not a verdict on the file: the run is incomplete
 * (exit 3), never a silent pass.
 */
export type UnverifiedReason =
  | 'signature_unavailable'
  | 'digest_unverified'
  | 'access_denied'
  | 'throttled'
  | 'timeout'
  | 'error';

export type FileKind = 'digest' | 'log';

/** One verdict on one file that was checked. */
export interface FileResult {
  readonly kind: FileKind;
  /** S3 key, or the path relative to --from-dir. */
  readonly key: string;
  readonly bucket: string;
  readonly status: 'valid' | 'INVALID';
  readonly reason: InvalidReason | null;
  /** The text after `INVALID: ` in the AWS CLI's line; null when valid. */
  readonly message: string | null;
  readonly sourceRegion: string;
  readonly backfill: boolean;
  /** For a log file: the digest that listed it. */
  readonly digestKey?: string;
}

export interface UnverifiedFile {
  readonly kind: FileKind;
  readonly key: string;
  readonly bucket: string;
  readonly reason: UnverifiedReason;
  readonly message: string;
  readonly sourceRegion: string;
  readonly backfill: boolean;
}

/** A range with no digests: logging or log file validation was off (null previous pointers). */
export interface Gap {
  readonly sourceRegion: string;
  readonly backfill: boolean;
  /** End of the older digest (the key's timestamp). */
  readonly start: Date;
  /** Start of the newer digest. */
  readonly end: Date;
}

/** Everything one chain (source region × standard|backfill) produced, in the AWS CLI's order. */
export type ChainEvent =
  | { readonly type: 'digest'; readonly result: FileResult; readonly logs: readonly LogSlot[]; readonly startTime: Date | null; readonly endTime: Date | null }
  | {
      readonly type: 'unverified-digest';
      readonly file: UnverifiedFile;
      readonly logs: readonly UnverifiedFile[];
      /**
       * The same logs, hashed anyway (aligned with `logs`): a log that does not match, or is
       * missing, proves tampering whatever the digest's signature; a match proves nothing.
       */
      readonly checked: readonly LogSlot[];
    }
  | { readonly type: 'gap'; readonly gap: Gap };

/** A log file result, filled in when its hash has been computed. */
export interface LogSlot {
  result: FileResult | UnverifiedFile | null;
}

export function isFileResult(value: FileResult | UnverifiedFile): value is FileResult {
  return 'status' in value;
}
