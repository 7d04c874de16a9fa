/**
 * The validate-logs section of `trailaudit-logs.md`: the verdict, counts, every INVALID file with
 * its reason, the gaps and what could not be verified. Valid files are counted, not listed (there
 * are thousands); trailaudit-logs.json lists them all.
 */
import { displayDate } from '../chain/time.js';
import type { FileCategory, Tally } from '../chain/timeline.js';
import type { FileResult, Gap, UnverifiedFile } from '../chain/types.js';
import { hasMissingTail } from '../chain/chainEnds.js';
import { LOGS_REPORT_FILE_NAMES } from './formats.js';
import { nothingFound, overallStatus, type DigestReportModel } from './model.js';

/** Rows per table; the JSON report has the rest. */
const MAX_ROWS = 500;

/** The first MAX_ROWS INVALID files, gaps and unverified files, and how many of each there are. */
interface Listed {
  readonly invalid: FileResult[];
  readonly gaps: Gap[];
  readonly unverified: UnverifiedFile[];
  readonly total: { invalid: number; gaps: number; unverified: number };
}

function firstRows(model: DigestReportModel): Listed {
  const listed: Listed = { invalid: [], gaps: [], unverified: [], total: { invalid: 0, gaps: 0, unverified: 0 } };
  for (const item of model.timeline) {
    if (item.type === 'gap') {
      listed.total.gaps += 1;
      if (listed.gaps.length < MAX_ROWS) {
        listed.gaps.push(item.gap);
      }
    } else if (item.type === 'unverified') {
      listed.total.unverified += 1;
      if (listed.unverified.length < MAX_ROWS) {
        listed.unverified.push(item.file);
      }
    } else if (item.file.status === 'INVALID') {
      listed.total.invalid += 1;
      if (listed.invalid.length < MAX_ROWS) {
        listed.invalid.push(item.file);
      }
    }
  }
  return listed;
}

const more = (shown: number, total: number): string[] => (total > shown ? ['', `…and ${total - shown} more in ${LOGS_REPORT_FILE_NAMES.json}.`] : []);

