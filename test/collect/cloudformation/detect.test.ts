import { strict as assert } from 'node:assert';
import { isCloudFormationTemplate, parseTemplate } from '../../../src/collect/cloudformation/index.js';
import { readFixture } from './helpers.js';

function detect(text: string, file = 'x.yaml'): boolean {
  return isCloudFormationTemplate(parseTemplate(text, file).data);
}

describe('isCloudFormationTemplate', () => {
  it('recognises the YAML and JSON fixtures, including CDK output without AWSTemplateFormatVersion', () => {
    for (const name of ['compliant.yaml', 'noncompliant.yaml', 'stopped.yaml', 'links.yaml', 'noncompliant.json', 'cdk-compliant.template.json']) {
      assert.equal(detect(readFixture(name), name), true, name);
    }
  });

  it('recognises SAM, custom resources and registry types', () => {
    assert.equal(
      detect('Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n  C:\n    Type: Custom::Seeder\n  M:\n    Type: MyOrg::Logs::Bucket::MODULE\n'),
      true,
    );
    assert.equal(detect('AWSTemplateFormatVersion: "2010-09-09"\nDescription: empty for now\n'), true);
  });

  it('rejects docker-compose, Kubernetes manifests, GitHub workflows and a look-alike Resources file', () => {
    for (const name of ['docker-compose.yaml', 'deployment.yaml', 'workflow.yaml', 'resources-only.yaml']) {
      assert.equal(detect(readFixture(`not-templates/${name}`), name), false, name);
    }
  });

  it('rejects non-objects, empty Resources, untyped resources and unknown top-level keys', () => {
    assert.equal(isCloudFormationTemplate(null), false);
    assert.equal(isCloudFormationTemplate(['Resources']), false);
    assert.equal(isCloudFormationTemplate({ Resources: {} }), false);
    assert.equal(isCloudFormationTemplate({ Resources: { A: { Type: 'bucket' } } }), false);
    assert.equal(isCloudFormationTemplate({ Resources: { A: { Type: 'AWS::S3::Bucket' } }, resources: [] }), false);
    assert.equal(isCloudFormationTemplate({ openapi: '3.0.0', Resources: { A: { Type: 'AWS::S3::Bucket' } } }), false);
  });
});
