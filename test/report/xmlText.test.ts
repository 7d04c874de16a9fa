/**
 * One XML sanitiser for every XML writer: characters XML 1.0 forbids (C0 controls, lone
 * surrogates, U+FFFE/U+FFFF) never reach a report, whichever writer produced it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'mocha';
import { validateXML } from 'xmllint-wasm';
import { MemoryJournal, SummaryCounter } from '../../src/logs/chain/timeline.js';
import type { FileResult } from '../../src/logs/chain/types.js';
import { formatDigestJunit } from '../../src/logs/reports/junit.js';
import type { DigestReportModel } from '../../src/logs/reports/model.js';
import { formatJunit } from '../../src/report/junit.js';
import { xmlAttr, xmlText } from '../../src/report/xmlText.js';
import { ACCOUNT, makeContext, makeFinding } from './fixtures.js';
import { parseXml } from './xml.js';

const JUNIT_XSD = readFileSync(new URL('../schemas/junit.xsd', import.meta.url), 'utf8');
const LONE_HIGH = '\uD83D';
const LONE_LOW = '\uDE00';
const PAIR = '\uD83D\uDE00';

async function xsdErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [JUNIT_XSD] });
  return result.valid ? [] : result.errors.map((e) => e.message);
}

/** XML a consumer can read: no unpaired surrogate in the text, valid against the JUnit schema, parseable. */
async function assertReadableXml(xml: string): Promise<void> {
  assert.doesNotMatch(xml, /\p{Cs}/u, 'the report contains a lone surrogate');
  assert.deepEqual(await xsdErrors(xml), []);
  parseXml(xml);
}

describe('XML sanitiser', () => {
  it('replaces every character XML 1.0 forbids, and only those', () => {
    assert.equal(xmlText(`a\u0000b\u0008c\u000Bd\u000Ce\u001Ff\uFFFEg\uFFFF`), 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFD');
    assert.equal(xmlText(`x${LONE_HIGH}y${LONE_LOW}z${LONE_LOW}${LONE_HIGH}`), 'x\uFFFDy\uFFFDz\uFFFD\uFFFD');
    assert.equal(xmlText(`tab\tlf\ncr\r <&> "q" ${PAIR} \u00E9 \uFFFD`), `tab\tlf\ncr\r <&> "q" ${PAIR} \u00E9 \uFFFD`);
    assert.equal(xmlText(`${PAIR}${LONE_HIGH}`), `${PAIR}\uFFFD`);
  });

  it('folds attribute values onto one line', () => {
    assert.equal(xmlAttr(`  one\n two\r\n\tthree${LONE_LOW} `), 'one two three\uFFFD');
  });

  it('keeps lone surrogates out of the audit JUnit report', async () => {
    const finding = makeFinding({
      checkId: 'CloudTrail.4',
      status: 'FAIL',
      resource: { type: 'AWS::CloudTrail::Trail', id: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t${LONE_HIGH}`, accountId: ACCOUNT, region: 'us-east-1' },
      message: `Trail t${LONE_HIGH} has a lone ${LONE_LOW} surrogate`,
    });
    await assertReadableXml(formatJunit([finding], makeContext()));
  });

  it('keeps lone surrogates out of the validate-logs JUnit report (trail, key and message)', async () => {
    const counter = new SummaryCounter({ start: new Date('2025-03-01T00:00:00Z'), end: new Date('2025-03-02T00:00:00Z') });
    const journal = new MemoryJournal();
    const invalid: FileResult = {
      bucket: 'b',
      sourceRegion: 'us-east-1',
      backfill: false,
      kind: 'log',
      key: `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/log${LONE_HIGH}.json.gz`,
      status: 'INVALID',
      reason: 'hash_mismatch',
      message: `hash of ${LONE_LOW} does not match`,
      digestKey: 'd',
    };
    const segment = journal.segment();
    segment.append({ type: 'file', file: invalid });
    counter.add({ type: 'file', file: invalid });
    const model: DigestReportModel = {
      context: {
        toolVersion: '0',
        trailArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t${LONE_HIGH}`,
        accountId: ACCOUNT,
        homeRegion: 'us-east-1',
        bucket: 'b',
        prefix: null,
        organizationTrail: false,
        source: { type: 's3', location: 's3://b/' },
        start: new Date('2025-03-01T00:00:00Z'),
        end: new Date('2025-03-02T00:00:00Z'),
        startedAt: new Date('2025-03-03T00:00:00Z'),
        finishedAt: new Date('2025-03-03T00:00:02Z'),
        apiCalls: {},
        logBytes: 0,
        url: (bucket, key) => `s3://${bucket}/${key}`,
      },
      summary: counter.summary(),
      chainEnds: { tails: [], notes: [`a note with ${LONE_HIGH}`], trailStatus: { state: 'not_read' as const, message: 'unit test' } },
      timeline: journal,
    };
    const xml = [...formatDigestJunit(model)].join('');
    assert.ok(xml.includes('hash_mismatch'), 'the INVALID log file is in the report');
    await assertReadableXml(xml);
  });
});
