/** Format detection, the version gate and the position index. */
import { strict as assert } from 'node:assert';
import { collectTerraformPlan, isTerraformPlan } from '../../../src/collect/terraform/index.js';
import { indexPlanPositions } from '../../../src/collect/terraform/positions.js';
import { InputError } from '../../../src/errors.js';
import { collectFixture, fixtureText, lineOf } from './helpers.js';

const options = { collectedAt: '2026-11-21T00:00:00.000Z', displayPath: 'plans/x.json' };

describe('isTerraformPlan', () => {
  it('recognises plans by content', () => {
    for (const name of ['compliant.plan.json', 'noncompliant.plan.json', 'terraform-data.plan.json']) {
      assert.equal(isTerraformPlan(JSON.parse(fixtureText(name))), true, name);
    }
  });

  it('rejects JSON that is not a plan: a state file, a CloudFormation template, scalars', () => {
    assert.equal(isTerraformPlan(JSON.parse(fixtureText('state.json'))), false);
    assert.equal(isTerraformPlan({ AWSTemplateFormatVersion: '2010-09-09', Resources: {} }), false);
    assert.equal(isTerraformPlan({ format_version: 1, planned_values: {} }), false);
    assert.equal(isTerraformPlan(null), false);
    assert.equal(isTerraformPlan([]), false);
  });
});

describe('collectTerraformPlan input errors', () => {
  it('an unsupported format_version → InputError naming the file, line and version', () => {
    const text = fixtureText('format-2.plan.json');
    assert.throws(
      () => collectTerraformPlan(text, JSON.parse(text), { ...options, displayPath: 'plans/format-2.plan.json' }),
      (error: unknown) => {
        assert.ok(error instanceof InputError);
        const issue = error.issues[0]!;
        assert.equal(issue.file, 'plans/format-2.plan.json');
        assert.equal(issue.line, lineOf(text, '"format_version"'));
        assert.match(issue.message, /'2\.0'/);
        return true;
      },
    );
  });

  it('JSON that is not a plan → InputError naming the file', () => {
    const text = fixtureText('state.json');
    assert.throws(() => collectTerraformPlan(text, JSON.parse(text), options), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.issues[0]?.file, 'plans/x.json');
      return true;
    });
  });
});

describe('indexPlanPositions', () => {
  it('indexes real Terraform output (one line): module resources and escaped for_each keys', () => {
    const text = fixtureText('terraform-data.plan.json');
    const positions = indexPlanPositions(text);
    const keyed = positions.resources.get('terraform_data.keyed["a"]');
    assert.ok(keyed !== undefined);
    assert.equal(text[keyed.offset], '{');
    assert.ok(text.slice(keyed.offset).startsWith('{"address":"terraform_data.keyed[\\"a\\"]"'));
    const deep = positions.resources.get('module.audit.module.nested.terraform_data.deep');
    assert.ok(deep !== undefined);
    const input = deep.attributes.get('input');
    assert.ok(input !== undefined && text.startsWith('"input"', input));
    assert.deepEqual(positions.locate(input), { line: 1, column: input + 1 });
    // resource_changes repeats every address; only the planned_values object is indexed.
    assert.ok(keyed.offset < text.indexOf('"resource_changes"'));
  });

  it('does not depend on key order or on strings that look like structure', () => {
    const text = [
      '{"planned_values": {"root_module": {"resources": [',
      '  {"values": {"policy": "{\\"address\\": \\"fake\\"}", "name": "x"},',
      '   "address": "aws_s3_bucket_policy.p", "type": "aws_s3_bucket_policy"}',
      ']}}, "format_version": "1.2"}',
    ].join('\n');
    const positions = indexPlanPositions(text);
    assert.deepEqual([...positions.resources.keys()], ['aws_s3_bucket_policy.p']);
    const resource = positions.resources.get('aws_s3_bucket_policy.p')!;
    assert.deepEqual(positions.locate(resource.offset), { line: 2, column: 3 });
    const line2 = text.indexOf('\n') + 1;
    assert.deepEqual(positions.locate(resource.attributes.get('name')!), { line: 2, column: text.indexOf('"name"') - line2 + 1 });
    assert.equal(resource.attributes.has('address'), false);
    assert.equal(positions.formatVersion, text.indexOf('"1.2"'));
  });

  it('a plan with no AWS resources still yields a complete, located fact set', () => {
    const facts = collectFixture('terraform-data.plan.json').facts;
    assert.deepEqual([facts.trails.length, facts.buckets.length, facts.eventDataStores.length, facts.regions.length], [0, 0, 0, 0]);
    assert.deepEqual(facts.account.ref.location, { file: 'plans/terraform-data.plan.json', line: 1, column: 1 });
  });
});

describe('a plan nested deeper than the position parser can follow', () => {
  // Terraform writes whatever an attribute holds (a deep JSON document in a policy, say); the
  // data comes from JSON.parse, so the plan is still audited, and the resources indexed before
  // the deep part keep their positions.
  const plan = (levels: number): string =>
    JSON.stringify({
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            { address: 'aws_cloudtrail.first', mode: 'managed', type: 'aws_cloudtrail', name: 'first', values: { name: 'first', s3_bucket_name: 'b', is_multi_region_trail: true, enable_logging: true, enable_log_file_validation: true } },
            { address: 'aws_cloudtrail.deep', mode: 'managed', type: 'aws_cloudtrail', name: 'deep', values: { name: 'deep', s3_bucket_name: 'b', is_multi_region_trail: true, enable_logging: true, enable_log_file_validation: false, extra: 'DEEP' } },
          ],
        },
      },
    }).replace('"DEEP"', `${'['.repeat(levels)}${']'.repeat(levels)}`);

  it('is collected with every trail: the first keeps its position, the deep one points at the top of the file', () => {
    const text = plan(100_000);
    const collection = collectTerraformPlan(text, JSON.parse(text) as unknown, options);
    const trails = collection.facts.trails.filter((trail) => 'name' in trail);
    assert.deepEqual(trails.map((trail) => trail.ref.id).sort(), ['aws_cloudtrail.deep', 'aws_cloudtrail.first']);
    const deep = trails.find((trail) => trail.ref.id === 'aws_cloudtrail.deep');
    assert.equal((deep as { logFileValidationEnabled?: unknown } | undefined)?.logFileValidationEnabled, false);
    assert.deepEqual(indexPlanPositions(text).resources.has('aws_cloudtrail.first'), true);
    assert.deepEqual(deep?.ref.location, { file: 'plans/x.json', line: 1, column: 1 });
  });
});
