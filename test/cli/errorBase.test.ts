/**
 * One error base class (src/errors.ts TrailauditError) carrying its exit code: the CLI catches
 * that class once, so an error class added later gets its exit code without being listed
 * anywhere, and never ends with exit 1 ("failures found"). Also the one endpoint parser.
 */
import { strict as assert } from 'node:assert';
import { Command, InvalidArgumentError } from 'commander';
import { main, runCommandLine } from '../../src/cli/main.js';
import { endpointUrlOption, parseEndpointUrl, resolveEndpointUrl } from '../../src/cli/options.js';
import { CollectionError } from '../../src/collect/live/errors.js';
import { InputError, TrailauditError, UsageError } from '../../src/errors.js';
import { InputFileError } from '../../src/load/inputFile.js';
import { YamlDepthError } from '../../src/load/yamlParse.js';
import { ObjectReadError } from '../../src/logs/chain/source.js';
import { PublicKeyError } from '../../src/logs/sources/publicKeys.js';
import { TrailResolutionError } from '../../src/logs/sources/trail.js';
import { BaselineError } from '../../src/report/json.js';
import { captureOutput } from '../helpers/captureOutput.js';


/** Defined here only: no handler in src/ can know it. */
class LedgerIncomplete extends TrailauditError {
  override readonly exitCode = 3;
}
class LedgerRefused extends TrailauditError {}

/** A program of one command, `explode`, which throws `error` (after an await, as real commands do). */
function exploding(error: unknown): Command {
  const program = new Command('trailaudit').exitOverride();
  program.command('explode').action(async () => {
    await Promise.resolve();
    throw error;
  });
  return program;
}

describe('one error base class carrying its exit code', () => {
  it('a new subclass thrown from a command ends with its own exit code and message, listed nowhere', async () => {
    const incomplete = await captureOutput(() => runCommandLine(exploding(new LedgerIncomplete('the ledger is incomplete')), ['explode'], () => 0));
    assert.equal(incomplete.code, 3);
    assert.equal(incomplete.stderr, 'trailaudit: the ledger is incomplete\n');

    const refused = await captureOutput(() => runCommandLine(exploding(new LedgerRefused('the ledger was refused')), ['explode'], () => 0));
    assert.equal(refused.code, 2, 'the base class defaults to 2 (bad usage or input), never 1');
    assert.equal(refused.stderr, 'trailaudit: the ledger was refused\n');
  });

  it('any other error thrown from a command is still an internal error: one line, exit 2', async () => {
    const bug = await captureOutput(() => runCommandLine(exploding(new RangeError('index out of range')), ['explode'], () => 0));
    assert.equal(bug.code, 2);
    assert.equal(bug.stderr, 'trailaudit: internal error: index out of range (run with --debug for details)\n');
  });

  it('every error class that ends a command is one, with exit 2 and the words it had before', async () => {
    const errors: readonly TrailauditError[] = [
      new InputError([{ file: 'rules.yaml', line: 3, column: 5, path: 'checks', message: 'bad' }]),
      new InputFileError('facts.json', 'is a directory'),
      new CollectionError('no credentials'),
      new UsageError('--start-time is in the future'),
      new BaselineError('old.json', '$.findings', 'not an array'),
      new YamlDepthError(null),
      new PublicKeyError('No public keys found'),
      new TrailResolutionError('trail x was not found'),
      new ObjectReadError('access_denied', 'access denied listing the bucket'),
    ];
    for (const error of errors) {
      assert.ok(error instanceof TrailauditError, error.constructor.name);
      assert.equal(error.exitCode, 2, error.constructor.name);
    }
    const printed = async (error: unknown): Promise<string> => (await captureOutput(() => runCommandLine(exploding(error), ['explode'], () => 0))).stderr;
    assert.equal(await printed(errors[0]), 'trailaudit: invalid input, nothing was evaluated and no report was written:\nrules.yaml:3:5: checks: bad\n');
    assert.equal(await printed(errors[2]), 'trailaudit: cannot audit: no credentials\n');
    assert.equal(await printed(errors[3]), 'trailaudit: --start-time is in the future\n');
  });

  it('validate-logs catches the base class too: its own wording, the error\'s exit code', async () => {
    const arn = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main';
    const result = await captureOutput(() => main(['validate-logs', '--trail', arn, '--start-time', '2025-03-01T00:00:00Z', '--endpoint-url', 'ftp://127.0.0.1:9'], process.cwd()));
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'trailaudit validate-logs: "ftp://127.0.0.1:9" is not an http(s) URL; nothing was validated and no report was written.\n');
  });
});

describe('the one endpoint parser', () => {
  it('accepts an http(s) URL without its trailing slashes and refuses anything else as bad usage', () => {
    assert.equal(parseEndpointUrl('http://127.0.0.1:5000/'), 'http://127.0.0.1:5000');
    assert.equal(parseEndpointUrl('https://s3.example.test//'), 'https://s3.example.test');
    for (const bad of ['ftp://127.0.0.1', 'localhost:5000', '', 'http//x']) {
      assert.throws(() => parseEndpointUrl(bad), (error: unknown) => error instanceof UsageError && error.message === `"${bad}" is not an http(s) URL`, bad);
    }
  });

  it('resolves --endpoint-url, else AWS_ENDPOINT_URL: an empty option is bad usage, a blank variable is unset, a bad variable is named', () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    try {
      delete process.env.AWS_ENDPOINT_URL;
      assert.equal(resolveEndpointUrl(undefined), undefined);
      // An empty --endpoint-url must not fall through to real AWS.
      assert.throws(() => resolveEndpointUrl(''), (error: unknown) => error instanceof UsageError && error.message === '"" is not an http(s) URL');
      process.env.AWS_ENDPOINT_URL = '  ';
      assert.equal(resolveEndpointUrl(undefined), undefined);
      // …and unset, so that the SDK, which reads it too, does not fail on it ("Invalid URL").
      assert.equal(process.env.AWS_ENDPOINT_URL, undefined);
      process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4566/';
      assert.equal(resolveEndpointUrl(undefined), 'http://127.0.0.1:4566');
      assert.equal(resolveEndpointUrl('http://127.0.0.1:5000'), 'http://127.0.0.1:5000');
      process.env.AWS_ENDPOINT_URL = 'notaurl';
      assert.throws(() => resolveEndpointUrl(undefined), (error: unknown) => error instanceof UsageError && error.message === 'AWS_ENDPOINT_URL: "notaurl" is not an http(s) URL');
    } finally {
      if (saved === undefined) {
        delete process.env.AWS_ENDPOINT_URL;
      } else {
        process.env.AWS_ENDPOINT_URL = saved;
      }
    }
  });

  it('as a commander option parser, gives commander the same message as a usage error of its own', () => {
    assert.equal(endpointUrlOption('http://127.0.0.1:5000/'), 'http://127.0.0.1:5000');
    assert.throws(() => endpointUrlOption('ftp://x'), (error: unknown) => error instanceof InvalidArgumentError && error.message === '"ftp://x" is not an http(s) URL');
  });

  it('audit --endpoint-url refuses a non-http URL before anything runs (exit 2)', async () => {
    const result = await captureOutput(() => main(['audit', '--endpoint-url', 'ftp://127.0.0.1:9'], process.cwd()));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /"ftp:\/\/127\.0\.0\.1:9" is not an http\(s\) URL/u);
  });
});
