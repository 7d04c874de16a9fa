/**
 * The import of one run's findings into Security Hub (issue 14):
 * 1. targets: every (account, Region) where the run imports or could archive: for a live report
 *    the accounts of its scope × (its Regions ∪ the account-level Region), plus wherever one of its
 *    findings goes (a bucket owned by another account, in a Region not audited);
 * 2. the previous findings of each target, read as that account (previousFindings.ts), in
 *    parallel up to a bound; a target whose findings cannot be read gets NOTHING (a blind import
 *    would reset CreatedAt / FirstObservedAt) and is an ImportFailure;
 * 3. ONE plan over everything read (archivePlan.ts, pure: it alone decides what is archived);
 * 4. each target's imports and archives sent as that account (sendFindings.ts), paced per target.
 * With `dryRun` it stops after 3: the outcome's plan and per-target counts say what would be sent.
 */
import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import pLimit from 'p-limit';
import { errorCode } from '../collect/live/errors.js';
import { planSecurityHubImport, type ArchivePlan } from './archivePlan.js';
import { BATCH_IMPORT_LIMITS, type BatchLimits } from './batches.js';
import { EVALUATED_AT_FIELD, isRegionName, ownFinding } from './findingIdentity.js';
import { SECURITY_HUB_PACING, TargetPacer, type PacingOptions } from './pacing.js';
import { readPreviousFindings, type HubTarget } from './previousFindings.js';
import { callFailure, DEFAULT_RETRY, errorText, sendFindings, type RetryOptions } from './sendFindings.js';
import type { ImportFailure, ImportOutcome, ImportRequest, ImportTargetSummary } from './types.js';
import { groupBy } from '../groupBy.js';

/** How the import paces, retries and batches; the defaults follow AWS's limits (tests shorten them). */
export interface ImportTuning {
  readonly pacing: PacingOptions;
  readonly retry: RetryOptions;
  readonly limits: BatchLimits;
  /** (account, Region) targets read or sent at the same time. */
  readonly targetConcurrency: number;
}

export const DEFAULT_IMPORT_TUNING: ImportTuning = { pacing: SECURITY_HUB_PACING, retry: DEFAULT_RETRY, limits: BATCH_IMPORT_LIMITS, targetConcurrency: 8 };

type Operation = 'GetFindings' | 'BatchImportFindings';

type ReadState =
  | { readonly target: HubTarget; readonly ok: true; readonly client: SecurityHubClient; readonly previous: readonly AwsSecurityFinding[] }
  | { readonly target: HubTarget; readonly ok: false; readonly stage: 'access' | 'read_previous' | 'not_enabled'; readonly code: string; readonly message: string };

function keyOf(target: HubTarget): string {
  return `${target.accountId}/${target.region}`;
}

function targetOf(finding: AwsSecurityFinding): HubTarget {
  return { accountId: finding.AwsAccountId ?? '', region: finding.Region ?? '' };
}

/** Security Hub is not enabled in the account and Region (AWS: InvalidAccessException, "not subscribed"). */
function isNotEnabled(error: unknown): boolean {
  return errorCode(error) === 'InvalidAccessException' || /not subscribed/iu.test(errorText(error));
}

/**
 * Where the run imports or could archive. Where the imports go does not depend on the previous
 * findings (the ASFF builder places them), so the planner run with none tells it.
 */
