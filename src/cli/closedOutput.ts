/**
 * `trailaudit iam-policy | head`, `trailaudit --help | less` quit early: the reader closes the pipe
 * and Node reports EPIPE on standard output. That is the reader's choice, not a failure of the
 * command (shells end such a writer with SIGPIPE, which Node ignores), so it is not reported as an
 * error with exit 2: the rest of the output is dropped and the command ends with its own exit code.
 * Any other output error still escapes, to the launcher's one-line "internal error" and exit 2.
 */
const guarded = new WeakSet<NodeJS.WritableStream>();

/**
 * For the life of the process: the error arrives after the write, often after the command has
 * returned (help output), so it cannot be scoped to one command. Installed once per stream.
 */
export function ignoreClosedReader(stream: NodeJS.WritableStream = process.stdout): void {
  if (guarded.has(stream)) {
    return;
  }
  guarded.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // After EPIPE the stream is destroyed; a later write reports ERR_STREAM_DESTROYED.
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      return;
    }
    throw error;
  });
}
