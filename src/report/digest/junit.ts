/**
 * `trailaudit.junit.xml` for validate-logs: one testcase per digest and per log file; INVALID is a
 * `<failure>` (type = reason), a file that could not be verified is `<skipped>`; gaps, which are
 * not failures (logging was off), are listed in `<system-out>`.
 */
import { create } from 'xmlbuilder2';
import { displayDate } from '../../digest/time.js';
import type { FileResult, UnverifiedFile } from '../../digest/types.js';
import type { DigestReportModel } from './model.js';

// XML 1.0 cannot carry most control characters even escaped; keys and messages could hold them.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/gu;
const xml = (text: string): string => text.replace(INVALID_XML_CHARS, '\uFFFD');

function classname(file: FileResult | UnverifiedFile): string {
  const kind = file.kind === 'log' ? 'log' : file.backfill ? 'backfill-digest' : 'digest';
  return `validate-logs.${kind}.${file.sourceRegion}`;
}

export function formatDigestJunit(model: DigestReportModel): string {
  const failures = model.files.filter((file) => file.status === 'INVALID').length;
  const tests = model.files.length + model.unverified.length;
  const skipped = model.unverified.length;
  const time = ((model.context.finishedAt.getTime() - model.context.startedAt.getTime()) / 1000).toFixed(3);
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: 'trailaudit validate-logs',
    tests: String(tests),
    failures: String(failures),
    errors: '0',
    skipped: String(skipped),
    time,
  });
  const suite = root.ele('testsuite', {
    name: xml(`validate-logs ${model.context.trailArn}`),
    tests: String(tests),
    failures: String(failures),
    errors: '0',
    skipped: String(skipped),
    time,
    timestamp: model.context.startedAt.toISOString().replace(/\.\d{3}Z$/u, ''),
  });
  for (const item of model.timeline) {
    if (item.type === 'gap') {
      continue;
    }
    const { file } = item;
    const testcase = suite.ele('testcase', { classname: classname(file), name: xml(file.key), time: '0' });
    if (item.type === 'file' && item.file.status === 'INVALID') {
      const reason = item.file.reason ?? 'invalid';
      testcase.ele('failure', { message: xml(`${reason}: ${item.file.message ?? ''}`), type: reason }).txt(xml(model.context.url(file.bucket, file.key)));
    } else if (item.type === 'unverified') {
      testcase.ele('skipped', { message: xml(`${item.file.reason}: ${item.file.message}`) });
    }
  }
  const gapLines = model.gaps.map(
    (gap) => `${gap.sourceRegion}${gap.backfill ? ' (backfill)' : ''}: no log files were delivered between ${displayDate(gap.start)} and ${displayDate(gap.end)}`,
  );
  if (gapLines.length > 0) {
    suite.ele('system-out').txt(xml(gapLines.join('\n')));
  }
  return `${root.end({ prettyPrint: true })}\n`;
}
