/**
 * A timeline journal on disk: each chain's verdicts are appended to its own newline-delimited JSON
 * file in a private temp folder and read back, segment by segment, once per report. This is what
 * keeps validate-logs' memory flat however many files it checks: the reports need every verdict,
 * the process only ever holds a buffer of them.
 */
import { appendFileSync, closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { removeStaleSpills, spillStem } from './staleSpills.js';
import type { TimelineItem, TimelineJournal, TimelineSink } from '../logs/chain/timeline.js';
import { withPath } from './files.js';

/** Appends are batched: one write per this many characters. */
const FLUSH_AT = 64 * 1024;
const READ_CHUNK = 64 * 1024;

class SpillSegment implements TimelineSink {
  private buffer: string[] = [];
  private size = 0;

  constructor(readonly path: string) {}

  append(item: TimelineItem): void {
    const line = `${JSON.stringify(item)}\n`;
    this.buffer.push(line);
    this.size += line.length;
    if (this.size >= FLUSH_AT) {
      this.flush();
    }
  }

  flush(): void {
    // Every segment gets its file, even an empty one, so reading never meets a missing file.
    try {
      appendFileSync(this.path, this.buffer.join(''), 'utf8');
    } catch (error) {
      // A full TMPDIR (ENOSPC) comes without a path; the message must say where.
      throw withPath(error, this.path);
    }
    this.buffer = [];
    this.size = 0;
  }
}

/** Dates do not survive JSON: a gap's bounds come back as strings. */
function revive(line: string): TimelineItem {
  const item = JSON.parse(line) as TimelineItem;
  if (item.type === 'gap') {
    return { type: 'gap', gap: { ...item.gap, start: new Date(item.gap.start), end: new Date(item.gap.end) } };
  }
  return item;
}

function* lines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    // A chunk may end inside a multi-byte character: the decoder carries it over.
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (let read = readSync(fd, buffer, 0, READ_CHUNK, null); read > 0; read = readSync(fd, buffer, 0, READ_CHUNK, null)) {
      const text = rest + decoder.write(buffer.subarray(0, read));
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      yield* parts;
    }
    rest += decoder.end();
    if (rest !== '') {
      yield rest;
    }
  } finally {
    closeSync(fd);
  }
}

export class SpillJournal implements TimelineJournal {
  private readonly segments: SpillSegment[] = [];

  private readonly removeOnExit = (): void => {
    rmSync(this.folder, { recursive: true, force: true });
  };

  private constructor(readonly folder: string) {
    // An interrupted run (the CLI turns SIGINT/SIGTERM into an exit) leaves nothing behind either.
    process.once('exit', this.removeOnExit);
  }

  /** A new journal in TMPDIR, after removing the folders killed runs left there. */
  static create(): SpillJournal {
    removeStaleSpills(tmpdir());
    return new SpillJournal(mkdtempSync(join(tmpdir(), spillStem())));
  }

  segment(): TimelineSink {
    const segment = new SpillSegment(join(this.folder, `${String(this.segments.length)}.ndjson`));
    this.segments.push(segment);
    return segment;
  }

  *[Symbol.iterator](): Iterator<TimelineItem> {
    for (const segment of this.segments) {
      segment.flush();
    }
    for (const segment of this.segments) {
      for (const line of lines(segment.path)) {
        yield revive(line);
      }
    }
  }

  /** Deletes the folder; call when the reports are written (or the run failed). */
  dispose(): void {
    process.off('exit', this.removeOnExit);
    this.removeOnExit();
  }
}
