/**
 * Writes CloudTrail log files and digest chains exactly as CloudTrail delivers them (CONTROLS §4):
 * key layout and file names, digest JSON fields in AWS's order, gzip, SHA-256 of the uncompressed
 * bytes, and the RSA signature in the object metadata (`signature`, `signature-algorithm`).
 * The signing string is built here independently of src/logs/chain, so the tests are not circular.
 *
 * Objects are kept in memory so a test can tamper with them, then written to a moto bucket and to
 * a directory (with `<key>.metadata.json` sidecars for the digests no successor vouches for).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKeyDer: Buffer;
  readonly fingerprint: string;
}

export function newSigningKey(format: 'pkcs1' | 'spki' = 'pkcs1'): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyDer = format === 'pkcs1' ? publicKey.export({ type: 'pkcs1', format: 'der' }) : publicKey.export({ type: 'spki', format: 'der' });
  // AWS does not document how it derives the fingerprint; any stable hex string will do.
  return { privateKey, publicKeyDer, fingerprint: createHash('md5').update(publicKeyDer).digest('hex') };
}

/** What `aws cloudtrail list-public-keys` prints. */
export function publicKeysJson(keys: readonly SigningKey[]): string {
  return JSON.stringify(
    {
      PublicKeyList: keys.map((key) => ({
        Value: key.publicKeyDer.toString('base64'),
        ValidityStartTime: '2024-01-01T00:00:00+00:00',
        ValidityEndTime: '2026-01-01T00:00:00+00:00',
        Fingerprint: key.fingerprint,
      })),
    },
    null,
    4,
  );
}

export interface TrailLayout {
  readonly accountId: string;
  readonly trailName: string;
  readonly homeRegion: string;
  readonly bucket: string;
  readonly prefix?: string;
  readonly organizationId?: string;
}

export interface StoredObject {
  body: Buffer;
  metadata?: Record<string, string>;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const ymd = (d: Date): string => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const stamp = (d: Date): string =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/u, 'Z');
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const HOUR = 3_600_000;

/** A realistic CloudTrail log file: `{"Records": [...]}`. */
export function logFileJson(accountId: string, region: string, at: Date, records: number): string {
  const list = [];
  for (let i = 0; i < records; i += 1) {
    list.push({
      eventVersion: '1.08',
      userIdentity: { type: 'AssumedRole', principalId: `AROAEXAMPLE:session-${i}`, arn: `arn:aws:sts::${accountId}:assumed-role/ops/session-${i}`, accountId },
      eventTime: iso(new Date(at.getTime() - i * 1000)),
      eventSource: 's3.amazonaws.com',
      eventName: i % 2 === 0 ? 'GetObject' : 'PutObject',
      awsRegion: region,
      sourceIPAddress: `10.0.${i % 250}.${(i * 7) % 250}`,
      userAgent: 'aws-sdk-java/1.12.0',
      requestParameters: { bucketName: 'data', key: `obj/${i}` },
      responseElements: null,
      requestID: randomBytes(8).toString('hex').toUpperCase(),
      eventID: `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}`,
      readOnly: i % 2 === 0,
      eventType: 'AwsApiCall',
      recipientAccountId: accountId,
    });
  }
  return JSON.stringify({ Records: list });
}

export interface ChainOptions {
  readonly sourceRegion: string;
  /** Start of the first digest period (on the hour). */
  readonly start: Date;
  readonly hours: number;
  readonly logsPerHour?: number;
  /** Hours (0-based, within this chain) with logging off: no digest, and the next starts afresh. */
  readonly gapHours?: readonly number[];
}

export class FixtureBucket {
  readonly objects = new Map<string, StoredObject>();
  /** Digest keys some other digest names as its previous one. */
  readonly referenced = new Set<string>();
  readonly digests: string[] = [];

  constructor(
    readonly layout: TrailLayout,
    readonly key: SigningKey,
  ) {}

  private base(): string {
    const { prefix, organizationId, accountId } = this.layout;
    return `${prefix === undefined ? '' : `${prefix}/`}AWSLogs/${organizationId === undefined ? '' : `${organizationId}/`}${accountId}/`;
  }

  digestKeyFor(sourceRegion: string, end: Date, backfill = false): string {
    const { accountId, trailName, homeRegion } = this.layout;
    return (
      `${this.base()}CloudTrail-Digest/${sourceRegion}/${ymd(end)}/` +
      `${accountId}_CloudTrail-Digest_${sourceRegion}_${trailName}_${homeRegion}_${stamp(end)}${backfill ? '_backfill' : ''}.json.gz`
    );
  }

  addLog(sourceRegion: string, at: Date, records = 5): { s3Bucket: string; s3Object: string; hashValue: string; hashAlgorithm: string; newestEventTime: string; oldestEventTime: string } {
    const { accountId, bucket } = this.layout;
    const text = Buffer.from(logFileJson(accountId, sourceRegion, at, records));
    const minute = stamp(at).slice(0, 13) + 'Z';
    const key = `${this.base()}CloudTrail/${sourceRegion}/${ymd(at)}/${accountId}_CloudTrail_${sourceRegion}_${minute}_${randomBytes(8).toString('hex')}.json.gz`;
    this.objects.set(key, { body: gzipSync(text) });
    return { s3Bucket: bucket, s3Object: key, hashValue: sha256(text), hashAlgorithm: 'SHA-256', newestEventTime: iso(at), oldestEventTime: iso(new Date(at.getTime() - (records - 1) * 1000)) };
  }

