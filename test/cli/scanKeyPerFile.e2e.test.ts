/**
 * A multi-file scan where two CloudFormation templates each declare a key with the same logical id
 * (`TrailKey`), one good, one disabled, not rotating and with a root-only policy, each used by its
 * own file's trail. Each trail must be judged by its own file's key (healthKey.ts: by `trailArns`
 * first), whichever order the files are given in: the bad key never lends the good trail a FAIL,
 * and the good key never lends the bad trail a PASS.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './runCli.js';

interface Finding {
  control: string;
  status: string;
  message: string;
  resource: { id: string; name?: string };
}

const ROOT_STATEMENT = `
          - Effect: Allow
            Principal: { AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" }
            Action: "kms:*"
            Resource: "*"`;

function template(trailId: string, trailName: string, good: boolean): string {
  return `Resources:
  TrailKey:
    Type: AWS::KMS::Key
    Properties:
      Enabled: ${String(good)}
      EnableKeyRotation: ${String(good)}
      KeyPolicy:
        Version: "2012-10-17"
        Statement:${ROOT_STATEMENT}${good ? '\n          - { Effect: Allow, Principal: { Service: cloudtrail.amazonaws.com }, Action: "kms:GenerateDataKey*", Resource: "*" }' : ''}
  ${trailId}:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: ${trailName}
      S3BucketName: ${trailName}-logs
      IsLogging: true
      IsMultiRegionTrail: true
      KMSKeyId: !GetAtt TrailKey.Arn
`;
}

describe('scan: a trail is judged by the key of its own file when two files share a key logical id', function () {
  this.timeout(60_000);
  let work: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-scan-keys-'));
    writeFileSync(join(work, 'a-good.yaml'), template('GoodTrail', 'good-trail', true));
    writeFileSync(join(work, 'z-bad.yaml'), template('BadTrail', 'bad-trail', false));
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  // When the two trails ALSO share a logical id (`Trail` in both files), a trail's `arn` in a scan is
  // that id, so nothing tells which key is whose: the join reports it (UNKNOWN) instead of taking the
  // first file's key, which used to PASS the bad trail.
  it('scan a-good.yaml z-bad.yaml with the same trail logical id in both: no trail PASSes on the other file\'s key', async () => {
    writeFileSync(join(work, 'same-a-good.yaml'), template('Trail', 'good-trail', true));
    writeFileSync(join(work, 'same-z-bad.yaml'), template('Trail', 'bad-trail', false));
    const result = await runCli(['scan', 'same-a-good.yaml', 'same-z-bad.yaml', '--checks', 'TrailHealth.3,TrailHealth.4', '--format', 'json', '--output-dir', 'out-same'], { cwd: work });
    const findings = (JSON.parse(readFileSync(join(work, 'out-same', 'trailaudit.json'), 'utf8')) as { findings: Finding[] }).findings;
    // Both trails are `Trail`: which key is whose cannot be told, so every verdict is UNKNOWN (never the good key's PASS).
    assert.ok(findings.length > 0);
    assert.ok(findings.every((finding) => finding.status === 'UNKNOWN'), JSON.stringify(findings.map((f) => [f.control, f.status])));
    assert.equal(result.code, 3, result.stderr);
  });


  for (const files of [['a-good.yaml', 'z-bad.yaml'], ['z-bad.yaml', 'a-good.yaml']]) {
    it(`scan ${files.join(' ')}: good-trail PASSes TrailHealth.3/4, bad-trail FAILs both`, async () => {
      const out = `out-${files[0] ?? ''}`;
      const result = await runCli(['scan', ...files, '--checks', 'TrailHealth.3,TrailHealth.4', '--format', 'json', '--output-dir', out], { cwd: work });
      assert.equal(result.code, 1, result.stderr);
      const findings = (JSON.parse(readFileSync(join(work, out, 'trailaudit.json'), 'utf8')) as { findings: Finding[] }).findings;
      const statuses = Object.fromEntries(findings.map((f) => [`${f.control} ${f.resource.name ?? f.resource.id}`, f.status]));
      assert.deepEqual(statuses, {
        'TrailHealth.3 good-trail': 'PASS',
        'TrailHealth.4 good-trail': 'PASS',
        'TrailHealth.3 bad-trail': 'FAIL',
        'TrailHealth.4 bad-trail': 'FAIL',
      });
      const bad = findings.find((f) => f.control === 'TrailHealth.3' && f.resource.name === 'bad-trail');
      assert.match(bad?.message ?? '', /Its key state is Disabled/u);
    });
  }
});
