/**
 * `trailaudit.junit.xml`: the JUnit dialect Jenkins, GitLab, Azure DevOps and CodeBuild read.
 *
 * One <testsuite> per enabled check (in check order, even with no findings, so a CI dashboard
 * keeps a stable list of controls), one <testcase> per finding. Totals are written on every suite
 * and on the root because Azure DevOps and CodeBuild miscount without them (PEERS §4 item 11).
 * Testcase names are built from the control and the resource only, never the message, so a test's
 * history survives a reworded message; over several accounts each name also carries the account.
 *
 * A scan of templates and plans (any source but `live`) is grouped by FILE instead: one suite per
 * scanned file in input order, which is how CI systems show a linter's results next to the file
 * to fix; findings that no file declares (account-level verdicts) get a suite of their own, and
 * every file that could not be scanned is a suite with one `<error>` testcase.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Finding } from '../engine/types.js';
import type { InputIssue } from '../errors.js';
import type { SourceLocation } from '../facts/model.js';
import { formatEvidenceValue, isAccountKeyed, summariseControls, unknownAdvice, unknownNeeds } from './common.js';
import type { ControlSummary } from './common.js';
import type { Formatter, ReportContext } from './types.js';
import { xmlAttr, xmlText } from './xmlText.js';

/** Seconds with millisecond precision, the unit every JUnit consumer expects in `time`. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/*
 * `timestamp` is optional in the format; it is written only when the run's start time is a plain
 * ISO-8601 date-time, which every consumer's date parser accepts.
 */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

function baseTestcaseName(finding: Finding, withAccount = false): string {
  const { resource } = finding;
  let name = `${finding.control} ${resource.id}`;
  if (isAccountKeyed(finding) && resource.region !== 'global') {
    name += ` ${resource.region}`;
  }
  // Over several accounts every name carries its account (trail ARNs and account-level ids do
  // already; a bucket's ARN does not), so a CI dashboard tells the accounts' cases apart.
  if (withAccount && resource.accountId !== null && !resource.id.includes(resource.accountId)) {
    name += ` (account ${resource.accountId})`;
  }
  return name;
}

/**
 * Stable, unique names within a suite. Collisions (the same logical id in two templates) are told
 * apart by the source location, and as a last resort by an ordinal, which is stable because
 * findings arrive sorted.
 */
function testcaseNames(findings: readonly Finding[], withAccount = false): string[] {
  const plain = findings.map((finding) => baseTestcaseName(finding, withAccount));
  const occurrences = new Map<string, number>();
  for (const name of plain) {
    occurrences.set(name, (occurrences.get(name) ?? 0) + 1);
  }
  const bases = findings.map((finding, i) => {
    const base = plain[i] ?? baseTestcaseName(finding, withAccount);
    const location = finding.resource.location;
    return (occurrences.get(base) ?? 0) > 1 && location !== undefined ? `${base} (${location.file}:${location.line})` : base;
  });
  const used = new Map<string, number>();
  return bases.map((base) => {
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    return seen === 0 ? base : `${base} #${seen + 1}`;
  });
}

function failureBody(finding: Finding): string {
  const lines = [finding.message];
  const evidence = Object.entries(finding.evidence);
  if (evidence.length > 0) {
    lines.push('', 'Evidence:');
    for (const [key, value] of evidence) {
      // Continuation lines are indented so a multi-line value cannot pass for another key.
      lines.push(`  ${key}: ${formatEvidenceValue(value).replace(/\r?\n/g, '\n    ')}`);
    }
  }
  lines.push('', `Resource: ${finding.resource.id} (${finding.resource.type}, region ${finding.resource.region})`);
  if (finding.remediation !== '') {
    lines.push('', 'Remediation:', finding.remediation);
  }
  return lines.join('\n');
}

function errorBody(finding: Finding): string {
  const lines = [finding.message];
  if (finding.unknowns.length > 0) {
    lines.push('', 'Could not read:');
    for (const detail of finding.unknowns) {
      const needs = unknownNeeds(detail);
      lines.push(`  - [${detail.reason}] ${detail.message}${needs === '' ? '' : ` (needs ${needs})`}`);
    }
  }
  lines.push('', unknownAdvice(finding.unknowns));
  return lines.join('\n');
}

