/**
 * `trailaudit.junit.xml`: the JUnit dialect Jenkins, GitLab, Azure DevOps and CodeBuild read.
 *
 * One <testsuite> per enabled check (in check order, even with no findings, so a CI dashboard
 * keeps a stable list of controls), one <testcase> per finding. Totals are written on every suite
 * and on the root because Azure DevOps and CodeBuild miscount without them (PEERS §4 item 11).
 * Testcase names are built from the control and the resource only, never the message, so a test's
 * history survives a reworded message.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Finding } from '../engine/types.js';
import { formatEvidenceValue, isAccountKeyed, summariseControls, unknownNeeds } from './common.js';
import type { ControlSummary } from './common.js';
import type { Formatter } from './types.js';

/*
 * XML 1.0 cannot carry most C0 controls, lone surrogates or U+FFFE/U+FFFF even escaped; they can
 * reach us from resource names or API error messages, so they are replaced rather than allowed
 * to make the whole report unparseable.
 */
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function xmlText(text: string): string {
  return text.replace(INVALID_XML_CHARS, '\uFFFD');
}

/** Attribute values are single-line: parsers fold raw newlines to spaces anyway, so do it visibly. */
function xmlAttr(text: string): string {
  return xmlText(text).replace(/\s*[\r\n\t]+\s*/g, ' ').trim();
}

/** Seconds with millisecond precision, the unit every JUnit consumer expects in `time`. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/*
 * `timestamp` is optional in the format; it is written only when the run's start time is a plain
 * ISO-8601 date-time, which every consumer's date parser accepts.
 */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

function baseTestcaseName(finding: Finding): string {
  const { resource } = finding;
  let name = `${finding.control} ${resource.id}`;
  if (isAccountKeyed(finding) && resource.region !== 'global') {
    name += ` ${resource.region}`;
  }
  return name;
}

/**
 * Stable, unique names within a suite. Collisions (the same logical id in two templates) are told
 * apart by the source location, and as a last resort by an ordinal, which is stable because
 * findings arrive sorted.
 */
function testcaseNames(findings: readonly Finding[]): string[] {
  const plain = findings.map(baseTestcaseName);
  const occurrences = new Map<string, number>();
  for (const name of plain) {
    occurrences.set(name, (occurrences.get(name) ?? 0) + 1);
  }
  const bases = findings.map((finding, i) => {
    const base = plain[i] ?? baseTestcaseName(finding);
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
  lines.push('', 'Grant the permissions or use the account named above (or retry a failed call), or use --allow-unknown to accept an incomplete audit.');
  return lines.join('\n');
}

interface SuiteTotals {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** Suppressed findings are skipped whatever their status: they must not fail the pipeline. */
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
  // GitLab shows `file` on a test; only IaC findings have one.
  if (finding.resource.location !== undefined) {
    attrs.file = xmlAttr(finding.resource.location.file);
    attrs.line = String(finding.resource.location.line);
  }
  const testcase = suite.ele('testcase', attrs);
  if (finding.suppressed !== null) {
    const { reason, expires } = finding.suppressed;
    testcase
      .ele('skipped', { message: xmlAttr(`suppressed: ${reason} (expires ${expires})`) })
      .txt(xmlText(`Status without the suppression: ${finding.status}\n${finding.message}`));
  } else if (finding.status === 'NOT_APPLICABLE') {
    testcase.ele('skipped', { message: xmlAttr(finding.message) });
  } else if (finding.status === 'FAIL') {
    testcase.ele('failure', { message: xmlAttr(finding.message), type: finding.severity }).txt(xmlText(failureBody(finding)));
  } else if (finding.status === 'UNKNOWN') {
    testcase.ele('error', { message: xmlAttr(finding.message), type: finding.reason ?? 'error' }).txt(xmlText(errorBody(finding)));
  }
}

function addSuite(root: XMLBuilder, control: ControlSummary, index: number, timestamp: string | null): SuiteTotals {
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
  const names = testcaseNames(control.findings);
  control.findings.forEach((finding, i) => {
    addTestcase(suite, finding, names[i] ?? baseTestcaseName(finding));
  });
  return totals;
}

export const formatJunit: Formatter = (findings, context) => {
  const controls = summariseControls(findings, context.checks);
  const grand = totalsOf(findings);
  const timestamp = ISO_DATE_TIME.test(context.startedAt) ? context.startedAt : null;
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele('testsuites', {
    name: xmlAttr(context.tool.name),
    ...totalsAttrs(grand),
    time: seconds(context.stats.durationMs),
  });
  controls.forEach((control, index) => {
    addSuite(root, control, index, timestamp);
  });
  // wellFormed makes xmlbuilder2 throw rather than emit broken XML if anything slipped through.
  return `${doc.end({ prettyPrint: true, wellFormed: true })}\n`;
};
