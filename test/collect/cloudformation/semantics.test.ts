import { strict as assert } from 'node:assert';
import type { BucketFacts, TrailFacts } from '../../../src/facts/model.js';
import { isUnknown } from '../../../src/facts/model.js';
import type { Scan } from './helpers.js';
import { findingOf, lineOf, scanText } from './helpers.js';

/**
 * Property semantics on small inline templates: defaults, parameters, conditions, string
 * booleans, tags, selectors, ACLs, ownership, Block Public Access, policies and logging.
 */

/** A template with one trail delivering to a declared bucket; properties are YAML lines. */
function trailTemplate(trailProperties: string, options: { head?: string; bucket?: string; extra?: string } = {}): string {
  const indent = (text: string, spaces: number): string =>
    text
      .trim()
      .split('\n')
      .map((line) => `${' '.repeat(spaces)}${line}`)
      .join('\n');
  return [
    options.head?.trim() ?? '',
    'Resources:',
    '  Logs:',
    '    Type: AWS::S3::Bucket',
    ...(options.bucket === undefined ? [] : ['    Properties:', indent(options.bucket, 6)]),
    '  Trail:',
    '    Type: AWS::CloudTrail::Trail',
    '    Properties:',
    '      S3BucketName: !Ref Logs',
    indent(trailProperties, 6),
    options.extra === undefined ? '' : indent(options.extra, 2),
    '',
  ].join('\n');
}

function trailOf(scan: Scan): TrailFacts {
  return scan.collection.facts.trails[0] as TrailFacts;
}

function bucketOf(scan: Scan, id = 'Logs'): BucketFacts {
  const found = (scan.collection.facts.buckets as BucketFacts[]).find((b) => b.ref.id === id);
  assert.ok(found !== undefined);
  return found;
}

