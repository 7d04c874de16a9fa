/**
 * A one-line progress display on stderr, only when stderr is a terminal: CI logs and pipes stay
 * clean. Redraws at most every 100 ms.
 */
export interface Progress {
  update(done: number, total: number, label: string): void;
  finish(): void;
}

export function createProgress(stream: NodeJS.WriteStream, enabled: boolean): Progress {
  if (!enabled || !stream.isTTY) {
    return { update: () => undefined, finish: () => undefined };
  }
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done, total, label) {
      const now = Date.now();
      if (now - lastDraw < 100 && done < total) {
        return;
      }
      lastDraw = now;
      drawn = true;
      const width = Math.max(20, (stream.columns || 80) - 1);
      const text = `trailaudit: ${done}/${total} API calls  ${label}`;
      stream.write(`\r${text.slice(0, width).padEnd(width)}`);
    },
    finish() {
      if (drawn) {
        stream.write(`\r${' '.repeat(Math.max(20, (stream.columns || 80) - 1))}\r`);
      }
    },
  };
}
