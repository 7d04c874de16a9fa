/**
 * Reports over an organization: the Markdown summary (rendered by the CommonMark parser), the
 * coverage line's numbers, its size at 200 accounts, JUnit names with the account, and the JSON
 * report's `scope.organization` against the published schema.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import MarkdownIt from 'markdown-it';
import { describe, it } from 'mocha';
import { loadChecks } from '../../src/load/loadChecks.js';
import { formatJson } from '../../src/report/json.js';
import { formatJunit } from '../../src/report/junit.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { formatSummary } from '../../src/report/summary.js';
import { FINDINGS, makeContext } from './fixtures.js';
import { decode, section, sections, subsections, tables } from './markdownHtml.js';
import { LOG_ARCHIVE, MEMBER, MGMT, ORG_BUCKET, ORG_FINDINGS, ORG_TRAIL, ORGANIZATION, ROLE_FAILED, SUSPENDED, generatedOrganization, orgContext } from './organizationFixtures.js';
import { validateXML } from 'xmllint-wasm';
import { childrenNamed, parseXml } from './xml.js';

const md = new MarkdownIt();
const gfm = new MarkdownIt({ html: true });

function rows(html: string, index = 0): Map<string, string[]> {
  const table = tables(html)[index];
  assert.ok(table, 'table present');
  return new Map(table.rows.map((row): [string, string[]] => [row[0] ?? '', row.slice(1)]));
}

describe('Organization report (Markdown)', () => {
  const markdown = formatMarkdown(ORG_FINDINGS, orgContext());
  const html = md.render(markdown);

  it('puts the organization overview after the failures and gaps, before the per-control table, scope last', () => {
    assert.deepEqual([...sections(html).keys()].slice(0, 5), ['Status', 'Failures', 'Audit gaps', 'Organization', 'Controls']);
    assert.equal([...sections(html).keys()].at(-2), 'Scope');
    const facts = rows(section(html, 'Organization'));
    assert.deepEqual(facts.get('Organization'), ['o-abc123def4']);
    assert.deepEqual(facts.get('Management account'), [MGMT]);
    assert.match(facts.get('Audited from')?.[0] ?? '', new RegExp(`^${MGMT} .*role OrganizationAccountAccessRole`, 'u'));
    assert.deepEqual(facts.get('Accounts audited'), ['3 (1 of them not entered, below)']);
    assert.deepEqual(facts.get('Skipped'), ['1']);
    assert.deepEqual(facts.get('Not entered (role failed)'), ['1']);
  });

  it('gives the coverage line from the CloudTrail.1 verdicts and evidence', () => {
    const text = decode(section(html, 'Organization'));
    assert.match(text, new RegExp(`Coverage \\(CloudTrail\\.1\\): 1 account covered by organization trail ${ORG_TRAIL.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&')}, 1 by their own trails only, 0 uncovered, 1 not audited: role failed\\.`, 'u'));
  });

  it('lists the skipped account with its reason and the account whose role failed with the role ARN', () => {
    const parts = subsections(section(html, 'Organization'));
    const skipped = rows(parts.get('Skipped accounts') ?? '');
    assert.deepEqual(skipped.get(SUSPENDED), ['closed-sandbox', 'suspended', 'SUSPENDED in organization o-abc123def4']);
    const notEntered = rows(parts.get('Accounts not entered') ?? '');
    assert.deepEqual(notEntered.get(MEMBER), ['workload', 'access_denied', ROLE_FAILED]);
    assert.match(ROLE_FAILED, /arn:aws:iam::333333333333:role\/OrganizationAccountAccessRole/u);
  });

  it('has an accounts × controls matrix with names and one aggregated cell per account and control', () => {
    const matrix = tables(subsections(section(html, 'Organization')).get('Accounts and controls') ?? '')[0];
    assert.ok(matrix);
    assert.deepEqual(matrix.header, ['Account', 'Name', 'FAIL', 'UNKNOWN', 'CloudTrail.1', 'CloudTrail.3', 'CloudTrail.4', 'CloudTrail.6', 'CloudTrail.10']);
    const byAccount = new Map(matrix.rows.map((row) => [row[0], row.slice(1)]));
    assert.deepEqual(byAccount.get(MGMT), ['management', '1', '0', '✅', '✅ 2', '❌', '—', '—']);
    assert.deepEqual(byAccount.get(LOG_ARCHIVE), ['log-archive', '2', '0', '✅', '❌', '✅', '❌', '—']);
    assert.deepEqual(byAccount.get(MEMBER), ['workload', '0', '3', '❔', '❔ 2', '—', '—', '—']);
    assert.equal(matrix.rows.length, 3, 'one row per audited account; the skipped one is listed above, not here');
  });

  it('lists failures one row each with their account, and each failing control\'s fix once', () => {
    const table = tables(section(html, 'Failures'))[0]!;
    assert.deepEqual(
      table.rows.map((row) => row.slice(1, 5)),
      [
        ['CRITICAL', 'CloudTrail.6', LOG_ARCHIVE, 'us-east-1'],
        ['HIGH', 'CloudTrail.3', LOG_ARCHIVE, 'eu-west-1'],
        ['LOW', 'CloudTrail.4', MGMT, 'us-east-1'],
      ],
    );
    assert.equal(table.rows[0]?.[5], ORG_BUCKET);
    assert.ok(!table.rows.some((row) => row[3] === MEMBER), 'an UNKNOWN is no failure');
    const folded = gfm.render(markdown);
    const blocks = [...section(folded, 'Failures').matchAll(/<summary>(.*?)<\/summary>/gu)].map((m) => decode(m[1] ?? ''));
    assert.deepEqual(blocks.filter((b) => !b.startsWith('AWS CLI')).map((b) => b.split(' ')[0]), ['CloudTrail.6', 'CloudTrail.3', 'CloudTrail.4']);
    assert.equal((section(folded, 'Failures').match(/How to fix:/gu) ?? []).length, 3, 'one fix per failing control');
    assert.match(decode(section(folded, 'Failures')), /publicAccess\.via: \["acl"\]/u);
  });

  it('leaves a single-account report without any of it', () => {
    const single = md.render(formatMarkdown(FINDINGS, makeContext()));
    assert.equal(sections(single).has('Organization'), false);
    assert.ok(!/Accounts and controls/u.test(single), 'no accounts × controls matrix for one account');
  });

  it('names the missing shards when shard snapshots are evaluated together', () => {
    const context = orgContext();
    const organization = { ...context.scope.organization!, shards: [{ index: 1, count: 3 }, { index: 3, count: 3 }] };
    const facts = rows(section(md.render(formatMarkdown(ORG_FINDINGS, orgContext({ scope: { ...context.scope, organization } }))), 'Organization'));
    assert.deepEqual(facts.get('Shards evaluated together'), ['1/3, 3/3 (shards 2 of 3 missing: their accounts are not in this report)']);
  });
});

describe('Organization report at 200 accounts', () => {
  const checks = loadChecks();
  const org = generatedOrganization(checks, 200);
  const markdown = formatMarkdown(org.findings, org.context);

  it('counts every category of the coverage line as constructed', () => {
    assert.deepEqual(org.expected, { orgCovered: 120, ownOnly: 40, uncovered: 20, roleFailed: 20 });
    const text = decode(md.render(markdown));
    assert.match(
      text,
      /Coverage \(CloudTrail\.1\): 120 accounts covered by organization trail arn:aws:cloudtrail:us-east-1:100000000000:trail\/organization, 40 by their own trails only, 20 uncovered, 20 not audited: role failed\./u,
    );
  });

  it('fits $GITHUB_STEP_SUMMARY (1 MB) with room to spare, long lists cut with a pointer to the full reports', () => {
    const bytes = Buffer.byteLength(markdown);
    console.log(`      200 accounts, ${checks.length} checks, ${org.findings.length} findings: Markdown ${(bytes / 1024).toFixed(0)} KiB`);
    assert.ok(bytes < 400 * 1024, `${bytes} bytes`);
    const failures = org.findings.filter((f) => f.status === 'FAIL').length;
    assert.ok(failures > 300, `enough failures to be cut (${failures})`);
    assert.equal(tables(section(md.render(markdown), 'Failures'))[0]?.rows.length, 300);
    assert.match(markdown, new RegExp(`… and ${failures - 300} more rows \\(the first 300 of ${failures} are shown\\): every one is in \`trailaudit\\.json\` and \`trailaudit\\.html\``, 'u'));
    const matrix = tables(subsections(section(md.render(markdown), 'Organization')).get('Accounts and controls') ?? '')[0];
    assert.equal(matrix?.rows.length, 200);
    assert.equal(matrix.header.length, 4 + checks.length);
  });

  it('gives JUnit cases distinguishable by account: unique names within each suite, each naming its account', () => {
    const root = parseXml(formatJunit(org.findings, org.context));
    for (const suite of childrenNamed(root, 'testsuite')) {
      const names = childrenNamed(suite, 'testcase').map((testcase) => testcase.attrs.name ?? '');
      assert.equal(new Set(names).size, names.length, `unique names in ${suite.attrs.name ?? ''}`);
      for (const name of names) {
        assert.match(name, /\b100000000\d{3}\b/u);
      }
    }
    const bucketCase = childrenNamed(root, 'testsuite')
      .flatMap((suite) => childrenNamed(suite, 'testcase'))
      .find((testcase) => (testcase.attrs.name ?? '').startsWith('CloudTrail.6 arn:aws:s3:::trail-logs-1 '));
    assert.equal(bucketCase?.attrs.name, 'CloudTrail.6 arn:aws:s3:::trail-logs-1 (account 100000000001)', 'a bucket ARN names no account: the name adds it');
  });
});

describe('Organization summary on stderr', () => {
  it('says how many accounts were audited, skipped and not entered, and gives the coverage line', () => {
    const lines = formatSummary(ORG_FINDINGS, orgContext(), { color: false }).split('\n');
    assert.equal(lines[1], 'Organization o-abc123def4: 3 accounts audited (1 of them not entered: role failed), 1 skipped.');
    assert.equal(lines[2], `Coverage: 1 account covered by organization trail ${ORG_TRAIL}, 1 by their own trails only, 0 uncovered, 1 not audited: role failed.`);
    assert.doesNotMatch(formatSummary(FINDINGS, makeContext(), { color: false }), /Organization|Coverage:/u, 'not for one account');
  });
});

describe('Organization report (JUnit)', () => {
  it('is valid against the JUnit schema the CI consumers use', async () => {
    const xsd = readFileSync(new URL('../schemas/junit.xsd', import.meta.url), 'utf8');
    const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: formatJunit(ORG_FINDINGS, orgContext()) }], schema: [xsd] });
    assert.deepEqual(result.valid ? [] : result.errors.map((e) => e.message), []);
  });
});

describe('Organization report (JSON)', () => {
  const schema = JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/u);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/iu);
  const validate = ajv.compile(schema);

  it('writes scope.organization and validates against the published schema', () => {
    const context = orgContext();
    const organization = { ...context.scope.organization!, shard: { index: 2, count: 4 } };
    const report = JSON.parse(formatJson(ORG_FINDINGS, orgContext({ scope: { ...context.scope, organization } }))) as { scope: Record<string, unknown>; findings: { resource: { accountId: unknown } }[] };
    assert.equal(validate(report), true, JSON.stringify(validate.errors));
    assert.deepEqual(report.scope.accounts, [MGMT, LOG_ARCHIVE, MEMBER]);
    // Written as the pipeline gave it: every field, the shard included.
    assert.deepEqual(report.scope.organization, { ...ORGANIZATION, shard: { index: 2, count: 4 } });
    assert.ok(report.findings.every((finding) => typeof finding.resource.accountId === 'string'));
  });

  it('rejects an organization scope the schema does not describe (the schema is closed)', () => {
    const report = JSON.parse(formatJson(ORG_FINDINGS, orgContext())) as { scope: { organization: Record<string, unknown> } };
    report.scope.organization.unreachable = [{ accountId: MEMBER, reason: 'role_missing', message: 'x' }];
    assert.equal(validate(report), false);
  });
});
