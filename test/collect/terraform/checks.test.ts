/**
 * Every check through the real engine on Terraform plan fixtures (written in the exact shape
 * `terraform show -json` emits for hashicorp/aws v5): statuses, resource ids (addresses) and
 * source locations.
 */
import { strict as assert } from 'node:assert';
import type { BucketFacts, TrailFacts } from '../../../src/facts/model.js';
import { attributeLine, collectFixture, finding, findingsOf, fixtureText, resourceLine } from './helpers.js';

const statuses = (findings: ReturnType<typeof findingsOf>, checkId: string): string[] =>
  findings.filter((f) => f.checkId === checkId).map((f) => `${f.resource.id} ${f.status}`);

describe('Terraform plan: compliant plan passes every check', () => {
  const name = 'compliant.plan.json';
  const text = fixtureText(name);
  const findings = findingsOf(name);

  it('CloudTrail.1, 2, 3, 4, 5, 6, 7, 9 and 10 all PASS', () => {
    assert.deepEqual(
      findings.filter((f) => f.checkId.startsWith('CloudTrail.')).map((f) => `${f.checkId} ${f.resource.id} ${f.status}`),
      [
        'CloudTrail.1 (plan) PASS',
        'CloudTrail.2 aws_cloudtrail.management PASS',
        'CloudTrail.3 (plan) PASS',
        'CloudTrail.4 aws_cloudtrail.management PASS',
        'CloudTrail.5 aws_cloudtrail.management PASS',
        'CloudTrail.6 aws_s3_bucket.logs PASS',
        'CloudTrail.7 aws_s3_bucket.logs PASS',
        'CloudTrail.9 aws_cloudtrail.management PASS',
        'CloudTrail.10 aws_cloudtrail_event_data_store.lake PASS',
      ],
    );
  });

  it('a plan cannot show whether a trail delivers: TrailHealth.1 and 2 are UNKNOWN, never PASS', () => {
    // Per trail once a source reads the kinds they need, for the whole plan while none does.
    for (const id of ['TrailHealth.1', 'TrailHealth.2']) {
      const seen = findings.filter((f) => f.checkId === id).map((f) => f.status);
      assert.ok(seen.length > 0, id);
      assert.deepEqual([...new Set(seen)], ['UNKNOWN'], id);
    }
  });

  it('values known only after apply count as set (KMS key, log group, log target bucket)', () => {
    const trail = collectFixture(name).facts.trails[0] as TrailFacts;
    // Named by the key it references, so the key item can list it in configuredAs (one text per key).
    assert.equal(trail.kmsKeyId, '(known after apply: aws_kms_key.trail)');
    assert.equal(trail.cloudWatchLogsLogGroupArn, '(known after apply)');
    assert.deepEqual(finding(findings, 'CloudTrail.7').evidence.logging, { targetBucket: '(known after apply)', targetPrefix: 'cloudtrail/' });
    assert.equal(finding(findings, 'CloudTrail.10').evidence.kmsKeyId, '(known after apply: aws_kms_key.trail)');
  });

  it('tags come from tags_all, so provider default_tags count', () => {
    assert.deepEqual(finding(findings, 'CloudTrail.9').evidence.userTagKeys, ['env', 'owner', 'team']);
  });

  it('locates findings at the property (file and line), else at the resource', () => {
    const validation = finding(findings, 'CloudTrail.4').location;
    assert.deepEqual(validation, {
      file: 'plans/compliant.plan.json',
      line: attributeLine(text, 'aws_cloudtrail.management', 'enable_log_file_validation'),
      column: 13,
    });
    // cloud_watch_logs_group_arn is unknown, so Terraform leaves it out of values: the resource.
    assert.equal(finding(findings, 'CloudTrail.5').location?.line, resourceLine(text, 'aws_cloudtrail.management'));
    assert.equal(finding(findings, 'CloudTrail.9').location?.line, attributeLine(text, 'aws_cloudtrail.management', 'tags_all'));
    // The bucket is protected by its public access block: CloudTrail.6 points at it.
    assert.equal(finding(findings, 'CloudTrail.6').location?.line, resourceLine(text, 'aws_s3_bucket_public_access_block.logs'));
    assert.equal(finding(findings, 'CloudTrail.7').location?.line, resourceLine(text, 'aws_s3_bucket_logging.logs'));
    // kms_key_id is known only after apply (absent from values): the store itself.
    assert.equal(finding(findings, 'CloudTrail.10').location?.line, resourceLine(text, 'aws_cloudtrail_event_data_store.lake'));
  });

  it('links the bucket through the configuration reference and names the trails that use it', () => {
    const bucket = collectFixture(name).facts.buckets[0] as BucketFacts;
    assert.equal(bucket.name, 'acme-trail-logs');
    assert.deepEqual(bucket.trailArns, ['aws_cloudtrail.management']);
    assert.equal(bucket.region, 'eu-west-1');
    assert.equal(finding(findings, 'CloudTrail.6').resource.location?.line, resourceLine(text, 'aws_s3_bucket.logs'));
  });
});