describe('CloudFormation property semantics', () => {
  describe('booleans', () => {
    it('a parameter → UNKNOWN(unsupported) naming the parameter and its default, located at the property', () => {
      const scan = scanText(
        trailTemplate('IsLogging: true\nEnableLogFileValidation: !Ref Validate', {
          head: 'Parameters:\n  Validate:\n    Type: String\n    Default: "true"',
        }),
      );
      const finding = findingOf(scan, 'CloudTrail.4', 'Trail');
      assert.equal(finding.status, 'UNKNOWN');
      assert.equal(finding.reason, 'unsupported');
      assert.match(finding.message, /parameter Validate \(default true\)/);
      assert.equal(finding.location?.line, lineOf(scan.text, 'EnableLogFileValidation:'));
    });

    it('Fn::If with an AWS::NoValue branch → UNKNOWN naming the condition (true vs the default false)', () => {
      const scan = scanText(
        trailTemplate('IsLogging: true\nEnableLogFileValidation: !If [IsProd, true, !Ref AWS::NoValue]', {
          head: 'Conditions:\n  IsProd: !Equals [!Ref AWS::AccountId, "111122223333"]',
        }),
      );
      const finding = findingOf(scan, 'CloudTrail.4', 'Trail');
      assert.equal(finding.status, 'UNKNOWN');
      assert.match(finding.message, /condition IsProd/);
    });

    it('Fn::If whose branches agree is the agreed value (PASS)', () => {
      const scan = scanText(trailTemplate('IsLogging: true\nEnableLogFileValidation: !If [IsProd, true, "true"]'));
      assert.equal(findingOf(scan, 'CloudTrail.4', 'Trail').status, 'PASS');
    });

    it('string booleans of any case count; anything else is UNKNOWN(error)', () => {
      const yes = scanText(trailTemplate('IsLogging: "True"\nIsMultiRegionTrail: "TRUE"'));
      assert.equal(trailOf(yes).isMultiRegion, true);
      assert.equal(findingOf(yes, 'CloudTrail.1').status, 'PASS');
      const bad = scanText(trailTemplate('IsLogging: true\nEnableLogFileValidation: "yes"'));
      const finding = findingOf(bad, 'CloudTrail.4', 'Trail');
      assert.equal(finding.status, 'UNKNOWN');
      assert.equal(finding.reason, 'error');
    });

    it('IsLogging absent → the template cannot be deployed: CloudTrail.1/.3 UNKNOWN(error), never PASS', () => {
      const scan = scanText(trailTemplate('IsMultiRegionTrail: true'));
      for (const checkId of ['CloudTrail.1', 'CloudTrail.3']) {
        const finding = findingOf(scan, checkId);
        assert.equal(finding.status, 'UNKNOWN', checkId);
        assert.equal(finding.reason, 'error');
        assert.match(finding.message, /IsLogging is required/);
      }
    });

    it('defaults: IsMultiRegionTrail false, EnableLogFileValidation false, IncludeGlobalServiceEvents true, all management events', () => {
      const scan = scanText(trailTemplate('IsLogging: true'));
      const trail = trailOf(scan);
      assert.equal(trail.isMultiRegion, false);
      assert.equal(trail.logFileValidationEnabled, false);
      assert.equal(trail.includeGlobalServiceEvents, true);
      assert.equal(trail.isOrganizationTrail, false);
      assert.equal(trail.hasCustomEventSelectors, false);
      assert.deepEqual(trail.managementEvents && !isUnknown(trail.managementEvents) ? trail.managementEvents.source : null, 'default');
      // Only properties that are written have a location.
      assert.deepEqual(Object.keys(trail.locations ?? {}), ['isLogging']);
      assert.equal(trail.locations?.isLogging?.line, lineOf(scan.text, 'IsLogging: true'));
    });
  });

  describe('conditional trails', () => {
    it('a trail with a resource Condition is judged as declared but proves no coverage (CloudTrail.1 UNKNOWN)', () => {
      const scan = scanText(
        trailTemplate('IsLogging: true\nIsMultiRegionTrail: true\nEnableLogFileValidation: true', {
          head: 'Conditions:\n  Prod: !Equals [!Ref AWS::AccountId, "111122223333"]',
        }).replace('    Type: AWS::CloudTrail::Trail', '    Type: AWS::CloudTrail::Trail\n    Condition: Prod'),
      );
      const one = findingOf(scan, 'CloudTrail.1');
      assert.equal(one.status, 'UNKNOWN');
      assert.match(one.message, /condition Prod/);
      assert.equal(findingOf(scan, 'CloudTrail.4', 'Trail').status, 'PASS');
    });
  });

  describe('"is it set" properties (KMSKeyId, CloudWatchLogsLogGroupArn, KmsKeyId)', () => {
    const head = 'Parameters:\n  KeyArn:\n    Type: String\n  OptionalKey:\n    Type: String\n    Default: ""';

    it('a literal alias and a parameter without an empty default count as set', () => {
      assert.equal(findingOf(scanText(trailTemplate('IsLogging: true\nKMSKeyId: alias/trail')), 'CloudTrail.2', 'Trail').status, 'PASS');
      assert.equal(findingOf(scanText(trailTemplate('IsLogging: true\nKMSKeyId: !Ref KeyArn', { head })), 'CloudTrail.2', 'Trail').status, 'PASS');
    });

    it('a parameter whose default is empty → UNKNOWN, not a guessed PASS', () => {
      const finding = findingOf(scanText(trailTemplate('IsLogging: true\nKMSKeyId: !Ref OptionalKey', { head })), 'CloudTrail.2', 'Trail');
      assert.equal(finding.status, 'UNKNOWN');
      assert.match(finding.message, /OptionalKey/);
    });

    it('Fn::If between a key and AWS::NoValue → UNKNOWN naming the condition', () => {
      const scan = scanText(trailTemplate('IsLogging: true\nCloudWatchLogsLogGroupArn: !If [HasLogs, !GetAtt Group.Arn, !Ref AWS::NoValue]'));
      const finding = findingOf(scan, 'CloudTrail.5', 'Trail');
      assert.equal(finding.status, 'UNKNOWN');
      assert.match(finding.message, /condition HasLogs \(set when it is true, not set when false\)/);
    });

    it('event data store KmsKeyId from an empty-default parameter → UNKNOWN', () => {
      const scan = scanText(`${head}\nResources:\n  Store:\n    Type: AWS::CloudTrail::EventDataStore\n    Properties:\n      KmsKeyId: !Ref OptionalKey\n`);
      assert.equal(findingOf(scan, 'CloudTrail.10', 'Store').status, 'UNKNOWN');
    });
  });

  describe('tags', () => {
    it('a computed tag key → UNKNOWN; a computed value is kept as its expression', () => {
      const keyed = scanText(trailTemplate('IsLogging: true\nTags:\n  - Key: !Ref TagKey\n    Value: x', { head: 'Parameters:\n  TagKey:\n    Type: String' }));
      assert.equal(findingOf(keyed, 'CloudTrail.9', 'Trail').status, 'UNKNOWN');
      const valued = scanText(trailTemplate('IsLogging: true\nTags:\n  - Key: team\n    Value: !Ref AWS::StackName'));
      assert.equal(findingOf(valued, 'CloudTrail.9', 'Trail').status, 'PASS');
      assert.deepEqual(trailOf(valued).tags, { team: '!Ref AWS::StackName' });
    });

    it('requiredTagKeys from rules.yaml apply to template trails; AWS: prefix is ignored in any case', () => {
      const scan = scanText(
        trailTemplate('IsLogging: true\nTags:\n  - {Key: owner, Value: a}\n  - {Key: AWS:x, Value: b}'),
        'inline.yaml',
        'version: 1\nchecks:\n  CloudTrail.9: {parameters: {requiredTagKeys: [owner, env]}}',
      );
      assert.deepEqual(trailOf(scan).userTagKeys, ['owner']);
      assert.equal(findingOf(scan, 'CloudTrail.9', 'Trail').status, 'FAIL');
    });
  });

  describe('event selectors', () => {
    it('an advanced selector eventCategory = Management without readOnly qualifies', () => {
      const scan = scanText(
        trailTemplate(
          'IsLogging: true\nIsMultiRegionTrail: true\nAdvancedEventSelectors:\n  - Name: mgmt\n    FieldSelectors:\n      - {Field: eventCategory, Equals: [Management]}',
        ),
      );
      assert.equal(findingOf(scan, 'CloudTrail.1').status, 'PASS');
      assert.equal(trailOf(scan).locations?.['managementEvents.allInOneSelector']?.line, lineOf(scan.text, 'AdvancedEventSelectors:'));
    });

    it('an excluded management event source does not qualify (NOT_APPLICABLE on a partial template)', () => {
      const scan = scanText(
        trailTemplate(
          'IsLogging: true\nIsMultiRegionTrail: true\nEventSelectors:\n  - ReadWriteType: All\n    ExcludeManagementEventSources: [kms.amazonaws.com]',
        ),
      );
      assert.equal(findingOf(scan, 'CloudTrail.1').status, 'NOT_APPLICABLE');
    });

    it('a ReadWriteType from a parameter → UNKNOWN coverage (CloudTrail.1 UNKNOWN)', () => {
      const scan = scanText(
        trailTemplate('IsLogging: true\nIsMultiRegionTrail: true\nEventSelectors:\n  - ReadWriteType: !Ref Mode', {
          head: 'Parameters:\n  Mode:\n    Type: String',
        }),
      );
      const finding = findingOf(scan, 'CloudTrail.1');
      assert.equal(finding.status, 'UNKNOWN');
      assert.match(finding.message, /parameter Mode/);
    });
  });

  describe('bucket ACL, ownership and Block Public Access', () => {
    const six = (bucket: string): Scan => scanText(trailTemplate('IsLogging: true', { bucket }));

    it('AuthenticatedRead and PublicReadWrite are public; LogDeliveryWrite and Private are not', () => {
      assert.equal(findingOf(six('AccessControl: AuthenticatedRead'), 'CloudTrail.6', 'Logs').status, 'FAIL');
      assert.equal(findingOf(six('AccessControl: PublicReadWrite'), 'CloudTrail.6', 'Logs').status, 'FAIL');
      assert.equal(findingOf(six('AccessControl: LogDeliveryWrite'), 'CloudTrail.6', 'Logs').status, 'PASS');
      assert.equal(findingOf(six('AccessControl: Private'), 'CloudTrail.6', 'Logs').status, 'PASS');
    });

    it('IgnorePublicAcls or BucketOwnerEnforced neutralise a public canned ACL', () => {
      const ignored = six('AccessControl: PublicRead\nPublicAccessBlockConfiguration:\n  IgnorePublicAcls: true');
      const finding = findingOf(ignored, 'CloudTrail.6', 'Logs');
      assert.equal(finding.status, 'PASS');
      assert.deepEqual(finding.evidence['publicAccess.neutralisedBy'], ['IgnorePublicAcls (bucket)']);
      const enforced = six('AccessControl: PublicRead\nOwnershipControls:\n  Rules:\n    - ObjectOwnership: BucketOwnerEnforced');
      assert.equal(findingOf(enforced, 'CloudTrail.6', 'Logs').status, 'PASS');
      assert.equal(bucketOf(enforced).objectOwnership, 'BucketOwnerEnforced');
    });

    it('absent Block Public Access is null (no account-level block is credited either)', () => {
      const scan = six('AccessControl: Private');
      assert.equal(bucketOf(scan).publicAccessBlock, null);
      assert.equal(scan.collection.facts.account.publicAccessBlock, null);
    });

    it('an AccessControl chosen by a parameter → UNKNOWN, located at AccessControl', () => {
      const scan = scanText(trailTemplate('IsLogging: true', { bucket: 'AccessControl: !Ref Acl', head: 'Parameters:\n  Acl:\n    Type: String' }));
      const finding = findingOf(scan, 'CloudTrail.6', 'Logs');
      assert.equal(finding.status, 'UNKNOWN');
      assert.equal(finding.location?.line, lineOf(scan.text, 'AccessControl:'));
    });
  });

  describe('bucket policies', () => {
    const withPolicy = (statement: string, options: { bucket?: string; target?: string; head?: string } = {}): Scan =>
      scanText(
        trailTemplate('IsLogging: true', {
          ...(options.bucket === undefined ? {} : { bucket: options.bucket }),
          ...(options.head === undefined ? {} : { head: options.head }),
          extra: [
            'Policy:',
            '  Type: AWS::S3::BucketPolicy',
            '  Properties:',
            `    Bucket: ${options.target ?? '!Ref Logs'}`,
            '    PolicyDocument:',
            '      Statement:',
            ...statement
              .trim()
              .split('\n')
              .map((line) => `        ${line}`),
          ].join('\n'),
        }),
      );

    it('a Principal computed by an intrinsic is a fixed principal, not "*"', () => {
      const scan = withPolicy('- Effect: Allow\n  Principal: {AWS: !GetAtt Reader.Arn}\n  Action: s3:GetObject\n  Resource: "*"');
      assert.equal(findingOf(scan, 'CloudTrail.6', 'Logs').status, 'PASS');
    });

    it('Principal * pinned by a computed aws:SourceArn is not public; without the condition it is, located at the policy', () => {
      const pinned = withPolicy(
        '- Effect: Allow\n  Principal: "*"\n  Action: s3:PutObject\n  Resource: "*"\n  Condition:\n    StringEquals:\n      aws:SourceArn: !Sub "arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/x"',
      );
      assert.equal(findingOf(pinned, 'CloudTrail.6', 'Logs').status, 'PASS');
      const open = withPolicy('- Effect: Allow\n  Principal: {AWS: "*"}\n  Action: s3:GetObject\n  Resource: "*"');
      const finding = findingOf(open, 'CloudTrail.6', 'Logs');
      assert.equal(finding.status, 'FAIL');
      assert.equal(finding.location?.line, lineOf(open.text, '  Policy:'));
    });

    it('a wildcard written in a Sub is still a wildcard (StringLike with * does not pin)', () => {
      const scan = withPolicy(
        '- Effect: Allow\n  Principal: "*"\n  Action: s3:GetObject\n  Resource: "*"\n  Condition:\n    StringLike:\n      aws:SourceArn: !Sub "arn:${AWS::Partition}:cloudtrail:*"',
      );
      assert.equal(findingOf(scan, 'CloudTrail.6', 'Logs').status, 'FAIL');
    });

    it('a statement chosen by Fn::If counts on both branches (public if either is)', () => {
      const scan = withPolicy('- !If\n  - Open\n  - {Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "*"}\n  - !Ref AWS::NoValue');
      assert.equal(findingOf(scan, 'CloudTrail.6', 'Logs').status, 'FAIL');
    });

    it('a Principal chosen by Fn::If → UNKNOWN naming the condition', () => {
      const scan = withPolicy('- Effect: Allow\n  Principal: !If [Open, "*", {Service: cloudtrail.amazonaws.com}]\n  Action: s3:GetObject\n  Resource: "*"');
      const finding = findingOf(scan, 'CloudTrail.6', 'Logs');
      assert.equal(finding.status, 'UNKNOWN');
      assert.match(finding.message, /condition Open/);
    });

    it('RestrictPublicBuckets neutralises a public policy', () => {
      const scan = withPolicy('- {Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "*"}', {
        bucket: 'PublicAccessBlockConfiguration:\n  RestrictPublicBuckets: true',
      });
      assert.equal(findingOf(scan, 'CloudTrail.6', 'Logs').status, 'PASS');
    });

    it('a policy on a bucket named by a parameter may target a bucket with an explicit name → UNKNOWN; a generated name cannot be targeted', () => {
      const head = 'Parameters:\n  Target:\n    Type: String';
      const statement = '- {Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "*"}';
      const named = withPolicy(statement, { head, target: '!Ref Target', bucket: 'BucketName: trail-logs' });
      assert.equal(findingOf(named, 'CloudTrail.6', 'Logs').status, 'UNKNOWN');
      const generated = withPolicy(statement, { head, target: '!Ref Target' });
      assert.equal(findingOf(generated, 'CloudTrail.6', 'Logs').status, 'PASS');
    });
  });

  describe('server access logging', () => {
    it('LoggingConfiguration without DestinationBucketName logs to the bucket itself', () => {
      const scan = scanText(trailTemplate('IsLogging: true', { bucket: 'BucketName: trail-logs\nLoggingConfiguration:\n  LogFilePrefix: self/' }));
      assert.deepEqual(bucketOf(scan).logging, { targetBucket: 'trail-logs', targetPrefix: 'self/' });
      assert.equal(findingOf(scan, 'CloudTrail.7', 'Logs').status, 'PASS');
    });

    it('a destination given by Ref to a declared bucket with a literal name reports that name', () => {
      const scan = scanText(
        trailTemplate('IsLogging: true', {
          bucket: 'LoggingConfiguration:\n  DestinationBucketName: !Ref Access',
          extra: 'Access:\n  Type: AWS::S3::Bucket\n  Properties:\n    BucketName: access-logs',
        }),
      );
      assert.deepEqual(bucketOf(scan).logging, { targetBucket: 'access-logs', targetPrefix: '' });
    });

    it('LoggingConfiguration: !Ref AWS::NoValue is no logging (FAIL)', () => {
      const scan = scanText(trailTemplate('IsLogging: true', { bucket: 'LoggingConfiguration: !Ref AWS::NoValue' }));
      assert.equal(findingOf(scan, 'CloudTrail.7', 'Logs').status, 'FAIL');
    });
  });

  describe('the facts set', () => {
    it('is partial, from cloudformation, with every fact kind, one pseudo-Region, located items', () => {
      const scan = scanText(trailTemplate('IsLogging: true'));
      const { facts } = scan.collection;
      assert.equal(scan.collection.kind, 'cloudformation');
      assert.equal(facts.source, 'cloudformation');
      assert.equal(facts.account.scope, 'partial');
      assert.equal(facts.account.id, '(template)');
      // Every kind but securityHub, which a template cannot declare.
      assert.deepEqual(facts.collected, [
        'trails', 'trailStatus', 'eventSelectors', 'trailTags', 'bucketPublicAccess', 'bucketLogging', 'bucketLocation', 'eventDataStores',
        'logGroups', 'metricFilters', 'metricAlarms', 'alarmTopics', 'kmsKeys', 'kmsKeyPolicies', 'kmsKeyRotation', 'eventDataStoreKeys',
      ]);
      assert.deepEqual(facts.regions.map((r) => r.name), ['(deployment region)']);
      const trail = trailOf(scan);
      assert.equal(trail.ownerInScope, true);
      assert.equal(trail.arn, 'Trail');
      assert.deepEqual(trail.ref.location, { file: 'inline.yaml', line: lineOf(scan.text, '  Trail:'), column: 3 });
    });

    it('a template without trails has no Regions (CloudTrail.3 has nothing to say)', () => {
      const scan = scanText('Resources:\n  Store:\n    Type: AWS::CloudTrail::EventDataStore\n');
      assert.deepEqual(scan.collection.facts.regions, []);
      assert.equal(findingOf(scan, 'CloudTrail.3').status, 'NOT_APPLICABLE');
      assert.equal(findingOf(scan, 'CloudTrail.1').status, 'NOT_APPLICABLE');
    });
  });
});