const cell = (value: string): string => value.replace(/\s*[\r\n]+\s*/gu, ' ').replace(/[\\`*_[\]<>|~&]/gu, (c) => `\\${c}`);
const code = (value: string): string => {
  const text = value.replace(/\s*[\r\n]+\s*/gu, ' ');
  const longest = Math.max(0, ...[...text.matchAll(/`+/gu)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text}${fence}`.replace(/\|/gu, '\\|');
};

function kindLabel(file: FileResult | UnverifiedFile): string {
  return file.kind === 'log' ? 'log' : file.backfill ? 'backfill digest' : 'digest';
}

const VERDICT: Record<DigestReportModel['summary']['status'], string> = {
  valid: 'All digest and log files checked are **valid**.',
  INVALID: 'Some files are **INVALID**: logs were modified, deleted or forged, or digests were moved (see below).',
  incomplete: 'Nothing checked is INVALID, but **some files could not be verified** (see below).',
};

export function formatDigestMarkdown(model: DigestReportModel): string {
  const { context, summary } = model;
  const listed = firstRows(model);
  const lines: string[] = ['## CloudTrail log file integrity (validate-logs)', ''];
  lines.push(
    `Trail ${code(context.trailArn)}, account ${code(context.accountId)}, ${context.source.type === 's3' ? 'S3' : 'local copy'} ${code(context.source.location)}.`,
    '',
    `Requested ${displayDate(context.start)} to ${displayDate(context.end)}; ` +
      (summary.found === null ? 'no valid digest found in range.' : `results found for ${displayDate(summary.found.start)} to ${displayDate(summary.found.end)}.`),
    '',
    hasMissingTail(model.chainEnds)
      ? '**Digests are missing at the end of the chain** (see Missing tails): the run is incomplete, whatever was valid.'
      : nothingFound(model)
        ? '**No digest file was found**: nothing was verified.'
        : VERDICT[overallStatus(model)],
    '',
  );
  const row = (name: string, tally: Tally, category: FileCategory): string => `| ${name} | ${tally.valid} | ${tally.INVALID} | ${summary.unverified[category]} |`;
  lines.push(
    '| files | valid | INVALID | not verified |',
    '|---|---:|---:|---:|',
    row('digest files', summary.counts.digest, 'digest'),
    row('backfill digest files', summary.counts.backfillDigest, 'backfillDigest'),
    row('log files', summary.counts.log, 'log'),
    '',
  );
  lines.push('### Results by source Region', '', '| Region | results found | digest files valid / INVALID | log files valid / INVALID | not verified | chain ends |', '|---|---|---:|---:|---:|---|');
  for (const region of summary.regions) {
    const digests = region.counts.digest;
    const logs = region.counts.log;
    const notVerified = region.unverified.digest + region.unverified.backfillDigest + region.unverified.log;
    const found = region.found === null ? 'no valid digest' : `${displayDate(region.found.start)} to ${displayDate(region.found.end)}`;
    const missing = model.chainEnds.tails.some((tail) => tail.region === region.region && tail.kind === 'missing');
    const chainEnd = region.newestDigestEnd === null ? 'no digest' : displayDate(region.newestDigestEnd);
    lines.push(
      `| ${cell(region.region)} | ${found} | ${digests.valid} / ${digests.INVALID} | ${logs.valid} / ${logs.INVALID} | ${notVerified} | ${chainEnd}${missing ? ' **MISSING TAIL**' : ''} |`,
    );
  }
  lines.push('');
  if (model.chainEnds.tails.length > 0) {
    lines.push('### Missing tails', '', 'Digests are delivered hourly in every Region: a chain that stops more than two hours before the requested end (or before the other Regions) is missing its newest digests and the log files they list.', '');
    for (const tail of model.chainEnds.tails) {
      lines.push(`- ${tail.kind === 'missing' ? '**missing**' : 'gap (logging off)'}: ${cell(tail.message)}`);
    }
    lines.push('');
  }
  const status = model.chainEnds.trailStatus;
  lines.push(
    '### Trail status',
    '',
    status.state === 'read'
      ? `cloudtrail:GetTrailStatus: ${status.isLogging === null ? 'logging state not reported' : status.isLogging ? 'logging' : 'not logging'}` +
          `; latest digest delivery ${status.latestDigestDeliveryTime === null ? 'not reported' : displayDate(status.latestDigestDeliveryTime)}` +
          (status.stopLoggingTime === null ? '' : `; stopped logging ${displayDate(status.stopLoggingTime)}`) +
          (status.latestDigestDeliveryError === null ? '' : `; latest digest delivery error ${code(status.latestDigestDeliveryError)}`) +
          '.'
      : status.state === 'unreadable'
        ? `cloudtrail:GetTrailStatus could not be read (${code(status.reason)}): ${cell(status.message)}`
        : `cloudtrail:GetTrailStatus was not read (${cell(status.message)}).`,
    '',
  );
  for (const note of model.chainEnds.notes) {
    lines.push(`- ${cell(note)}`);
  }
  if (model.chainEnds.notes.length > 0) {
    lines.push('');
  }
  if (listed.invalid.length > 0) {
    lines.push('### INVALID files', '', '| kind | key | reason | detail |', '|---|---|---|---|');
    for (const file of listed.invalid) {
      lines.push(`| ${kindLabel(file)} | ${code(file.key)} | ${code(file.reason ?? '')} | ${cell(file.message ?? '')} |`);
    }
    lines.push(...more(listed.invalid.length, listed.total.invalid), '');
  }
  if (listed.gaps.length > 0) {
    lines.push('### Gaps (no digests: logging or log file validation was off)', '');
    for (const gap of listed.gaps) {
      lines.push(`- ${cell(gap.sourceRegion)}${gap.backfill ? ' (backfill)' : ''}: no log files were delivered between ${displayDate(gap.start)} and ${displayDate(gap.end)}`);
    }
    lines.push(...more(listed.gaps.length, listed.total.gaps), '');
  }
  if (listed.unverified.length > 0) {
    lines.push('### Not verified', '', '| kind | key | why |', '|---|---|---|');
    for (const file of listed.unverified) {
      lines.push(`| ${kindLabel(file)} | ${code(file.key)} | ${cell(`${file.reason}: ${file.message}`)} |`);
    }
    lines.push(...more(listed.unverified.length, listed.total.unverified), '');
  }
  return lines.join('\n');
}
