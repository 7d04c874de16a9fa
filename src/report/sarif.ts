/**
 * `trailaudit.sarif`: SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer).
 *
 * One rule per enabled check, with help and remediation; one result per FAIL and per UNKNOWN
 * (PASS and NOT_APPLICABLE are not results: code scanning turns every result into an alert).
 * Suppressed findings stay in the log with `suppressions`, so a viewer shows them as dismissed
 * rather than losing them.
 *
 * What GitHub accepts, as opposed to what the SARIF schema allows: a result with no `locations`,
 * an empty `locations` array, or a location with only `logicalLocations` makes GitHub reject the
 * WHOLE file ("locationFromSarifResult: expected at least one location" / "expected artifact
 * location"). So every result gets a physical location: the offending property or resource in
 * its file; for a finding that no file declares (an account-level verdict of a scan) the first
 * scanned file; for a live audit a stable pseudo-path `aws/<account>/<region>` (like container
 * scanners that point at an image name). The AWS resource itself is carried as a logical location.
 */
import { createHash } from 'node:crypto';
import { genericTemplate } from '../engine/template.js';
import type { CheckDefinition, Finding, Severity } from '../engine/types.js';
import type { SourceLocation } from '../facts/model.js';
import { baselineStates, type BaselineState } from './baselineDiff.js';
import { isAccountKeyed, unknownNeeds } from './common.js';
import type { Formatter, ReportContext } from './types.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Where the package is published; SARIF viewers link the tool name to it. */
const INFORMATION_URI = 'https://www.npmjs.com/package/trailaudit';

/** Key of our own entry in `partialFingerprints` (versioned: a change of recipe must not collide). */
export const FINGERPRINT_KEY = 'trailauditFinding/v1';

type Level = 'error' | 'warning' | 'note';

