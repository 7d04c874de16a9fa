/**
 * Reading a digest file: gunzip, JSON, and the fields verification depends on (CONTROLS §4.2).
 * The uncompressed bytes are kept as delivered, because the signature covers their hash.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

export interface DigestLogEntry {
  readonly s3Bucket: string;
  readonly s3Object: string;
  readonly hashValue: string;
}

export interface DigestDocument {
  readonly digestStartTime: string;
  readonly digestEndTime: string;
  readonly digestS3Bucket: string;
  readonly digestS3Object: string;
  readonly digestPublicKeyFingerprint: string;
  readonly previousDigestSignature: string | null;
  readonly previousDigestS3Bucket: string | null;
  readonly previousDigestS3Object: string | null;
  readonly previousDigestHashValue: string | null;
  readonly logFiles: readonly DigestLogEntry[];
}

export interface ParsedDigest {
  readonly document: DigestDocument;
  /** hex SHA-256 of the uncompressed bytes, as signed and as the next digest records it. */
  readonly sha256: string;
}

/** The fields the AWS CLI requires before it looks at anything else. */
const REQUIRED = [
  'digestPublicKeyFingerprint',
  'digestS3Bucket',
  'digestS3Object',
  'previousDigestSignature',
  'digestEndTime',
  'digestStartTime',
] as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function logEntries(value: unknown): DigestLogEntry[] | null {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    return null;
  }
  const entries: DigestLogEntry[] = [];
  for (const item of value) {
    if (!isObject(item) || typeof item.s3Bucket !== 'string' || typeof item.s3Object !== 'string' || typeof item.hashValue !== 'string') {
      return null;
    }
    entries.push({ s3Bucket: item.s3Bucket, s3Object: item.s3Object, hashValue: item.hashValue });
  }
  return entries;
}

/** The largest inflated digest accepted: 64 MiB, far above any real one. */
export const MAX_DIGEST_BYTES = 64 * 1024 * 1024;

/** null when the bytes are not a gzip'd JSON digest with the required fields (`invalid_format`). */
export function parseDigest(gzipped: Uint8Array): ParsedDigest | null {
  let raw: Buffer;
  let json: unknown;
  try {
    // A digest lists at most a few thousand log files: its JSON is a few MB. A gzip bomb (a few MB
    // inflating to gigabytes) is cut off here instead of filling memory; it is invalid_format.
    raw = gunzipSync(gzipped, { maxOutputLength: MAX_DIGEST_BYTES });
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  if (!isObject(json) || REQUIRED.some((field) => !(field in json))) {
    return null;
  }
  const { digestStartTime, digestEndTime, digestS3Bucket, digestS3Object, digestPublicKeyFingerprint } = json;
  const logFiles = logEntries(json.logFiles);
  if (
    typeof digestStartTime !== 'string' ||
    typeof digestEndTime !== 'string' ||
    typeof digestS3Bucket !== 'string' ||
    typeof digestS3Object !== 'string' ||
    typeof digestPublicKeyFingerprint !== 'string' ||
    logFiles === null
  ) {
    return null;
  }
  return {
    document: {
      digestStartTime,
      digestEndTime,
      digestS3Bucket,
      digestS3Object,
      digestPublicKeyFingerprint,
      previousDigestSignature: optionalString(json.previousDigestSignature),
      previousDigestS3Bucket: optionalString(json.previousDigestS3Bucket),
      previousDigestS3Object: optionalString(json.previousDigestS3Object),
      previousDigestHashValue: optionalString(json.previousDigestHashValue),
      logFiles,
    },
    sha256: createHash('sha256').update(raw).digest('hex'),
  };
}
