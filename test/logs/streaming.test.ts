/**
 * What keeps validate-logs' memory flat: verdicts leave the run as soon as they are final (in the
 * AWS CLI's order even though log files finish hashing in any order), go to a spill journal on
 * disk, and come back once per report, which is written chunk by chunk.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { writeFileAtomic } from '../../src/cli/files.js';
import { SpillJournal } from '../../src/cli/spillJournal.js';
import { ChainOutput } from '../../src/logs/chain/chainOutput.js';
import { MemoryJournal, SummaryCounter, type TimelineItem } from '../../src/logs/chain/timeline.js';
import type { FileResult, Gap, LogSlot } from '../../src/logs/chain/types.js';
import { formatDigestJson } from '../../src/logs/reports/json.js';
import { formatDigestJunit } from '../../src/logs/reports/junit.js';
import { formatDigestMarkdown } from '../../src/logs/reports/markdown.js';
import type { DigestReportModel } from '../../src/logs/reports/model.js';

const JUNIT_XSD = readFileSync(new URL('../schemas/junit.xsd', import.meta.url), 'utf8');
const REQUESTED = { start: new Date('2025-03-01T00:00:00Z'), end: new Date('2025-03-02T00:00:00Z') };
const common = { bucket: 'b', sourceRegion: 'us-east-1', backfill: false };

const digest = (key: string): FileResult => ({ ...common, kind: 'digest', key, status: 'valid', reason: null, message: null });
const log = (key: string, valid = true): FileResult =>
  valid
    ? { ...common, kind: 'log', key, status: 'valid', reason: null, message: null, digestKey: 'd' }
    : { ...common, kind: 'log', key, status: 'INVALID', reason: 'hash_mismatch', message: "hash value doesn't match", digestKey: 'd' };
const gap = (hour: number): Gap => ({ ...common, start: new Date(Date.UTC(2025, 2, 1, hour)), end: new Date(Date.UTC(2025, 2, 1, hour + 1)) });
const keysOf = (items: Iterable<TimelineItem>): string[] => [...items].map((item) => (item.type === 'gap' ? `gap@${item.gap.start.toISOString()}` : item.file.key));

function model(journal: Iterable<TimelineItem>, counter: SummaryCounter): DigestReportModel {
  return {
    context: {
      toolVersion: '0', trailArn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', accountId: '111122223333', homeRegion: 'us-east-1', bucket: 'b', prefix: null,
      organizationTrail: false, source: { type: 's3', location: 's3://b/' }, ...REQUESTED, startedAt: new Date('2025-03-03T00:00:00Z'),
      finishedAt: new Date('2025-03-03T00:00:02Z'), apiCalls: {}, logBytes: 0, url: (bucket, key) => `s3://${bucket}/${key}`,
    },
    summary: counter.summary(),
    chainEnds: { tails: [], notes: [], trailStatus: { state: 'not_read' as const, message: 'unit test' } },
    timeline: journal,
  };
}

describe('validate-logs streaming (bounded memory)', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'trailaudit-streaming-'));
  });
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('hands events on in emit order, each only when all its log files are hashed', () => {
    const journal = new MemoryJournal();
    const counter = new SummaryCounter(REQUESTED);
    const output = new ChainOutput(journal.segment(), counter);
    const first: LogSlot[] = [{ result: null }, { result: null }];
    const second: LogSlot[] = [{ result: null }];
    output.push({ type: 'digest', result: digest('d2'), logs: first, startTime: new Date('2025-03-01T01:00:00Z'), endTime: new Date('2025-03-01T02:00:00Z') });
    output.push({ type: 'gap', gap: gap(0) });
    output.push({ type: 'digest', result: digest('d1'), logs: second, startTime: new Date('2025-02-28T23:00:00Z'), endTime: new Date('2025-03-01T00:00:00Z') });
    assert.deepEqual(keysOf(journal), [], 'the head digest still waits for its logs');
    // The older digest's log and the head's second log finish first: nothing may overtake the head.
    second[0] = Object.assign(second[0]!, { result: log('l3') });
    first[1] = Object.assign(first[1]!, { result: log('l2', false) });
    output.flush();
    assert.deepEqual(keysOf(journal), []);
    assert.equal(output.waiting, 3);
    first[0] = Object.assign(first[0]!, { result: log('l1') });
    output.flush();
    assert.deepEqual(keysOf(journal), ['d2', 'l1', 'l2', 'gap@2025-03-01T00:00:00.000Z', 'd1', 'l3']);
    assert.equal(output.waiting, 0);
    const summary = counter.summary();
    assert.deepEqual(summary.counts.log, { valid: 2, INVALID: 1 });
    assert.deepEqual(summary.counts.digest, { valid: 2, INVALID: 0 });
    assert.equal(summary.gaps, 1);
    assert.equal(summary.status, 'INVALID');
    // d1 started before the requested range: "found" is clipped to it.
    assert.deepEqual(summary.found, { start: new Date('2025-03-01T00:00:00Z'), end: new Date('2025-03-01T02:00:00Z') });
  });

  it('spills segments to disk and reads them back in the order they were opened, any number of times', () => {
    const journal = SpillJournal.create();
    assert.ok(existsSync(journal.folder));
    try {
      const a = journal.segment();
      const b = journal.segment();
      // Long keys with multi-byte characters: lines cross the 64 KB read chunks mid-character.
      const wide = (n: number): string => `AWSLogs/é😀/${String(n)}/${'ü€'.repeat(20_000)}`;
      for (let n = 0; n < 20; n += 1) {
        b.append({ type: 'file', file: log(`b${String(n)}`) });
        a.append({ type: 'file', file: log(wide(n)) });
      }
      a.append({ type: 'gap', gap: gap(5) });
      const expected = [...Array.from({ length: 20 }, (_, n) => wide(n)), 'gap@2025-03-01T05:00:00.000Z', ...Array.from({ length: 20 }, (_, n) => `b${String(n)}`)];
      assert.deepEqual(keysOf(journal), expected);
      assert.deepEqual(keysOf(journal), expected, 'a second pass reads the same');
      const revived = [...journal].find((item) => item.type === 'gap');
      assert.ok(revived?.type === 'gap' && revived.gap.end instanceof Date && revived.gap.end.toISOString() === '2025-03-01T06:00:00.000Z');
    } finally {
      journal.dispose();
    }
    assert.equal(existsSync(journal.folder), false, 'dispose deletes the spill folder');
  });

  it('writes a report made in chunks atomically: a failure midway leaves the old file and no temp file', () => {
    const path = join(scratch, 'report.json');
    writeFileAtomic(path, (function* chunks() {
      for (let n = 0; n < 10_000; n += 1) {
        yield `${String(n)},`;
      }
    })());
    assert.equal(readFileSync(path, 'utf8'), Array.from({ length: 10_000 }, (_, n) => `${String(n)},`).join(''));
    writeFileSync(path, 'previous');
    assert.throws(
      () => {
        writeFileAtomic(path, (function* failing() {
          yield 'x'.repeat(200_000);
          throw new Error('renderer failed');
        })());
      },
      /renderer failed/u,
    );
    assert.equal(readFileSync(path, 'utf8'), 'previous');
    assert.deepEqual(readdirSync(scratch), ['report.json']);
  });

  it('renders JSON, JUnit and Markdown from the journal: every file, totals from the summary, valid XML', async () => {
    const journal = SpillJournal.create();
    try {
      const counter = new SummaryCounter(REQUESTED);
      const output = new ChainOutput(journal.segment(), counter);
      output.push({ type: 'gap', gap: gap(3) });
      for (let d = 0; d < 3; d += 1) {
        const logs = Array.from({ length: 400 }, (_, n) => ({ result: log(`d${String(d)}/l${String(n)}`, n % 100 !== 7) }));
        output.push({ type: 'digest', result: digest(`d${String(d)}`), logs, startTime: new Date(Date.UTC(2025, 2, 1, d)), endTime: new Date(Date.UTC(2025, 2, 1, d + 1)) });
      }
      const report = model(journal, counter);
      const json = JSON.parse([...formatDigestJson(report)].join('')) as { summary: { log: { valid: number; INVALID: number }; gaps: number }; files: { key: string; status: string }[]; gaps: unknown[]; unverified: unknown[] };
      assert.equal(json.files.length, 1203);
      assert.deepEqual(json.files.slice(0, 3).map((file) => file.key), ['d0', 'd0/l0', 'd0/l1']);
      assert.deepEqual(json.summary.log, { valid: 1188, INVALID: 12 });
      assert.equal(json.files.filter((file) => file.status === 'INVALID').length, 12);
      assert.equal(json.gaps.length, 1);
      assert.deepEqual(json.unverified, []);

      const junit = [...formatDigestJunit(report)].join('');
      const validation = await validateXML({ xml: [{ fileName: 'trailaudit-logs.junit.xml', contents: junit }], schema: [JUNIT_XSD] });
      assert.equal(validation.valid, true, JSON.stringify(validation.errors));
      // One testcase per file, and one per source Region (its chain's end).
      assert.match(junit, /<testsuites name="trailaudit validate-logs" tests="1204" failures="12" errors="0"/u);
      assert.equal((junit.match(/<testcase /gu) ?? []).length, 1204);
      assert.match(junit, /<testcase classname="validate-logs\.region\.us-east-1" name="us-east-1: digest chain reaches the requested end" time="0">\s*<system-out>Results found in us-east-1 for 2025-03-01T00:00:00Z to 2025-03-01T03:00:00Z: 3\/3 digest files valid, 1188\/1200 log files valid, 12\/1200 log files INVALID<\/system-out>/u);
      assert.match(junit, /<system-out>us-east-1: no log files were delivered between 2025-03-01T03:00:00Z and 2025-03-01T04:00:00Z<\/system-out>/u);

      const markdown = formatDigestMarkdown(report);
      assert.match(markdown, /\| log files \| 1188 \| 12 \| 0 \|/u);
      assert.equal((markdown.match(/\| log \| `d\d\/l\d+` \| `hash_mismatch` \|/gu) ?? []).length, 12);
    } finally {
      journal.dispose();
    }
  });

  it('lists at most 500 rows per Markdown table and says how many more are in the JSON', () => {
    const journal = new MemoryJournal();
    const counter = new SummaryCounter(REQUESTED);
    const output = new ChainOutput(journal.segment(), counter);
    output.push({ type: 'digest', result: digest('d'), logs: Array.from({ length: 650 }, (_, n) => ({ result: log(`l${String(n)}`, false) })), startTime: null, endTime: null });
    const markdown = formatDigestMarkdown(model(journal, counter));
    assert.equal((markdown.match(/\| log \| `l\d+` \|/gu) ?? []).length, 500);
    assert.match(markdown, /…and 150 more in trailaudit-logs\.json\./u);
  });
});
