/**
 * Reading Security Hub's own control findings for `security-hub compare` (issue 14): for one
 * account in one Region, the ACTIVE findings of product `aws/securityhub` whose
 * Compliance.SecurityControlId is one of the compared controls.
 *
 * Every filter is sent to the API AND applied again here: moto ignores them all (MOTO_NOTES,
 * "More services"), and an aggregation Region returns other Regions' and accounts' findings
 * unless told otherwise (Prowler #1100, PR #873), so nothing is trusted to have been filtered.
 * The product is matched by ProductArn, not ProductName: AWS renamed the product "Security Hub
 * CSPM" and string filters are exact (CONTROLS.md §6, note 21).
 */
import { GetFindingsCommand, type AwsSecurityFinding, type AwsSecurityFindingFilters, type SecurityHubClient, type StringFilter } from '@aws-sdk/client-securityhub';
import pLimit from 'p-limit';
import { HUB_STATUSES, type HubControlFinding, type HubStatus, type HubTarget, type UnreadableTarget } from './compareTypes.js';
import { TargetPacer } from './pacing.js';
import type { HubAccess } from './types.js';

/** GetFindings takes at most 20 values per filter field (API reference, Filters). */
export const MAX_FILTER_VALUES = 20;
/** GetFindings' page size limit. */
export const PAGE_SIZE = 100;
/**
 * Targets read at once. Each target's pages are read one after another and paced under Security
 * Hub's 10 calls/s per account and Region (the import's TargetPacer); the bound keeps an
 * organization's hundreds of targets from opening as many connections.
 */
const TARGET_CONCURRENCY = 8;

/** Security Hub's own product in a Region: its control findings carry this ProductArn. */
export function securityHubProductArn(partition: string, region: string): string {
  return `arn:${partition}:securityhub:${region}::product/aws/securityhub`;
}

const equals = (value: string): StringFilter => ({ Value: value, Comparison: 'EQUALS' });

/** The filters of one GetFindings query; `controls` must hold at most {@link MAX_FILTER_VALUES} ids. */
export function controlFindingFilters(target: HubTarget, controls: readonly string[], partition: string): AwsSecurityFindingFilters {
  return {
    ProductArn: [equals(securityHubProductArn(partition, target.region))],
    ComplianceSecurityControlId: controls.map(equals),
    RecordState: [equals('ACTIVE')],
    AwsAccountId: [equals(target.accountId)],
    Region: [equals(target.region)],
  };
}

/** `controls` in groups a single query can carry. */
export function controlChunks(controls: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let start = 0; start < controls.length; start += MAX_FILTER_VALUES) {
    chunks.push(controls.slice(start, start + MAX_FILTER_VALUES));
  }
  return chunks;
}

function isHubStatus(value: string | undefined): value is HubStatus {
  return (HUB_STATUSES as readonly (string | undefined)[]).includes(value);
}

/**
 * The control id of a control finding: Compliance.SecurityControlId (consolidated control
 * findings, the default since 2023), else the `security-control/<id>` GeneratorId of the same
 * format. Standard-scoped legacy findings (`aws-foundational-security-best-practices/v/1.0.0/…`,
 * CIS 1.2's RuleId) carry neither and are not compared.
 */
function securityControlId(finding: AwsSecurityFinding): string | undefined {
  const fromCompliance = finding.Compliance?.SecurityControlId;
  if (fromCompliance !== undefined && fromCompliance !== '') {
    return fromCompliance;
  }
  const generator = /^security-control\/(.+)$/u.exec(finding.GeneratorId ?? '');
  return generator?.[1];
}

/**
 * The finding as the compare uses it when it passes every filter of {@link controlFindingFilters}
 * (applied here again), else null.
 */
