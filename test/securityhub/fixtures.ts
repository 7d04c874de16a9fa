/**
 * Findings and report contexts for the Security Hub import tests (importRun.*.test.ts): one
 * account's audit in a few Regions, built with the report fixtures' checks.
 */
import type { Finding, Status } from '../../src/engine/types.js';
import type { ReportContext } from '../../src/report/types.js';
import { CHECKS, makeContext, makeFinding } from '../report/fixtures.js';

export function trailArn(name: string, region: string, account: string): string {
  return `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
}

export function trailFinding(name: string, status: Status, region: string, account: string): Finding {
  return makeFinding({ checkId: 'CloudTrail.4', status, resource: { type: 'AWS::CloudTrail::Trail', id: trailArn(name, region, account), name, accountId: account, region } });
}

export function bucketFinding(name: string, status: Status, region: string, account: string | null): Finding {
  return makeFinding({ checkId: 'CloudTrail.6', status, resource: { type: 'AWS::S3::Bucket', id: `arn:aws:s3:::${name}`, accountId: account, region } });
}

export function accountFinding(status: Status, account: string): Finding {
  return makeFinding({ checkId: 'CloudTrail.1', status, resource: { type: 'AWS::::Account', id: account, accountId: account, region: 'global' } });
}

export function regionFinding(status: Status, region: string, account: string): Finding {
  return makeFinding({ checkId: 'CloudTrail.3', status, resource: { type: 'AWS::::Account', id: account, accountId: account, region } });
}

/** A live audit of `accounts` in `regions` with every fixture check enabled. */
export function liveContext(accounts: readonly string[], regions: readonly string[], checks = CHECKS): ReportContext {
  return makeContext({ scope: { source: 'live', accounts, regions, inputs: [] }, checks });
}

/** A full run of one account: account-level, per-Region, trail and bucket findings of every status but NOT_APPLICABLE. */
export function fullRun(account: string, regions: readonly string[], trailsPerRegion = 2): Finding[] {
  const findings: Finding[] = [accountFinding('FAIL', account)];
  for (const region of regions) {
    findings.push(regionFinding('PASS', region, account));
    for (let index = 0; index < trailsPerRegion; index += 1) {
      findings.push(trailFinding(`trail-${String(index)}`, index % 2 === 0 ? 'FAIL' : 'PASS', region, account));
    }
    findings.push(bucketFinding(`logs-${region}`, 'UNKNOWN', region, account));
  }
  return findings;
}
