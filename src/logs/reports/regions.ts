/**
 * One line per source Region, shared by the terminal, JUnit and Markdown: the AWS CLI's "Results
 * found" for that Region alone, its counts, and where its chain ends too early.
 */
import type { ChainTail } from '../chain/chainEnds.js';
import { displayDate } from '../chain/time.js';
import type { RegionSummary, Tally } from '../chain/timeline.js';

function counts(region: RegionSummary): string {
  const parts: string[] = [];
  const ratio = (tally: Tally, name: string): void => {
    const total = tally.valid + tally.INVALID;
    if (total > 0) {
      parts.push(`${tally.valid}/${total} ${name} files valid${tally.INVALID > 0 ? `, ${tally.INVALID}/${total} ${name} files INVALID` : ''}`);
    }
  };
  ratio(region.counts.digest, 'digest');
  ratio(region.counts.backfillDigest, 'backfill digest');
  ratio(region.counts.log, 'log');
  const unverified = region.unverified.digest + region.unverified.backfillDigest + region.unverified.log;
  if (unverified > 0) {
    parts.push(`${unverified} files not verified`);
  }
  return parts.length === 0 ? 'no digest files' : parts.join(', ');
}

/** `Results found in us-east-1 for A to B: 42/42 digest files valid, …[, MISSING TAIL …]` */
export function regionLine(region: RegionSummary, tails: readonly ChainTail[]): string {
  const found = region.found === null ? `No valid digests found in ${region.region}` : `Results found in ${region.region} for ${displayDate(region.found.start)} to ${displayDate(region.found.end)}`;
  const tailText = tails.map((tail) =>
    tail.kind === 'missing'
      ? `MISSING TAIL from ${displayDate(tail.start)} to ${displayDate(tail.end)} (about ${String(tail.expectedDigests)} digest files)`
      : `logging off from ${displayDate(tail.start)} to ${displayDate(tail.end)}`,
  );
  return `${found}: ${[counts(region), ...tailText].join(', ')}`;
}
