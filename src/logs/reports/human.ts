/**
 * The lines `aws cloudtrail validate-logs --verbose` prints, with its spacing: status lines for
 * valid files on stdout (only when verbose), INVALID files and gaps on stderr followed by a blank
 * line, then the summary on stdout. Files that could not be verified (which the AWS CLI cannot
 * have) get `UNVERIFIED:` lines in the same style.
 */
import { displayDate } from '../chain/time.js';
import type { Tally } from '../chain/timeline.js';
import type { FileResult, UnverifiedFile } from '../chain/types.js';
import { nothingFound, unverifiedTotal, type DigestReportModel } from './model.js';
import { regionLine } from './regions.js';

export interface OutputChunk {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

function label(file: FileResult | UnverifiedFile): string {
  if (file.kind === 'log') {
    return 'Log file';
  }
  return file.backfill ? '(backfill) Digest file' : 'Digest file';
}

/** Chunks in order, yielded as they are made: a verbose run prints a line per file. */
export function* formatHuman(model: DigestReportModel, options: { verbose: boolean }): Generator<OutputChunk> {
  const { context, summary } = model;
  let chunks: OutputChunk[] = [];
  const out = (text: string): void => {
    chunks.push({ stream: 'stdout', text });
  };
  const drain = (): OutputChunk[] => {
    const ready = chunks;
    chunks = [];
    return ready;
  };
  // The CLI tracks whether the last status ended with a blank line, to space error lines.
  const spacing = { lastDoubleSpaced: true };
  const status = (message: string, isError: boolean): void => {
    if (isError) {
      chunks.push({ stream: 'stderr', text: spacing.lastDoubleSpaced ? `${message}\n\n` : `\n${message}\n\n` });
      spacing.lastDoubleSpaced = true;
    } else if (options.verbose) {
      out(`${message}\n`);
      spacing.lastDoubleSpaced = false;
    }
  };
  out(`Validating log files for trail ${context.trailArn} between ${displayDate(context.start)} and ${displayDate(context.end)}\n\n`);
  for (const item of model.timeline) {
    if (item.type === 'gap') {
      const prefix = item.gap.backfill ? '(backfill) ' : '';
      status(`${prefix}No log files were delivered by CloudTrail between ${displayDate(item.gap.start)} and ${displayDate(item.gap.end)}`, true);
    } else if (item.type === 'file') {
      const { file } = item;
      const where = `${label(file)}\t${context.url(file.bucket, file.key)}`;
      status(file.status === 'valid' ? `${where}\tvalid` : `${where}\tINVALID: ${file.message ?? file.reason ?? ''}`, file.status !== 'valid');
    } else {
      const { file } = item;
      // One line per digest is enough unless asked: its log files share the digest's reason.
      if (file.reason !== 'digest_unverified' || options.verbose) {
        status(`${label(file)}\t${context.url(file.bucket, file.key)}\tUNVERIFIED: ${file.message}`, true);
      }
    }
    yield* drain();
  }
  for (const tail of model.chainEnds.tails) {
    status(tail.kind === 'missing' ? `MISSING TAIL: ${tail.message}` : `Gap: ${tail.message}`, true);
  }
  for (const note of model.chainEnds.notes) {
    status(`Note: ${note}`, true);
  }
  if (nothingFound(model)) {
    status('Nothing was verified: no digest file of this trail was found for the requested range', true);
  }
  if (!spacing.lastDoubleSpaced) {
    out('\n');
  }
  out(`Results requested for ${displayDate(context.start)} to ${displayDate(context.end)}\n`);
  const { digest, backfillDigest, log } = summary.counts;
  const anyDigest = digest.valid + digest.INVALID + backfillDigest.valid + backfillDigest.INVALID > 0;
  const unverifiedDigests = summary.unverified.digest + summary.unverified.backfillDigest;
  if (!anyDigest && unverifiedDigests === 0) {
    out('No digests found\n');
  } else {
    out(summary.found === null ? 'No valid digests found in range\n' : `Results found for ${displayDate(summary.found.start)} to ${displayDate(summary.found.end)}:\n`);
    const ratio = (tally: Tally, name: string): void => {
      const total = tally.valid + tally.INVALID;
      if (total > 0) {
        out(`\n${tally.valid}/${total} ${name} files valid${tally.INVALID > 0 ? `, ${tally.INVALID}/${total} ${name} files INVALID` : ''}`);
      }
    };
    ratio(digest, 'digest');
    ratio(backfillDigest, 'backfill digest');
    ratio(log, 'log');
    if (unverifiedTotal(summary) > 0) {
      out(`\n${unverifiedDigests} digest files and ${summary.unverified.log} log files could not be verified (UNVERIFIED above)`);
    }
    out('\n');
  }
  // The AWS CLI has one "Results found" for all Regions together, which hides a Region whose chain
  // stops early: each Region gets its own line.
  out('\n');
  for (const region of summary.regions) {
    out(`${regionLine(region, model.chainEnds.tails.filter((tail) => tail.region === region.region))}\n`);
  }
  yield* drain();
}