describe('Terraform plan: non-compliant plan (minified, as terraform writes it)', () => {
  const name = 'noncompliant.plan.json';
  const text = fixtureText(name);
  const findings = findingsOf(name);
  /** Column of the `{` of a resource's planned_values object on the single line. */
  const column = (address: string): number => text.lastIndexOf('{', text.indexOf(`"address":${JSON.stringify(address)}`)) + 1;

  it('trail checks FAIL for each trail', () => {
    for (const checkId of ['CloudTrail.2', 'CloudTrail.4', 'CloudTrail.5', 'CloudTrail.9']) {
      assert.deepEqual(statuses(findings, checkId), ['aws_cloudtrail.stopped FAIL', 'aws_cloudtrail.weak FAIL'], checkId);
    }
  });

  it('aws: system tags do not count as tags', () => {
    assert.deepEqual(finding(findings, 'CloudTrail.9', 'aws_cloudtrail.stopped').evidence.userTagKeys, []);
  });

  it('a public canned ACL FAILs CloudTrail.6, located at the acl argument of aws_s3_bucket_acl', () => {
    const public6 = finding(findings, 'CloudTrail.6', 'aws_s3_bucket.open');
    assert.equal(public6.status, 'FAIL');
    assert.deepEqual(public6.evidence['publicAccess.via'], ['acl']);
    const aclKey = text.indexOf('"acl":', text.indexOf('"address":"aws_s3_bucket_acl.open"'));
    assert.deepEqual(public6.location, { file: 'plans/noncompliant.plan.json', line: 1, column: aclKey + 1 });
    assert.deepEqual(public6.resource.location, { file: 'plans/noncompliant.plan.json', line: 1, column: column('aws_s3_bucket.open') });
  });

  it('one bucket for both trails (reference and literal name), CloudTrail.7 FAIL', () => {
    assert.equal(finding(findings, 'CloudTrail.7').status, 'FAIL');
    assert.deepEqual(finding(findings, 'CloudTrail.7').evidence.trailArns, ['aws_cloudtrail.stopped', 'aws_cloudtrail.weak']);
  });

  it('an event data store without a KMS key FAILs CloudTrail.10', () => {
    assert.equal(finding(findings, 'CloudTrail.10').status, 'FAIL');
    assert.equal(finding(findings, 'CloudTrail.10').resource.id, 'aws_cloudtrail_event_data_store.lake');
  });

  it('CloudTrail.1: a multi-region trail excluding KMS events does not qualify; the plan proves nothing → NOT_APPLICABLE', () => {
    assert.equal(finding(findings, 'CloudTrail.1').status, 'NOT_APPLICABLE');
    const weak = collectFixture(name).facts.trails.find((t) => t.ref.id === 'aws_cloudtrail.weak') as TrailFacts;
    assert.deepEqual(weak.managementEvents, {
      ...(weak.managementEvents as object),
      allInOneSelector: false,
      excludedSources: ['kms.amazonaws.com'],
    });
    // The logging trail covers us-east-1, so CloudTrail.3 still passes there.
    assert.deepEqual(statuses(findings, 'CloudTrail.3'), ['(plan) PASS']);
    assert.equal(finding(findings, 'CloudTrail.3').resource.region, 'us-east-1');
  });
});

describe('Terraform plan: account-level controls', () => {
  it('a plan whose only trail is not logging never PASSes nor FAILs CloudTrail.1/3', () => {
    const findings = findingsOf('not-logging.plan.json');
    assert.equal(finding(findings, 'CloudTrail.1').status, 'NOT_APPLICABLE');
    assert.equal(finding(findings, 'CloudTrail.3').status, 'NOT_APPLICABLE');
    assert.equal(finding(findings, 'CloudTrail.4').status, 'PASS');
  });

  it('CloudTrail.3 is evaluated per trail home region; account facts are partial', () => {
    const facts = collectFixture('compliant.plan.json').facts;
    assert.equal(facts.account.scope, 'partial');
    assert.equal(facts.source, 'terraform');
    assert.deepEqual(facts.regions.map((r) => r.name), ['eu-west-1']);
    assert.equal(facts.account.publicAccessBlock, null);
  });
});

describe('Terraform plan: legacy inline bucket arguments and advanced selectors', () => {
  const name = 'inline-bucket.plan.json';
  const text = fixtureText(name);
  const findings = findingsOf(name);

  it('inline policy allowing "*" FAILs CloudTrail.6, located at the policy argument', () => {
    const public6 = finding(findings, 'CloudTrail.6', 'aws_s3_bucket.legacy');
    assert.equal(public6.status, 'FAIL');
    assert.deepEqual(public6.evidence['publicAccess.via'], ['policy']);
    assert.equal(public6.location?.line, attributeLine(text, 'aws_s3_bucket.legacy', 'policy'));
  });

  it('inline logging block passes CloudTrail.7', () => {
    const logging = finding(findings, 'CloudTrail.7', 'aws_s3_bucket.legacy');
    assert.equal(logging.status, 'PASS');
    assert.equal(logging.location?.line, attributeLine(text, 'aws_s3_bucket.legacy', 'logging'));
  });

  it('computed-but-unconfigured inline acl (known after apply) is read as the default private ACL', () => {
    const bucket = collectFixture(name).facts.buckets[0] as BucketFacts;
    assert.deepEqual(bucket.acl, [{ granteeType: 'CanonicalUser', permission: 'FULL_CONTROL' }]);
  });

  it('an advanced selector on eventCategory = Management (empty operator lists dropped) passes CloudTrail.1', () => {
    assert.equal(finding(findings, 'CloudTrail.1').status, 'PASS');
  });
});

