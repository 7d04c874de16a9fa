/**
 * The demo as a series (issue 15): the single account is audited twice into one history, with one
 * seeded misconfiguration fixed in between, so the HTML report shows a trend, a fixed finding and
 * the date each remaining failure has been failing since.
 */
import { readFileSync } from 'node:fs';
import { AddTagsCommand } from '@aws-sdk/client-cloudtrail';
import { cloudTrailClient } from '../support/moto/clients.js';
import type { DemoAccount, ExpectedFinding } from './seed.js';

/** The misconfiguration fixed between the two runs: app-audit's missing `owner` tag (CloudTrail.9). */
const FIXED_CONTROL = 'CloudTrail.9';
const FIXED_TRAIL = 'app-audit';

/** Tags the app-audit trail with its owner, as its team would; returns the finding this fixes. */
export async function fixOneMisconfiguration(endpoint: string, account: DemoAccount): Promise<ExpectedFinding> {
  const trail = account.trails.find((candidate) => candidate.name === FIXED_TRAIL);
  const fixed = account.expectedFailures.find((expected) => expected.control === FIXED_CONTROL && expected.resource === trail?.arn);
  if (trail === undefined || fixed === undefined) {
    throw new Error(`demo: the ${FIXED_TRAIL} trail's ${FIXED_CONTROL} failure was not seeded`);
  }
  const client = cloudTrailClient(endpoint, trail.homeRegion);
  try {
    await client.send(new AddTagsCommand({ ResourceId: trail.arn, TagsList: [{ Key: 'owner', Value: 'app-team' }] }));
  } finally {
    client.destroy();
  }
  console.log(`Fixing one misconfiguration before the second run: ${FIXED_CONTROL} ${trail.arn} (tagged owner=app-team).\n`);
  return fixed;
}

interface HistoryReport {
  readonly findings?: readonly { control: string; status: string; resource: { id: string }; failingSince?: string }[];
  readonly history?: {
    readonly runs: { readonly count: number };
    readonly fixedSinceLastRun: readonly { control: string; resourceId: string; failingSince: string }[];
  };
}

/** What the second run's report says about the series (a demo line, not a test). */
export function describeHistory(reportFile: string): void {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as HistoryReport;
  const history = report.history;
  if (history === undefined) {
    console.log('The report has no history section (missing!).');
    return;
  }
  console.log(`History: ${String(history.runs.count)} runs.`);
  for (const fix of history.fixedSinceLastRun) {
    console.log(`  fixed since the last run: ${fix.control} ${fix.resourceId} (failing since ${fix.failingSince})`);
  }
  const since = [...new Set((report.findings ?? []).flatMap((finding) => (finding.failingSince === undefined ? [] : [finding.failingSince])))].sort();
  const failing = (report.findings ?? []).filter((finding) => finding.failingSince !== undefined).length;
  console.log(`  still failing: ${String(failing)} findings, failing since ${since.join(', ') || '(none)'}`);
}
