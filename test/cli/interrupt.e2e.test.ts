/**
 * Ctrl-C and SIGTERM, sent to the real CLI process: one line on stderr, exit 130 / 143, and the
 * reports of an earlier run left exactly as they were.
 *
 * The audit is held in flight by a loopback server that accepts connections and never answers,
 * so the signal lands while requests are outstanding (what a user interrupting a slow audit sees).
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptMessage } from '../../src/cli/interrupt.js';
import { startFaultyEndpoint, type FaultyEndpoint } from '../helpers/faultyEndpoint.js';
import { BIN } from './runCli.js';

/** Resolves once the endpoint has seen a connection: the CLI is then past loading and in flight. */
async function firstConnection(endpoint: FaultyEndpoint): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (endpoint.hits() === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function interruptAudit(signal: 'SIGINT' | 'SIGTERM', cwd: string, endpoint: FaultyEndpoint) {
  const child = spawn(process.execPath, [BIN, 'audit', '--endpoint-url', endpoint.url, '--regions', 'us-east-1', '--output-dir', 'reports'], {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => { resolve(code); }));
  await firstConnection(endpoint);
  child.kill(signal);
  return { code: await exited, stderr };
}

describe('interrupting a run (SIGINT / SIGTERM)', function () {
  this.timeout(20_000);
  let silent: FaultyEndpoint;
  let cwd: string;

  beforeEach(async () => {
    silent = await startFaultyEndpoint('silent');
    cwd = mkdtempSync(join(tmpdir(), 'trailaudit-interrupt-'));
  });

  afterEach(async () => {
    await silent.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: one line saying nothing was written, exit ${status}, earlier reports untouched`, async () => {
      mkdirSync(join(cwd, 'reports'));
      const earlier = '{"earlier": true}\n';
      writeFileSync(join(cwd, 'reports', 'trailaudit.json'), earlier);

      const { code, stderr } = await interruptAudit(signal, cwd, silent);

      assert.equal(code, status);
      const lines = stderr.split('\n').filter((line) => line.trim() !== '' && !line.includes('\r'));
      assert.deepEqual(lines, [interruptMessage(signal, []).trimEnd()]);
      assert.equal(readFileSync(join(cwd, 'reports', 'trailaudit.json'), 'utf8'), earlier);
    });
  }
});

describe('interruptMessage', () => {
  it('names the files already written, so a user knows which reports are new', () => {
    const message = interruptMessage('SIGINT', ['/r/facts.json', '/r/trailaudit.json']);
    assert.match(message, /interrupted \(SIGINT\) after writing \/r\/facts\.json, \/r\/trailaudit\.json; nothing else was written/u);
    assert.doesNotMatch(interruptMessage('SIGTERM', []), /after writing/u);
  });
});
