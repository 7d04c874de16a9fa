/**
 * A local copy of the trail's bucket (`aws s3 sync s3://bucket DIR`): the same key layout under
 * DIR. A copy loses the objects' metadata, so a digest's signature comes from a sidecar
 * `<digest key>.metadata.json` holding that metadata as S3 returns it
 * (`aws s3api head-object --bucket B --key K --query Metadata > DIR/K.metadata.json`) or, inside a
 * chain, from the newer digest that records it as `previousDigestSignature`.
 */
import { createReadStream, type Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { assertRegularFile } from '../../load/inputFile.js';
import { isAbsolute, join, relative, sep } from 'node:path';
import { GunzipError, hashGunzipped } from '../chain/hashStream.js';
import { digestListPrefix, digestRootPrefix, type ChainLocation } from '../chain/keys.js';
import { ObjectFormatError, ObjectNotFoundError, ObjectReadError, type DigestRoot, type DigestSource, type FetchedDigest, type LogHash } from '../chain/source.js';
import { toReadError } from './readErrors.js';

export const SIDECAR_SUFFIX = '.metadata.json';

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/u;
/** How deep a trail's S3 key prefix may nest `AWSLogs/` below DIR. */
const MAX_PREFIX_DEPTH = 6;
/** Log files are read in large chunks: fewer syscalls and stream turns per MB. */
const READ_CHUNK = 512 * 1024;

/** Sorted names of the entries of `path` that `keep` accepts; none when it cannot be read. */
async function entryNames(path: string, keep: (entry: Dirent) => boolean): Promise<string[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.filter(keep).map((entry) => entry.name).sort();
  } catch {
    return [];
  }
}

async function subfolders(path: string): Promise<string[]> {
  return entryNames(path, (entry) => entry.isDirectory());
}

async function files(path: string): Promise<string[]> {
  return entryNames(path, (entry) => entry.isFile());
}

export class DirectoryDigestSource implements DigestSource {
  readonly kind = 'directory';
  readonly metadataAuthoritative = false;

  constructor(private readonly root: string) {}

  /** The file for a key; refuses keys that would leave DIR (`..`, absolute paths). */
  private pathOf(key: string): string | null {
    const path = join(this.root, ...key.split('/'));
    const inside = relative(this.root, path);
    return inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside) ? null : path;
  }

  /** Every `AWSLogs` folder under DIR: the prefix is whatever path leads to it. */
  private async awsLogsFolders(): Promise<(string | null)[]> {
    const found: (string | null)[] = [];
    let level: string[] = [''];
    for (let depth = 0; depth <= MAX_PREFIX_DEPTH && level.length > 0; depth += 1) {
      const next: string[] = [];
      for (const folder of level) {
        for (const name of await subfolders(join(this.root, folder))) {
          const child = folder === '' ? name : `${folder}/${name}`;
          if (name === 'AWSLogs') {
            found.push(folder === '' ? null : folder);
          } else {
            next.push(child);
          }
        }
      }
      level = next;
    }
    return found;
  }

  async listRoots(accountId: string, organizationTrail: boolean | null): Promise<DigestRoot[]> {
    const roots: DigestRoot[] = [];
    for (const prefix of await this.awsLogsFolders()) {
      const awsLogs = join(this.root, ...(prefix === null ? [] : prefix.split('/')), 'AWSLogs');
      for (const name of await subfolders(awsLogs)) {
        if (name === accountId && organizationTrail !== true) {
          roots.push({ prefix, organizationId: null });
        } else if (ORGANIZATION_ID.test(name) && organizationTrail !== false && (await subfolders(join(awsLogs, name))).includes(accountId)) {
          roots.push({ prefix, organizationId: name });
        }
      }
    }
    return roots;
  }

  async listSourceRegions(root: DigestRoot, accountId: string): Promise<string[]> {
    const path = this.pathOf(digestRootPrefix(root.prefix, root.organizationId, accountId));
    return path === null ? [] : subfolders(path);
  }

  async listDigestKeys(_bucket: string | null, location: ChainLocation, startAfter: string, accept: (key: string) => boolean): Promise<void> {
    const prefix = digestListPrefix(location);
    const base = this.pathOf(prefix);
    if (base === null) {
      return;
    }
    // YYYY/MM/DD folders and file names have fixed widths, so sorting each level sorts whole keys
    // the way S3 lists them.
    for (const year of await subfolders(base)) {
      for (const month of await subfolders(join(base, year))) {
        for (const day of await subfolders(join(base, year, month))) {
          const folder = `${prefix}${year}/${month}/${day}/`;
          if (`${folder}\uffff` <= startAfter) {
            continue;
          }
          for (const name of await files(join(base, year, month, day))) {
            const key = `${folder}${name}`;
            if (key > startAfter && !name.endsWith(SIDECAR_SUFFIX) && !accept(key)) {
              return;
            }
          }
        }
      }
    }
  }

  async fetchDigest(_bucket: string | null, key: string): Promise<FetchedDigest> {
    const path = this.pathOf(key);
    if (path === null) {
      throw new ObjectNotFoundError(key);
    }
    let body: Buffer;
    try {
      await assertRegularFile(path);
      body = await readFile(path);
    } catch (error) {
      throw toReadError(error, path, 'read access');
    }
    return { body, metadata: await this.sidecar(path) };
  }

  private async sidecar(path: string): Promise<Record<string, string> | null> {
    let text: string;
    try {
      await assertRegularFile(`${path}${SIDECAR_SUFFIX}`);
      text = await readFile(`${path}${SIDECAR_SUFFIX}`, 'utf8');
    } catch {
      return null;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ObjectReadError('error', `${path}${SIDECAR_SUFFIX} is not JSON: ${(error as Error).message}`, { cause: error });
    }
    // `head-object` prints {"Metadata": {...}} without --query; accept both.
    const object = typeof json === 'object' && json !== null && 'Metadata' in json ? (json).Metadata : json;
    if (typeof object !== 'object' || object === null) {
      throw new ObjectReadError('error', `${path}${SIDECAR_SUFFIX} is not a JSON object of S3 metadata`);
    }
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(object)) {
      if (typeof value === 'string') {
        // S3 user-metadata names are case-insensitive; SDKs return them lower-case.
        metadata[name.toLowerCase().replace(/^x-amz-meta-/u, '')] = value;
      }
    }
    return metadata;
  }

  async hashLog(_bucket: string, key: string): Promise<LogHash> {
    const path = this.pathOf(key);
    if (path === null) {
      throw new ObjectNotFoundError(key);
    }
    try {
      await assertRegularFile(path);
      return await hashGunzipped(createReadStream(path, { highWaterMark: READ_CHUNK }));
    } catch (error) {
      if (error instanceof GunzipError) {
        throw new ObjectFormatError(key, { cause: error });
      }
      throw toReadError(error, path, 'read access');
    }
  }

  url(_bucket: string | null, key: string): string {
    return this.pathOf(key) ?? join(this.root, key);
  }
}
