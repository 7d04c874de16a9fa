/**
 * The zip deploy/aws/build.sh makes (scripts/lambdaBundle.ts), as Lambda would run it: unpacked
 * into a directory of its own with no node_modules, the handlers imported from
 * dist/lambda/index.mjs by a separate Node process whose working directory is the unpacked zip
 * (Lambda's /var/task), against moto. This is what proves the bundle finds its checks, schemas,
 * rules.yaml and caches and carries every dependency. (Lambda's runtime itself is not emulated:
 * moto runs no Lambda code without Docker, test/MOTO_GAPS.md.)
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { loadCheckSet } from '../../src/cli/pipeline.js';
import { MOTO_CREDENTIALS, s3Client } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { seedOrganization } from '../../support/moto/organization.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BAD_RULES = 'version: 1\nchecks:\n  CloudTrail.99: on\n';
/** The ids the shipped checks/ folder holds, in the order the loader lists them. */
const KNOWN_CHECKS = loadCheckSet(undefined, ROOT).map((check) => check.id).join(', ');

/** Runs the handlers in order in the unpacked zip and prints reduce's result. */
const DRIVER = `
const handlers = await import('./dist/lambda/index.mjs');
const listed = await handlers.listAccounts({ runId: 'bundle-run' });
const batch = JSON.parse(process.argv[1]);
await handlers.auditAccounts({ Items: batch, BatchInput: { runId: listed.runId } }, { getRemainingTimeInMillis: () => 300000 });
process.stdout.write(JSON.stringify(await handlers.reduce({ runId: listed.runId })));
`;

describe('the Lambda zip (scripts/lambdaBundle.ts)', function () {
  this.timeout(180_000);
  const moto = useMoto();
  let work: string;

  before(function () {
    if (spawnSync('zip', ['-v'], { stdio: 'ignore' }).status !== 0) {
      this.skip();
    }
    work = mkdtempSync(join(tmpdir(), 'trailaudit-bundle-'));
  });

  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('runs listAccounts, auditAccounts and reduce from the unpacked zip, with nothing but the zip', async () => {
    const built = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'lambdaBundle.ts'), '--out', work], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    const zip = join(work, 'trailaudit-lambda.zip');
    const task = join(work, 'task');
    mkdirSync(task);
    assert.equal(spawnSync('unzip', ['-q', zip, '-d', task]).status, 0);
    assert.deepEqual(readdirSync(task).sort(), ['checks', 'dist', 'package.json', 'rules.yaml', 'schemas']);
    assert.equal(existsSync(join(task, 'node_modules')), false);

    const seeded = await seedOrganization(moto.endpoint, { accounts: [{ name: 'a' }] });
    const s3 = s3Client(moto.endpoint, 'us-east-1');
    await s3.send(new CreateBucketCommand({ Bucket: 'bundle-runs' }));
    const batch = [
      { id: '123456789012', name: '', member: true },
      { id: seeded.accountId('a'), name: 'a', member: true },
    ].sort((x, y) => (x.id < y.id ? -1 : 1));
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', DRIVER, JSON.stringify(batch)], {
      cwd: task,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: task,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
        AWS_REGION: 'us-east-1',
        TRAILAUDIT_BUCKET: 'bundle-runs',
        TRAILAUDIT_PREFIX: 'audits',
        TRAILAUDIT_REGIONS: 'us-east-1',
      },
    });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { accounts: number; exitCode: number; reports: string[]; counts: Record<string, number> };
    assert.equal(result.accounts, 2);
    // Neither account has a trail: the shipped checks FAIL CloudTrail.1 in both.
    assert.equal(result.exitCode, 1);
    assert.ok(result.counts.FAIL !== undefined && result.counts.FAIL >= 2, JSON.stringify(result.counts));
    const report = await s3.send(new GetObjectCommand({ Bucket: 'bundle-runs', Key: 'audits/latest/trailaudit.json' }));
    const parsed = JSON.parse((await report.Body?.transformToString()) ?? '{}') as { controls: { control: string }[] };
    // Every check rules.yaml enables, loaded from the zip's checks/ and caches.
    assert.ok(parsed.controls.length >= 20, `${String(parsed.controls.length)} controls`);
    s3.destroy();

    // The zip's rules.yaml is the package's own, which the loader forgives unknown checks in:
    // a cold start with a bad one fails loudly instead of running every check.
    writeFileSync(join(task, 'rules.yaml'), BAD_RULES);
    const cold = spawnSync(process.execPath, ['--input-type=module', '-e', "const h = await import('./dist/lambda/index.mjs'); await h.listAccounts({ runId: 'bad-rules' });"], {
      cwd: task,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: task, AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', TRAILAUDIT_BUCKET: 'bundle-runs' },
    });
    assert.notEqual(cold.status, 0);
    assert.match(cold.stderr, /the deployment's rules\.yaml is invalid, nothing was audited .*rules\.yaml:3:3: checks\.CloudTrail\.99: unknown check "CloudTrail\.99"/su);
  });

  it('refuses to build with a rules file the CLI refuses, with the CLI\'s message (exit 2)', () => {
    const rules = join(work, 'bad-rules.yaml');
    writeFileSync(rules, BAD_RULES);
    const built = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'lambdaBundle.ts'), '--rules', rules, '--out', join(work, 'bad-build')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 2, built.stderr);
    assert.equal(built.stderr, `trailaudit: invalid input, nothing was evaluated and no report was written:\n${rules}:3:3: checks.CloudTrail.99: unknown check "CloudTrail.99"; known checks: ${KNOWN_CHECKS}\n`);
    assert.equal(existsSync(join(work, 'bad-build', 'trailaudit-lambda.zip')), false);
    // The CLI says the same of the same file.
    const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'trailaudit.js'), 'evaluate', '--rules', rules, join(ROOT, 'package.json')], { cwd: work, encoding: 'utf8' });
    assert.equal(cli.status, 2);
    assert.ok(cli.stderr.includes(`${rules}:3:3: checks.CloudTrail.99: unknown check "CloudTrail.99"`), cli.stderr);
  });
});
