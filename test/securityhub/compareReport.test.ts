/**
 * The compare's two outputs, checked with their consumers' rules: `trailaudit-compare.json`
 * against schemas/compare.schema.json (ajv), `trailaudit-compare.md` rendered by a CommonMark
 * parser (markdown-it), with resource ids that carry Markdown syntax.
 */
import { strict as assert } from 'node:assert';
import MarkdownIt from 'markdown-it';
import { formatCompareJson } from '../../src/report/compare/json.js';
import { formatCompareMarkdown } from '../../src/report/compare/markdown.js';
import { summarise } from '../../src/securityhub/compare.js';
import { KNOWN_REASON_CODES, type CompareResult, type CompareRow } from '../../src/securityhub/compareTypes.js';
import { COMPARE_SCHEMA, compileCompareSchema } from './compareSchema.js';

const ACCOUNT = '111122223333';
/** A trail name with table and code-span syntax in it (names allow neither, but ids come from outside). */
const ODD = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/a|b\`c`;

function row(overrides: Partial<CompareRow>): CompareRow {
  return {
    control: 'CloudTrail.4',
    checkId: 'CloudTrail.4',
    resourceId: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`,
    accountId: ACCOUNT,
    region: 'us-east-1',
    trailaudit: 'FAIL',
    securityHub: 'FAILED',
    comparison: 'agree',
    agree: true,
    reason: null,
    message: null,
    evidence: null,
    securityHubFindingId: 'arn:aws:securityhub:us-east-1:111122223333:security-control/CloudTrail.4/finding/1',
    securityHubUpdatedAt: '2026-03-01T09:00:00.000Z',
    otherSecurityHubFindings: [],
    unreadable: null,
    knownReason: null,
    ...overrides,
  };
}

const ROWS: CompareRow[] = [
  row({
    control: 'CloudTrail.1',
    resourceId: ACCOUNT,
    trailaudit: 'PASS',
    securityHub: 'FAILED',
    comparison: 'disagree',
    agree: false,
    message: 'Account passes.',
    evidence: { trails: [{ arn: 'x', isLogging: true }] },
    knownReason: { code: 'default_event_selector', explanation: 'The AWS default selector is misread.' },
  }),
  row({ resourceId: ODD, trailaudit: 'PASS', securityHub: 'FAILED', comparison: 'disagree', agree: false, message: 'Trail | passes', evidence: { logFileValidationEnabled: true } }),
  row({ trailaudit: 'UNKNOWN', securityHub: 'PASSED', comparison: 'inconclusive', agree: null, reason: 'access_denied', message: 'Could not read.', evidence: {} }),
  row({ region: 'eu-west-1', securityHub: 'UNREADABLE', comparison: 'unreadable', agree: null, securityHubFindingId: null, securityHubUpdatedAt: null, unreadable: { code: 'not_enabled', message: 'not enabled' } }),
  row({ securityHub: null, comparison: 'only_trailaudit', agree: null, securityHubFindingId: null, securityHubUpdatedAt: null, message: 'm', evidence: {} }),
  row({ checkId: null, trailaudit: null, comparison: 'only_security_hub', agree: null }),
  row({ otherSecurityHubFindings: [{ id: 'copy|1', region: 'us-east-1', status: 'FAILED', updatedAt: '2026-02-01T00:00:00.000Z' }] }),
];

const RESULT: CompareResult = {
  schemaVersion: 1,
  report: { file: '/reports/trailaudit.json', startedAt: '2026-03-01T10:00:00.000Z', finishedAt: '2026-03-01T10:00:03.000Z' },
  readAt: '2026-03-01T11:00:00.000Z',
  scope: {
    accounts: [ACCOUNT],
    regions: ['eu-west-1', 'us-east-1'],
    targets: [
      { accountId: ACCOUNT, region: 'eu-west-1' },
      { accountId: ACCOUNT, region: 'us-east-1' },
    ],
    controls: ['CloudTrail.1', 'CloudTrail.4'],
    unreadable: [{ accountId: ACCOUNT, region: 'eu-west-1', code: 'not_enabled', message: 'not enabled' }],
    withoutResourceId: ['arn:aws:securityhub:us-east-1:111122223333:security-control/CloudTrail.4/finding/no-resource'],
  },
  summary: summarise(ROWS),
  rows: ROWS,
};

describe('security-hub compare: the reports', () => {
  it('trailaudit-compare.json validates against schemas/compare.schema.json', () => {
    const validate = compileCompareSchema();
    const json = JSON.parse(formatCompareJson(RESULT)) as unknown;
    assert.equal(validate(json), true, JSON.stringify(validate.errors, null, 2));
    assert.deepEqual(json, JSON.parse(JSON.stringify(RESULT)));
  });

  it('the schema rejects an agree that is not true, false or null, and lists every known reason code', () => {
    const validate = compileCompareSchema();
    const bad = JSON.parse(formatCompareJson(RESULT)) as { rows: Record<string, unknown>[] };
    (bad.rows[0] as Record<string, unknown>).agree = 'yes';
    assert.equal(validate(bad), false);
    assert.deepEqual(COMPARE_SCHEMA.properties.rows.items.properties.knownReason.oneOf[1].properties.code.enum, [...KNOWN_REASON_CODES]);
  });

  it('trailaudit-compare.md puts disagreements first, with reason and evidence, and agreements last', () => {
    const markdown = formatCompareMarkdown(RESULT);
    const tokens = new MarkdownIt().parse(markdown, {});
    const headings = tokens.flatMap((token, index) => (token.type === 'heading_open' ? [tokens[index + 1]?.content ?? ''] : []));
    assert.deepEqual(headings, [
      'trailaudit and Security Hub compared',
      'Security Hub could not be read (1 place)',
      'Security Hub findings without a resource id (1)',
      'Disagreements (2)',
      `CloudTrail.1: \`${ACCOUNT}\` in account ${ACCOUNT}, us-east-1`,
      `CloudTrail.4: \`\`${ODD}\`\` in account ${ACCOUNT}, us-east-1`,
      'Inconclusive: one side could not decide (1)',
      'Unreadable: Security Hub was not read there (1)',
      'Only trailaudit has a finding (1)',
      'Only Security Hub has a finding (1)',
      'Agreements (1)',
    ]);
    assert.match(markdown, /Known reason \(`default_event_selector`\): The AWS default selector is misread\./u);
    assert.match(markdown, /^- `arn:aws:securityhub:us-east-1:111122223333:security-control\/CloudTrail\.4\/finding\/no-resource`$/mu);
    // The evidence is a JSON code block that parses back.
    const fences = tokens.filter((token) => token.type === 'fence');
    assert.deepEqual(JSON.parse(fences[0]?.content ?? ''), { trails: [{ arn: 'x', isLogging: true }] });
    // Every table row has as many cells as its header, whatever the resource id holds.
    const html = new MarkdownIt().render(markdown);
    assert.equal((html.match(/<table>/gu) ?? []).length, 6);
    for (const table of html.split('<table>').slice(1)) {
      const body = table.split('</table>')[0] ?? '';
      const widths = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/gu)].map((match) => (match[1]?.match(/<t[hd]/gu) ?? []).length);
      assert.ok(widths.every((width) => width === widths[0]), `ragged table: ${JSON.stringify(widths)}`);
    }
  });

  it("names Security Hub's other findings of a row's control and resource, in a table cell that keeps its columns", () => {
    const markdown = formatCompareMarkdown(RESULT);
    const line = markdown.split('\n').find((candidate) => candidate.includes('copy'));
    assert.ok(line !== undefined, markdown);
    assert.match(line, /also FAILED in us-east-1 \(`copy\\\|1`\)/u);
    // Six columns: the escaped pipe in the id does not split the cell.
    assert.equal(line.split(/(?<!\\)\|/u).length - 2, 6, line);
  });

  it('says there is no disagreement when there is none', () => {
    const agreeing = ROWS.filter((r) => r.comparison === 'agree');
    const markdown = formatCompareMarkdown({ ...RESULT, rows: agreeing, summary: summarise(agreeing), scope: { ...RESULT.scope, unreadable: [], withoutResourceId: [] } });
    assert.match(markdown, /## Disagreements \(0\)\n\nNone: wherever both sides have a verdict, they agree\./u);
    assert.doesNotMatch(markdown, /could not be read/u);
    assert.doesNotMatch(markdown, /without a resource id/u);
  });
});
