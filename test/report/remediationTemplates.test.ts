/**
 * A control's fix shown once for the whole control (Markdown's folded blocks, HTML's "How to fix")
 * is a template with no resource to fill it: its placeholders must read as blanks (`<region>`),
 * never as template syntax (`{{resource.region}}`), for every shipped check.
 */
import { strict as assert } from 'node:assert';
import type { Finding } from '../../src/engine/types.js';
import { loadChecks } from '../../src/load/loadChecks.js';
import { formatHtml } from '../../src/report/html.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { ACCOUNT, makeContext } from './fixtures.js';

describe('remediation shown per control', () => {
  const checks = loadChecks();
  // One failure of every shipped check, so every control's fix is shown.
  const findings: Finding[] = checks.map((check) => ({
    control: check.id,
    checkId: check.id,
    title: check.title,
    severity: check.severity.toUpperCase() as Finding['severity'],
    status: 'FAIL',
    reason: null,
    message: `${check.id} fails`,
    evidence: {},
    remediation: 'filled in for this resource',
    frameworks: check.frameworks,
    suppressed: null,
    unknowns: [],
    resource: { type: check.resourceType, id: `${check.id}-resource`, accountId: ACCOUNT, region: 'us-east-1' },
    location: null,
  }));
  const context = makeContext({ checks, suppressions: [] });

  it('has templates with placeholders among the shipped checks (else this test proves nothing)', () => {
    assert.ok(checks.some((check) => /\{\{/u.test(`${check.remediation.text}${check.remediation.cli}${check.remediation.terraform}`)));
  });

  for (const [name, render] of [
    ['Markdown', formatMarkdown],
    ['HTML', formatHtml],
  ] as const) {
    it(`${name}: no {{placeholder}} anywhere, the blanks as <name>`, () => {
      const report = render(findings, context);
      assert.deepEqual(report.match(/\{\{[^}]*\}\}/gu) ?? [], []);
      assert.match(report, /&lt;region&gt;|<region>|\\<region\\>/u);
    });
  }
});
