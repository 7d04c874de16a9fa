import { strict as assert } from 'node:assert';
import { evaluate, evaluateCheck, primaryReason } from '../../src/engine/evaluate.js';
import { renderTemplate, substituteValue } from '../../src/engine/template.js';
import { unknown } from '../../src/facts/model.js';
import { ACCOUNT, enabled, factSet, makeCheck, ref } from './fixtures.js';

const DENIED = unknown('access_denied', 'ListTags was denied.', { operation: 'cloudtrail:ListTags' });
const trail = (name: string, fields: Record<string, unknown> = {}): Record<string, unknown> => ({ ref: ref(name), name, ...fields });

describe('evaluateCheck', () => {
  it('one finding per item: PASS, FAIL, UNKNOWN with the reason and what could not be read', () => {
    const findings = evaluateCheck(
      enabled(makeCheck()),
      factSet({ trails: [trail('a', { ok: true }), trail('b', { ok: false }), trail('c', { ok: DENIED })] }),
    );
    assert.deepEqual(
      findings.map((f) => [f.resource.name, f.status, f.reason]),
      [
        ['a', 'PASS', null],
        ['b', 'FAIL', null],
        ['c', 'UNKNOWN', 'access_denied'],
      ],
    );
    assert.deepEqual(findings[2]!.unknowns, [DENIED.$unknown]);
    assert.equal(findings[2]!.message, 'unknown c ListTags was denied.');
    assert.deepEqual(findings[0]!.unknowns, []);
  });

  it('where false → NOT_APPLICABLE (notApplicable message); where unknown → UNKNOWN whatever the assert', () => {
    const check = makeCheck({ where: { path: 'mine', op: 'eq', value: true } });
    const findings = evaluateCheck(
      enabled(check),
      factSet({ trails: [trail('theirs', { mine: false, ok: false }), trail('unsure', { mine: DENIED, ok: false })] }),
    );
    assert.deepEqual(findings.map((f) => f.status), ['NOT_APPLICABLE', 'UNKNOWN']);
    assert.equal(findings[0]!.message, 'n/a theirs');
    assert.equal(findings[1]!.reason, 'access_denied');
  });

  it('notes add a sentence to PASS and FAIL messages only when their condition is true, and never change a status', () => {
    const check = makeCheck({ notes: [{ when: { path: 'target', op: 'eq', ref: 'name' }, text: 'Note: {{item.name}} points at itself.' }] });
    const findings = evaluateCheck(
      enabled(check),
      factSet({
        trails: [
          trail('self', { ok: true, target: 'self' }),
          trail('other', { ok: true, target: 'elsewhere' }),
          trail('broken', { ok: false, target: 'broken' }),
          trail('unsure', { ok: true, target: DENIED }),
          trail('denied', { ok: DENIED, target: 'denied' }),
        ],
      }),
    );
    assert.deepEqual(
      findings.map((f) => [f.resource.name, f.status, f.message]),
      [
        ['self', 'PASS', 'pass self Note: self points at itself.'],
        ['other', 'PASS', 'pass other'],
        ['broken', 'FAIL', 'fail broken Note: broken points at itself.'],
        // An unknown condition adds nothing; an UNKNOWN verdict keeps its own explanation only.
        ['unsure', 'PASS', 'pass unsure'],
        ['denied', 'UNKNOWN', 'unknown denied ListTags was denied.'],
      ],
    );
  });

  it('an empty collection gives one NOT_APPLICABLE finding on the account with the none message', () => {
    const findings = evaluateCheck(enabled(makeCheck()), factSet({ trails: [] }));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.status, 'NOT_APPLICABLE');
    assert.equal(findings[0]!.resource.id, ACCOUNT);
    assert.equal(findings[0]!.resource.type, 'AWS::::Account');
    assert.equal(findings[0]!.message, 'none here');
  });

  it('an Unknown collection gives one UNKNOWN finding on the account', () => {
    const facts = { ...factSet(), trails: DENIED } as unknown as ReturnType<typeof factSet>;
    const findings = evaluateCheck(enabled(makeCheck()), facts);
    assert.deepEqual(findings.map((f) => [f.status, f.reason, f.resource.id]), [['UNKNOWN', 'access_denied', ACCOUNT]]);
  });

  it('needs that were not collected → one UNKNOWN(unsupported) finding, without evaluating', () => {
    const check = makeCheck({ needs: ['trails', 'trailTags'] });
    const findings = evaluateCheck(enabled(check), factSet({ trails: [trail('a', { ok: true })], collected: ['trails'] }));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.status, 'UNKNOWN');
    assert.equal(findings[0]!.reason, 'unsupported');
    assert.equal(findings[0]!.resource.id, ACCOUNT);
    assert.match(findings[0]!.unknowns[0]!.message, /trailTags/u);
  });

  it('a single object as given (the account) is a one-item collection', () => {
    const check = makeCheck({ given: '$.account', resourceType: 'AWS::::Account', assert: { path: 'id', op: 'eq', value: ACCOUNT } });
    const findings = evaluateCheck(enabled(check), factSet());
    assert.deepEqual(findings.map((f) => [f.status, f.resource.id]), [['PASS', ACCOUNT]]);
  });

  it('finding metadata: upper-case severity, control = check id, frameworks copied', () => {
    const [finding] = evaluateCheck(enabled(makeCheck({ severity: 'critical' })), factSet({ trails: [trail('a', { ok: true })] }));
    assert.equal(finding!.severity, 'CRITICAL');
    assert.equal(finding!.control, 'Test.1');
    assert.equal(finding!.checkId, 'Test.1');
    assert.deepEqual(finding!.frameworks, { securityhub: ['Test.1'] });
    assert.equal(finding!.suppressed, null);
  });

  describe('messages and remediation', () => {
    const check = makeCheck({
      parameters: { keys: { type: 'string[]', description: 'd', default: [] } },
      messages: {
        pass: 'Trail {{resource.name}} in {{ resource.region }} has {{item.tags}}; required {{param.keys}}.',
        fail: 'Trail {{resource.name}} lacks {{param.keys}} (key {{item.kmsKeyId}}).',
        notApplicable: 'n/a',
        none: 'none',
        unknown: 'Could not read {{item.tags}} of {{resource.id}}.',
      },
      remediation: { text: 't', cli: 'aws cloudtrail add-tags --resource-id {{resource.id}} --region {{resource.region}}', cloudformation: 'c', terraform: 't', url: 'https://x' },
    });
    const findings = evaluateCheck(
      enabled(check, { keys: ['owner', 'env'] }),
      factSet({
        trails: [
          trail('a', { ok: true, tags: ['owner'] }),
          trail('b', { ok: false, kmsKeyId: null }),
          trail('c', { ok: DENIED, tags: DENIED }),
        ],
      }),
    );

    it('render resource, item and parameter placeholders', () => {
      assert.equal(findings[0]!.message, 'Trail a in us-east-1 has owner; required owner, env.');
      assert.equal(findings[1]!.message, 'Trail b lacks owner, env (key (none)).');
    });

    it('render an Unknown value as "(unknown)"', () => {
      assert.match(findings[2]!.message, /^Could not read \(unknown\) of arn:aws:cloudtrail:us-east-1:123456789012:trail\/c\./u);
    });

    it('render the remediation command only for FAIL', () => {
      assert.equal(findings[1]!.remediation, `aws cloudtrail add-tags --resource-id ${ref('b').id} --region us-east-1`);
      assert.equal(findings[0]!.remediation, '');
      assert.equal(findings[2]!.remediation, '');
    });

    it('template helpers: missing → (none), empty list → (none), objects as JSON', () => {
      assert.equal(renderTemplate('{{a.b}}|{{l}}|{{o}}|{{n}}', { a: {}, l: [], o: { k: 1 }, n: 3 }), '(none)|(none)|{"k":1}|3');
      assert.equal(renderTemplate('{{a.b.c}}', { a: DENIED }), '(unknown)');
      assert.deepEqual(substituteValue(['{{param.k}}', 'x-{{param.k}}'], { param: { k: 'v' } }), ['v', 'x-v']);
    });
  });

  describe('evidence', () => {
    it('copies paths (with $. and $param. prefixes stripped from labels), skips missing ones, marks Unknowns', () => {
      const check = makeCheck({
        parameters: { keys: { type: 'string[]', description: 'd', default: [] } },
        evidence: ['kmsKeyId', 'absent', 'tags', '$.account.id', '$param.keys'],
      });
      const [finding] = evaluateCheck(enabled(check, { keys: ['owner'] }), factSet({ trails: [trail('a', { ok: false, kmsKeyId: null, tags: DENIED })] }));
      assert.deepEqual(finding!.evidence, {
        kmsKeyId: null,
        tags: { unknown: 'access_denied', detail: 'ListTags was denied.' },
        'account.id': ACCOUNT,
        keys: ['owner'],
      });
    });

    it('projects fields of every item of a collection, under its label', () => {
      const check = makeCheck({
        given: '$.account',
        assert: { some: { in: '$.trails', match: { path: 'ok', op: 'eq', value: true } } },
        evidence: [{ path: '$.trails', label: 'trails', fields: ['name', 'ok', 'nested.flag', 'absent'] }],
      });
      const [finding] = evaluateCheck(
        enabled(check),
        factSet({ trails: [trail('a', { ok: false, nested: { flag: 1 } }), trail('b', { ok: DENIED })] }),
      );
      assert.equal(finding!.status, 'UNKNOWN');
      assert.deepEqual(finding!.evidence, {
        trails: [
          { name: 'a', ok: false, 'nested.flag': 1 },
          { name: 'b', ok: { unknown: 'access_denied', detail: 'ListTags was denied.' } },
        ],
      });
    });
  });

  it('primaryReason names what the user must act on first', () => {
    assert.equal(primaryReason([{ reason: 'error', message: '' }, { reason: 'access_denied', message: '' }]), 'access_denied');
    assert.equal(primaryReason([{ reason: 'access_denied', message: '' }, { reason: 'cross_account', message: '' }]), 'cross_account');
    assert.equal(primaryReason([]), 'error');
  });
});

