/**
 * Fact references in check files are checked against the facts model when checks are loaded: a
 * misspelled path would otherwise resolve to MISSING and could PASS (the tester's four cases come
 * first), while legitimately optional facts, free-form keys (tags) and parameters still load.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import type { CheckDefinition } from '../../src/engine/types.js';
import type { BucketFacts, FactSet } from '../../src/facts/model.js';
import { loadCheckText, loadChecks } from '../../src/load/loadChecks.js';
import { BUILT_IN_CHECK_IDS, builtInCheckFile } from '../helpers/builtInChecks.js';
import { assertIssues, inputIssues, positionOf } from './position.js';

const original = (id: string): string => readFileSync(builtInCheckFile(id), 'utf8');

/** Replace exactly one occurrence, so a test cannot silently break nothing. */
function edit(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  assert.ok(first >= 0 && text.indexOf(from, first + 1) < 0, `"${from}" occurs exactly once`);
  return text.slice(0, first) + to + text.slice(first + from.length);
}

const SIX_ASSERT = 'assert: { path: publicAccess.isPublic, op: eq, value: false }';

/** A fact set with one public log bucket, as the tester audited. */
function publicBucketFacts(): FactSet {
  const bucket: BucketFacts = {
    ref: { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::logs', name: 'logs', accountId: '111122223333', region: 'us-east-1' },
    name: 'logs',
    region: 'us-east-1',
    ownerAccountId: '111122223333',
    trailArns: ['arn:aws:cloudtrail:us-east-1:111122223333:trail/main'],
    publicAccess: { isPublic: true, aclPublic: true, policyPublic: false, via: ['acl'], neutralisedBy: [], details: ['AllUsers READ'] },
  };
  return {
    schemaVersion: 1,
    source: 'live',
    collectedAt: '2026-03-01T00:00:00.000Z',
    collected: ['trails', 'bucketPublicAccess'],
    account: { ref: { type: 'AWS::::Account', id: '111122223333', accountId: '111122223333', region: 'global' }, id: '111122223333', partition: 'aws' },
    regions: [],
    trails: [],
    buckets: [bucket],
    eventDataStores: [],
    stats: { apiCalls: {}, durationMs: 0 },
  };
}

describe('fact paths in check files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailaudit-paths-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Load `text` as the only check of a checks dir, as `--checks-dir` does. */
  const loadOne = (name: string, text: string): CheckDefinition[] => {
    writeFileSync(join(dir, name), text);
    return loadChecks(dir);
  };
  const issuesOf = (name: string, text: string): ReturnType<typeof inputIssues> => inputIssues(() => loadOne(name, text));
  const at = (file: string, text: string, needle: string, occurrence = 1): { file: string; line: number; column: number } => ({
    file: join(dir, file),
    ...positionOf(text, needle, occurrence),
  });

  describe("the tester's cases, each a false PASS or NOT_APPLICABLE before", () => {
    it('a misspelled path compared with ne', () => {
      const text = edit(original('CloudTrail.6'), SIX_ASSERT, 'assert: { path: publicAcess.isPublic, op: ne, value: true }');
      assertIssues(issuesOf('CloudTrail.6.yaml', text), [
        {
          ...at('CloudTrail.6.yaml', text, 'publicAcess.isPublic'),
          path: 'assert.path',
          message: /unknown fact path "publicAcess\.isPublic": an item of \$\.buckets has no field "publicAcess"; did you mean "publicAccess"\? Expected one of: .*publicAccessBlock/u,
        },
      ]);
    });

    it('a misspelled path tested with notExists', () => {
      const text = edit(original('CloudTrail.6'), SIX_ASSERT, 'assert: { path: publicAcess.isPublic, op: notExists }');
      assertIssues(issuesOf('CloudTrail.6.yaml', text), [
        { ...at('CloudTrail.6.yaml', text, 'publicAcess.isPublic'), path: 'assert.path', message: /no field "publicAcess"; did you mean "publicAccess"\?/u },
      ]);
    });

    it('a misspelled given', () => {
      const text = edit(original('CloudTrail.6'), 'given: $.buckets', 'given: $.bucket');
      assertIssues(issuesOf('CloudTrail.6.yaml', text), [
        {
          ...at('CloudTrail.6.yaml', text, '$.bucket'),
          path: 'given',
          message: /unknown fact path "\$\.bucket": the fact set \(\$\) has no field "bucket"; did you mean "buckets"\?/u,
        },
      ]);
    });

    it('a misspelled path or placeholder in a note', () => {
      const text = edit(
        edit(original('CloudTrail.7'), 'when: { path: logging.targetBucket, op: eq, ref: name }', 'when: { path: loging.targetBucket, op: eq, ref: name }'),
        'Warning: it logs to itself',
        'Warning: {{item.nmae}} logs to itself',
      );
      assertIssues(issuesOf('CloudTrail.7.yaml', text), [
        { ...at('CloudTrail.7.yaml', text, 'loging.targetBucket'), path: 'notes.0.when.path', message: /no field "loging"; did you mean "logging"\?/u },
        // A folded text is located where it starts (its `>-`), like the messages.
        { ...at('CloudTrail.7.yaml', text, '>-\n      Warning: {{item.nmae}}'), path: 'notes.0.text', message: /unknown placeholder \{\{item\.nmae\}\}.*did you mean "name"\?/u },
      ]);
    });

    it('a misspelled {{resource.x}} in a message', () => {
      const text = edit(original('CloudTrail.6'), 'pass: CloudTrail log bucket {{resource.name}}', 'pass: CloudTrail log bucket {{resource.nmae}}');
      assertIssues(issuesOf('CloudTrail.6.yaml', text), [
        {
          ...at('CloudTrail.6.yaml', text, 'CloudTrail log bucket {{resource.nmae}}'),
          path: 'messages.pass',
          message: /unknown placeholder \{\{resource\.nmae\}\}: the resource has no field "nmae"; did you mean "name"\?/u,
        },
      ]);
    });

    it('the typo would have passed a public bucket: the engine alone cannot tell (why the loader must)', () => {
      const good = loadCheckText(original('CloudTrail.6'), 'CloudTrail.6.yaml');
      const typo: CheckDefinition = { ...good, assert: { path: 'publicAcess.isPublic', op: 'ne', value: true } };
      assert.equal(evaluateCheck({ check: good, params: {} }, publicBucketFacts())[0]?.status, 'FAIL');
      assert.equal(evaluateCheck({ check: typo, params: {} }, publicBucketFacts())[0]?.status, 'PASS');
    });
  });

  describe('other references', () => {
    it('a ref (reported once, where the anchored condition is written), an evidence projection field and an item placeholder, all at once', () => {
      let text = original('CloudTrail.3');
      text = edit(text, '{ path: homeRegion, op: eq, ref: ^.name }', '{ path: homeRegion, op: eq, ref: ^.nam }');
      text = edit(text, 'fields: [arn, homeRegion, isMultiRegion, isLogging]', 'fields: [arn, homeRegion, isMultiRegion, isLoging]');
      text = edit(text, 'pass: A logging trail covers {{resource.region}}', 'pass: A logging trail covers {{item.nme}}');
      assertIssues(issuesOf('CloudTrail.3.yaml', text), [
        { ...at('CloudTrail.3.yaml', text, '^.nam'), path: 'where.any.1.some.where.any.0.ref', message: /"\^\.nam": an item of \$\.regions has no field "nam"; did you mean "name"\?/u },
        { ...at('CloudTrail.3.yaml', text, 'isLoging'), path: 'evidence.0.fields.3', message: /no field "isLoging"; did you mean "isLogging"\?/u },
        { ...at('CloudTrail.3.yaml', text, 'A logging trail covers {{item.nme}}'), path: 'messages.pass', message: /\{\{item\.nme\}\}: an item of \$\.regions has no field "nme"; did you mean "name"\?/u },
      ]);
    });

    it('a misspelled quantifier collection, an evidence string and a list read as an object', () => {
      let text = original('CloudTrail.1');
      text = edit(text, 'assert:\n  some:\n    in: $.trails', 'assert:\n  some:\n    in: $.trail');
      text = edit(text, 'label: trails', 'label: trails\n    fields: [arn]\n  - $.trails.isLogging\n  - path: $.regions\n    label: regions');
      text = edit(text, '    fields: [arn, isMultiRegion, isLogging,', '    fields: [name, isMultiRegion, isLogging,');
      const issues = issuesOf('CloudTrail.1.yaml', text);
      assertIssues(issues, [
        { ...at('CloudTrail.1.yaml', text, '$.trail\n'), path: 'assert.some.in', message: /"\$\.trail": the fact set \(\$\) has no field "trail"; did you mean "trails"\?/u },
        {
          ...at('CloudTrail.1.yaml', text, '$.trails.isLogging'),
          path: 'evidence.2',
          message: /"\$\.trails" is a list, which has no field "isLogging"; to test its items, use a some\/every\/none quantifier with in: \$\.trails/u,
        },
        { ...at('CloudTrail.1.yaml', text, 'isMultiRegion, isLogging,'), path: 'evidence.3.fields.1', message: /an item of \$\.regions has no field "isMultiRegion"/u },
        { ...at('CloudTrail.1.yaml', text, 'isLogging,', 3), path: 'evidence.3.fields.2', message: /an item of \$\.regions has no field "isLogging"/u },
        { ...at('CloudTrail.1.yaml', text, 'managementEvents.allInOneSelector, managementEvents.explanation'), path: 'evidence.3.fields.3', message: /no field "managementEvents"/u },
        { ...at('CloudTrail.1.yaml', text, 'managementEvents.explanation'), path: 'evidence.3.fields.4', message: /no field "managementEvents"/u },
        { ...at('CloudTrail.1.yaml', text, 'isOrganizationTrail]'), path: 'evidence.3.fields.5', message: /an item of \$\.regions has no field "isOrganizationTrail"/u },
      ]);
    });

    it('parameters: undeclared in a path, a ref that tries to read one, an unknown placeholder root', () => {
      let text = original('CloudTrail.9');
      text = edit(text, 'evidence: [userTagKeys, $param.requiredTagKeys]', 'evidence: [userTagKeys, $param.requiredTags]');
      text = edit(text, '- { path: userTagKeys, op: notEmpty }', '- { path: userTagKeys, op: containsAll, ref: $param.requiredTagKeys }');
      text = edit(text, 'unknown: Could not read the tags of trail {{resource.id}}.', 'unknown: Could not read the tags of trail {{trail.name}}.');
      assertIssues(issuesOf('CloudTrail.9.yaml', text), [
        { ...at('CloudTrail.9.yaml', text, '$param.requiredTagKeys }'), path: 'assert.all.0.ref', message: /"ref" reads facts, not parameters; to compare with a parameter write value: "\{\{param\.requiredTagKeys\}\}"/u },
        { ...at('CloudTrail.9.yaml', text, '$param.requiredTags]'), path: 'evidence.1', message: /unknown parameter "requiredTags" in "\$param\.requiredTags" \(declare it under parameters\); did you mean "requiredTagKeys"\?/u },
        { ...at('CloudTrail.9.yaml', text, 'Could not read the tags'), path: 'messages.unknown', message: /unknown placeholder \{\{trail\.name\}\}: "trail" is not one of resource, item, param/u },
      ]);
    });

    it('"^." above the fact set', () => {
      const text = edit(original('CloudTrail.4'), SIX_ASSERT.replace('publicAccess.isPublic, op: eq, value: false', 'logFileValidationEnabled, op: eq, value: true'), 'assert: { path: logFileValidationEnabled, op: eq, ref: ^.^.x }');
      assertIssues(issuesOf('CloudTrail.4.yaml', text), [
        { ...at('CloudTrail.4.yaml', text, '^.^.x'), path: 'assert.ref', message: /"\^\.\^\.x" climbs above the fact set/u },
      ]);
    });
  });

  describe('what must still load', () => {
    it('every shipped check (no false alarms)', () => {
      assert.deepEqual(loadChecks().map((check) => check.id), BUILT_IN_CHECK_IDS);
    });

    it('a custom check on legitimately optional facts, free-form tag keys, gap fields and parameters', () => {
      let text = original('CloudTrail.9');
      text = edit(
        text,
        'assert:\n  all:\n    - { path: userTagKeys, op: notEmpty }\n',
        [
          'assert:',
          '  all:',
          // Optional facts: absent on most trails, and that is meant (MISSING).
          '    - { path: includeGlobalServiceEvents, op: ne, value: false }',
          '    - { path: status.latestDeliveryError, op: notExists }',
          // Free-form records: any key.
          '    - { path: tags.owner, op: exists }',
          '    - { path: locations.kmsKeyId.line, op: notExists }',
          // A gap stand-in in the same collection, arrays by index and length, the root and ^.
          '    - { path: $gap.reason, op: notExists }',
          '    - { path: visibleInRegions.0, op: exists }',
          '    - { path: visibleInRegions.length, op: gt, value: 0 }',
          '    - { path: $.account.publicAccessBlock.blockPublicAcls, op: ne, value: false }',
          '    - every: { in: eventSelectors.advanced, match: { every: { in: fieldSelectors, match: { path: ^.^.name, op: eq, ref: ^.^.arn } } } }',
          '    - { path: $param.requiredTagKeys, op: empty }',
          '',
        ].join('\n'),
      );
      text = edit(text, 'evidence: [userTagKeys, $param.requiredTagKeys]', 'evidence: [userTagKeys, $param.requiredTagKeys, tags.owner, {path: $.trails, fields: [ref.name, tags.team]}]');
      text = edit(text, 'pass: Trail {{resource.name}} is tagged ({{item.userTagKeys}}).', 'pass: Trail {{resource.name}} is tagged ({{item.tags.owner}}, {{param.requiredTagKeys}}, {{item}}, {{resource.location.line}}).');
      const [check] = loadOne('CloudTrail.9.yaml', text);
      assert.equal(check?.id, 'CloudTrail.9');
      assert.equal(check.evidence.length, 4);
    });
  });
});
