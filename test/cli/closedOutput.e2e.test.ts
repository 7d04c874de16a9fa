/**
 * `trailaudit … | head`: the reader of standard output goes away before the command has written
 * everything. The real CLI process, with its stdout pipe closed by the reader: no error line, and
 * the command's own exit code (not exit 2, which would read as "the command failed").
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { BIN } from './runCli.js';

async function withReaderGone(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Closed before the CLI has even loaded: its first write to stdout meets EPIPE.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => { resolve(exitCode); }));
  return { code, stderr };
}

describe('a reader that closes standard output early (… | head)', function () {
  this.timeout(20_000);

  for (const args of [['--help'], ['audit', '--help'], ['iam-policy']]) {
    it(`trailaudit ${args.join(' ')}: exit 0, no error line`, async () => {
      const { code, stderr } = await withReaderGone(args);
      assert.equal(stderr, '');
      assert.equal(code, 0);
    });
  }

  it('a usage error still exits 2 with its message', async () => {
    const { code, stderr } = await withReaderGone(['audit', '--no-such-option']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown option '--no-such-option'/u);
  });
});