describe('Terraform plan: modules', () => {
  const name = 'modules.plan.json';
  const text = fixtureText(name);
  const findings = findingsOf(name);

  it('trails in child modules keep their full address, with count and for_each keys', () => {
    assert.deepEqual(statuses(findings, 'CloudTrail.4'), [
      'module.audit.aws_cloudtrail.this[0] PASS',
      'module.regional["eu"].aws_cloudtrail.this FAIL',
    ]);
    assert.equal(
      finding(findings, 'CloudTrail.4', 'module.regional["eu"].aws_cloudtrail.this').location?.line,
      attributeLine(text, 'module.regional["eu"].aws_cloudtrail.this', 'enable_log_file_validation'),
    );
  });

  it('a bucket in a nested module is linked through the module output; CloudTrail.7 PASS there', () => {
    const store = finding(findings, 'CloudTrail.7', 'module.audit.module.storage.aws_s3_bucket.store');
    assert.equal(store.status, 'PASS');
    assert.deepEqual(store.evidence.trailArns, ['module.audit.aws_cloudtrail.this[0]']);
    assert.equal(store.location?.line, resourceLine(text, 'module.audit.module.storage.aws_s3_bucket_logging.store'));
  });

  it('a module variable is followed to the root bucket; the public access block links by literal name', () => {
    const central = finding(findings, 'CloudTrail.6', 'aws_s3_bucket.central');
    assert.equal(central.status, 'PASS');
    assert.deepEqual(central.evidence.trailArns, ['module.regional["eu"].aws_cloudtrail.this']);
    assert.equal(central.location?.line, resourceLine(text, 'aws_s3_bucket_public_access_block.central'));
    assert.equal(finding(findings, 'CloudTrail.7', 'aws_s3_bucket.central').status, 'FAIL');
  });

  it('a resource planned for deletion is ignored even when listed in planned_values', () => {
    assert.ok(text.includes('"address": "aws_cloudtrail.old"'));
    assert.ok(findings.every((f) => !f.resource.id.includes('aws_cloudtrail.old')));
  });

  it('the provider region comes from a root variable; CloudTrail.1 PASSes on the module trail', () => {
    assert.deepEqual(collectFixture(name).facts.regions.map((r) => r.name), ['us-east-2']);
    assert.equal(finding(findings, 'CloudTrail.1').status, 'PASS');
  });
});

describe('Terraform plan: unresolvable links and values known only after apply', () => {
  const name = 'unresolved.plan.json';
  const text = fixtureText(name);
  const findings = findingsOf(name);

  it('a bucket named but not declared in the plan → UNKNOWN(not_found) for CloudTrail.6 and .7', () => {
    for (const checkId of ['CloudTrail.6', 'CloudTrail.7']) {
      const gap = finding(findings, checkId, 'org-central-logs');
      assert.equal(gap.status, 'UNKNOWN');
      assert.equal(gap.reason, 'not_found');
      assert.equal(gap.location?.line, attributeLine(text, 'aws_cloudtrail.central', 's3_bucket_name'));
    }
  });

  it('a bucket taken from a local value → UNKNOWN(unsupported) naming the reason', () => {
    const gap = finding(findings, 'CloudTrail.6', 'aws_cloudtrail.local.s3_bucket_name');
    assert.equal(gap.status, 'UNKNOWN');
    assert.equal(gap.reason, 'unsupported');
    assert.match(gap.message, /local\.trail_bucket/);
  });

  it('a bucket policy whose bucket cannot be resolved makes a declared bucket UNKNOWN, never PASS', () => {
    const other = finding(findings, 'CloudTrail.6', 'aws_s3_bucket.other');
    assert.equal(other.status, 'UNKNOWN');
    assert.match(other.message, /aws_s3_bucket_policy\.mystery/);
    assert.ok(findings.filter((f) => f.checkId === 'CloudTrail.6').every((f) => f.status !== 'PASS'));
  });

  it('a boolean known only after apply → UNKNOWN(unsupported); unknown tags → UNKNOWN', () => {
    const validation = finding(findings, 'CloudTrail.4', 'aws_cloudtrail.local');
    assert.equal(validation.status, 'UNKNOWN');
    assert.equal(validation.reason, 'unsupported');
    assert.equal(finding(findings, 'CloudTrail.9', 'aws_cloudtrail.literal').status, 'UNKNOWN');
  });
});
