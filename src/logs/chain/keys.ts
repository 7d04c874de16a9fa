/**
 * Where CloudTrail puts digest files (CONTROLS §4.1) and which keys belong to one trail's chain.
 *
 *   [prefix/]AWSLogs/[o-org/]<account>/CloudTrail-Digest/<source-region>/YYYY/MM/DD/
 *     <account>_CloudTrail-Digest_<source-region>_<trail>_<home-region>_<YYYYMMDDTHHMMSSZ>[_backfill].json.gz
 */
import { addMinutes, compactDate, dateFolders } from './time.js';

/** One chain's location: a trail's digests from one source region for one account. */
export interface ChainLocation {
  /** The trail's S3 key prefix, without a trailing slash; null when none. */
  readonly prefix: string | null;
  /** Set for organization trails: `o-…`. */
  readonly organizationId: string | null;
  readonly accountId: string;
  readonly sourceRegion: string;
  readonly trailName: string;
  readonly homeRegion: string;
}

/** `[prefix/]AWSLogs/[o-org/]<account>/` */
export function accountBase(prefix: string | null, organizationId: string | null, accountId: string): string {
  const org = organizationId === null ? '' : `${organizationId}/`;
  return `${prefix === null || prefix === '' ? '' : `${prefix}/`}AWSLogs/${org}${accountId}/`;
}

/** The folder whose sub-folders are the source regions. */
export function digestRootPrefix(prefix: string | null, organizationId: string | null, accountId: string): string {
  return `${accountBase(prefix, organizationId, accountId)}CloudTrail-Digest/`;
}

/** Listing prefix for one source region (with the trailing slash, so `us-east-1` never matches `us-east-1x`). */
export function digestListPrefix(location: ChainLocation): string {
  return `${digestRootPrefix(location.prefix, location.organizationId, location.accountId)}${location.sourceRegion}/`;
}

function fileName(location: ChainLocation, stamp: string): string {
  const { accountId, sourceRegion, trailName, homeRegion } = location;
  return `${accountId}_CloudTrail-Digest_${sourceRegion}_${trailName}_${homeRegion}_${stamp}.json.gz`;
}

/** The key a digest ending at `end` would have (tests and fixtures write these). */
export function digestKey(location: ChainLocation, end: Date, backfill = false): string {
  const name = fileName(location, compactDate(end));
  return `${digestListPrefix(location)}${dateFolders(end)}/${backfill ? name.replace(/\.json\.gz$/u, '_backfill.json.gz') : name}`;
}

/**
 * Where listing starts: the key a digest ending one minute before `start` would have, so that a
 * digest ending exactly at `start` is included (as the AWS CLI does).
 */
export function startMarker(location: ChainLocation, start: Date): string {
  return digestKey(location, addMinutes(start, -1));
}

// Only syntax characters: in Unicode mode an escaped `-` outside a class is an error.
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');

/** Keys of this trail's chain only: other trails, accounts and regions share the folders. */
export function digestKeyPattern(location: ChainLocation): RegExp {
  const { accountId, sourceRegion, trailName, homeRegion } = location;
  return new RegExp(
    `^${escape(digestListPrefix(location))}\\d+/\\d+/\\d+/${escape(accountId)}_CloudTrail-Digest_` +
      `${escape(sourceRegion)}_${escape(trailName)}_${escape(homeRegion)}_\\d{8}T\\d{6}Z(?:_backfill)?\\.json\\.gz$`,
    'u',
  );
}

export function isBackfillKey(key: string): boolean {
  return key.endsWith('_backfill.json.gz');
}

/** The `YYYYMMDDTHHMMSSZ` a digest key ends with: the digest's end time. */
export function keyStamp(key: string): string {
  return isBackfillKey(key) ? key.slice(-33, -17) : key.slice(-24, -8);
}

/**
 * Sorts listed keys into a chain's standard and backfill digests within [start, end + 1 h] (a
 * digest delivered just after `end` still covers logs delivered before it). Keys arrive in S3
 * order, which for one trail is chronological, so the first key past the range ends the listing.
 */
export class DigestKeySelector {
  readonly standard: string[] = [];
  readonly backfill: string[] = [];
  private readonly pattern: RegExp;
  private readonly from: string;
  private readonly to: string;

  constructor(location: ChainLocation, start: Date, end: Date) {
    this.pattern = digestKeyPattern(location);
    this.from = compactDate(start);
    this.to = compactDate(addMinutes(end, 60));
  }

  /** false once the listing has gone past the range. */
  add(key: string): boolean {
    if (!this.pattern.test(key)) {
      return true;
    }
    const stamp = keyStamp(key);
    if (stamp > this.to) {
      return false;
    }
    if (stamp < this.from) {
      return true;
    }
    (isBackfillKey(key) ? this.backfill : this.standard).push(key);
    return true;
  }
}
