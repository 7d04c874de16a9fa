/**
 * The scan's own logic, apart from the collectors (stubbed here, real in scan.e2e.test.ts): which
 * files a directory walk reads, content-based detection, per-file errors that do not stop the
 * scan, and how the per-file fact sets merge into one.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { discover } from '../../src/collect/iac/discover.js';
import { MIXED_ACCOUNT_ID, mergeFactSets, NOT_A_TEMPLATE, scanFiles, type IacCollectors } from '../../src/collect/iac/scan.js';
import type { IacCollection, IacCollectOptions } from '../../src/collect/iac/types.js';
import { InputError } from '../../src/errors.js';
import type { FactNeed, FactSet, FactSource, PublicAccessBlock } from '../../src/facts/model.js';
import { scanExitCode } from '../../src/cli/scanCommand.js';

function facts(source: FactSource, file: string, extra: Partial<FactSet> = {}): FactSet {
  return {
    schemaVersion: 1,
    source,
    collectedAt: '2026-01-01T00:00:00.000Z',
    collected: ['trails', 'trailStatus', 'eventSelectors', 'trailTags', 'bucketPublicAccess', 'bucketLogging', 'eventDataStores'],
    account: { ref: { type: 'AWS::::Account', id: '(template)', accountId: null, region: 'global' }, id: '(template)', partition: 'aws', scope: 'partial', publicAccessBlock: null },
    regions: [],
    trails: [
      {
        ref: { type: 'AWS::CloudTrail::Trail', id: `Trail-${file}`, accountId: null, region: 'us-east-1', location: { file, line: 3, column: 3 } },
        $gap: { reason: 'unsupported', message: 'stub' },
        homeRegion: 'us-east-1',
        isMultiRegion: true,
        ownerInScope: true,
      },
    ],
    buckets: [],
    eventDataStores: [],
    stats: { apiCalls: {}, durationMs: 0 },
    ...extra,
  };
}

function collection(kind: IacCollection['kind'], file: string, extra: Partial<FactSet> = {}): IacCollection {
  return {
    kind,
    facts: facts(kind === 'terraform-plan' ? 'terraform' : 'cloudformation', file, extra),
    suppressions: [{ check: 'CloudTrail.4', resource: `Trail-${file}`, file, reason: 'inline', expires: '2099-01-01' }],
  };
}

/** Stand-ins with the collectors' contract: plans by `format_version`, templates by `Resources`. */
const STUBS: IacCollectors = {
  isTerraformPlan: (data) => typeof data === 'object' && data !== null && 'format_version' in data,
  collectTerraformPlan: (_text, data, options: IacCollectOptions) => {
    if ((data as { format_version: string }).format_version.startsWith('2.')) {
      throw new InputError([{ file: options.displayPath, line: 1, column: 2, path: 'format_version', message: 'unsupported format_version' }]);
    }
    return collection('terraform-plan', options.displayPath);
  },
  isCloudFormationTemplate: (data) => typeof data === 'object' && data !== null && 'Resources' in data,
  collectCloudFormation: (text, options) => {
    if (text.includes('BROKEN')) {
      throw new InputError([{ file: options.displayPath, line: 2, column: 5, path: '', message: 'bad indentation' }]);
    }
    if (text.includes(': ,')) {
      throw new InputError([{ file: options.displayPath, line: 3, column: 10, path: '', message: 'invalid JSON: unexpected ","' }]);
    }
    return /^Resources:/mu.test(text) || text.includes('"Resources"') ? collection('cloudformation', options.displayPath) : null;
  },
};

const region = (name: string): FactSet['regions'][number] => ({ ref: { type: 'AWS::::Account', id: '(template)', accountId: null, region: name }, name });

