/**
 * A scan reads only the kinds its enabled checks need (IacCollectOptions.needs), as a live audit
 * does: `collected` is narrowed to them, and the collections and derived facts nobody asked for
 * are not built (a 1,000-file scan spent 20 % more CPU building monitoring chains for checks that
 * were off).
 */
import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { collectCloudFormation, parseTemplate } from '../../../src/collect/cloudformation/index.js';
import { DEFAULT_COLLECTORS } from '../../../src/collect/iac/collectors.js';
import { scanFiles } from '../../../src/collect/iac/scan.js';
import { collectTerraformPlan } from '../../../src/collect/terraform/index.js';
import { needsReadBy, withDependencies } from '../../../src/facts/kinds/index.js';
import { readFixture } from '../cloudformation/helpers.js';
import { fixtureText } from '../terraform/helpers.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const AT = '2026-12-06T00:00:00.000Z';
const CLOUDTRAIL_4 = withDependencies(['trails']);
const CLOUDWATCH = withDependencies(['trails', 'trailStatus', 'eventSelectors', 'logGroups', 'metricFilters', 'metricAlarms', 'alarmTopics']);

describe('IaC collectors read only the kinds the enabled checks need', () => {
  const template = readFixture('monitoring.yaml');

  it('CloudFormation: without needs every kind it reads; with CloudTrail.4 only trails, and no monitoring collections', () => {
    const all = collectCloudFormation(parseTemplate(template, 'monitoring.yaml'), { collectedAt: AT, displayPath: 'monitoring.yaml' }).facts;
    assert.deepEqual(all.collected, needsReadBy('cloudformation'));
    assert.ok(all.logGroups !== undefined && all.monitoring !== undefined);
    const narrow = collectCloudFormation(parseTemplate(template, 'monitoring.yaml'), { collectedAt: AT, displayPath: 'monitoring.yaml', needs: CLOUDTRAIL_4 }).facts;
    assert.deepEqual(narrow.collected, ['trails']);
    assert.equal(narrow.logGroups, undefined);
    assert.equal(narrow.alarms, undefined);
    assert.equal(narrow.kmsKeys, undefined);
    assert.equal(narrow.monitoring, undefined);
    // The trails themselves are the same.
    assert.deepEqual(narrow.trails.map((trail) => trail.ref.id), all.trails.map((trail) => trail.ref.id));
  });

  it('CloudFormation: the monitoring checks still get their chain', () => {
    const facts = collectCloudFormation(parseTemplate(template, 'monitoring.yaml'), { collectedAt: AT, displayPath: 'monitoring.yaml', needs: CLOUDWATCH }).facts;
    assert.deepEqual([...facts.collected].sort(), [...CLOUDWATCH].filter((need) => needsReadBy('cloudformation').includes(need)).sort());
    assert.ok(facts.logGroups !== undefined && facts.alarms !== undefined && facts.topics !== undefined);
    assert.ok((facts.monitoring ?? []).length > 0);
    assert.equal(facts.kmsKeys, undefined);
  });

  it('Terraform and the merged scan narrow the same way', () => {
    const text = fixtureText('monitoring.plan.json');
    const plan = collectTerraformPlan(text, JSON.parse(text) as unknown, { collectedAt: AT, displayPath: 'monitoring.plan.json', needs: CLOUDTRAIL_4 }).facts;
    assert.deepEqual(plan.collected, ['trails']);
    assert.equal(plan.logGroups, undefined);
    const scanned = scanFiles(
      ['test/fixtures/cloudformation/monitoring.yaml', 'test/fixtures/terraform/monitoring.plan.json'].map((path) => ({ path: resolve(ROOT, path), explicit: true })),
      { cwd: ROOT, collectedAt: AT, wholeAccount: false, needs: CLOUDTRAIL_4 },
      DEFAULT_COLLECTORS,
    );
    assert.deepEqual(scanned.issues, []);
    assert.deepEqual(scanned.facts?.collected, ['trails']);
    assert.equal(scanned.facts.monitoring, undefined);
  });
});
