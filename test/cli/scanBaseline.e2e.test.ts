/**
 * `scan --baseline` end to end, through the JSON report a previous scan wrote: an unchanged scan is
 * unchanged (the baseline keeps each resource's file, part of a scanned resource's identity), and
 * two templates that declare one logical id stay two resources.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './runCli.js';

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, IsMultiRegionTrail: true, S3BucketName: somebucket, EnableLogFileValidation: false}
`;

interface Sarif {
  readonly runs: readonly { readonly results: readonly { readonly ruleId: string; readonly baselineState?: string }[] }[];
}

describe('scan --baseline', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-scan-baseline-'));
    mkdirSync(join(work, 'a'));
    mkdirSync(join(work, 'b'));
    writeFileSync(join(work, 'a', 'trail.yaml'), TEMPLATE);
    writeFileSync(join(work, 'b', 'trail.yaml'), TEMPLATE);
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('a rescan of unchanged templates is unchanged: nothing new, every failure still failing', async () => {
    const first = await runCli(['scan', 'a', 'b', '--format', 'json', '--output-dir', 'r1', '--quiet'], { cwd: work });
    assert.equal(first.code, 1, first.stderr);
    const second = await runCli(['scan', 'a', 'b', '--format', 'json,markdown,sarif', '--output-dir', 'r2', '--baseline', 'r1/trailaudit.json', '--quiet'], { cwd: work });
    assert.equal(second.code, 1, second.stderr);
    const failures = (JSON.parse(readFileSync(join(work, 'r1', 'trailaudit.json'), 'utf8')) as { findings: { status: string }[] }).findings.filter((f) => f.status === 'FAIL').length;
    assert.ok(failures >= 2, 'each template fails something');
    assert.match(readFileSync(join(work, 'r2', 'trailaudit.md'), 'utf8'), new RegExp(`\\*\\*0 new\\*\\*, \\*\\*0 fixed\\*\\*, \\*\\*${failures} still failing\\*\\*\\.`, 'u'));
    // Each row names its template: the two declare the same logical id.
    const markdown = readFileSync(join(work, 'r2', 'trailaudit.md'), 'utf8');
    assert.match(markdown, /\| `Trail` in `a\/trail\.yaml` \|/u);
    assert.match(markdown, /\| `Trail` in `b\/trail\.yaml` \|/u);
    const states = (JSON.parse(readFileSync(join(work, 'r2', 'trailaudit.sarif'), 'utf8')) as Sarif).runs[0]?.results.map((result) => result.baselineState);
    assert.ok(states !== undefined && states.length > 0);
    assert.deepEqual(new Set(states), new Set(['unchanged']));
  });
});
