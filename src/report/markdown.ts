/**
 * `trailaudit.md`: the report an auditor reads. Every unsuppressed FAIL with its evidence and fix,
 * every gap (UNKNOWN) with the permission or account that would close it, the suppression
 * register with expired entries flagged, and, given a baseline, what changed since the last run.
 *
 * Resource ids and messages come from AWS and from templates, so everything interpolated is
 * escaped for the place it lands in: table cells, inline text, code spans, fenced blocks.
 */
import { suppressionRegister, summariseControls } from './common.js';
import { failuresByAccountSection } from './markdown/accountFailures.js';
import { changesSection } from './markdown/changes.js';
import { failuresSection, notApplicableSection, suppressedFindingsSection, unknownSection } from './markdown/findings.js';
import { isOrganizationReport, organizationSection } from './markdown/organization.js';
import { filesSection, isScan, scopeSection } from './markdown/scope.js';
import { frameworksSection, summarySection } from './markdown/summary.js';
import { registerSection } from './markdown/suppressions.js';
import { text } from './markdown/text.js';
import type { Formatter } from './types.js';

export const formatMarkdown: Formatter = (findings, context) => {
  const controls = summariseControls(findings, context.checks);
  // Over several accounts: the organization's summary near the top, failures grouped by account.
  const organization = isOrganizationReport(context);
  const sections = [
    `# CloudTrail compliance report (${text(context.tool.name)})`,
    scopeSection(findings, context),
    ...(organization ? [organizationSection(findings, controls, context)] : []),
    summarySection(findings, controls, context),
  ];
  if (isScan(context)) {
    sections.push(filesSection(findings, context));
  }
  if (context.baseline !== null) {
    sections.push(changesSection(findings, context.baseline));
  }
  sections.push(
    organization ? failuresByAccountSection(findings, controls, context) : failuresSection(controls),
    unknownSection(findings),
    notApplicableSection(findings),
    suppressedFindingsSection(findings),
    registerSection(suppressionRegister(context)),
    frameworksSection(controls),
  );
  return `${sections.join('\n\n')}\n`;
};
