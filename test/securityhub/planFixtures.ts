/**
 * Fixtures of the Security Hub planner's tests. "Security Hub" here is a Map upserting by
 * (ProductArn, Id), as BatchImportFindings does (and moto does): each run's plan is applied to it,
 * and the next run plans against what it holds, so the round trip is the planner's own output.
 */
import { strict as assert } from 'node:assert';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Finding, Status } from '../../src/engine/types.js';
import type { ReportContext } from '../../src/report/types.js';
import { planSecurityHubImport, type ArchivePlan } from '../../src/securityhub/archivePlan.js';
import { findingKey } from '../../src/securityhub/findingIdentity.js';
import { ACCOUNT, CHECKS, makeContext, makeFinding } from '../report/fixtures.js';

export const T1 = '2026-01-01T00:00:00.000Z';
export const T2 = '2026-01-02T00:00:00.000Z';
export const T3 = '2026-01-03T00:00:00.000Z';
export const HUB_REGION = 'eu-central-1';
export const REGIONS = ['eu-west-1', 'us-east-1'];

export function trailArn(name: string, region = 'us-east-1', account = ACCOUNT): string {
  return `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
}

export function trail(name: string, status: Status, region = 'us-east-1', account = ACCOUNT): Finding {
  return makeFinding({ checkId: 'CloudTrail.4', status, resource: { type: 'AWS::CloudTrail::Trail', id: trailArn(name, region, account), accountId: account, region } });
}

/** A log bucket's finding; `writers`: the accounts of the trails writing to it (its evidence's trailArns). */
export function bucket(name: string, status: Status, region: string, account: string | null = ACCOUNT, writers: readonly string[] = [account ?? ACCOUNT]): Finding {
  const finding = makeFinding({ checkId: 'CloudTrail.6', status, resource: { type: 'AWS::S3::Bucket', id: `arn:aws:s3:::${name}`, accountId: account, region } });
  return { ...finding, evidence: { trailArns: writers.map((writer) => trailArn('main', 'us-east-1', writer)) } };
}

export function accountLevel(status: Status, account = ACCOUNT): Finding {
  return makeFinding({ checkId: 'CloudTrail.1', status, resource: { type: 'AWS::::Account', id: account, accountId: account, region: 'global' } });
}

export function regionLevel(status: Status, region: string, account = ACCOUNT): Finding {
  return makeFinding({ checkId: 'CloudTrail.3', status, resource: { type: 'AWS::::Account', id: account, accountId: account, region } });
}

/** A full run over ACCOUNT in REGIONS: every check of the fixtures, every status but NOT_APPLICABLE. */
export const FULL_RUN: readonly Finding[] = [
  accountLevel('FAIL'),
  regionLevel('PASS', 'eu-west-1'),
  regionLevel('FAIL', 'us-east-1'),
  trail('main', 'FAIL'),
  trail('audit', 'PASS'),
  trail('eu', 'FAIL', 'eu-west-1'),
  bucket('logs', 'PASS', 'us-east-1'),
  bucket('eu-logs', 'FAIL', 'eu-west-1'),
];

/** A live run of ACCOUNT in REGIONS, every enabled Region of it (allRegions: no --regions) unless overridden. */
export function context(overrides: Partial<ReportContext['scope']> = {}, checks = CHECKS): ReportContext {
  return makeContext({ scope: { source: 'live', accounts: [ACCOUNT], regions: REGIONS, allRegions: true, inputs: [], ...overrides }, checks });
}

export class FakeHub {
  readonly held = new Map<string, AwsSecurityFinding>();

  constructor(initial: readonly AwsSecurityFinding[] = []) {
    this.apply(initial);
  }

  apply(findings: readonly AwsSecurityFinding[]): void {
    for (const finding of findings) {
      this.held.set(findingKey(finding), finding);
    }
  }

  run(findings: readonly Finding[], now: string, ctx = context()): ArchivePlan {
    const plan = planSecurityHubImport({ previous: [...this.held.values()], findings, context: ctx, accountLevelRegion: HUB_REGION, now });
    this.apply([...plan.imports, ...plan.archives]);
    return plan;
  }

  byResource(resourceId: string): AwsSecurityFinding[] {
    return [...this.held.values()].filter((f) => f.Resources?.[0]?.Id === resourceId);
  }
}

export function ids(findings: readonly AwsSecurityFinding[]): string[] {
  return findings.map((f) => f.Id ?? '').sort();
}

export function archivedIds(plan: ArchivePlan): string[] {
  return ids(plan.archives);
}

export function idOf(hub: FakeHub, resourceId: string): string {
  const [found] = hub.byResource(resourceId);
  assert.ok(found?.Id !== undefined, `nothing held for ${resourceId}`);
  return found.Id;
}

