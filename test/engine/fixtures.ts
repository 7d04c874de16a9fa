import type { EnabledCheck } from '../../src/engine/evaluate.js';
import type { CheckDefinition, Finding } from '../../src/engine/types.js';
import type { FactSet, ResourceRef } from '../../src/facts/model.js';
import { FACT_NEEDS } from '../../src/facts/model.js';

/** A minimal, valid check over trails; tests override what they exercise. */
export function makeCheck(overrides: Partial<CheckDefinition> = {}): CheckDefinition {
  return {
    id: 'Test.1',
    title: 'A test check over trails',
    description: 'Used by the engine unit tests.',
    severity: 'low',
    resourceType: 'AWS::CloudTrail::Trail',
    scope: 'resource',
    given: '$.trails',
    assert: { path: 'ok', op: 'eq', value: true },
    parameters: {},
    messages: {
      pass: 'pass {{resource.name}}',
      fail: 'fail {{resource.name}}',
      notApplicable: 'n/a {{resource.name}}',
      none: 'none here',
      unknown: 'unknown {{resource.name}}',
    },
    evidence: [],
    remediation: { text: 'fix it', cli: 'fix --name {{resource.name}}', cloudformation: 'cfn', terraform: 'tf', url: 'https://example.com' },
    frameworks: { securityhub: ['Test.1'] },
    needs: ['trails'],
    permissions: ['cloudtrail:DescribeTrails'],
    ...overrides,
  };
}

export function enabled(check: CheckDefinition, params: Record<string, unknown> = {}): EnabledCheck {
  return { check, params };
}

export const ACCOUNT = '123456789012';

export function ref(name: string, region = 'us-east-1', type = 'AWS::CloudTrail::Trail'): ResourceRef {
  return { type, id: `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`, name, accountId: ACCOUNT, region };
}

/** A FactSet whose trails are arbitrary test items (the engine only reads paths). */
export function factSet(parts: { trails?: readonly unknown[]; regions?: readonly string[]; collected?: FactSet['collected']; extra?: Record<string, unknown> } = {}): FactSet {
  return {
    schemaVersion: 1,
    source: 'live',
    collectedAt: '2026-06-15T00:00:00.000Z',
    collected: parts.collected ?? FACT_NEEDS,
    account: { ref: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: 'global' }, id: ACCOUNT, partition: 'aws' },
    regions: (parts.regions ?? ['us-east-1']).map((name) => ({ ref: { type: 'AWS::::Account', id: ACCOUNT, accountId: ACCOUNT, region: name }, name })),
    trails: (parts.trails ?? []) as FactSet['trails'],
    buckets: [],
    eventDataStores: [],
    stats: { apiCalls: {}, durationMs: 0 },
    ...parts.extra,
  };
}

/** A finding with just the fields suppressions and sorting read. */
export function finding(control: string, id: string, region = 'us-east-1', status: Finding['status'] = 'FAIL', accountId: string | null = ACCOUNT): Finding {
  return {
    checkId: control,
    control,
    title: 't',
    severity: 'LOW',
    status,
    reason: status === 'UNKNOWN' ? 'error' : null,
    resource: { type: 'AWS::CloudTrail::Trail', id, accountId, region },
    location: null,
    message: 'm',
    evidence: {},
    remediation: '',
    frameworks: {},
    suppressed: null,
    unknowns: [],
  };
}
