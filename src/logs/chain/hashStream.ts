/**
 * SHA-256 of a gzip stream's uncompressed bytes, computed as the bytes flow: a log file is never
 * held whole in memory (a CloudTrail log can be hundreds of MB uncompressed).
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { LogHash } from './source.js';

/** Rejects with {@link GunzipError} when the bytes are not gzip; other errors pass through. */
export async function hashGunzipped(input: Readable): Promise<LogHash> {
  const gunzip = createGunzip({ chunkSize: 128 * 1024 });
  const hash = createHash('sha256');
  let bytes = 0;
  let gunzipFailed: unknown = null;
  gunzip.on('error', (error: Error & { code?: unknown }) => {
    // pipeline() also destroys gunzip with the *input's* error (e.g. ENOENT); only zlib's own
    // Z_* errors mean the bytes are not gzip.
    if (typeof error.code === 'string' && error.code.startsWith('Z_')) {
      gunzipFailed ??= error;
    }
  });
  try {
    await pipeline(input, gunzip, async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        bytes += chunk.length;
        hash.update(chunk);
      }
    });
  } catch (error) {
    throw gunzipFailed === null ? error : new GunzipError(gunzipFailed);
  }
  return { sha256: hash.digest('hex'), bytes };
}

export class GunzipError extends Error {
  constructor(cause: unknown) {
    super(`not gzip: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'GunzipError';
  }
}
