/**
 * `--history s3://bucket/prefix`: the bucket and key prefix a history lives under, and the URL of
 * each object (what every message names). Same layout as a folder: `<prefix>/index.json`,
 * `<prefix>/runs/<file>.json`.
 */
import { UsageError } from '../errors.js';

export interface S3Location {
  readonly bucket: string;
  /** Without leading or trailing slashes; '' for the bucket's root. */
  readonly prefix: string;
}

/** S3's bucket naming rules (3-63 characters, lower case, digits, dots, hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/u;

export function isS3Url(location: string): boolean {
  return /^s3:\/\//iu.test(location);
}

export function parseS3Location(location: string): S3Location {
  const rest = location.replace(/^s3:\/\//iu, '');
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  // A trailing slash is how prefixes are often written; a leading one (`s3://b//x`) is an empty
  // segment like any other, refused below.
  const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/u, '');
  if (bucket === '') {
    throw new UsageError(`--history ${location}: names no bucket (expected s3://bucket or s3://bucket/prefix)`);
  }
  if (!BUCKET.test(bucket)) {
    throw new UsageError(`--history ${location}: ${JSON.stringify(bucket)} is not an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)`);
  }
  // S3 keys are not paths: `a/../b` is a key under `a/`, not `b`. Refused, as is an empty
  // segment (`a//b`), rather than a history somewhere other than where the URL seems to point.
  if (prefix !== '' && prefix.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new UsageError(`--history ${location}: the prefix has an empty, "." or ".." segment, which S3 would keep literally; write the prefix out`);
  }
  return { bucket, prefix };
}

/** The object key of `name` (`index.json`, `runs/…`) in the history. */
export function keyOf(location: S3Location, name: string): string {
  return location.prefix === '' ? name : `${location.prefix}/${name}`;
}

export function urlOf(location: S3Location, key: string): string {
  return `s3://${location.bucket}/${key}`;
}

export function displayLocation(location: S3Location): string {
  return location.prefix === '' ? `s3://${location.bucket}` : `s3://${location.bucket}/${location.prefix}`;
}