export function acceptControlFinding(finding: AwsSecurityFinding, target: HubTarget, controls: ReadonlySet<string>, partition: string): HubControlFinding | null {
  const control = securityControlId(finding);
  const status = finding.Compliance?.Status;
  const resource = finding.Resources?.[0];
  if (
    finding.ProductArn !== securityHubProductArn(partition, target.region) ||
    finding.RecordState !== 'ACTIVE' ||
    finding.AwsAccountId !== target.accountId ||
    // A finding without a Region field is the Region it was read from (AWS always sets it).
    (finding.Region ?? target.region) !== target.region ||
    control === undefined ||
    !controls.has(control) ||
    !isHubStatus(status)
  ) {
    return null;
  }
  return {
    control,
    accountId: target.accountId,
    region: target.region,
    // '' when the finding names no resource: kept, so the compare can count it (it is never a row).
    resourceId: resource?.Id ?? '',
    resourceType: resource?.Type ?? '',
    status,
    updatedAt: finding.UpdatedAt ?? null,
    id: finding.Id ?? '',
  };
}

export interface ControlFindingsRead {
  readonly findings: readonly HubControlFinding[];
  readonly unreadable: readonly UnreadableTarget[];
  /** GetFindings calls made. */
  readonly calls: number;
}

/** AWS's error code of a failed call: InvalidAccessException (hub not enabled) reads as `not_enabled`. */
function errorCode(error: unknown): { code: string; message: string } {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'InvalidAccessException') {
    return { code: 'not_enabled', message: `Security Hub is not enabled here, or the caller is not subscribed to it (${message})` };
  }
  return { code: name, message };
}

async function readPages(send: (command: GetFindingsCommand) => Promise<{ Findings?: AwsSecurityFinding[]; NextToken?: string }>, filters: AwsSecurityFindingFilters): Promise<AwsSecurityFinding[]> {
  const found: AwsSecurityFinding[] = [];
  let nextToken: string | undefined;
  do {
    const page = await send(new GetFindingsCommand({ Filters: filters, MaxResults: PAGE_SIZE, ...(nextToken === undefined ? {} : { NextToken: nextToken }) }));
    found.push(...(page.Findings ?? []));
    // An empty token ends the listing as surely as a missing one (never loop on '').
    nextToken = page.NextToken === '' ? undefined : page.NextToken;
  } while (nextToken !== undefined);
  return found;
}

async function readTarget(access: HubAccess, target: HubTarget, controls: readonly string[], pacer: TargetPacer, onCall: () => void): Promise<HubControlFinding[] | UnreadableTarget> {
  const hub = await access.client(target.accountId, target.region);
  if (!hub.ok) {
    return { ...target, code: hub.code, message: hub.message };
  }
  const client: SecurityHubClient = hub.client;
  const send = async (command: GetFindingsCommand): Promise<{ Findings?: AwsSecurityFinding[]; NextToken?: string }> =>
    pacer.run(target.accountId, target.region, async () => {
      onCall();
      return client.send(command);
    });
  const wanted = new Set(controls);
  const accepted: HubControlFinding[] = [];
  const seen = new Set<string>();
  try {
    for (const chunk of controlChunks(controls)) {
      for (const finding of await readPages(send, controlFindingFilters(target, chunk, access.partition))) {
        const control = acceptControlFinding(finding, target, wanted, access.partition);
        // moto ignores the control filter, so every chunk's query returns every finding: keep one.
        if (control !== null && !seen.has(control.id)) {
          seen.add(control.id);
          accepted.push(control);
        }
      }
    }
  } catch (error) {
    return { ...target, ...errorCode(error) };
  }
  return accepted;
}

/**
 * Security Hub's control findings of `controls` in every target; a target that cannot be read
 * (no client, access denied, hub not enabled, throttled after the SDK's retries) is listed in
 * `unreadable` with the reason, and its partial findings are dropped: half a listing would make
 * missing findings look like "Security Hub has none".
 */
export async function readControlFindings(access: HubAccess, targets: readonly HubTarget[], controls: readonly string[]): Promise<ControlFindingsRead> {
  let calls = 0;
  const onCall = (): void => {
    calls += 1;
  };
  const limit = pLimit(TARGET_CONCURRENCY);
  const pacer = new TargetPacer();
  const results = await Promise.all(targets.map(async (target) => limit(async () => readTarget(access, target, controls, pacer, onCall))));
  const findings: HubControlFinding[] = [];
  const unreadable: UnreadableTarget[] = [];
  for (const result of results) {
    if (Array.isArray(result)) {
      findings.push(...result);
    } else {
      unreadable.push(result);
    }
  }
  return { findings, unreadable, calls };
}
