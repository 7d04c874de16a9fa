/**
 * The validate-logs benchmark: 10,000 CloudTrail log files (about 1 GB uncompressed) under a
 * signed digest chain, validated by the real CLI from a local directory and from moto. Reports MB/s
 * of uncompressed log verified (wall time, Node start-up included) and peak RSS.
 *
 *   tsx bench/run.ts --only validate-logs [--files N] [--concurrency N]
 *
 * Generated data lives in a temp dir that is always deleted.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { PutObjectCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { cloudTrailClient, MOTO_ACCOUNT_ID, motoEnvironment, s3Client } from '../support/moto/clients.js';
import { startMoto } from '../support/moto/server.js';
import { runMeasured, toMb, toMs } from './measure.js';

const gzipAsync = promisify(gzip);
const ACCOUNT = MOTO_ACCOUNT_ID;
const REGION = 'us-east-1';
const TRAIL = 'bench';
const BUCKET = 'trailaudit-bench-logs';
const TARGETS = { dirMbPerSecond: 150, peakRssMb: 200 } as const;

/** Removes `--only X` from process.argv (so the audit benchmark's strict parser never sees it). */
export function takeOnly(): string | undefined {
  const index = process.argv.indexOf('--only');
  if (index < 0) {
    return undefined;
  }
  const [, value] = process.argv.splice(index, 2);
  return value;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const ymd = (d: Date): string => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const stamp = (d: Date): string => d.toISOString().replace(/[-:]/gu, '').replace(/\.\d{3}Z$/u, 'Z');
const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/u, 'Z');

const EVENTS = ['GetObject', 'PutObject', 'AssumeRole', 'DescribeInstances', 'ListBuckets', 'GetCallerIdentity', 'Decrypt', 'CreateLogStream'];
const SOURCES = ['s3.amazonaws.com', 'sts.amazonaws.com', 'ec2.amazonaws.com', 'kms.amazonaws.com', 'logs.amazonaws.com'];

