/**
 * Digests and log files in S3 (AWS SDK v3). Listing uses ListObjectsV2 with StartAfter at the
 * chain's start marker; log files are streamed through gunzip into SHA-256, never buffered.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { GunzipError, hashGunzipped } from '../chain/hashStream.js';
import { digestListPrefix, digestRootPrefix, type ChainLocation } from '../chain/keys.js';
import { ObjectFormatError, type DigestRoot, type DigestSource, type FetchedDigest, type LogHash } from '../chain/source.js';
import type { CallCounter } from './callCounter.js';
import { toReadError } from './readErrors.js';

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/u;

export class S3DigestSource implements DigestSource {
  readonly kind = 's3';
  readonly metadataAuthoritative = true;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string | null,
    private readonly calls: CallCounter,
  ) {}

  /** Sub-folder names under a prefix (ListObjectsV2 with a delimiter), all pages. */
  private async folders(prefix: string): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      this.calls.count('s3:ListBucket');
      let page;
      try {
        page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
      } catch (error) {
        throw toReadError(error, `s3://${this.bucket}/${prefix}`, 's3:ListBucket');
      }
      for (const common of page.CommonPrefixes ?? []) {
        const name = common.Prefix?.slice(prefix.length).replace(/\/$/u, '');
        if (name !== undefined && name !== '') {
          names.push(name);
        }
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return names;
  }

  async listRoots(_accountId: string, organizationTrail: boolean | null): Promise<DigestRoot[]> {
    const roots: DigestRoot[] = [];
    if (organizationTrail !== true) {
      roots.push({ prefix: this.prefix, organizationId: null });
    }
    if (organizationTrail !== false) {
      // The organization id is the one folder CloudTrail puts under AWSLogs/ for an organization
      // trail; reading it here needs no organizations:DescribeOrganization permission.
      const base = `${this.prefix === null ? '' : `${this.prefix}/`}AWSLogs/`;
      for (const name of await this.folders(base)) {
        if (ORGANIZATION_ID.test(name)) {
          roots.push({ prefix: this.prefix, organizationId: name });
        }
      }
    }
    return roots;
  }

  async listSourceRegions(root: DigestRoot, accountId: string): Promise<string[]> {
    return this.folders(digestRootPrefix(root.prefix, root.organizationId, accountId));
  }

  async listDigestKeys(bucket: string | null, location: ChainLocation, startAfter: string, accept: (key: string) => boolean): Promise<void> {
    const target = bucket ?? this.bucket;
    const prefix = digestListPrefix(location);
    let token: string | undefined;
    do {
      this.calls.count('s3:ListBucket');
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: target, Prefix: prefix, StartAfter: token === undefined ? startAfter : undefined, ContinuationToken: token }),
        );
      } catch (error) {
        throw toReadError(error, `s3://${target}/${prefix}`, 's3:ListBucket');
      }
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined && !accept(object.Key)) {
          return;
        }
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async fetchDigest(bucket: string | null, key: string): Promise<FetchedDigest> {
    const target = bucket ?? this.bucket;
    this.calls.count('s3:GetObject');
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: target, Key: key }));
      const body = await response.Body?.transformToByteArray();
      return { body: body ?? new Uint8Array(), metadata: response.Metadata ?? {} };
    } catch (error) {
      throw toReadError(error, this.url(target, key), 's3:GetObject');
    }
  }

  async hashLog(bucket: string, key: string): Promise<LogHash> {
    this.calls.count('s3:GetObject');
    let body: Readable;
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      body = response.Body as Readable;
    } catch (error) {
      throw toReadError(error, this.url(bucket, key), 's3:GetObject');
    }
    try {
      return await hashGunzipped(body);
    } catch (error) {
      if (error instanceof GunzipError) {
        throw new ObjectFormatError(key, { cause: error });
      }
      throw toReadError(error, this.url(bucket, key), 's3:GetObject');
    }
  }

  url(bucket: string | null, key: string): string {
    return `s3://${bucket ?? this.bucket}/${key}`;
  }
}
