import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Text is encoded a slice of this many UTF-16 code units at a time into one reused buffer.
 * Writing a multi-megabyte string in one call made Node encode all of it into a native buffer at
 * once, on top of the string (several MB of peak RSS at the end of a large audit); and slices this
 * small stay under V8's large-object size, which only a full GC frees.
 */
const SLICE = 1 << 16;

/** Writes UTF-8 to an open file through one buffer, never splitting a surrogate pair. */
class Utf8FileWriter {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units).
  private readonly buffer = Buffer.allocUnsafe(SLICE * 3);

  constructor(private readonly fd: number) {}

  write(text: string): void {
    for (let start = 0; start < text.length; ) {
      let end = Math.min(start + SLICE, text.length);
      const last = text.charCodeAt(end - 1);
      // A high surrogate at the end of a slice would be encoded alone (as U+FFFD): keep the pair.
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) {
        end -= 1;
      }
      const length = this.buffer.write(text.slice(start, end), 0, 'utf8');
      // write(2) may write less than asked; loop as writeFileSync does.
      for (let offset = 0; offset < length; ) {
        offset += writeSync(this.fd, this.buffer, offset, length - offset);
      }
      start = end;
    }
  }
}

/**
 * Write a file so that readers never see it half-written: write a sibling temp file, then
 * rename it over the target (atomic on the same filesystem). On failure the old file survives.
 * A report made in chunks (an iterable) is written as it is made, never joined into one string.
 */
export function writeFileAtomic(path: string, content: string | Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      const writer = new Utf8FileWriter(fd);
      if (typeof content === 'string') {
        writer.write(content);
      } else {
        writeChunks(writer, content);
      }
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

const endsInHighSurrogate = (text: string): boolean => {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
};

/** Small chunks are gathered into one write of about a slice; a pair split by a chunk is rejoined. */
function writeChunks(writer: Utf8FileWriter, chunks: Iterable<string>): void {
  let pending: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    size += chunk.length;
    if (size >= SLICE) {
      const text = pending.join('');
      const carry = endsInHighSurrogate(text) ? 1 : 0;
      writer.write(text.slice(0, text.length - carry));
      pending = [text.slice(text.length - carry)];
      size = carry;
    }
  }
  writer.write(pending.join(''));
}