export function importTargets(request: Pick<ImportRequest, 'findings' | 'context' | 'accountLevelRegion' | 'now'>): HubTarget[] {
  const targets = new Map<string, HubTarget>();
  const add = (target: HubTarget): void => {
    targets.set(keyOf(target), target);
  };
  const { scope } = request.context;
  if (scope.source === 'live') {
    for (const accountId of scope.accounts.filter((account) => /^\d{12}$/u.test(account))) {
      for (const region of new Set([...scope.regions, request.accountLevelRegion])) {
        if (isRegionName(region)) {
          add({ accountId, region });
        }
      }
    }
  }
  const provisional = planSecurityHubImport({ ...request, previous: [], now: request.now.toISOString() });
  provisional.imports.forEach((finding) => {
    add(targetOf(finding));
  });
  return [...targets.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

function groupByTarget(findings: readonly AwsSecurityFinding[]): Map<string, AwsSecurityFinding[]> {
  return groupBy(findings, (finding) => keyOf(targetOf(finding)));
}

/**
 * The findings were observed when the run finished (context.finishedAt): their LastObservedAt, so a
 * report imported later is not dated as fresh (and `security-hub import` can tell a newer import
 * held there). An unreadable time leaves the planner's default, the import's own time.
 */
function observedAt(request: Pick<ImportRequest, 'context'>): { observedAt?: string } {
  // When the facts were collected: an old snapshot evaluated today is as old as its facts.
  const time = Date.parse(request.context.collectedAt ?? request.context.finishedAt);
  return Number.isNaN(time) ? {} : { observedAt: new Date(time).toISOString() };
}

/**
 * Our findings a later run imported or archived: each records when its run observed the account
 * (`trailaudit/EvaluatedAt`; before that field, `LastObservedAt`). Importing an older run over them
 * would turn newer verdicts back and re-activate what the later run archived, so when there is any,
 * nothing is sent (an overlapping scheduled run, a retried reduce, an old report or snapshot).
 */
function newerRunFailures(reads: readonly ReadState[], observed: string | undefined, ran: ReadonlySet<string>): ImportFailure[] {
  if (observed === undefined) {
    return [];
  }
  const limit = Date.parse(observed);
  // Only findings of the checks this run evaluated: it writes and archives no other.
  const isNewer = (finding: AwsSecurityFinding): boolean => {
    const own = ownFinding(finding);
    return own !== null && ran.has(own.checkId) && Date.parse(evaluatedAt(finding)) > limit;
  };
  return reads.flatMap((state) => {
    if (!state.ok) {
      return [];
    }
    const newer = state.previous.filter(isNewer);
    if (newer.length === 0) {
      return [];
    }
    const latest = newer.map(evaluatedAt).reduce((max, time) => (time > max ? time : max));
    return [
      {
        ...state.target,
        stage: 'newer_run' as const,
        code: 'LaterRunInSecurityHub',
        message:
          `Security Hub holds ${String(newer.length)} finding(s) of a run that observed this account and Region later (up to ${latest}) than this one (${observed}): ` +
          'importing it would turn newer verdicts back, so nothing was sent anywhere',
        findingIds: newer.map((finding) => finding.Id ?? '').sort(),
      },
    ];
  });
}

function evaluatedAt(finding: AwsSecurityFinding): string {
  return finding.ProductFields?.[EVALUATED_AT_FIELD] ?? finding.LastObservedAt ?? '';
}

/** `arn:<partition>:securityhub:<region>:<account>:product/…` → its target key. */
function keyOfProduct(productArn: string): string {
  const [, , , region = '', account = ''] = productArn.split(':');
  return `${account}/${region}`;
}

export async function importToSecurityHub(request: ImportRequest, tuning: Partial<ImportTuning> = {}): Promise<ImportOutcome> {
  const settings: ImportTuning = { ...DEFAULT_IMPORT_TUNING, ...tuning };
  const calls: Record<Operation, number> = { GetFindings: 0, BatchImportFindings: 0 };
  const pacer = new TargetPacer(settings.pacing);
  const paced =
    (target: HubTarget, operation: Operation) =>
    <T>(call: () => Promise<T>): Promise<T> =>
      pacer.run(target.accountId, target.region, () => {
        calls[operation] += 1;
        return call();
      });
  const limit = pLimit(Math.max(1, settings.targetConcurrency));
  const notice = request.onNotice ?? (() => undefined);

  const targets = importTargets(request);
  const reads = await Promise.all(targets.map((target) => limit(() => readTarget(request, target, paced(target, 'GetFindings')))));
  const readByKey = new Map(reads.map((state) => [keyOf(state.target), state]));

  const newer = newerRunFailures(reads, observedAt(request).observedAt, new Set(request.context.checks.map((check) => check.id)));
  if (newer.length > 0) {
    for (const failure of newer) {
      notice(`${failure.accountId} ${failure.region}: ${failure.message}`);
    }
    const nothing: ArchivePlan = { imports: [], archives: [], notSent: [], kept: [] };
    return { plan: nothing, imported: 0, archived: 0, targets: [], failures: newer, calls };
  }
  const fullPlan = planSecurityHubImport({
    previous: reads.flatMap((state) => (state.ok ? state.previous : [])),
    findings: request.findings,
    context: request.context,
    accountLevelRegion: request.accountLevelRegion,
    now: request.now.toISOString(),
    ...observedAt(request),
  });
  const imports = groupByTarget(fullPlan.imports);
  const archives = groupByTarget(fullPlan.archives);
  const keptByKey = new Map<string, number>();
  for (const kept of fullPlan.kept) {
    keptByKey.set(keyOfProduct(kept.productArn), (keptByKey.get(keyOfProduct(kept.productArn)) ?? 0) + 1);
  }
  const reachable = (finding: AwsSecurityFinding): boolean => readByKey.get(keyOf(targetOf(finding)))?.ok === true;
  // What is sent (or would be): nothing to a target whose previous findings could not be read.
  const plan: ArchivePlan = { ...fullPlan, imports: fullPlan.imports.filter(reachable), archives: fullPlan.archives.filter(reachable) };

  const failures: ImportFailure[] = [];
  // Never expected (the targets include wherever an import goes), but never a silent drop either.
  for (const [key, group] of imports) {
    if (!readByKey.has(key)) {
      const { accountId, region } = targetOf(group[0] as AwsSecurityFinding);
      failures.push({ accountId, region, stage: 'access', code: 'not_read', message: 'no previous findings were read there', findingIds: group.map((finding) => finding.Id ?? '') });
    }
  }
  // First every import, then the archives, and only in accounts whose imports all went in: an
  // account-wide finding moved to another Region (or a resource's finding whose new copy failed)
  // must never be archived before its new copy is in Security Hub.
  const firstPass = await Promise.all(
    reads.map((state) =>
      limit(async (): Promise<ImportTargetSummary> => {
        const key = keyOf(state.target);
        const toImport = imports.get(key) ?? [];
        const toArchive = archives.get(key) ?? [];
        const kept = keptByKey.get(key) ?? 0;
        const where = `${state.target.accountId} ${state.target.region}`;
        if (!state.ok) {
          const ids = toImport.map((finding) => finding.Id ?? '');
          if (state.stage === 'not_enabled' && ids.length === 0) {
            // Nothing of this run goes there, and nothing of ours can be there to archive.
            notice(`${where}: Security Hub is not enabled; nothing to import there (${state.code})`);
          } else {
            failures.push({ ...state.target, stage: state.stage, code: state.code, message: state.message, findingIds: ids });
            const what = request.dryRun ? `${String(ids.length)} findings could not be imported` : `nothing sent, ${String(ids.length)} findings not imported`;
            notice(`${where}: ${what} (${state.stage}, ${state.code}: ${state.message})`);
          }
          return { ...state.target, imported: 0, archived: 0, kept, failed: ids.length };
        }
        if (request.dryRun) {
          notice(`${where}: would import ${String(toImport.length)}, archive ${String(toArchive.length)}, keep ${String(kept)} (dry run: nothing sent)`);
          return { ...state.target, imported: toImport.length, archived: toArchive.length, kept, failed: 0 };
        }
        const sent = await sendFindings(state.client, state.target, toImport.map((finding) => ({ finding, kind: 'import' as const })), {
          send: paced(state.target, 'BatchImportFindings'),
          retry: settings.retry,
          limits: settings.limits,
        });
        failures.push(...sent.failures);
        const failed = sent.failures.reduce((sum, failure) => sum + failure.findingIds.length, 0);
        return { ...state.target, imported: sent.imported, archived: 0, kept, failed };
      }),
    ),
  );
  const incomplete = new Set(failures.map((failure) => failure.accountId));
  const summaries = request.dryRun
    ? firstPass
    : await Promise.all(
        firstPass.map((summary) =>
          limit(async (): Promise<ImportTargetSummary> => {
            const key = keyOf(summary);
            const state = readByKey.get(key);
            const toArchive = archives.get(key) ?? [];
            const where = `${summary.accountId} ${summary.region}`;
            if (state?.ok !== true) {
              return summary;
            }
            if (incomplete.has(summary.accountId) && toArchive.length > 0) {
              failures.push({
                ...state.target,
                stage: 'archive',
                code: 'imports_incomplete',
                message: "not archived: some of this account's findings could not be imported (above), and an archive must not run ahead of its replacement",
                findingIds: toArchive.map((finding) => finding.Id ?? ''),
              });
              notice(`${where}: ${String(summary.imported)} imported, 0 archived (${String(toArchive.length)} held back), ${String(summary.kept)} kept, ${String(summary.failed)} failed`);
              return { ...summary, failed: summary.failed + toArchive.length };
            }
            const sent = await sendFindings(state.client, state.target, toArchive.map((finding) => ({ finding, kind: 'archive' as const })), {
              send: paced(state.target, 'BatchImportFindings'),
              retry: settings.retry,
              limits: settings.limits,
            });
            failures.push(...sent.failures);
            const failed = summary.failed + sent.failures.reduce((sum, failure) => sum + failure.findingIds.length, 0);
            notice(`${where}: ${String(summary.imported)} imported, ${String(sent.archived)} archived, ${String(summary.kept)} kept${failed === 0 ? '' : `, ${String(failed)} failed`}`);
            return { ...summary, archived: sent.archived, failed };
          }),
        ),
      );
  // Targets finish in any order; the report lists failures by account, Region and stage.
  failures.sort((a, b) => `${a.accountId}/${a.region}/${a.stage}/${a.code}`.localeCompare(`${b.accountId}/${b.region}/${b.stage}/${b.code}`));
  return {
    plan,
    imported: request.dryRun ? 0 : summaries.reduce((sum, target) => sum + target.imported, 0),
    archived: request.dryRun ? 0 : summaries.reduce((sum, target) => sum + target.archived, 0),
    targets: summaries,
    failures,
    calls,
  };
}

async function readTarget(request: ImportRequest, target: HubTarget, send: <T>(call: () => Promise<T>) => Promise<T>): Promise<ReadState> {
  let client: SecurityHubClient;
  try {
    const access = await request.access.client(target.accountId, target.region);
    if (!access.ok) {
      return { target, ok: false, stage: 'access', code: access.code, message: access.message };
    }
    client = access.client;
  } catch (error) {
    return { target, ok: false, stage: 'access', code: errorCode(error) ?? 'error', message: errorText(error) };
  }
  try {
    const previous = await readPreviousFindings(client, target, send);
    return { target, ok: true, client, previous };
  } catch (error) {
    return { target, ok: false, stage: isNotEnabled(error) ? 'not_enabled' : 'read_previous', ...callFailure(error, 'securityhub:GetFindings') };
  }
}
