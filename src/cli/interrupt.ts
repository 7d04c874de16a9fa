/**
 * Ctrl-C, or a scheduler's SIGTERM, ends a run with one line saying what it leaves behind, instead
 * of silence that a CI log or a cron mail cannot tell apart from a crash.
 *
 * Files are written synchronously (temp file, then rename), and a signal is handled only between
 * two turns of the event loop, so an interrupted run never leaves a half-written report: each
 * report is either the new one (listed) or still the earlier one.
 */
import { filesWrittenSince, writeCount } from './files.js';

/** 128 + the signal's number, as shells report a process ended by it. */
const EXIT_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof EXIT_STATUS;

export function interruptMessage(signal: HandledSignal, written: readonly string[]): string {
  if (written.length === 0) {
    return `trailaudit: interrupted (${signal}); nothing was written, earlier reports are as they were.\n`;
  }
  return `trailaudit: interrupted (${signal}) after writing ${written.join(', ')}; nothing else was written.\n`;
}

/**
 * Until the returned function is called, SIGINT and SIGTERM print {@link interruptMessage} and exit
 * with 130 / 143, for every command. `process.exit` still runs 'exit' listeners, so working folders
 * (validate-logs' spill folder) are removed. Printed even with --quiet, like any other reason a run
 * ends abnormally: a scheduler's log must say why the reports did not change.
 */
export function handleInterrupts(stderr: NodeJS.WriteStream = process.stderr): () => void {
  const since = writeCount();
  const onSignal = (signal: HandledSignal): void => {
    // Clear a progress line first, so the message starts at the left margin.
    const clear = stderr.isTTY ? '\r\u001b[K' : '';
    stderr.write(clear + interruptMessage(signal, filesWrittenSince(since)));
    process.exit(EXIT_STATUS[signal]);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