describe('evaluate', () => {
  it('evaluates every enabled check, sorts the findings and applies suppressions', () => {
    const facts = factSet({ trails: [trail('b', { ok: false }), trail('a', { ok: false })] });
    const result = evaluate({
      checks: [enabled(makeCheck({ id: 'Test.10' })), enabled(makeCheck({ id: 'Test.2' }))],
      facts,
      suppressions: [{ check: 'Test.10', resource: '*trail/a', reason: 'accepted', expires: '2026-06-15' }],
      today: '2026-06-15',
    });
    assert.deepEqual(
      result.findings.map((f) => `${f.control} ${f.resource.name ?? ''} ${f.suppressed === null ? '' : 'suppressed'}`.trim()),
      ['Test.2 a', 'Test.2 b', 'Test.10 a suppressed', 'Test.10 b'],
    );
    assert.ok(result.findings.every((f) => f.status === 'FAIL'));
    // No expired or unused suppression.
    assert.deepEqual(result.suppressions.filter((r) => r.state !== 'active'), []);
    // The whole register: the one suppression, active, with the finding it marked.
    assert.deepEqual(
      result.suppressions.map((r) => [r.state, r.matched.map((f) => `${f.control} ${f.resource.name ?? ''}`)]),
      [['active', ['Test.10 a']]],
    );
    assert.ok(result.suppressions[0]!.matched.every((f) => result.findings.includes(f)));
  });
});
