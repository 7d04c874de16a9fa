/**
 * The handlers' settings: environment variables with event overrides, each value checked with a
 * message naming the variable and the field (Step Functions shows the message as it is).
 */
import { strict as assert } from 'node:assert';
import { auditSettings, batching, location, newRunId, reportFormats, securityHubSettings } from '../../src/lambda/settings.js';
import { snapshotKey, runKey, latestKey } from '../../src/lambda/runStore.js';

describe('Lambda settings', () => {
  it('takes the event\'s value over the environment\'s, and treats a blank variable as unset', () => {
    const environment = { TRAILAUDIT_BUCKET: 'env-bucket', TRAILAUDIT_PREFIX: '/audits/', TRAILAUDIT_REGIONS: 'us-east-1, eu-west-1', TRAILAUDIT_CHECKS: '' };
    assert.deepEqual(location({}, environment, 'r1'), { bucket: 'env-bucket', prefix: 'audits', runId: 'r1' });
    assert.deepEqual(location({ bucket: 'event-bucket', prefix: '' }, environment, 'r1'), { bucket: 'event-bucket', prefix: '', runId: 'r1' });
    const settings = auditSettings({}, environment, 'OrganizationAccountAccessRole');
    assert.deepEqual(settings, { roleName: 'OrganizationAccountAccessRole', regions: ['us-east-1', 'eu-west-1'] });
    assert.deepEqual(auditSettings({ regions: ['ap-south-1'], roleName: 'Auditor', checks: 'CloudTrail.1' }, environment, 'x'), {
      roleName: 'Auditor',
      regions: ['ap-south-1'],
      checks: ['CloudTrail.1'],
    });
  });

  it('refuses a bad value, naming the field and the variable', () => {
    assert.throws(() => location({}, {}, 'r1'), /bucket \(event\) or TRAILAUDIT_BUCKET must be an S3 bucket name, got undefined/u);
    assert.throws(() => location({ bucket: 'b-1' }, {}, '../other'), /runId must be/u);
    assert.throws(() => auditSettings({}, { TRAILAUDIT_REGIONS: 'us-east-1,Europe' }, 'r'), /each of regions \/ TRAILAUDIT_REGIONS must be Region names, got "Europe"/u);
    assert.throws(() => auditSettings({ excludeAccounts: ['1234'] }, {}, 'r'), /excludeAccounts \/ TRAILAUDIT_EXCLUDE_ACCOUNTS must be 12-digit account ids/u);
    assert.throws(() => auditSettings({ ou: 'finance' }, {}, 'r'), /ou \/ TRAILAUDIT_OU must be ou-… or r-… ids/u);
    assert.throws(() => batching({ maxConcurrency: 0 }, {}), /maxConcurrency \/ TRAILAUDIT_MAX_CONCURRENCY must be an integer from 1 to 10000, got 0/u);
    assert.throws(() => batching({}, { TRAILAUDIT_TOLERATED_FAILURE_PERCENTAGE: '2.5' }), /toleratedFailurePercentage/u);
    assert.throws(() => securityHubSettings({}, { TRAILAUDIT_SECURITY_HUB: 'yes' }), /must be true or false, got "yes"/u);
    assert.throws(() => reportFormats('json,pdf', {}), /pdf is not one of json, junit, markdown, sarif, asff, html/u);
  });

  it('reads numbers from strings (CloudFormation sets every variable as text) and defaults the rest', () => {
    assert.deepEqual(batching({}, { TRAILAUDIT_MAX_ITEMS_PER_BATCH: '10', TRAILAUDIT_MAX_CONCURRENCY: '' }), { maxItemsPerBatch: 10, maxConcurrency: 40, toleratedFailurePercentage: 100 });
    assert.deepEqual(securityHubSettings(undefined, { TRAILAUDIT_SECURITY_HUB: 'true', TRAILAUDIT_SECURITY_HUB_REGION: '' }), { enabled: true });
    assert.deepEqual(securityHubSettings({ enabled: false, roleName: 'Importer' }, { TRAILAUDIT_SECURITY_HUB: 'true' }), { enabled: false, roleName: 'Importer' });
    // JSON always: Security Hub's import and compare read the report back.
    assert.deepEqual(reportFormats(['markdown'], {}), ['json', 'markdown']);
    assert.deepEqual(reportFormats(undefined, {}), ['json', 'markdown', 'junit', 'asff']);
  });

  it('names a run\'s files by run and batch; a batch\'s key depends only on its accounts', () => {
    const where = { bucket: 'b-1', prefix: 'p', runId: 'r1' };
    assert.equal(runKey(where, 'accounts.json'), 'p/runs/r1/accounts.json');
    assert.equal(latestKey({ ...where, prefix: '' }, 'trailaudit.json'), 'latest/trailaudit.json');
    assert.equal(snapshotKey(where, ['222222222222', '111111111111']), snapshotKey(where, ['111111111111', '222222222222']));
    assert.equal(snapshotKey(where, ['222222222222', '111111111111']), 'p/runs/r1/snapshots/111111111111-2.json');
    assert.equal(newRunId(new Date('2026-12-06T05:17:00.123Z'), () => '0a1b2c3d'), '2026-12-06T05-17-00Z-0a1b2c3d');
    const now = new Date();
    assert.notEqual(newRunId(now), newRunId(now), 'two runs started in the same second get different ids');
    assert.doesNotThrow(() => location({ bucket: 'b-1' }, {}, newRunId(new Date())));
  });
});
