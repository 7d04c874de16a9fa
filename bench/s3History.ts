/**
 * `npx tsx bench/s3History.ts [--repeat N]`: what an S3 history (`--history s3://…`) adds to a
 * run, on moto_server (loopback, so S3's own latency is not in it): opening a history of 365 daily
 * runs of a 2,000-finding organization (GetObject of the index, ListObjectsV2 of the prefix, the
 * checks), and appending one run (its report PUT, then the conditional index PUT).
 *
 * The index is made by the real streak code (as bench/history.ts: 50 accounts × 40 checks, ~5% of
 * the results changing a day). Old run objects are small placeholders whose size the index
 * records: the store only compares ListObjectsV2's Size with it, it never reads them.
 */
import { parseArgs } from 'node:util';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { EMPTY_INDEX, type HistoryIndex } from '../src/history/model.js';
import { planRun } from '../src/history/record.js';
import { openS3History } from '../src/history/s3Store.js';
import { parseS3Location } from '../src/history/s3Location.js';
import { ACCOUNTS, CHECKS, DAY_MS, findingsOf, median, RUNS, scope, START } from './historyShape.js';
import { s3Client } from '../support/moto/clients.js';
import { startMoto } from '../support/moto/server.js';




const { values } = parseArgs({ options: { repeat: { type: 'string', default: '3' } } });
const moto = await startMoto();
const admin = s3Client(moto.endpoint, 'us-east-1');
try {
  const opens: number[] = [];
  const appends: number[] = [];
  let indexBytes = 0;
  for (let repeat = 0; repeat < Number(values.repeat); repeat += 1) {
    const bucket = `bench-history-${String(repeat)}`;
    const location = parseS3Location(`s3://${bucket}/history`);
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    let index: HistoryIndex = EMPTY_INDEX;
    for (let day = 0; day < RUNS; day += 1) {
      const startedAt = new Date(START + day * DAY_MS).toISOString();
      const run = planRun(index, findingsOf(day), scope, startedAt, startedAt);
      const placeholder = `{"day":${String(day)}}`;
      index = run.indexWith(Buffer.byteLength(placeholder));
      await admin.send(new PutObjectCommand({ Bucket: bucket, Key: `history/${run.file}`, Body: placeholder }));
    }
    const text = `${JSON.stringify(index)}\n`;
    indexBytes = Buffer.byteLength(text);
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: 'history/index.json', Body: text }));

    const began = performance.now();
    const store = await openS3History(location, s3Client(moto.endpoint, 'us-east-1'));
    opens.push(performance.now() - began);
    const findings = findingsOf(RUNS);
    const report = JSON.stringify({ findings: findings.map((f) => ({ ...f, padding: 'x'.repeat(1400) })) });
    const startedAt = new Date(START + RUNS * DAY_MS).toISOString();
    const appendBegan = performance.now();
    const run = planRun(store.index, findings, scope, startedAt, startedAt);
    await store.append(run.file, report, run.indexWith(Buffer.byteLength(report))).commit([]);
    appends.push(performance.now() - appendBegan);
  }
  process.stdout.write(
    `${JSON.stringify({ runs: RUNS, findings: ACCOUNTS * CHECKS, indexMb: indexBytes / 1e6, openMsMedian: Math.round(median(opens)), planAndAppendMsMedian: Math.round(median(appends)), samples: { opens: opens.map(Math.round), appends: appends.map(Math.round) } })}\n`,
  );
} finally {
  admin.destroy();
  await moto.stop();
}
