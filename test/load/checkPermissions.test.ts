/**
 * A check's `permissions` follow from its `needs` (src/load/checkPermissions.ts): the built-in
 * checks list exactly those actions, and the loader refuses a check whose list lacks one (exit 2,
 * located) or derives the list when it is left out.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { permissionsFor } from '../../src/collect/live/permissions.js';
import type { FactNeed } from '../../src/facts/model.js';
import { missingPermissions, permissionsForNeeds } from '../../src/load/checkPermissions.js';
import { loadChecks, loadCheckText } from '../../src/load/loadChecks.js';
import { BUILT_IN_CHECK_FILES, builtInCheckFile } from '../helpers/builtInChecks.js';
import { assertIssues, inputIssues, positionOf } from './position.js';

describe('check permissions follow from needs', () => {
  for (const file of BUILT_IN_CHECK_FILES) {
    const written = parse(readFileSync(file, 'utf8')) as { id: string; needs: FactNeed[]; permissions?: string[] };
    it(`${written.id}: its permissions are exactly what its needs make the collector call`, () => {
      assert.ok(written.permissions !== undefined, 'a built-in check lists its permissions, for readers of the file');
      assert.deepEqual([...written.permissions].sort(), permissionsForNeeds(written.needs));
      assert.equal(new Set(written.permissions).size, written.permissions.length, 'each action once');
    });
  }

  it('leaves out only what every audit calls anyway', () => {
    const always = permissionsFor(new Set());
    assert.deepEqual(always, ['ec2:DescribeRegions', 'sts:GetCallerIdentity']);
    assert.deepEqual(permissionsForNeeds(['trails']), ['cloudtrail:DescribeTrails']);
    assert.ok(permissionsForNeeds(['bucketPublicAccess']).includes('s3:GetAccountPublicAccessBlock'));
  });

  it('reads a listed action as IAM does: case-insensitive, with * and ? wildcards', () => {
    assert.deepEqual(missingPermissions(['trailStatus'], ['cloudtrail:*']), []);
    assert.deepEqual(missingPermissions(['trailStatus'], ['CloudTrail:describetrails', 'cloudtrail:Get*']), []);
    assert.deepEqual(missingPermissions(['trailStatus'], ['*']), []);
    assert.deepEqual(missingPermissions(['trailStatus'], ['cloudtrail:Describe?rails']), ['cloudtrail:GetTrailStatus']);
    assert.deepEqual(missingPermissions(['trailStatus'], ['cloudtrail:List*', 's3:*']), ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus']);
  });

  describe('the loader', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'trailaudit-permissions-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const shipped = (id: string): string => readFileSync(builtInCheckFile(id), 'utf8');

    it('refuses a check whose permissions lack an action its needs require, at the permissions line', () => {
      const text = shipped('CloudTrail.1').replace(
        'permissions: [cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus, cloudtrail:GetEventSelectors]',
        'permissions: [cloudtrail:DescribeTrails]',
      );
      assert.notEqual(text, shipped('CloudTrail.1'));
      writeFileSync(join(dir, 'CloudTrail.1.yaml'), text);
      assertIssues(
        inputIssues(() => loadChecks(dir)),
        [
          {
            file: join(dir, 'CloudTrail.1.yaml'),
            ...positionOf(text, '[cloudtrail:DescribeTrails]'),
            path: 'permissions',
            message: /lacks cloudtrail:GetEventSelectors, cloudtrail:GetTrailStatus, which its needs \(trails, trailStatus, eventSelectors\) make the collector call/u,
          },
        ],
      );
    });

    it('derives the permissions of a check that leaves them out', () => {
      const text = shipped('CloudTrail.6').replace(/^permissions:\n(?: {2}- .*\n)+/mu, '');
      assert.doesNotMatch(text, /^permissions:/mu);
      const check = loadCheckText(text, join(dir, 'CloudTrail.6.yaml'));
      assert.deepEqual(check.permissions, permissionsForNeeds(['trails', 'bucketPublicAccess']));
      assert.ok(check.permissions.includes('s3:GetBucketPolicyStatus'));
    });

    it('accepts actions beyond what the needs require (a wider policy, never a narrower one)', () => {
      const text = shipped('CloudTrail.4').replace('permissions: [cloudtrail:DescribeTrails]', 'permissions: [cloudtrail:DescribeTrails, cloudtrail:GetTrail]');
      assert.deepEqual(loadCheckText(text, join(dir, 'CloudTrail.4.yaml')).permissions, ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrail']);
    });
  });
});
