/**
 * `trailaudit.junit.xml` for validate-logs: one testcase per digest and per log file; INVALID is a
 * `<failure>` (type = reason), a file that could not be verified is `<skipped>`; gaps, which are
 * not failures (logging was off), are listed in `<system-out>`. Written through xmlbuilder2's
 * streaming builder and yielded testcase by testcase: the document is never held whole.
 */
import { createCB } from 'xmlbuilder2';
import { displayDate } from '../chain/time.js';
import { gapsOf, type FileCategory } from '../chain/timeline.js';
import type { FileResult, UnverifiedFile } from '../chain/types.js';
import { xmlText } from '../../report/xmlText.js';
import { regionLine } from './regions.js';
import { nothingFound, unverifiedTotal, type DigestReportModel } from './model.js';

/** Why a Region's chain testcase is an error: a missing tail, or (home Region) no digest at all. */
function regionError(model: DigestReportModel, region: string): { type: string; message: string; detail: string } | null {
  const missing = model.chainEnds.tails.filter((tail) => tail.region === region && tail.kind === 'missing');
  if (missing.length > 0) {
    return {
      type: 'missing_tail',
      message: missing.map((tail) => `missing tail from ${displayDate(tail.start)} to ${displayDate(tail.end)}`).join('; '),
      detail: [...missing.map((tail) => tail.message), ...model.chainEnds.notes].join('\n'),
    };
  }
  if (region === model.context.homeRegion && nothingFound(model)) {
    return { type: 'no_digests', message: 'no digest file of this trail was found for the requested range', detail: 'nothing was verified' };
  }
  return null;
}

// Keys and messages could hold characters XML 1.0 cannot carry (controls, lone surrogates).
const xml = xmlText;

function classname(file: FileResult | UnverifiedFile): string {
  const kind = file.kind === 'log' ? 'log' : file.backfill ? 'backfill-digest' : 'digest';
  return `validate-logs.${kind}.${file.sourceRegion}`;
}

const CATEGORIES: readonly FileCategory[] = ['digest', 'backfillDigest', 'log'];

export function* formatDigestJunit(model: DigestReportModel): Generator<string> {
  const { context, summary } = model;
  const checked = CATEGORIES.reduce((sum, category) => sum + summary.counts[category].valid + summary.counts[category].INVALID, 0);
  const failures = CATEGORIES.reduce((sum, category) => sum + summary.counts[category].INVALID, 0);
  const skipped = unverifiedTotal(summary);
  const regionErrors = summary.regions.map((region) => regionError(model, region.region));
  const errors = regionErrors.filter((error) => error !== null).length;
  const tests = checked + skipped + summary.regions.length;
  const time = ((context.finishedAt.getTime() - context.startedAt.getTime()) / 1000).toFixed(3);
  const totals = { tests: String(tests), failures: String(failures), errors: String(errors), skipped: String(skipped), time };

  let pending: string[] = [];
  const writer = createCB({ data: (chunk: string) => pending.push(chunk), prettyPrint: true });
  const take = (): string => {
    const text = pending.join('');
    pending = [];
    return text;
  };

  writer.dec({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', { name: 'trailaudit validate-logs', ...totals });
  writer.ele('testsuite', { name: xml(`validate-logs ${context.trailArn}`), ...totals, timestamp: context.startedAt.toISOString().replace(/\.\d{3}Z$/u, '') });
  // One testcase per source Region first: its "Results found" and whether its chain reaches the
  // requested end. A missing tail is an <error> (evidence that should exist and does not, exit 3).
  summary.regions.forEach((region, index) => {
    const testcase = writer.ele('testcase', { classname: `validate-logs.region.${xml(region.region)}`, name: xml(`${region.region}: digest chain reaches the requested end`), time: '0' });
    const error = regionErrors[index];
    if (error !== null && error !== undefined) {
      testcase.ele('error', { message: xml(error.message), type: error.type }).txt(xml(error.detail)).up();
    }
    testcase.ele('system-out').txt(xml(regionLine(region, model.chainEnds.tails.filter((tail) => tail.region === region.region)))).up();
    testcase.up();
  });
  yield take();
  for (const item of model.timeline) {
    if (item.type === 'gap') {
      continue;
    }
    const { file } = item;
    const testcase = writer.ele('testcase', { classname: classname(file), name: xml(file.key), time: '0' });
    if (item.type === 'file' && item.file.status === 'INVALID') {
      const reason = item.file.reason ?? 'invalid';
      testcase.ele('failure', { message: xml(`${reason}: ${item.file.message ?? ''}`), type: reason }).txt(xml(context.url(file.bucket, file.key))).up();
    } else if (item.type === 'unverified') {
      testcase.ele('skipped', { message: xml(`${item.file.reason}: ${item.file.message}`) }).up();
    }
    testcase.up();
    yield take();
  }
  const quietTails = model.chainEnds.tails.filter((tail) => tail.kind === 'logging_off');
  if (summary.gaps > 0 || quietTails.length > 0 || model.chainEnds.notes.length > 0) {
    const out = writer.ele('system-out');
    let first = true;
    for (const line of [...quietTails.map((tail) => tail.message), ...model.chainEnds.notes]) {
      out.txt(xml(first ? line : `\n${line}`));
      first = false;
    }
    for (const gap of gapsOf(model.timeline)) {
      const line = `${gap.sourceRegion}${gap.backfill ? ' (backfill)' : ''}: no log files were delivered between ${displayDate(gap.start)} and ${displayDate(gap.end)}`;
      out.txt(xml(first ? line : `\n${line}`));
      first = false;
      yield take();
    }
    out.up();
  }
  writer.up().up().end();
  yield `${take()}\n`;
}
