/**
 * CloudTrail.10's kmsKeyArns on what templates declare (the `eventDataStoreKeys` kind from the
 * CloudFormation and Terraform readers): a template does not know the account and Region it is
 * deployed to, so a key it creates has no key ARN or alias ARN yet. Comparing it with a list of
 * ARNs is therefore UNKNOWN(unsupported), never a PASS on the alias NAME (the same alias name in
 * another account is another key) and never a FAIL; a store naming a listed ARN literally PASSes,
 * and a Terraform key whose ARN the plan knows is compared by every name it has.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectCloudFormation, parseTemplate } from '../../../src/collect/cloudformation/index.js';
import { collectTerraformPlan } from '../../../src/collect/terraform/index.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import type { Finding } from '../../../src/engine/types.js';
import type { EventDataStoreFacts, FactSet } from '../../../src/facts/model.js';
import { isGap, isUnknown } from '../../../src/facts/model.js';
import { loadChecks } from '../../../src/load/loadChecks.js';
import { runCli } from '../../cli/runCli.js';

const CHECK = loadChecks().find((check) => check.id === 'CloudTrail.10');
const ALIAS_ARN = 'arn:aws:kms:us-east-1:111122223333:alias/lake';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  LakeKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  LakeAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/lake
      TargetKeyId: !Ref LakeKey
  Lake:
    Type: AWS::CloudTrail::EventDataStore
    Properties:
      Name: lake
      KmsKeyId: !Ref LakeKey
  ByAliasArn:
    Type: AWS::CloudTrail::EventDataStore
    Properties:
      Name: by-alias-arn
      KmsKeyId: ${ALIAS_ARN}
  Unencrypted:
    Type: AWS::CloudTrail::EventDataStore
    Properties:
      Name: unencrypted
`;

function cloudTrail10(facts: FactSet, kmsKeyArns: readonly string[]): readonly Finding[] {
  assert.ok(CHECK);
  return evaluate({ checks: [{ check: CHECK, params: { kmsKeyArns } }], facts, suppressions: [], today: '2026-12-06' }).findings;
}

function verdicts(findings: readonly Finding[]): Record<string, string> {
  return Object.fromEntries(findings.map((finding) => [finding.resource.id, `${finding.status}${finding.reason === null ? '' : `(${finding.reason})`}`]));
}

describe('CloudTrail.10 kmsKeyArns on templates and plans (eventDataStoreKeys from IaC)', () => {
  const facts = collectCloudFormation(parseTemplate(TEMPLATE, 'lake.yaml'), { collectedAt: '2026-12-06T00:00:00.000Z', displayPath: 'lake.yaml' }).facts;

  it('claims the kind and joins the store to its declared key, whose ARN a template cannot know', () => {
    assert.ok(facts.collected.includes('eventDataStoreKeys'));
    const lake = facts.eventDataStores.find((store): store is EventDataStoreFacts => !isGap(store) && store.name === 'lake');
    assert.ok(isUnknown(lake?.kmsKeyIdentifiers), JSON.stringify(lake?.kmsKeyIdentifiers));
    assert.equal(lake.kmsKeyIdentifiers.$unknown.reason, 'unsupported');
    assert.match(lake.kmsKeyIdentifiers.$unknown.message, /known only once deployed/u);
  });

  it('an alias ARN in kmsKeyArns: UNKNOWN(unsupported) for the declared key, PASS for the store naming that ARN, FAIL without a key', () => {
    assert.deepEqual(verdicts(cloudTrail10(facts, [ALIAS_ARN])), { Lake: 'UNKNOWN(unsupported)', ByAliasArn: 'PASS', Unencrypted: 'FAIL' });
  });

  it('without kmsKeyArns any declared key passes', () => {
    assert.deepEqual(verdicts(cloudTrail10(facts, [])), { Lake: 'PASS', ByAliasArn: 'PASS', Unencrypted: 'FAIL' });
  });

  it('a Terraform key whose ARN the plan knows answers to its alias ARN; one created by the plan is UNKNOWN', () => {
    const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-0000-4000-8000-000000000001';
    const planJson = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            { address: 'aws_kms_key.existing', type: 'aws_kms_key', name: 'existing', values: { arn: keyArn, key_id: '0a1b2c3d-0000-4000-8000-000000000001', enable_key_rotation: true } },
            { address: 'aws_kms_alias.existing', type: 'aws_kms_alias', name: 'existing', values: { name: 'alias/approved', target_key_id: '0a1b2c3d-0000-4000-8000-000000000001' } },
            { address: 'aws_kms_key.fresh', type: 'aws_kms_key', name: 'fresh', values: { enable_key_rotation: true } },
            { address: 'aws_cloudtrail_event_data_store.kept', type: 'aws_cloudtrail_event_data_store', name: 'kept', values: { name: 'kept', kms_key_id: keyArn } },
            { address: 'aws_cloudtrail_event_data_store.fresh', type: 'aws_cloudtrail_event_data_store', name: 'fresh', values: { name: 'fresh' } },
          ],
        },
      },
      resource_changes: [
        { address: 'aws_kms_key.fresh', type: 'aws_kms_key', name: 'fresh', change: { actions: ['create'], after: { enable_key_rotation: true }, after_unknown: { arn: true, key_id: true } } },
        { address: 'aws_cloudtrail_event_data_store.fresh', type: 'aws_cloudtrail_event_data_store', name: 'fresh', change: { actions: ['create'], after: { name: 'fresh' }, after_unknown: { kms_key_id: true } } },
      ],
      configuration: {
        provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'eu-west-1' } } } },
        root_module: {
          resources: [
            { address: 'aws_cloudtrail_event_data_store.fresh', type: 'aws_cloudtrail_event_data_store', name: 'fresh', expressions: { kms_key_id: { references: ['aws_kms_key.fresh.arn', 'aws_kms_key.fresh'] } } },
          ],
        },
      },
    };
    const text = JSON.stringify(planJson);
    const planned = collectTerraformPlan(text, planJson, { collectedAt: '2026-12-06T00:00:00.000Z', displayPath: 'plan.json' }).facts;
    const byName = verdicts(cloudTrail10(planned, ['arn:aws:kms:eu-west-1:111122223333:alias/approved']));
    assert.equal(byName['aws_cloudtrail_event_data_store.kept'], 'PASS', JSON.stringify(planned.eventDataStores));
    assert.equal(byName['aws_cloudtrail_event_data_store.fresh'], 'UNKNOWN(unsupported)');
    assert.equal(verdicts(cloudTrail10(planned, ['arn:aws:kms:eu-west-1:111122223333:alias/other']))['aws_cloudtrail_event_data_store.kept'], 'FAIL');
  });

  it('trailaudit scan with the alias ARN in rules.yaml: the declared key is UNKNOWN(unsupported), exit 3, never PASS', async () => {
    const work = mkdtempSync(join(tmpdir(), 'trailaudit-lakekeys-'));
    try {
      writeFileSync(join(work, 'lake.yaml'), TEMPLATE);
      writeFileSync(join(work, 'rules.yaml'), `version: 1\nchecks:\n  CloudTrail.10: {parameters: {kmsKeyArns: ["${ALIAS_ARN}"]}}\n`);
      const result = await runCli(['scan', 'lake.yaml', '--rules', 'rules.yaml', '--checks', 'CloudTrail.10', '--format', 'json', '--output-dir', 'out', '--quiet'], { cwd: work });
      const report = JSON.parse(readFileSync(join(work, 'out', 'trailaudit.json'), 'utf8')) as { findings: { resource: { id: string }; status: string; reason: string | null }[] };
      const statuses = Object.fromEntries(report.findings.map((finding) => [finding.resource.id, `${finding.status}${finding.reason === null ? '' : `(${finding.reason})`}`]));
      assert.equal(statuses.Lake, 'UNKNOWN(unsupported)', result.stderr);
      assert.equal(statuses.ByAliasArn, 'PASS');
      // Unencrypted FAILs, so the exit code is 1 (an unsuppressed FAIL outranks the UNKNOWN).
      assert.equal(result.code, 1, result.stderr);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