/** A CloudTrail log file of about `targetBytes`: varied records, so it compresses like real ones. */
function logJson(at: Date, targetBytes: number, seed: number): string {
  const records: string[] = [];
  let size = 14;
  for (let i = 0; size < targetBytes; i += 1) {
    const n = seed * 1000 + i;
    const id = randomBytes(16).toString('hex');
    const record = JSON.stringify({
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: `AROA${(n % 97).toString(36).toUpperCase()}EXAMPLE:session-${n % 13}`,
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/role-${n % 7}/session-${n % 13}`,
        accountId: ACCOUNT,
        sessionContext: { attributes: { creationDate: iso(at), mfaAuthenticated: 'false' } },
      },
      eventTime: iso(new Date(at.getTime() - (i % 300) * 1000)),
      eventSource: SOURCES[n % SOURCES.length],
      eventName: EVENTS[n % EVENTS.length],
      awsRegion: REGION,
      sourceIPAddress: `10.${n % 256}.${(n >> 3) % 256}.${(n * 7) % 256}`,
      userAgent: `aws-sdk-java/1.12.${n % 700} Linux/5.10 OpenJDK_64-Bit_Server_VM/17`,
      requestParameters: { bucketName: `data-${n % 11}`, key: `prefix/${n % 1000}/object-${id.slice(0, 8)}.parquet` },
      responseElements: null,
      requestID: id.slice(0, 16).toUpperCase(),
      eventID: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`,
      readOnly: n % 3 !== 0,
      resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::data-${n % 11}/prefix/${n % 1000}` }],
      eventType: 'AwsApiCall',
      managementEvent: false,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Data',
    });
    records.push(record);
    size += record.length + 1;
  }
  return `{"Records":[${records.join(',')}]}`;
}

interface Generated {
  readonly files: number;
  readonly uncompressedBytes: number;
  readonly compressedBytes: number;
  readonly start: Date;
  readonly end: Date;
  readonly keysFile: string;
  readonly generateMs: number;
}

/**
 * Writes the chain into `dir` and hands every object to `put` as it is made (nothing is kept):
 * `perDigest` log files per hourly digest.
 */
async function generate(dir: string, scratch: string, files: number, perDigest: number, logBytes = 100_000): Promise<Generated> {
  const started = performance.now();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'pkcs1', format: 'der' });
  const fingerprint = createHash('md5').update(der).digest('hex');
  const keysFile = join(scratch, 'public-keys.json');
  writeFileSync(keysFile, JSON.stringify({ PublicKeyList: [{ Value: der.toString('base64'), Fingerprint: fingerprint }] }));
  const start = new Date('2025-06-01T00:00:00Z');
  const limit = pLimit(4);
  let uncompressedBytes = 0;
  let compressedBytes = 0;
  // Boxed: TypeScript does not follow a `let` reassigned across the awaits of this loop.
  const chain: { previous: { key: string; hash: string; signature: string } | null } = { previous: null };
  const put = async (key: string, body: Buffer, metadata?: Record<string, string>): Promise<void> => {
    const path = join(dir, ...key.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    await writeFile(path, body);
    if (metadata !== undefined) {
      await writeFile(`${path}.metadata.json`, JSON.stringify(metadata));
    }
  };
  const digests = Math.ceil(files / perDigest);
  for (let d = 0; d < digests; d += 1) {
    const periodStart = new Date(start.getTime() + d * 3_600_000);
    const periodEnd = new Date(periodStart.getTime() + 3_600_000);
    const count = Math.min(perDigest, files - d * perDigest);
    const logs = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        limit(async () => {
          const at = new Date(periodStart.getTime() + (i % 60) * 60_000);
          const raw = Buffer.from(logJson(at, logBytes, d * perDigest + i));
          const body = await gzipAsync(raw);
          uncompressedBytes += raw.length;
          compressedBytes += body.length;
          const key = `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${ymd(at)}/${ACCOUNT}_CloudTrail_${REGION}_${stamp(at).slice(0, 13)}Z_${randomBytes(8).toString('hex')}.json.gz`;
          await put(key, body);
          return { s3Bucket: BUCKET, s3Object: key, hashValue: createHash('sha256').update(raw).digest('hex'), hashAlgorithm: 'SHA-256' };
        }),
      ),
    );
    const key = `AWSLogs/${ACCOUNT}/CloudTrail-Digest/${REGION}/${ymd(periodEnd)}/${ACCOUNT}_CloudTrail-Digest_${REGION}_${TRAIL}_${REGION}_${stamp(periodEnd)}.json.gz`;
    const { previous } = chain;
    const document: Record<string, unknown> = {
      awsAccountId: ACCOUNT,
      digestStartTime: iso(periodStart),
      digestEndTime: iso(periodEnd),
      digestS3Bucket: BUCKET,
      digestS3Object: key,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      previousDigestS3Bucket: previous === null ? null : BUCKET,
      previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: previous?.hash ?? null,
      previousDigestHashAlgorithm: previous === null ? null : 'SHA-256',
      previousDigestSignature: previous?.signature ?? null,
      logFiles: logs,
    };
    const raw: Buffer = Buffer.from(JSON.stringify(document));
    const hash: string = createHash('sha256').update(raw).digest('hex');
    const signature = sign('sha256', Buffer.from(`${iso(periodEnd)}\n${BUCKET}/${key}\n${hash}\n${previous?.signature ?? 'null'}`), privateKey).toString('hex');
    await put(key, await gzipAsync(raw), { signature, 'signature-algorithm': 'SHA256withRSA' });
    chain.previous = { key, hash, signature };
  }
  return {
    files,
    uncompressedBytes,
    compressedBytes,
    start,
    end: new Date(start.getTime() + digests * 3_600_000),
    keysFile,
    generateMs: Math.round(performance.now() - started),
  };
}

/** Upload the directory's tree (sidecars become metadata) to a moto bucket. */
async function upload(dir: string, endpoint: string): Promise<number> {
  const started = performance.now();
  const s3 = s3Client(endpoint, REGION);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const limit = pLimit(8);
  await Promise.all(
    entries
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.metadata.json'))
      .map((entry) =>
        limit(async () => {
          const path = join(entry.parentPath, entry.name);
          const key = path.slice(dir.length + 1).split('\\').join('/');
          let metadata: Record<string, string> | undefined;
          try {
            metadata = JSON.parse(readFileSync(`${path}.metadata.json`, 'utf8')) as Record<string, string>;
          } catch {
            metadata = undefined;
          }
          await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: readFileSync(path), Metadata: metadata }));
        }),
      ),
  );
  s3.destroy();
  const cloudtrail = cloudTrailClient(endpoint, REGION);
  await cloudtrail.send(new CreateTrailCommand({ Name: TRAIL, S3BucketName: BUCKET, EnableLogFileValidation: true }));
  cloudtrail.destroy();
  return Math.round(performance.now() - started);
}

interface Run {
  readonly label: string;
  readonly exitCode: number | null;
  readonly wallMs: number;
  readonly durationMs: number | null;
  readonly logBytes: number | null;
  readonly logsValid: number | null;
  readonly peakRssMb: number | null;
  readonly cpuMs: number | null;
  readonly stderr: string;
}

async function runCli(label: string, args: readonly string[], scratch: string): Promise<Run> {
  const out = join(scratch, `out-${label}`);
  const { exitCode, wallMs, stderr, usage } = await runMeasured([...args, '--format', 'json', '--output-dir', out, '--quiet'], motoEnvironment(REGION));
  let report: { stats?: { durationMs?: number; logBytesUncompressed?: number }; summary?: { log?: { valid?: number } } } = {};
  try {
    report = JSON.parse(readFileSync(join(out, 'trailaudit-logs.json'), 'utf8')) as typeof report;
  } catch {
    report = {};
  }
  return {
    label,
    exitCode,
    wallMs,
    durationMs: report.stats?.durationMs ?? null,
    logBytes: report.stats?.logBytesUncompressed ?? null,
    logsValid: report.summary?.log?.valid ?? null,
    peakRssMb: toMb(usage),
    cpuMs: toMs(usage),
    stderr,
  };
}

const mbps = (bytes: number | null, ms: number | null): string => (bytes === null || ms === null || ms === 0 ? '-' : ((bytes / 1e6) / (ms / 1000)).toFixed(1));

export async function validateLogsBench(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { files: { type: 'string' }, concurrency: { type: 'string' }, 'per-digest': { type: 'string' }, 'log-kb': { type: 'string' }, 'directory-only': { type: 'boolean' } }, strict: false });
  const files = Number(values.files ?? 10_000);
  const perDigest = Number(values['per-digest'] ?? 100);
  // Small logs make runs of 100,000+ files quick to generate: memory is about the file count.
  const logBytes = Number(values['log-kb'] ?? 100) * 1000;
  const concurrency = typeof values.concurrency === 'string' ? ['--concurrency', values.concurrency] : [];
  const scratch = mkdtempSync(join(tmpdir(), 'trailaudit-bench-digest-'));
  const dir = join(scratch, 'bucket');
  let moto: Awaited<ReturnType<typeof startMoto>> | null = null;
  try {
    console.log(`\n== validate-logs: generating ${files} log files (${perDigest} per hourly digest) in ${scratch}`);
    const generated = await generate(dir, scratch, files, perDigest, logBytes);
    console.log(
      `generated ${(generated.uncompressedBytes / 1e6).toFixed(0)} MB uncompressed, ${(generated.compressedBytes / 1e6).toFixed(0)} MB gzip, in ${generated.generateMs} ms`,
    );
    const trail = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${TRAIL}`;
    const common = ['validate-logs', '--trail', trail, '--start-time', iso(generated.start), '--end-time', iso(generated.end), '--public-keys', generated.keysFile, ...concurrency];
    const runs: Run[] = [];
    runs.push(await runCli('directory', [...common, '--from-dir', dir], scratch));
    if (values['directory-only'] !== true) {
      moto = await startMoto();
      const uploadMs = await upload(dir, moto.endpoint);
      console.log(`uploaded to moto (pid ${moto.pid}) in ${uploadMs} ms`);
      runs.push(await runCli('moto', [...common, '--endpoint-url', moto.endpoint], scratch));
    }
    console.log('\nsource     exit  logs valid  MB verified  wall ms  MB/s (wall)  MB/s (run)  peak RSS MB  CPU ms');
    for (const run of runs) {
      console.log(
        `${run.label.padEnd(9)}  ${String(run.exitCode).padStart(4)}  ${String(run.logsValid ?? '-').padStart(10)}  ${(run.logBytes === null ? '-' : (run.logBytes / 1e6).toFixed(0)).padStart(11)}  ` +
          `${String(run.wallMs).padStart(7)}  ${mbps(run.logBytes, run.wallMs).padStart(11)}  ${mbps(run.logBytes, run.durationMs).padStart(10)}  ${String(run.peakRssMb ?? '-').padStart(11)}  ${String(run.cpuMs ?? '-').padStart(6)}`,
      );
      if (run.exitCode !== 0) {
        console.log(run.stderr);
      }
    }
    const directory = runs[0];
    if (directory !== undefined) {
      const rate = directory.logBytes === null ? 0 : directory.logBytes / 1e6 / (directory.wallMs / 1000);
      // MB/s is about bulk hashing; with small logs the per-file cost dominates and the target does not apply.
      const verdict = logBytes < 100_000 ? 'not judged: the target is for logs of 100 KB or more' : rate >= TARGETS.dirMbPerSecond ? 'met' : 'MISSED';
      console.log(`target directory >= ${TARGETS.dirMbPerSecond} MB/s (wall): ${rate.toFixed(1)}, ${verdict}`);
    }
    for (const run of runs) {
      console.log(`target ${run.label} peak RSS < ${TARGETS.peakRssMb} MB: ${String(run.peakRssMb)}, ${run.peakRssMb !== null && run.peakRssMb < TARGETS.peakRssMb ? 'met' : 'MISSED'}`);
    }
    return runs.every((run) => run.exitCode === 0 && run.logsValid === files) ? 0 : 1;
  } finally {
    await moto?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
