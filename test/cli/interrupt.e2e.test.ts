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
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptMessage } from '../../src/cli/interrupt.js';
import { BIN } from './runCli.js';

interface Silent {
  readonly server: Server;
  readonly port: number;
  /** Resolves when the first connection arrives: the CLI is then past loading and in flight. */
  readonly connected: Promise<void>;
  readonly sockets: Set<Socket>;
}

async function silentServer(): Promise<Silent> {
  const sockets = new Set<Socket>();
  let markConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    markConnected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return { server, port: address.port, connected, sockets };
}

async function interruptAudit(signal: 'SIGINT' | 'SIGTERM', cwd: string, port: number, connected: Promise<void>) {
  const child = spawn(process.execPath, [BIN, 'audit', '--endpoint-url', `http://127.0.0.1:${port}`, '--regions', 'us-east-1', '--output-dir', 'reports'], {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => { resolve(code); }));
  await connected;
  child.kill(signal);
  return { code: await exited, stderr };
}

describe('interrupting a run (SIGINT / SIGTERM)', function () {
  this.timeout(20_000);
  let silent: Silent;
  let cwd: string;

  beforeEach(async () => {
    silent = await silentServer();
    cwd = mkdtempSync(join(tmpdir(), 'trailaudit-interrupt-'));
  });

  afterEach(async () => {
    for (const socket of silent.sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => silent.server.close(() => { resolve(); }));
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

      const { code, stderr } = await interruptAudit(signal, cwd, silent.port, silent.connected);

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