/** GitHub's documented bands: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  informational: '0.0',
};

export function levelFor(severity: string): Level {
  switch (severity.toLowerCase()) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
      return 'warning';
    default:
      return 'note';
  }
}

export function securitySeverityFor(severity: string): string {
  const key = severity.toLowerCase();
  return key in SECURITY_SEVERITY ? SECURITY_SEVERITY[key as Severity] : '0.0';
}

/** `CloudTrail log file validation should be enabled` → `CloudTrailLogFileValidationShouldBeEnabled`. */
function ruleName(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/u)
    .filter((word) => word !== '')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function fence(content: string, lang: string): string {
  const longestRun = Math.max(0, ...(content.match(/`{3,}/gu) ?? []).map((run) => run.length));
  const marks = '`'.repeat(Math.max(3, longestRun + 1));
  return `${marks}${lang}\n${content.replace(/\s+$/u, '')}\n${marks}`;
}

function snippets(check: CheckDefinition): [string, string, string][] {
  const { remediation } = check;
  const all: [string, string, string][] = [
    ['AWS CLI', genericTemplate(remediation.cli), 'sh'],
    ['CloudFormation', genericTemplate(remediation.cloudformation), 'yaml'],
    ['Terraform', genericTemplate(remediation.terraform), 'hcl'],
  ];
  return all.filter(([, snippet]) => snippet.trim() !== '');
}

function helpText(check: CheckDefinition): string {
  const lines = [check.description, '', `How to fix: ${check.remediation.text}`];
  for (const [label, snippet] of snippets(check)) {
    lines.push('', `${label}:`, snippet.replace(/\s+$/u, ''));
  }
  if (check.remediation.url !== '') {
    lines.push('', `Reference: ${check.remediation.url}`);
  }
  return lines.join('\n');
}

function helpMarkdown(check: CheckDefinition): string {
  const lines = [check.description, '', `**How to fix:** ${check.remediation.text}`];
  for (const [label, snippet, lang] of snippets(check)) {
    lines.push('', `${label}:`, '', fence(snippet, lang));
  }
  if (check.remediation.url !== '') {
    lines.push('', `Reference: <${check.remediation.url}>`);
  }
  const frameworks = Object.keys(check.frameworks).sort();
  if (frameworks.length > 0) {
    lines.push('', '| Framework | Requirements |', '|---|---|');
    for (const name of frameworks) {
      lines.push(`| ${name} | ${(check.frameworks[name] ?? []).join(', ')} |`);
    }
  }
  return lines.join('\n');
}

/** Framework requirements as code-scanning tags, e.g. `cis-aws-5.0.0/3.2`, so alerts can be filtered by them. */
function tagsFor(frameworks: Readonly<Record<string, readonly string[]>>): string[] {
  const tags = ['security', 'aws', 'cloudtrail'];
  for (const name of Object.keys(frameworks).sort()) {
    for (const requirement of frameworks[name] ?? []) {
      tags.push(`${name}/${requirement}`);
    }
  }
  return tags;
}

function ruleFor(check: CheckDefinition): Record<string, unknown> {
  const rule: Record<string, unknown> = {
    id: check.id,
    name: ruleName(check.title),
    shortDescription: { text: check.title },
    fullDescription: { text: check.description },
    help: { text: helpText(check), markdown: helpMarkdown(check) },
  };
  if (check.remediation.url !== '') {
    rule.helpUri = check.remediation.url;
  }
  rule.defaultConfiguration = { level: levelFor(check.severity) };
  rule.properties = {
    tags: tagsFor(check.frameworks),
    // Declarative checks over exact facts: a FAIL is a real misconfiguration, not a heuristic.
    precision: 'very-high',
    'security-severity': securitySeverityFor(check.severity),
    problem: { severity: levelFor(check.severity) === 'note' ? 'recommendation' : levelFor(check.severity) },
  };
  return rule;
}

/** A rule for a finding whose check the context does not list (never drop a result). */
function ruleFromFinding(finding: Finding): Record<string, unknown> {
  return {
    id: finding.checkId,
    name: ruleName(finding.title),
    shortDescription: { text: finding.title },
    fullDescription: { text: finding.title },
    help: { text: finding.remediation === '' ? finding.title : finding.remediation },
    defaultConfiguration: { level: levelFor(finding.severity) },
    properties: {
      tags: tagsFor(finding.frameworks),
      precision: 'very-high',
      'security-severity': securitySeverityFor(finding.severity),
    },
  };
}

/** A relative reference with forward slashes; each segment percent-encoded (spaces, `#`, `?`). */
function artifactUri(path: string): string {
  return path
    .replace(/\\/gu, '/')
    .split('/')
    .map((segment) => (segment === '..' || segment === '.' ? segment : encodeURIComponent(segment)))
    .join('/');
}

interface Anchor {
  readonly uri: string;
  readonly line: number;
  readonly column: number;
  /** The anchor is a stand-in (no file declares the finding's resource). */
  readonly substitute: boolean;
}

function anchorFor(finding: Finding, context: ReportContext): Anchor {
  const located: SourceLocation | undefined = finding.location ?? finding.resource.location;
  if (located !== undefined) {
    return { uri: artifactUri(located.file), line: Math.max(1, located.line), column: Math.max(1, located.column), substitute: false };
  }
  const firstInput = context.scope.source === 'live' ? undefined : context.scope.inputs[0];
  if (firstInput !== undefined) {
    return { uri: artifactUri(firstInput), line: 1, column: 1, substitute: true };
  }
  const account = finding.resource.accountId ?? context.scope.accounts[0] ?? 'unknown-account';
  return { uri: `aws/${artifactUri(account)}/${artifactUri(finding.resource.region)}`, line: 1, column: 1, substitute: true };
}

/**
 * Same finding, same fingerprint across runs: the control, the resource (logical id, Terraform
 * address or ARN), its Region when the control is per Region, and the file. Never the line, so
 * an edit above the resource does not reopen the alert as a new one.
 */
export function fingerprintOf(finding: Finding): string {
  const file = (finding.location ?? finding.resource.location)?.file ?? '';
  const region = isAccountKeyed(finding) ? finding.resource.region : '';
  return createHash('sha256').update(JSON.stringify([finding.control, finding.resource.id, region, file])).digest('hex');
}

function messageFor(finding: Finding, anchor: Anchor): string {
  const parts: string[] = [];
  if (finding.status === 'UNKNOWN') {
    parts.push(`Could not be evaluated (${finding.reason ?? 'error'}): ${finding.message}`);
    for (const detail of finding.unknowns) {
      const needs = unknownNeeds(detail);
      parts.push(`- ${detail.message}${needs === '' ? '' : ` (needs ${needs})`}`);
    }
  } else {
    parts.push(finding.message);
  }
  if (anchor.substitute) {
    parts.push(`Resource: ${finding.resource.id} (${finding.resource.type}, ${finding.resource.region}); no file declares it, so the alert is anchored here.`);
  }
  if (finding.status === 'FAIL' && finding.remediation !== '') {
    parts.push(`Fix: ${finding.remediation}`);
  }
  return parts.join('\n');
}

function resultFor(finding: Finding, ruleIndex: number, context: ReportContext, baselineState: BaselineState | undefined): Record<string, unknown> {
  const anchor = anchorFor(finding, context);
  const isRegionKeyed = isAccountKeyed(finding) && finding.resource.region !== 'global';
  const result: Record<string, unknown> = {
    ruleId: finding.checkId,
    ruleIndex,
    // An UNKNOWN could hide a failure (exit code 3), so it is a warning whatever the severity,
    // never a quiet note; a FAIL takes its level from the severity.
    level: finding.status === 'UNKNOWN' ? 'warning' : levelFor(finding.severity),
    message: { text: messageFor(finding, anchor) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: anchor.uri, uriBaseId: '%SRCROOT%' },
          region: { startLine: anchor.line, startColumn: anchor.column },
        },
        logicalLocations: [
          {
            name: finding.resource.name ?? finding.resource.id,
            fullyQualifiedName: isRegionKeyed ? `${finding.resource.id}/${finding.resource.region}` : finding.resource.id,
            kind: 'resource',
          },
        ],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprintOf(finding) },
  };
  // Only with --baseline: compared with the previous run's findings (report/baselineDiff.ts).
  if (baselineState !== undefined) {
    result.baselineState = baselineState;
  }
  if (finding.suppressed !== null) {
    result.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: `${finding.suppressed.reason} (expires ${finding.suppressed.expires})`,
      },
    ];
  }
  result.properties = {
    status: finding.status,
    severity: finding.severity,
    resourceType: finding.resource.type,
    resourceId: finding.resource.id,
    region: finding.resource.region,
    ...(finding.reason === null ? {} : { reason: finding.reason }),
  };
  return result;
}

