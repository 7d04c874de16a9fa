import { strict as assert } from 'node:assert';
import { isCloudFormationTemplate, parseTemplate } from '../../../src/collect/cloudformation/index.js';
import type { CfnNode } from '../../../src/collect/cloudformation/index.js';
import { InputError } from '../../../src/errors.js';
import { lineOf, readFixture } from './helpers.js';

function parseError(text: string, file: string): InputError {
  try {
    parseTemplate(text, file);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a parse error');
}

function propertiesOf(data: unknown, logicalId: string): Record<string, unknown> {
  const resources = (data as { Resources: Record<string, { Properties: Record<string, unknown> }> }).Resources;
  return resources[logicalId]!.Properties;
}

function find(node: CfnNode, key: string): CfnNode | undefined {
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      if (entry.key === key) {
        return entry.value;
      }
      const inner = find(entry.value, key);
      if (inner !== undefined) {
        return inner;
      }
    }
  }
  if (node.kind === 'list') {
    for (const item of node.items) {
      const inner = find(item, key);
      if (inner !== undefined) {
        return inner;
      }
    }
  }
  return undefined;
}

describe('parseTemplate', () => {
  describe('YAML short-form intrinsic tags (short-forms.yaml)', () => {
    const text = readFixture('short-forms.yaml');
    const template = parseTemplate(text, 'short-forms.yaml');
    const properties = propertiesOf(template.data, 'Thing');

    it('!Ref and !Condition become {Ref} and {Condition}', () => {
      assert.deepEqual(properties.Ref, { Ref: 'Env' });
      const conditions = (template.data as { Conditions: Record<string, unknown> }).Conditions;
      assert.deepEqual(conditions.NotProd, { 'Fn::Not': [{ Condition: 'Prod' }] });
      assert.deepEqual(conditions.Either, {
        'Fn::Or': [{ Condition: 'Prod' }, { 'Fn::And': [{ Condition: 'NotProd' }, { 'Fn::Equals': ['a', 'a'] }] }],
      });
    });

    it('!GetAtt accepts "A.B" (split at the first dot) and [A, B]', () => {
      assert.deepEqual(properties.AttDot, { 'Fn::GetAtt': ['Bucket', 'Arn'] });
      assert.deepEqual(properties.AttNested, { 'Fn::GetAtt': ['Database', 'Endpoint.Address'] });
      assert.deepEqual(properties.AttList, { 'Fn::GetAtt': ['Bucket', 'Arn'] });
    });

    it('!Sub accepts a string and [string, map]', () => {
      assert.deepEqual(properties.SubString, { 'Fn::Sub': '${AWS::StackName}-logs' });
      assert.deepEqual(properties.SubList, { 'Fn::Sub': ['${A}-x', { A: { Ref: 'Env' } }] });
    });

    it('the other functions map to Fn::<Name>, nested tags included', () => {
      assert.deepEqual(properties.Join, { 'Fn::Join': [':', ['a', { Ref: 'Env' }]] });
      assert.deepEqual(properties.If, { 'Fn::If': ['Prod', { Ref: 'AWS::NoValue' }, 'x'] });
      assert.deepEqual(properties.Select, { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
      assert.deepEqual(properties.Split, { 'Fn::Split': [',', 'a,b'] });
      assert.deepEqual(properties.FindInMap, { 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Zone'] });
      assert.deepEqual(properties.Import, { 'Fn::ImportValue': 'shared' });
      assert.deepEqual(properties.Base64, { 'Fn::Base64': { 'Fn::Sub': 'echo ${Env}' } });
      assert.deepEqual(properties.Cidr, { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] });
      assert.deepEqual(properties.Transform, { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } });
      assert.deepEqual(properties.EmptyAZs, { 'Fn::GetAZs': '' });
    });

    it('YAML 1.2: yes stays a string; aliases are expanded', () => {
      assert.equal(properties.Plain, 'yes');
      assert.deepEqual(properties.Aliased, { Key: 'v' });
    });

    it('keeps positions of tagged values', () => {
      const node = find(template.root, 'AttDot');
      assert.equal(node?.position.line, lineOf(text, 'AttDot:'));
      assert.equal(node.position.column, text.split('\n')[lineOf(text, 'AttDot:') - 1]!.indexOf('Bucket.Arn') + 1);
    });

    it('is still recognised as a template', () => {
      assert.equal(isCloudFormationTemplate(template.data), true);
    });
  });

  describe('JSON', () => {
    it('parses CDK output with positions of keys and values', () => {
      const text = readFixture('cdk-compliant.template.json');
      const template = parseTemplate(text, 'cdk.template.json');
      assert.equal(template.format, 'json');
      const kms = find(template.root, 'KMSKeyId');
      assert.equal(kms?.position.line, lineOf(text, '"KMSKeyId"'));
      assert.deepEqual(propertiesOf(template.data, 'TrailC0ADA1DF').KMSKeyId, { 'Fn::GetAtt': ['TrailKey8C6A5B0E', 'Arn'] });
    });

    it('a .json file is JSON even with tab indentation and escapes', () => {
      const template = parseTemplate('{\n\t"Resources": {"A": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "a\\u0062\\/c"}}}\n}', 'tabs.json');
      assert.equal(propertiesOf(template.data, 'A').BucketName, 'ab/c');
      assert.equal(find(template.root, 'BucketName')?.position.line, 2);
    });

    it('a syntax error names the file, line and column (trailing comma)', () => {
      const text = readFixture('invalid.template.json');
      const error = parseError(text, 'templates/invalid.template.json');
      assert.equal(error.issues.length, 1);
      const [issue] = error.issues;
      assert.equal(issue!.file, 'templates/invalid.template.json');
      assert.equal(issue!.line, 5);
      // The `}` after the trailing comma.
      assert.equal(issue!.column, text.split('\n')[4]!.indexOf(',}') + 2);
      assert.match(issue!.message, /invalid JSON: expected a property name/);
    });

    it('duplicate keys are an error at the second key', () => {
      const error = parseError('{"Resources": {},\n "Resources": {}}', 'dup.json');
      assert.deepEqual([error.issues[0]!.line, error.issues[0]!.column], [2, 2]);
      assert.match(error.issues[0]!.message, /duplicate key "Resources"/);
    });

    it('a file starting with { that is not JSON but is YAML is read as YAML; broken JSON-looking text reports the JSON error', () => {
      const template = parseTemplate('{Resources: {A: {Type: AWS::S3::Bucket}}}', 'flow.template');
      assert.equal(template.format, 'yaml');
      assert.equal(isCloudFormationTemplate(template.data), true);
      const error = parseError('{"Resources": [\n}', 'broken.template');
      assert.match(error.issues[0]!.message, /invalid JSON/);
      assert.equal(error.issues[0]!.line, 2);
    });

    it('ignores a byte-order mark', () => {
      const template = parseTemplate('\uFEFF{"AWSTemplateFormatVersion": "2010-09-09"}', 'bom.json');
      assert.equal(isCloudFormationTemplate(template.data), true);
    });
  });

  describe('YAML errors', () => {
    it('invalid YAML → InputError with file, line and column', () => {
      const error = parseError(readFixture('invalid.yaml'), 'templates/invalid.yaml');
      const [issue] = error.issues;
      assert.equal(issue!.file, 'templates/invalid.yaml');
      assert.equal(issue!.line, 7);
      assert.ok(issue!.column > 0);
      assert.match(issue!.message, /^invalid YAML/);
      assert.match(error.message, /^templates\/invalid\.yaml:7:\d+:/);
    });

    it('an unknown !tag is an error at its position', () => {
      const error = parseError('Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Reff Name\n', 't.yaml');
      assert.equal(error.issues[0]!.line, 5);
      assert.match(error.issues[0]!.message, /unknown tag !Reff/);
    });

    it('a malformed !GetAtt and duplicate keys are errors', () => {
      assert.match(parseError('A: !GetAtt Bucket\n', 't.yaml').issues[0]!.message, /LogicalId\.Attribute/);
      assert.match(parseError('A: 1\nA: 2\n', 't.yaml').issues[0]!.message, /invalid YAML/);
    });
  });
});
