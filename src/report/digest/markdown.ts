/**
 * The validate-logs section of `trailaudit.md`: the verdict, counts, every INVALID file with its
 * reason, the gaps and what could not be verified. Valid files are counted, not listed (there are
 * thousands); trailaudit.json lists them all.
 */
import { displayDate } from '../../digest/time.js';
import type { FileCategory, Tally } from '../../digest/timeline.js';
import type { FileResult, Gap, UnverifiedFile } from '../../digest/types.js';
import type { DigestReportModel } from './model.js';

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

const more = (shown: number, total: number): string[] => (total > shown ? ['', `…and ${total - shown} more in trailaudit.json.`] : []);

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
    VERDICT[summary.status],
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