  /** Sign and store a digest; returns its key and signature. */
  putDigest(
    sourceRegion: string,
    start: Date,
    end: Date,
    logs: ReturnType<FixtureBucket['addLog']>[],
    previous: { key: string; hash: string; signature: string } | null,
    options: { backfill?: boolean; signingKey?: SigningKey } = {},
  ): { key: string; hash: string; signature: string } {
    const signer = options.signingKey ?? this.key;
    const key = this.digestKeyFor(sourceRegion, end, options.backfill === true);
    const document = {
      awsAccountId: this.layout.accountId,
      digestStartTime: iso(start),
      digestEndTime: iso(end),
      digestS3Bucket: this.layout.bucket,
      digestS3Object: key,
      digestPublicKeyFingerprint: signer.fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: logs.length === 0 ? null : logs[0]?.newestEventTime,
      oldestEventTime: logs.length === 0 ? null : logs[logs.length - 1]?.oldestEventTime,
      previousDigestS3Bucket: previous === null ? null : this.layout.bucket,
      previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: previous?.hash ?? null,
      previousDigestHashAlgorithm: previous === null ? null : 'SHA-256',
      previousDigestSignature: previous?.signature ?? null,
      logFiles: logs,
    };
    const raw = Buffer.from(JSON.stringify(document));
    const hash = sha256(raw);
    const toSign = `${iso(end)}\n${this.layout.bucket}/${key}\n${hash}\n${previous?.signature ?? 'null'}`;
    const signature = sign('sha256', Buffer.from(toSign), signer.privateKey).toString('hex');
    const metadata: Record<string, string> = { signature, 'signature-algorithm': 'SHA256withRSA' };
    if (options.backfill === true) {
      metadata['backfill-generation-timestamp'] = iso(new Date(end.getTime() + 2 * HOUR));
    }
    this.objects.set(key, { body: gzipSync(raw), metadata });
    if (previous !== null) {
      this.referenced.add(previous.key);
    }
    this.digests.push(key);
    return { key, hash, signature };
  }

  /** Hourly digests for one source region, chained, with gaps where logging was off. */
  addChain(options: ChainOptions): string[] {
    const keys: string[] = [];
    let previous: { key: string; hash: string; signature: string } | null = null;
    for (let hour = 0; hour < options.hours; hour += 1) {
      if (options.gapHours?.includes(hour) === true) {
        previous = null;
        continue;
      }
      const start = new Date(options.start.getTime() + hour * HOUR);
      const end = new Date(start.getTime() + HOUR);
      const logs = [];
      for (let i = 0; i < (options.logsPerHour ?? 2); i += 1) {
        logs.push(this.addLog(options.sourceRegion, new Date(start.getTime() + (i + 1) * 60_000)));
      }
      previous = this.putDigest(options.sourceRegion, start, end, logs, previous);
      keys.push(previous.key);
    }
    return keys;
  }

  /** The uncompressed JSON of a stored digest. */
  digestJson(key: string): Record<string, unknown> {
    const object = this.objects.get(key);
    if (object === undefined) {
      throw new Error(`no object ${key}`);
    }
    return JSON.parse(gunzipSync(object.body).toString('utf8')) as Record<string, unknown>;
  }

  /** Rewrite a digest's JSON and re-sign it with `signer` (a forger's key), keeping or changing the fingerprint. */
  forgeDigest(key: string, change: (document: Record<string, unknown>) => void, signer: SigningKey, keepFingerprint: boolean): void {
    const document = this.digestJson(key);
    change(document);
    if (!keepFingerprint) {
      document.digestPublicKeyFingerprint = signer.fingerprint;
    }
    const raw = Buffer.from(JSON.stringify(document));
    const toSign = `${String(document.digestEndTime)}\n${String(document.digestS3Bucket)}/${String(document.digestS3Object)}\n${sha256(raw)}\n${typeof document.previousDigestSignature === 'string' ? document.previousDigestSignature : 'null'}`;
    const signature = sign('sha256', Buffer.from(toSign), signer.privateKey).toString('hex');
    const object = this.objects.get(key);
    this.objects.set(key, { body: gzipSync(raw), metadata: { ...(object?.metadata ?? {}), signature } });
  }

  /** Append to a log file's JSON: a modified log (hash_mismatch). */
  modifyLog(key: string): void {
    const object = this.objects.get(key);
    if (object === undefined) {
      throw new Error(`no object ${key}`);
    }
    const text = gunzipSync(object.body).toString('utf8').replace('"GetObject"', '"DeleteObject"');
    object.body = gzipSync(Buffer.from(text));
  }

  logKeysOf(digestKey: string): string[] {
    return (this.digestJson(digestKey).logFiles as { s3Object: string }[]).map((entry) => entry.s3Object);
  }

  /** A local copy: the bucket's keys under `dir`, and metadata sidecars where `which` says. */
  writeToDir(dir: string, which: 'needed' | 'all' | 'none' = 'needed'): void {
    for (const [key, object] of this.objects) {
      const path = join(dir, ...key.split('/'));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, object.body);
      const isDigest = object.metadata !== undefined;
      if (isDigest && (which === 'all' || (which === 'needed' && !this.referenced.has(key)))) {
        writeFileSync(`${path}.metadata.json`, JSON.stringify(object.metadata));
      }
    }
  }

  async writeToS3(client: S3Client): Promise<void> {
    await client.send(new CreateBucketCommand({ Bucket: this.layout.bucket })).catch((error: unknown) => {
      if ((error as { name?: string }).name !== 'BucketAlreadyOwnedByYou') {
        throw error;
      }
    });
    const entries = [...this.objects.entries()];
    for (let i = 0; i < entries.length; i += 16) {
      await Promise.all(
        entries.slice(i, i + 16).map(([key, object]) =>
          client.send(new PutObjectCommand({ Bucket: this.layout.bucket, Key: key, Body: object.body, Metadata: object.metadata })),
        ),
      );
    }
  }
}
