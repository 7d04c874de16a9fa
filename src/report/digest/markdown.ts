/**
 * The validate-logs section of `trailaudit.md`: the verdict, counts, every INVALID file with its
 * reason, the gaps and what could not be verified. Valid files are counted, not listed (there are
 * thousands); trailaudit.json lists them all.
 */
import { displayDate } from '../../digest/time.js';
import type { FileResult, UnverifiedFile } from '../../digest/types.js';
import type { DigestReportModel, Tally } from './model.js';

/** Rows per table; the JSON report has the rest. */
const MAX_ROWS = 500;

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

const VERDICT: Record<DigestReportModel['status'], string> = {
  valid: 'All digest and log files checked are **valid**.',
  INVALID: 'Some files are **INVALID**: logs were modified, deleted or forged, or digests were moved (see below).',
  incomplete: 'Nothing checked is INVALID, but **some files could not be verified** (see below).',
};

export function formatDigestMarkdown(model: DigestReportModel): string {
  const { context } = model;
  const lines: string[] = ['## CloudTrail log file integrity (validate-logs)', ''];
  lines.push(
    `Trail ${code(context.trailArn)}, account ${code(context.accountId)}, ${context.source.type === 's3' ? 'S3' : 'local copy'} ${code(context.source.location)}.`,
    '',
    `Requested ${displayDate(context.start)} to ${displayDate(context.end)}; ` +
      (model.found === null ? 'no valid digest found in range.' : `results found for ${displayDate(model.found.start)} to ${displayDate(model.found.end)}.`),
    '',
    VERDICT[model.status],
    '',
  );
  const unverifiedOf = (kind: 'digest' | 'backfill digest' | 'log'): number => model.unverified.filter((file) => kindLabel(file) === kind).length;
  const row = (name: string, tally: Tally, kind: 'digest' | 'backfill digest' | 'log'): string =>
    `| ${name} | ${tally.valid} | ${tally.INVALID} | ${unverifiedOf(kind)} |`;
  lines.push(
    '| files | valid | INVALID | not verified |',
    '|---|---:|---:|---:|',
    row('digest files', model.counts.digest, 'digest'),
    row('backfill digest files', model.counts.backfillDigest, 'backfill digest'),
    row('log files', model.counts.log, 'log'),
    '',
  );
  const invalid = model.files.filter((file) => file.status === 'INVALID');
  if (invalid.length > 0) {
    lines.push('### INVALID files', '', '| kind | key | reason | detail |', '|---|---|---|---|');
    for (const file of invalid.slice(0, MAX_ROWS)) {
      lines.push(`| ${kindLabel(file)} | ${code(file.key)} | ${code(file.reason ?? '')} | ${cell(file.message ?? '')} |`);
    }
    if (invalid.length > MAX_ROWS) {
      lines.push('', `…and ${invalid.length - MAX_ROWS} more in trailaudit.json.`);
    }
    lines.push('');
  }
  if (model.gaps.length > 0) {
    lines.push('### Gaps (no digests: logging or log file validation was off)', '');
    for (const gap of model.gaps) {
      lines.push(`- ${cell(gap.sourceRegion)}${gap.backfill ? ' (backfill)' : ''}: no log files were delivered between ${displayDate(gap.start)} and ${displayDate(gap.end)}`);
    }
    lines.push('');
  }
  if (model.unverified.length > 0) {
    lines.push('### Not verified', '', '| kind | key | why |', '|---|---|---|');
    for (const file of model.unverified.slice(0, MAX_ROWS)) {
      lines.push(`| ${kindLabel(file)} | ${code(file.key)} | ${cell(`${file.reason}: ${file.message}`)} |`);
    }
    if (model.unverified.length > MAX_ROWS) {
      lines.push('', `…and ${model.unverified.length - MAX_ROWS} more in trailaudit.json.`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
