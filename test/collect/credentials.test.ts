/**
 * Which credentials an audit uses, as the AWS CLI decides: `--profile` (a command-line option)
 * beats keys in the environment, which beat AWS_PROFILE and the default profile; a profile named
 * on the command line must exist. Real shared config and credentials files in a temp folder
 * (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE), the SDK's real providers.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsCredentialIdentity } from '@smithy/types';
import { resolveCredentials } from '../../src/collect/live/credentials.js';
import { CollectionError } from '../../src/collect/live/errors.js';
import { startFaultyEndpoint } from '../helpers/faultyEndpoint.js';

const ENDPOINT = 'http://127.0.0.1:9';
const VARIABLES = [
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_ENDPOINT_URL_STS',
] as const;

async function keyOf(credentials: unknown): Promise<string> {
  const resolved = (typeof credentials === 'function' ? await (credentials as () => Promise<AwsCredentialIdentity>)() : credentials) as AwsCredentialIdentity;
  return resolved.accessKeyId;
}

describe('credential precedence (as in the AWS CLI)', () => {
  let dir = '';
  const saved = new Map<string, string | undefined>();

  beforeEach(() => {
    for (const name of VARIABLES) {
      saved.set(name, process.env[name]);
      Reflect.deleteProperty(process.env, name);
    }
    // A fresh folder per test: the SDK caches shared files by path.
    dir = mkdtempSync(join(tmpdir(), 'trailaudit-credentials-'));
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\n[profile from-config]\naws_access_key_id = CONFIGKEY\naws_secret_access_key = s\n');
    writeFileSync(
      join(dir, 'credentials'),
      '[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = s\n[auditor]\naws_access_key_id = PROFILEKEY\naws_secret_access_key = s\n',
    );
  });

  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) {
        Reflect.deleteProperty(process.env, name);
      } else {
        process.env[name] = value;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const withEnvironmentKeys = (): void => {
    process.env.AWS_ACCESS_KEY_ID = 'ENVKEY';
    process.env.AWS_SECRET_ACCESS_KEY = 's';
  };

  for (const endpoint of [undefined, ENDPOINT]) {
    const label = endpoint === undefined ? 'without --endpoint-url' : 'with --endpoint-url';

    it(`--profile beats AWS_ACCESS_KEY_ID in the environment, ${label}`, async () => {
      withEnvironmentKeys();
      assert.equal(await keyOf(await resolveCredentials('auditor', endpoint)), 'PROFILEKEY');
    });

    it(`--profile finds a profile declared only in the config file, ${label}`, async () => {
      withEnvironmentKeys();
      assert.equal(await keyOf(await resolveCredentials('from-config', endpoint)), 'CONFIGKEY');
    });

    it(`an unknown --profile is an error naming it and the files looked at, ${label}`, async () => {
      withEnvironmentKeys();
      await assert.rejects(resolveCredentials('nope', endpoint), (error: unknown) => {
        assert.ok(error instanceof CollectionError);
        assert.match(error.message, /"nope"/);
        assert.ok(error.message.includes(join(dir, 'config')), error.message);
        assert.ok(error.message.includes(join(dir, 'credentials')), error.message);
        return true;
      });
    });

    it(`environment keys beat AWS_PROFILE when no --profile is given, ${label}`, async () => {
      withEnvironmentKeys();
      process.env.AWS_PROFILE = 'auditor';
      assert.equal(await keyOf(await resolveCredentials(undefined, endpoint)), 'ENVKEY');
    });
  }

  // A FIFO blocked the SDK's read in a worker thread for ever, and no signal could end the run;
  // a device filled memory (both found by a black-box run).
  it('refuses a shared config or credentials file that is a FIFO or a device, at once, naming it', async function () {
    withEnvironmentKeys();
    const fifo = join(dir, 'fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) {
      this.skip();
    }
    for (const [variable, path] of [
      ['AWS_CONFIG_FILE', fifo],
      ['AWS_SHARED_CREDENTIALS_FILE', '/dev/zero'],
    ] as const) {
      process.env[variable] = path;
      await assert.rejects(resolveCredentials(undefined, ENDPOINT), (error: unknown) => {
        assert.ok(error instanceof CollectionError);
        assert.ok(error.message.includes(path) && error.message.includes(variable), error.message);
        assert.match(error.message, /not a regular file/u);
        return true;
      });
      process.env[variable] = join(dir, variable === 'AWS_CONFIG_FILE' ? 'config' : 'credentials');
    }
  });

  it('an unknown AWS_PROFILE is an error too, even with keys in the environment (the AWS CLI refuses it)', async () => {
    withEnvironmentKeys();
    process.env.AWS_PROFILE = 'typo';
    await assert.rejects(resolveCredentials(undefined, ENDPOINT), (error: unknown) => error instanceof CollectionError && /"typo" given with AWS_PROFILE/.test(error.message));
    process.env.AWS_PROFILE = 'default';
    writeFileSync(join(dir, 'credentials'), '');
    writeFileSync(join(dir, 'config'), '');
    assert.equal(await keyOf(await resolveCredentials(undefined, ENDPOINT)), 'ENVKEY', 'AWS_PROFILE=default may be absent');
  });

  it('AWS_PROFILE is used when the environment has no keys (endpoint set: local sources only)', async () => {
    process.env.AWS_PROFILE = 'auditor';
    assert.equal(await keyOf(await resolveCredentials(undefined, ENDPOINT)), 'PROFILEKEY');
  });

  it('bounds the role assumption of a profile by the same timeouts (an STS that never answers)', async function () {
    this.timeout(20_000);
    const sts = await startFaultyEndpoint('silent');
    try {
      // The providers' own STS client honours the standard per-service endpoint variable.
      process.env.AWS_ENDPOINT_URL_STS = sts.url;
      writeFileSync(
        join(dir, 'config'),
        '[profile assumer]\nrole_arn = arn:aws:iam::123456789012:role/Auditor\nsource_profile = auditor\nregion = us-east-1\n',
      );
      const started = Date.now();
      await assert.rejects(resolveCredentials('assumer', ENDPOINT, { connectMs: 200, responseMs: 200 }), (error: unknown) => {
        assert.ok(error instanceof CollectionError);
        assert.match(error.message, /profile assumer/);
        assert.match(error.message, /requestTimeout|timed out/);
        return true;
      });
      assert.ok(sts.hits() >= 1, 'the role was asked of the silent STS');
      assert.ok(Date.now() - started < 10_000, `${String(Date.now() - started)} ms`);
    } finally {
      await sts.close();
    }
  });

  it('an emulator without credentials anywhere gets dummy ones, but an explicit profile never falls back to them', async () => {
    writeFileSync(join(dir, 'credentials'), '[empty]\nregion = us-east-1\n');
    writeFileSync(join(dir, 'config'), '');
    assert.equal(await keyOf(await resolveCredentials(undefined, ENDPOINT)), 'trailaudit-emulator');
    await assert.rejects(resolveCredentials('empty', ENDPOINT), (error: unknown) => error instanceof CollectionError && /profile empty/.test(error.message));
  });
});