export const formatSarif: Formatter = (findings, context) => {
  const rules: Record<string, unknown>[] = [];
  const indexOf = new Map<string, number>();
  for (const check of context.checks) {
    if (!indexOf.has(check.id)) {
      indexOf.set(check.id, rules.length);
      rules.push(ruleFor(check));
    }
  }
  const results: Record<string, unknown>[] = [];
  const states = context.baseline === null ? null : baselineStates(findings, context.baseline.findings);
  for (const finding of findings) {
    if (finding.status !== 'FAIL' && finding.status !== 'UNKNOWN') {
      continue;
    }
    let index = indexOf.get(finding.checkId);
    if (index === undefined) {
      index = rules.length;
      indexOf.set(finding.checkId, index);
      rules.push(ruleFromFinding(finding));
    }
    results.push(resultFor(finding, index, context, states?.get(finding)));
  }
  const inputErrors = context.inputErrors ?? [];
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: context.tool.name,
            version: context.tool.version,
            semanticVersion: context.tool.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        // Files that could not be scanned: the run succeeded only for the others.
        invocations: [
          {
            executionSuccessful: inputErrors.length === 0,
            startTimeUtc: context.startedAt,
            endTimeUtc: context.finishedAt,
            toolExecutionNotifications: inputErrors.map((issue) => ({
              level: 'error',
              message: { text: `${issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file}: ${issue.message}` },
            })),
          },
        ],
        // Columns come from JavaScript strings.
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          source: context.scope.source,
          inputs: [...context.scope.inputs],
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
