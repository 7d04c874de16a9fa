/**
 * Runs a CLI entry point in-process with stdout thrown away and stderr captured until it has
 * settled: what the user would have read, and the exit code it returned.
 */
export async function captureOutput(work: () => Promise<number>): Promise<{ code: number; stderr: string }> {
  const writeErr = process.stderr.write.bind(process.stderr);
  const writeOut = process.stdout.write.bind(process.stdout);
  let stderr = '';
  process.stderr.write = ((chunk: string) => {
    stderr += chunk;
    return true;
  });
  process.stdout.write = (() => true);
  try {
    return { code: await work(), stderr };
  } finally {
    process.stderr.write = writeErr;
    process.stdout.write = writeOut;
  }
}
