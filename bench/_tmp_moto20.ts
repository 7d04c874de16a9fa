import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { startMoto } from '../support/moto/server.js';
import { motoEnvironment } from '../support/moto/clients.js';
import { seedShape } from '../bench/seedShape.js';
async function main(): Promise<void> {
const moto = await startMoto();
try {
  await seedShape(moto.endpoint, { name: 'medium', trails: 20, buckets: 12, regions: 3 } as never);
  let out = '';
  try {
    out = execFileSync('node', ['bin/trailaudit.js', 'audit', '--endpoint-url', moto.endpoint, '--regions', 'us-east-1,eu-west-1,us-west-2', '--format', 'json,markdown', '--output-dir', '/tmp/i15/moto20', '--quiet', '--save-snapshot', '/tmp/i15/moto20/facts.json'], { env: { ...process.env, ...motoEnvironment() }, encoding: 'utf8' });
  } catch (e) { out = String((e as { stderr?: string }).stderr ?? e); }
  const report = JSON.parse(readFileSync('/tmp/i15/moto20/trailaudit.json', 'utf8')) as { summary: Record<string, number> };
  console.log(JSON.stringify(report.summary), 'md bytes', statSync('/tmp/i15/moto20/trailaudit.md').size);
} finally { await moto.stop(); }
}
void main();
