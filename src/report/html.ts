/**
 * `trailaudit.html` (issue 15): one self-contained page for people: the answer first (result,
 * scope, when, who, the SHA-256 of the JSON evidence), then results by control, by account
 * (organizations) and by Region as inline SVG with their numbers, the audit gaps, the
 * suppressions, the trend with `--history`, and every finding, filterable without a server.
 *
 * A pure function of (findings, context), like every formatter: no clock, no I/O. The pieces
 * live in ./html/.
 */
import { summariseControls } from './common.js';
import { answerSection } from './html/answer.js';
import { findingsSection } from './html/findingsSection.js';
import { historySection } from './html/historySection.js';
import { isOrganizationReport, organizationSection } from './html/organizationSection.js';
import { controlsSection, fixesSection, gapsSection, regionsSection, suppressionsSection } from './html/overviewSections.js';
import { page } from './html/page.js';
import { reportOverview } from './overview.js';
import type { Formatter } from './types.js';

export const formatHtml: Formatter = (findings, context) => {
  const overview = reportOverview(findings, context);
  const controls = summariseControls(findings, context.checks);
  const organization = isOrganizationReport(context);
  const sections: { id: string; label: string; html: string }[] = [
    { id: 'controls', label: 'By control', html: controlsSection(controls) },
    ...(organization ? [{ id: 'organization', label: 'By account', html: organizationSection(findings, context, controls) }] : []),
    { id: 'regions', label: 'By Region', html: regionsSection(findings) },
    { id: 'gaps', label: 'Audit gaps', html: gapsSection(overview, context) },
    { id: 'suppressions', label: 'Suppressions', html: suppressionsSection(overview, context) },
    ...(context.history === undefined ? [] : [{ id: 'history', label: 'Trend', html: historySection(context, overview) }]),
    { id: 'findings', label: 'Findings', html: findingsSection(findings, context, controls) },
    { id: 'fixes', label: 'How to fix', html: fixesSection(controls) },
  ].filter((s) => s.html !== '');
  return page({
    title: `${context.tool.name} report: ${overview.result}`,
    nav: sections.map(({ id, label }) => ({ id, label })),
    body: [answerSection(findings, context, overview), ...sections.map((s) => s.html)].join('\n'),
  });
};
