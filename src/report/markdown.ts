/**
 * `trailaudit.md`: the report a person reads, on GitHub or in `$GITHUB_STEP_SUMMARY` (1 MB).
 * The answer first (result, counts, who ran it, when, the SHA-256 of the JSON evidence, the most
 * severe failures), then the charts with their numbers, the failures one row each with details
 * folded per control, the audit gaps, the evidence of passes, and the scope at the end. Long
 * lists show their first rows and say how many more the JSON and HTML reports hold.
 *
 * Resource ids and messages come from AWS and from templates, so everything interpolated is
 * escaped for the place it lands in: table cells, inline text, code spans, fenced blocks, the HTML
 * of a `<summary>` and mermaid labels.
 */
import { suppressionRegister, summariseControls } from './common.js';
import { changesSection } from './markdown/changes.js';
import { statusSection, trendSection } from './markdown/charts.js';
import { failuresSection } from './markdown/findings.js';
import { gapsSection, notApplicableSection } from './markdown/gaps.js';
import { leadSection } from './markdown/lead.js';
import { isOrganizationReport, organizationSection } from './markdown/organization.js';
import { passesSection } from './markdown/passes.js';
import { filesSection, isScan, scopeSection } from './markdown/scope.js';
import { frameworksSection, summarySection } from './markdown/summary.js';
import { registerSection } from './markdown/suppressions.js';
import { reportOverview } from './overview.js';
import type { Formatter } from './types.js';

export const formatMarkdown: Formatter = (findings, context) => {
  const controls = summariseControls(findings, context.checks);
  const overview = reportOverview(findings, context);
  const sections = [leadSection(overview, context), statusSection(overview.counts)];
  if (context.history !== undefined) {
    sections.push(trendSection(context.history.section));
  }
  if (context.baseline !== null) {
    sections.push(changesSection(findings, context.baseline));
  }
  sections.push(failuresSection(overview, controls, context), gapsSection(overview));
  const organization = isOrganizationReport(context);
  if (organization) {
    sections.push(organizationSection(findings, controls, context));
  }
  sections.push(summarySection(findings, controls, context), passesSection(controls, organization), notApplicableSection(findings), registerSection(suppressionRegister(context)));
  // What was audited and how goes last: the reader came for the answer.
  if (isScan(context)) {
    sections.push(filesSection(findings, context));
  }
  sections.push(scopeSection(findings, context), frameworksSection(controls));
  return `${sections.join('\n\n')}\n`;
};
