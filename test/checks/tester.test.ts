import { strict as assert } from 'node:assert';
import type { Finding } from '../../src/engine/types.js';
import { isUnknown } from '../../src/facts/model.js';
import type { BucketFacts, TrailFacts } from '../../src/facts/model.js';
import { loadChecks } from '../../src/load/loadChecks.js';
import type { CheckCase, Expectation } from '../../src/tester/index.js';
import {
  ACCOUNT_ID,
  assertCoverage,
  assertFindingsMatch,
  buildFacts,
  checkPendingCase,
  expandUnknowns,
  missingKinds,
  parseCaseTable,
  runCase,
} from '../../src/tester/index.js';

/** The tester must be able to fail: these cases prove each of its guards bites. */
const checks = loadChecks();

const trailCase = (facts: Record<string, unknown>): Finding[] => runCase(checks, 'CloudTrail.4', { name: 'probe', facts });

describe('case-table tester', () => {
  describe('assertFindingsMatch', () => {
    const findings = trailCase({ regions: ['us-east-1', 'eu-west-1'], trails: [{ name: 'a' }, { name: 'b', logFileValidationEnabled: false }] });
    const both: Expectation[] = [
      { status: 'PASS', resource: 'a' },
      { status: 'FAIL', resource: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/b' },
    ];

    it('accepts exactly the expected findings, by name or by id', () => {
      assert.doesNotThrow(() => {
        assertFindingsMatch(findings, both);
      });
    });

    it('rejects a finding nobody expected', () => {
      assert.throws(() => {
        assertFindingsMatch(findings, both.slice(0, 1));
      }, /found but not expected: FAIL/u);
    });

    it('rejects an expectation no finding meets', () => {
      assert.throws(() => {
        assertFindingsMatch(findings, [...both, { status: 'PASS', resource: 'c' }]);
      }, /expected but not found/u);
    });

    it('matches one to one: two expectations cannot share one finding', () => {
      assert.throws(() => {
        assertFindingsMatch(findings, [...both, { status: 'PASS', resource: 'a' }]);
      }, /expected but not found/u);
    });

    it('checks region, reason and message when given', () => {
      assert.throws(() => {
        assertFindingsMatch(findings, [{ status: 'PASS', resource: 'a', region: 'eu-west-1' }, both[1]!]);
      });
      assert.throws(() => {
        assertFindingsMatch(findings, [{ status: 'PASS', resource: 'a', message: 'no such text' }, both[1]!]);
      });
      const unknownFinding = trailCase({ trails: [{ name: 'a', logFileValidationEnabled: { $unknown: 'throttled' } }] });
      assert.throws(() => {
        assertFindingsMatch(unknownFinding, [{ status: 'UNKNOWN', resource: 'a', reason: 'access_denied' }]);
      });
      assert.doesNotThrow(() => {
        assertFindingsMatch(unknownFinding, [{ status: 'UNKNOWN', resource: 'a', reason: 'throttled' }]);
      });
    });

    it('finds the one-to-one matching when a loose expectation could steal a finding', () => {
      const twins = trailCase({
        regions: ['us-east-1', 'eu-west-1'],
        trails: [
          { name: 'x', homeRegion: 'us-east-1', isMultiRegion: false },
          { name: 'x', homeRegion: 'eu-west-1', isMultiRegion: false },
        ],
      });
      // The first expectation fits both findings, the second only the us-east-1 one: a greedy
      // matcher would give the us-east-1 finding to the first and then fail.
      assert.doesNotThrow(() => {
        assertFindingsMatch(twins, [
          { status: 'PASS', resource: 'x' },
          { status: 'PASS', resource: 'x', region: 'us-east-1' },
        ]);
      });
      assert.throws(() => {
        assertFindingsMatch(twins, [
          { status: 'PASS', resource: 'x', region: 'us-east-1' },
          { status: 'PASS', resource: 'x', region: 'us-east-1' },
        ]);
      });
    });
  });

  describe('parseCaseTable', () => {
    const table = (cases: string, head = 'check: CloudTrail.4\n'): string => `${head}cases:\n${cases}`;
    const passCase = (name: string, kind = 'pass', status = 'PASS'): string =>
      `  - name: ${name}\n    kind: ${kind}\n    facts: {}\n    expect: [{ status: ${status}, resource: x }]\n`;

    it('rejects duplicate case names', () => {
      assert.throws(() => parseCaseTable(table(passCase('same') + passCase('same')), 't.yaml'), /duplicate case name/u);
    });

    it('rejects unknown keys in a case, in facts and in expectations', () => {
      assert.throws(() => parseCaseTable(table(`${passCase('a')}    extra: 1\n`), 't.yaml'), /unexpected key "extra"/u);
      assert.throws(
        () => parseCaseTable(table('  - name: a\n    kind: pass\n    facts: { trail: [] }\n    expect: [{ status: PASS, resource: x }]\n'), 't.yaml'),
        /unexpected key "trail"/u,
      );
      assert.throws(
        () => parseCaseTable(table('  - name: a\n    kind: pass\n    facts: {}\n    expect: [{ status: PASS, resource: x, resons: y }]\n'), 't.yaml'),
        /unexpected key "resons"/u,
      );
    });

    it('rejects a case whose expectations do not show its kind', () => {
      assert.throws(() => parseCaseTable(table(passCase('a', 'fail', 'PASS')), 't.yaml'), /must expect at least one FAIL/u);
    });

    it('rejects an unknown kind or status', () => {
      assert.throws(() => parseCaseTable(table(passCase('a', 'skipped')), 't.yaml'), /kind must be one of/u);
      assert.throws(() => parseCaseTable(table(passCase('a', 'pass', 'OK')), 't.yaml'), /status must be one of/u);
    });

    it('reports the kinds a table lacks, and assertCoverage fails on them', () => {
      const parsed = parseCaseTable(table(passCase('a') + passCase('b', 'fail', 'FAIL')), 't.yaml');
      assert.deepEqual(missingKinds(parsed), ['not_applicable', 'unknown']);
      assert.throws(() => {
        assertCoverage(parsed);
      }, /has no not_applicable, unknown case/u);
    });

    it('rejects a name cut short by a YAML comment', () => {
      assert.throws(() => parseCaseTable(table(passCase('trails not logging (Prowler 3.1 #2)')), 't.yaml'), /unbalanced parentheses/u);
    });

    it('pending cases need a reason and do not count for coverage', () => {
      const pending = '    pending: CONTROLS.md asks for something the code does not do yet\n';
      const parsed = parseCaseTable(table(passCase('a') + pending), 't.yaml');
      assert.equal(parsed.cases[0]!.pending, 'CONTROLS.md asks for something the code does not do yet');
      assert.ok(missingKinds(parsed).includes('pass'));
      assert.throws(() => parseCaseTable(table(`${passCase('a')}    pending: later\n`), 't.yaml'), /pending needs a reason/u);
    });

    it('lets only not_applicable be declared unreachable, with a reason', () => {
      const head = 'check: CloudTrail.4\nunreachable:\n  not_applicable: the account object always exists in a fact set\n';
      const parsed = parseCaseTable(table(passCase('a') + passCase('b', 'fail', 'FAIL') + passCase('c', 'unknown', 'UNKNOWN'), head), 't.yaml');
      assert.deepEqual(missingKinds(parsed), []);
      assert.throws(() => parseCaseTable(table(passCase('a'), 'check: CloudTrail.4\nunreachable: { unknown: it can never be unknown at all }\n'), 't.yaml'), /unexpected key "unknown"/u);
      assert.throws(() => parseCaseTable(table(passCase('a'), 'check: CloudTrail.4\nunreachable: { not_applicable: short }\n'), 't.yaml'), /needs a reason/u);
    });
  });

  describe('checkPendingCase', () => {
    const failing: CheckCase = {
      name: 'still failing',
      kind: 'fail',
      pending: 'the code disagrees with CONTROLS.md here',
      facts: { trails: [{ name: 'a' }] },
      expect: [{ status: 'FAIL', resource: 'a' }],
    };

    it('is pending while the case fails', () => {
      assert.equal(checkPendingCase(checks, 'CloudTrail.4', failing), 'pending');
    });

    it('fails once the case passes, so the marker is removed', () => {
      const fixed: CheckCase = { ...failing, facts: { trails: [{ name: 'a', logFileValidationEnabled: false }] } };
      assert.throws(() => checkPendingCase(checks, 'CloudTrail.4', fixed), /passes now: remove "pending"/u);
    });
  });

  describe('fact builders', () => {
    it('build a compliant trail by default that passes every trail check', () => {
      // Every check over trail facts only (read from checks/, so a new one is covered too).
      const trailFacts = new Set(['trails', 'trailStatus', 'eventSelectors', 'trailTags']);
      const trailChecks = checks.filter((check) => check.needs.every((need) => trailFacts.has(need))).map((check) => check.id);
      for (const id of ['CloudTrail.1', 'CloudTrail.2', 'CloudTrail.3', 'CloudTrail.4', 'CloudTrail.5', 'CloudTrail.9']) {
        assert.ok(trailChecks.includes(id), id);
      }
      for (const id of trailChecks) {
        const findings = runCase(checks, id, { name: 'defaults', facts: { trails: [{ name: 'main' }] } });
        assert.deepEqual(
          findings.map((finding) => finding.status),
          ['PASS'],
          `${id}: ${findings.map((finding) => finding.message).join('; ')}`,
        );
      }
    });

    it('derive ARN, visibility and ownership from name, home Region and owner', () => {
      const facts = buildFacts({ regions: ['us-east-1', 'eu-west-1'], trails: [{ name: 'org', homeRegion: 'eu-west-1', owner: '999988887777' }] });
      const trail = facts.trails[0] as TrailFacts;
      assert.equal(trail.arn, 'arn:aws:cloudtrail:eu-west-1:999988887777:trail/org');
      assert.equal(trail.ref.id, trail.arn);
      assert.equal(trail.ref.region, 'eu-west-1');
      assert.equal(trail.ownerInScope, false);
      assert.equal(trail.isOrganizationTrail, true);
      assert.deepEqual(trail.visibleInRegions, ['us-east-1', 'eu-west-1']);
      assert.deepEqual(trail.shadowInRegions, ['us-east-1']);
      assert.equal(facts.account.id, ACCOUNT_ID);
    });

    it('derive management-event coverage and user tag keys', () => {
      const facts = buildFacts({
        trails: [
          {
            name: 'main',
            eventSelectors: { EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] },
            tags: { 'aws:createdBy': 'x', owner: 'y' },
          },
        ],
      });
      const trail = facts.trails[0] as TrailFacts;
      assert.ok(trail.managementEvents !== undefined && !isUnknown(trail.managementEvents));
      assert.equal(trail.managementEvents.allInOneSelector, false);
      assert.equal(trail.hasCustomEventSelectors, true);
      assert.deepEqual(trail.userTagKeys, ['owner']);
    });

    it('compute bucket public access with the real derivation, account flags included', () => {
      const facts = buildFacts({
        account: { publicAccessBlock: { ignorePublicAcls: true } },
        trails: [{ name: 'main' }],
        buckets: [{ name: 'trail-logs', acl: [{ group: 'AllUsers' }] }],
      });
      const bucket = facts.buckets[0] as BucketFacts;
      assert.deepEqual(bucket.trailArns, ['arn:aws:cloudtrail:us-east-1:123456789012:trail/main']);
      assert.ok(bucket.publicAccess !== undefined && !isUnknown(bucket.publicAccess));
      assert.equal(bucket.publicAccess.isPublic, false);
      assert.deepEqual(bucket.publicAccess.neutralisedBy, ['IgnorePublicAcls (account)']);
    });

    it('expand {$unknown: reason} anywhere and reject unknown reasons', () => {
      const expanded = expandUnknowns({ a: [{ b: { $unknown: 'access_denied', operation: 's3:GetBucketAcl' } }] }) as { a: [{ b: unknown }] };
      assert.ok(isUnknown(expanded.a[0].b));
      assert.equal(expanded.a[0].b.$unknown.reason, 'access_denied');
      assert.equal(expanded.a[0].b.$unknown.operation, 's3:GetBucketAcl');
      assert.throws(() => expandUnknowns({ $unknown: 'forbidden' }), /\$unknown must be one of/u);
    });

    it('reject misspelt trail and bucket fields', () => {
      assert.throws(() => buildFacts({ trails: [{ name: 'main', kmsKeyID: null }] }), /unexpected key "kmsKeyID"/u);
      assert.throws(() => buildFacts({ buckets: [{ name: 'b', acls: [] }] }), /unexpected key "acls"/u);
    });
  });
});
