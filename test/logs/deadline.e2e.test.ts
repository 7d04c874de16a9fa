/**
 * validate-logs' --timeout: an endpoint that trickles its body a byte at a time never falls
 * silent long enough for the per-attempt response timeout, so only the run's deadline ends it
 * (found by a black-box run: it ran unbounded). A loopback endpoint; moto cannot trickle.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultyEndpoint, type FaultyEndpoint } from '../helpers/faultyEndpoint.js';
import { runCli } from '../cli/runCli.js';

describe('validate-logs --timeout', function () {
  this.timeout(30_000);
  let endpoint: FaultyEndpoint;
  let cwd: string;
  before(async () => {
    endpoint = await startFaultyEndpoint('trickle');
    cwd = mkdtempSync(join(tmpdir(), 'trailaudit-deadline-'));
  });
  after(async () => {
    await endpoint.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('ends a run whose endpoint trickles its answer, at the deadline, saying so (exit 2: the trail could not be resolved)', async () => {
    const started = Date.now();
    const result = await runCli(
      ['validate-logs', '--trail', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main', '--start-time', '2025-03-01T00:00:00Z', '--endpoint-url', endpoint.url, '--timeout', '2', '--output-dir', 'out'],
      { cwd },
    );
    const elapsed = Date.now() - started;
    assert.equal(result.code, 2, result.stderr);
    assert.ok(elapsed < 15_000, `ended after ${String(elapsed)} ms`);
    assert.ok(endpoint.hits() > 0, 'the endpoint was reached');
    assert.match(result.stderr, /--timeout of 2 s/u);
    assert.doesNotMatch(result.stderr, /\n\s+at /u);
  });
});