interface SuiteTotals {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** Suppressed findings (accepted failures) are skipped: they must not fail the pipeline. */
function totalsOf(findings: readonly Finding[]): SuiteTotals {
  const totals: SuiteTotals = { tests: findings.length, failures: 0, errors: 0, skipped: 0 };
  for (const finding of findings) {
    if (finding.suppressed !== null || finding.status === 'NOT_APPLICABLE') {
      totals.skipped += 1;
    } else if (finding.status === 'FAIL') {
      totals.failures += 1;
    } else if (finding.status === 'UNKNOWN') {
      totals.errors += 1;
    }
  }
  return totals;
}

function totalsAttrs(totals: SuiteTotals): Record<string, string> {
  return {
    tests: String(totals.tests),
    failures: String(totals.failures),
    errors: String(totals.errors),
    skipped: String(totals.skipped),
  };
}

function addTestcase(suite: XMLBuilder, finding: Finding, name: string): void {
  const attrs: Record<string, string> = {
    name: xmlAttr(name),
    classname: xmlAttr(`trailaudit.${finding.control}`),
    time: '0.000',
  };
  // GitLab shows `file` on a test; only IaC findings have one. The line is the offending
  // property's when the collector knows it, else the resource's.
  const location = locationOf(finding);
  if (location !== null) {
    attrs.file = xmlAttr(location.file);
    attrs.line = String(location.line);
  }
  const testcase = suite.ele('testcase', attrs);
  if (finding.suppressed !== null) {
    const { reason, expires } = finding.suppressed;
    testcase
      // Skipped so the pipeline stays green, but said to be a failure: never read as a pass.
      .ele('skipped', { message: xmlAttr(`accepted risk: ${finding.status} suppressed: ${reason}, expires ${expires}`) })
      .txt(xmlText(`Status: ${finding.status} (suppressed, accepted risk)\n${finding.message}`));
  } else if (finding.status === 'NOT_APPLICABLE') {
    testcase.ele('skipped', { message: xmlAttr(finding.message) });
  } else if (finding.status === 'FAIL') {
    testcase.ele('failure', { message: xmlAttr(finding.message), type: finding.severity }).txt(xmlText(failureBody(finding)));
  } else if (finding.status === 'UNKNOWN') {
    testcase.ele('error', { message: xmlAttr(finding.message), type: finding.reason ?? 'error' }).txt(xmlText(errorBody(finding)));
  }
}

function locationOf(finding: Finding): SourceLocation | null {
  return finding.location ?? finding.resource.location ?? null;
}

function addSuite(root: XMLBuilder, control: ControlSummary, index: number, timestamp: string | null, withAccount: boolean): SuiteTotals {
  const totals = totalsOf(control.findings);
  const attrs: Record<string, string> = {
    name: xmlAttr(control.control),
    id: String(index),
    ...totalsAttrs(totals),
    time: '0.000',
  };
  if (timestamp !== null) {
    attrs.timestamp = timestamp;
  }
  const suite = root.ele('testsuite', attrs);
  const properties = suite.ele('properties');
  properties.ele('property', { name: 'title', value: xmlAttr(control.title) });
  properties.ele('property', { name: 'severity', value: control.severity });
  if (control.check !== null) {
    properties.ele('property', { name: 'resourceType', value: xmlAttr(control.check.resourceType) });
  }
  const frameworks = control.check?.frameworks ?? control.findings[0]?.frameworks ?? {};
  for (const framework of Object.keys(frameworks).sort()) {
    properties.ele('property', { name: xmlAttr(`framework.${framework}`), value: xmlAttr((frameworks[framework] ?? []).join(', ')) });
  }
  const names = testcaseNames(control.findings, withAccount);
  control.findings.forEach((finding, i) => {
    addTestcase(suite, finding, names[i] ?? baseTestcaseName(finding, withAccount));
  });
  return totals;
}

/** Suite of the findings that no file declares (account- and region-level verdicts of a scan). */
export const UNLOCATED_SUITE = '(account and region level)';

function suiteAttrs(name: string, index: number, totals: SuiteTotals, timestamp: string | null): Record<string, string> {
  const attrs: Record<string, string> = { name: xmlAttr(name), id: String(index), ...totalsAttrs(totals), time: '0.000' };
  if (timestamp !== null) {
    attrs.timestamp = timestamp;
  }
  return attrs;
}

/** Findings in check order within a file, then by resource (they arrive sorted by the engine). */
function addFileSuite(root: XMLBuilder, name: string, file: string | null, findings: readonly Finding[], index: number, timestamp: string | null): SuiteTotals {
  const totals = totalsOf(findings);
  const attrs = suiteAttrs(name, index, totals, timestamp);
  if (file !== null) {
    attrs.file = xmlAttr(file);
  }
  const suite = root.ele('testsuite', attrs);
  const names = testcaseNames(findings);
  findings.forEach((finding, i) => {
    addTestcase(suite, finding, names[i] ?? baseTestcaseName(finding));
  });
  return totals;
}

function addInputErrorSuite(root: XMLBuilder, file: string, issues: readonly InputIssue[], index: number, timestamp: string | null): SuiteTotals {
  const totals: SuiteTotals = { tests: 1, failures: 0, errors: 1, skipped: 0 };
  const suite = root.ele('testsuite', { ...suiteAttrs(file, index, totals, timestamp), file: xmlAttr(file) });
  const first = issues[0];
  const attrs: Record<string, string> = { name: xmlAttr(`scan ${file}`), classname: 'trailaudit.input', time: '0.000', file: xmlAttr(file) };
  if (first !== undefined && first.line > 0) {
    attrs.line = String(first.line);
  }
  const body = issues.map((issue) => (issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}: ${issue.message}` : `${issue.file}: ${issue.message}`)).join('\n');
  suite
    .ele('testcase', attrs)
    .ele('error', { message: xmlAttr(first?.message ?? 'could not be scanned'), type: 'InputError' })
    .txt(xmlText(`${body}\n\nThis file was not evaluated; the other files were.`));
  return totals;
}

function byFile(root: XMLBuilder, findings: readonly Finding[], context: ReportContext, timestamp: string | null): void {
  const groups = new Map<string, Finding[]>();
  const unlocated: Finding[] = [];
  for (const file of context.scope.inputs) {
    groups.set(file, []);
  }
  for (const finding of findings) {
    const file = locationOf(finding)?.file;
    if (file === undefined) {
      unlocated.push(finding);
      continue;
    }
    const group = groups.get(file);
    if (group) {
      group.push(finding);
    } else {
      groups.set(file, [finding]);
    }
  }
  let index = 0;
  if (unlocated.length > 0) {
    addFileSuite(root, UNLOCATED_SUITE, null, unlocated, index, timestamp);
    index += 1;
  }
  for (const [file, own] of groups) {
    addFileSuite(root, file, file, own, index, timestamp);
    index += 1;
  }
  const issuesByFile = new Map<string, InputIssue[]>();
  for (const issue of context.inputErrors ?? []) {
    const list = issuesByFile.get(issue.file);
    if (list) {
      list.push(issue);
    } else {
      issuesByFile.set(issue.file, [issue]);
    }
  }
  for (const [file, issues] of issuesByFile) {
    // A suite name must be unique; a bad file is never also a scanned one, but stay safe.
    const name = groups.has(file) || file === UNLOCATED_SUITE ? `${file} (not scanned)` : file;
    addInputErrorSuite(root, name, issues, index, timestamp);
    index += 1;
  }
}

export const formatJunit: Formatter = (findings, context) => {
  const timestamp = ISO_DATE_TIME.test(context.startedAt) ? context.startedAt : null;
  const badFiles = new Set((context.inputErrors ?? []).map((issue) => issue.file)).size;
  const grand = totalsOf(findings);
  grand.tests += badFiles;
  grand.errors += badFiles;
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele('testsuites', {
    name: xmlAttr(context.tool.name),
    ...totalsAttrs(grand),
    time: seconds(context.stats.durationMs),
  });
  if (context.scope.source === 'live') {
    const withAccount = context.scope.organization !== undefined || context.scope.accounts.length > 1;
    summariseControls(findings, context.checks).forEach((control, index) => {
      addSuite(root, control, index, timestamp, withAccount);
    });
  } else {
    byFile(root, findings, context, timestamp);
  }
  // wellFormed makes xmlbuilder2 throw rather than emit broken XML if anything slipped through.
  return `${doc.end({ prettyPrint: true, wellFormed: true })}\n`;
};
