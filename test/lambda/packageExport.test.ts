/**
 * package.json `exports`: `trailaudit/lambda` is the handlers' entry point, and adding `exports`
 * must not close the paths that were importable before (any file of the package, `bin` aside).
 * Resolved by a separate Node process, as a user's code would (npm test builds dist/ first).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('package exports', () => {
  it('resolves trailaudit/lambda to the built handlers and keeps deep imports working', () => {
    const script = `
      const lambda = await import('trailaudit/lambda');
      const report = await import('trailaudit/dist/report/formats.js');
      process.stdout.write(JSON.stringify({
        lambda: import.meta.resolve('trailaudit/lambda'),
        handlers: Object.keys(lambda).sort(),
        formats: report.REPORT_FORMATS,
        manifest: import.meta.resolve('trailaudit/package.json'),
      }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { lambda: string; handlers: string[]; formats: string[]; manifest: string };
    assert.ok(result.lambda.endsWith('/dist/lambda/index.js'), result.lambda);
    assert.deepEqual(result.handlers, ['auditAccounts', 'listAccounts', 'recordFailure', 'reduce']);
    assert.ok(result.formats.includes('json'));
    assert.ok(result.manifest.endsWith('/package.json'));
  });
});