describe('scan: discovery, detection and merge', () => {
  let root: string;
  const write = (path: string, content: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'trailaudit-scanfiles-'));
    write('stacks/a.yaml', 'Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n');
    write('stacks/b.template', 'Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n');
    write('plans/prod.json', '{"format_version": "1.2", "planned_values": {}}');
    write('package.json', '{"name": "x"}');
    write('tsconfig.json', '{ // comments are fine here\n "compilerOptions": {} }');
    write('k8s/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\n');
    write('README.md', '# Resources');
    write('node_modules/dep/template.yaml', 'Resources: {}');
    write('.git/x.json', '{"Resources": {}}');
    write('infra/.terraform/modules/m/plan.json', '{"format_version": "1.0"}');
    write('cdk.out/App.template.json', '{"Resources": {"T": {"Type": "AWS::CloudTrail::Trail"}}}');
    write('cdk.out/manifest.json', '{"Resources": "not a template"}');
    write('cdk.out/asset.1234/thing.template.json', '{"Resources": {}}');
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('walks directories for candidate extensions, skipping dependency, VCS, Terraform cache and CDK asset folders', () => {
    const { files, issues } = discover(['.'], root);
    assert.deepEqual(issues, []);
    const rel = files.map((f) => f.path.slice(root.length + 1)).sort();
    assert.deepEqual(rel, ['cdk.out/App.template.json', 'k8s/deploy.yaml', 'package.json', 'plans/prod.json', 'stacks/a.yaml', 'stacks/b.template', 'tsconfig.json']);
    assert.ok(files.every((f) => !f.explicit));
  });

  it('reads an explicitly named file whatever its extension, once, and reports a missing path', () => {
    const { files, issues } = discover(['README.md', 'stacks', 'stacks/a.yaml', 'nope.yaml'], root);
    assert.deepEqual(
      files.map((f) => [f.path.slice(root.length + 1), f.explicit]),
      [
        ['README.md', true],
        ['stacks/a.yaml', true],
        ['stacks/b.template', false],
      ],
    );
    assert.deepEqual(issues.map((i) => [i.file, i.message]), [['nope.yaml', 'no such file or directory']]);
  });

  it('detects by content: plans and templates scanned, other files in a walk skipped silently', () => {
    const { files } = discover(['.'], root);
    const result = scanFiles(files, { cwd: root, collectedAt: '2026-01-01T00:00:00.000Z', wholeAccount: false }, STUBS);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.scanned.map((f) => [f.displayPath, f.kind]),
      [
        ['cdk.out/App.template.json', 'cloudformation'],
        ['plans/prod.json', 'terraform-plan'],
        ['stacks/a.yaml', 'cloudformation'],
        ['stacks/b.template', 'cloudformation'],
      ],
    );
    assert.deepEqual(result.skipped, ['k8s/deploy.yaml', 'package.json', 'tsconfig.json']);
    assert.equal(result.facts?.source, 'iac');
    assert.equal(result.facts.trails.length, 4);
    assert.equal(result.suppressions.length, 4);
  });

  it('reports an explicit non-template, a syntax error and an unsupported plan, and still scans the rest', () => {
    write('bad/broken.json', '{\n  "Resources": {\n    "T": ,\n  }\n}');
    write('bad/broken.yaml', 'Resources:\n  BROKEN');
    write('bad/v2.json', '{"format_version": "2.0", "planned_values": {}}');
    write('bad/good.yaml', 'Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n');
    const { files } = discover(['bad', 'package.json'], root);
    const result = scanFiles(files, { cwd: root, collectedAt: '2026-01-01T00:00:00.000Z', wholeAccount: false }, STUBS);
    assert.deepEqual(result.scanned.map((f) => f.displayPath), ['bad/good.yaml']);
    const byFile = Object.fromEntries(result.issues.map((i) => [i.file, i]));
    assert.equal(byFile['package.json']?.message, NOT_A_TEMPLATE);
    assert.equal(byFile['bad/broken.json']?.line, 3, JSON.stringify(byFile['bad/broken.json']));
    assert.match(byFile['bad/broken.json'].message, /^invalid JSON/u);
    assert.deepEqual([byFile['bad/broken.yaml']?.line, byFile['bad/broken.yaml']?.column], [2, 5]);
    assert.equal(byFile['bad/v2.json']?.path, 'format_version');
    assert.equal(result.facts?.source, 'cloudformation');
  });

  it('returns no facts when nothing could be scanned', () => {
    const { files } = discover(['package.json'], root);
    const result = scanFiles(files, { cwd: root, collectedAt: '2026-01-01T00:00:00.000Z', wholeAccount: false }, STUBS);
    assert.equal(result.facts, null);
    assert.equal(result.issues.length, 1);
  });

  describe('merge', () => {
    const pab: PublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

    it('concatenates items, unites Regions, takes the first declared account Block Public Access', () => {
      const merged = mergeFactSets(
        [
          collection('cloudformation', 'a.yaml', { regions: [region('us-east-1')] }),
          collection('terraform-plan', 'b.json', { regions: [region('us-east-1'), region('eu-west-1')], account: { ...facts('terraform', 'b.json').account, publicAccessBlock: pab } }),
          collection('terraform-plan', 'c.json', { account: { ...facts('terraform', 'c.json').account, publicAccessBlock: { ...pab, blockPublicAcls: false } } }),
        ],
        { wholeAccount: false, collectedAt: 'now', durationMs: 5 },
      );
      assert.ok(merged);
      assert.deepEqual(merged.regions.map((r) => r.name), ['us-east-1', 'eu-west-1']);
      assert.deepEqual(merged.account.publicAccessBlock, pab);
      assert.equal(merged.account.scope, 'partial');
      assert.equal(merged.source, 'iac');
      assert.deepEqual(merged.trails.map((t) => t.ref.id), ['Trail-a.yaml', 'Trail-b.json', 'Trail-c.json']);
      assert.deepEqual(merged.stats, { apiCalls: {}, durationMs: 5 });
    });

    it('keeps only fact kinds every file collected, null Block Public Access when none declared, account scope with --whole-account', () => {
      const partial: FactNeed[] = ['trails', 'trailStatus'];
      const merged = mergeFactSets([collection('cloudformation', 'a.yaml'), collection('cloudformation', 'b.yaml', { collected: partial })], {
        wholeAccount: true,
        collectedAt: 'now',
        durationMs: 0,
      });
      assert.deepEqual(merged?.collected, partial);
      assert.equal(merged.account.id, '(template)', 'files agreeing on the account keep its id');
      assert.equal(merged.account.ref.location, undefined, 'no single file declares the account of a multi-file scan');
      assert.equal(merged.account.publicAccessBlock, null);
      assert.equal(merged.account.scope, 'account');
      assert.equal(merged.source, 'cloudformation');
      assert.equal(mergeFactSets([], { wholeAccount: false, collectedAt: 'now', durationMs: 0 }), null);
    });
  });

  it('names one account when files disagree, and Region-level refs follow it', () => {
    const plan = facts('terraform', 'p.json');
    const merged = mergeFactSets(
      [
        collection('cloudformation', 'a.yaml', { regions: [region('(deployment region)')] }),
        collection('terraform-plan', 'p.json', {
          account: { ...plan.account, id: '(plan)', ref: { ...plan.account.ref, id: '(plan)' } },
          regions: [{ ref: { type: 'AWS::::Account', id: '(plan)', accountId: null, region: 'eu-west-1', location: { file: 'p.json', line: 1, column: 1 } }, name: 'eu-west-1' }],
        }),
      ],
      { wholeAccount: false, collectedAt: 'now', durationMs: 0 },
    );
    assert.equal(merged?.account.id, MIXED_ACCOUNT_ID);
    assert.equal(merged.account.ref.id, MIXED_ACCOUNT_ID);
    const planRegion = merged.regions.find((r) => r.name === 'eu-west-1');
    assert.deepEqual(planRegion?.ref, { type: 'AWS::::Account', id: MIXED_ACCOUNT_ID, accountId: null, region: 'eu-west-1' });
  });

  it('never exits 0 when a file could not be scanned, and keeps 1 and 3', () => {
    assert.equal(scanExitCode(0, 0), 0);
    assert.equal(scanExitCode(0, 2), 3);
    assert.equal(scanExitCode(1, 2), 1);
    assert.equal(scanExitCode(3, 1), 3);
  });
});
