import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Write a file so that readers never see it half-written: write a sibling temp file, then
 * rename it over the target (atomic on the same filesystem). On failure the old file survives.
 */
export function writeFileAtomic(path: string, content: string | Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    if (typeof content === 'string') {
      writeFileSync(temporary, content, 'utf8');
    } else {
      writeChunks(temporary, content);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Chunks are gathered into writes of about this many characters. */
const WRITE_AT = 64 * 1024;

/** A report made in chunks is written as it is made: it is never one string in memory. */
function writeChunks(path: string, chunks: Iterable<string>): void {
  const fd = openSync(path, 'w');
  try {
    let pending: string[] = [];
    let size = 0;
    const flush = (): void => {
      writeSync(fd, pending.join(''), null, 'utf8');
      pending = [];
      size = 0;
    };
    for (const chunk of chunks) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= WRITE_AT) {
        flush();
      }
    }
    flush();
  } finally {
    closeSync(fd);
  }
}
