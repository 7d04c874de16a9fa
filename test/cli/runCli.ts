import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { motoEnvironment } from '../../support/moto/clients.js';

export const BIN = fileURLToPath(new URL('../../bin/trailaudit.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the real, built CLI (`npm test` builds first) as a user would, in `cwd`. */
export async function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  const merged: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: options.cwd,
    ...motoEnvironment(),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...options.env,
  };
  // `{NAME: undefined}` in options.env removes a variable, e.g. to run without credentials.
  const env = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
