/**
 * Why trailaudit and Security Hub are known to differ on a row (issue 14), derived from our
 * finding's evidence and Security Hub's finding only — never guessed from the control alone. The
 * known cases come from CONTROLS.md (§1.1 organization trails and selectors, §2.2 the monitoring
 * controls' home Region and pattern sets) and PEERS.md (§1.11, Security Hub as users see it):
 *
 * - `organization_trail`: we pass the member through an organization trail owned by another
 *   account; Security Hub's rule in a member is reported to not count it, and the monitoring
 *   controls report only for the trail's owner;
 * - `shadow_trail`: a Region (or a member) is covered only by a multi-Region trail homed elsewhere,
 *   i.e. the trail's shadow copy; or Security Hub evaluates another account's trail in a member;
 * - `advanced_event_selector` / `default_event_selector`: a trail that passes CloudTrail.1 logs
 *   management events through advanced selectors (this wins when several trails pass), or, with
 *   none of those, through the AWS default selector (no custom selectors), which Security Hub's
 *   Config rule is reported to misread (aws-config-rules#401); the explanation names each passing
 *   trail with its own kind of selector;
 * - `monitoring_home_region`: Security Hub evaluates CloudWatch.x only in the multi-Region trail's
 *   home Region (NO_DATA elsewhere), while our verdict is the account's;
 * - `pattern_set`: the report compared metric filters with a CIS version's patterns
 *   (`--framework`), Security Hub with its own;
 * - `cross_account_bucket`: the trail's log bucket is in another account (or could not be
 *   placed in one);
 * - `trail_stopped_logging`: we see a trail that is not logging now, and Security Hub's PASSED
 *   predates this audit;
 * - `stale`: any other disagreement where Security Hub's verdict predates the audit: the resource
 *   may have changed since Security Hub last evaluated it.
 */
import type { Finding } from '../engine/types.js';
import type { CompareRow, HubControlFinding, KnownReason } from './compareTypes.js';

type Evidence = Readonly<Record<string, unknown>>;
type Row = Pick<CompareRow, 'control' | 'accountId' | 'region' | 'trailaudit' | 'securityHub' | 'comparison'>;

/** The account and Region an ARN names (`arn:aws:cloudtrail:us-east-1:123456789012:trail/x`). */
function arnParts(arn: unknown): { region: string; accountId: string } | null {
  if (typeof arn !== 'string') {
    return null;
  }
  const match = /^arn:[^:]+:[^:]+:([^:]*):(\d{12}):/u.exec(arn);
  return match === null ? null : { region: match[1] ?? '', accountId: match[2] ?? '' };
}

function trailsOf(evidence: Evidence): Evidence[] {
  const trails = evidence.trails;
  return Array.isArray(trails) ? trails.filter((trail): trail is Evidence => typeof trail === 'object' && trail !== null) : [];
}

const ownedElsewhere = (arn: unknown, accountId: string): boolean => {
  const parts = arnParts(arn);
  return parts !== null && parts.accountId !== accountId;
};

function names(trails: readonly Evidence[]): string {
  return trails.map((trail) => String(trail.arn)).join(', ');
}

/** The field of a trail that makes it count for an account-level trail control. */
const QUALIFYING_FIELD: Readonly<Record<string, string>> = {
  'CloudTrail.1': 'managementEvents.allInOneSelector',
  'S3.22': 's3DataEvents.write',
  'S3.23': 's3DataEvents.read',
};

/** The qualifying trails of CloudTrail.1 by the kind of selector that makes them log all management events. */
interface SelectorKinds {
  readonly advanced: readonly Evidence[];
  readonly byDefault: readonly Evidence[];
  readonly basic: readonly Evidence[];
}

function selectorKinds(trails: readonly Evidence[]): SelectorKinds {
  const explanation = (trail: Evidence): string => (typeof trail['managementEvents.explanation'] === 'string' ? trail['managementEvents.explanation'] : '');
  const advanced = trails.filter((trail) => explanation(trail).startsWith('Advanced selector'));
  const byDefault = trails.filter((trail) => explanation(trail).includes('AWS default event selector'));
  return { advanced, byDefault, basic: trails.filter((trail) => !advanced.includes(trail) && !byDefault.includes(trail)) };
}

/** "Trail A passes through advanced event selectors, trail B through the AWS default selector": each trail with its own kind. */
function describeSelectors(kinds: SelectorKinds): string {
  const part = (trails: readonly Evidence[], how: string): string[] =>
    trails.length === 0 ? [] : [`${trails.length === 1 ? 'trail' : 'trails'} ${names(trails)} ${trails.length === 1 ? 'passes' : 'pass'} ${how}`];
  const parts = [
    ...part(kinds.advanced, 'through advanced event selectors'),
    ...part(kinds.byDefault, 'through the AWS default event selector (no custom selectors)'),
    ...part(kinds.basic, 'through basic event selectors'),
  ].join(', ');
  return `${parts.charAt(0).toUpperCase()}${parts.slice(1)}`;
}

function hubPredates(hub: HubControlFinding | null, startedAt: string): boolean {
  const updatedAt = hub?.updatedAt ?? null;
  return updatedAt !== null && Date.parse(updatedAt) < Date.parse(startedAt);
}

function accountTrailReason(row: Row, finding: Finding, hub: HubControlFinding | null, field: string, startedAt: string): KnownReason | null {
  const trails = trailsOf(finding.evidence);
  if (row.trailaudit === 'PASS' && row.securityHub !== 'PASSED') {
    const qualifying = trails.filter((trail) => trail.isMultiRegion === true && trail.isLogging === true && trail[field] === true);
    if (qualifying.length > 0 && qualifying.every((trail) => ownedElsewhere(trail.arn, row.accountId))) {
      return {
        code: 'organization_trail',
        explanation: `Account ${row.accountId} passes through the organization trail ${names(qualifying)} of another account; Security Hub's rule in a member account is reported not to count an organization trail.`,
      };
    }
    if (row.control === 'CloudTrail.1') {
      const selectors = selectorKinds(qualifying);
      if (selectors.advanced.length > 0) {
        return {
          code: 'advanced_event_selector',
          explanation: `${describeSelectors(selectors)}; Security Hub's Config rule (multi-region-cloudtrail-enabled) is reported to fail trails whose management events are logged through advanced event selectors (aws-config-rules#401).`,
        };
      }
      if (selectors.byDefault.length > 0) {
        return {
          code: 'default_event_selector',
          explanation: `${describeSelectors(selectors)}; that selector logs all read and write management events, which Security Hub's Config rule is reported to misread.`,
        };
      }
    }
  }
  if (row.trailaudit === 'FAIL' && row.securityHub === 'PASSED' && hubPredates(hub, startedAt)) {
    const stopped = trails.filter((trail) => trail.isMultiRegion === true && trail.isLogging === false);
    if (stopped.length > 0) {
      return stoppedLogging(stopped, hub, startedAt);
    }
  }
  return null;
}

function stoppedLogging(stopped: readonly Evidence[], hub: HubControlFinding | null, startedAt: string): KnownReason {
  return {
    code: 'trail_stopped_logging',
    explanation: `Trail ${names(stopped)} is not logging now; Security Hub's PASSED dates from ${hub?.updatedAt ?? '?'}, before this audit started (${startedAt}).`,
  };
}

function regionTrailReason(row: Row, finding: Finding, hub: HubControlFinding | null, startedAt: string): KnownReason | null {
  const trails = trailsOf(finding.evidence);
  if (row.trailaudit === 'PASS' && row.securityHub !== 'PASSED') {
    const covering = trails.filter((trail) => trail.isLogging === true);
    if (covering.length > 0 && covering.every((trail) => ownedElsewhere(trail.arn, row.accountId))) {
      return {
        code: 'organization_trail',
        explanation: `${row.region} of account ${row.accountId} is covered by the organization trail ${names(covering)} of another account; Security Hub's rule in a member account is reported not to count it.`,
      };
    }
    if (covering.length > 0 && covering.every((trail) => trail.homeRegion !== row.region)) {
      return {
        code: 'shadow_trail',
        explanation: `${row.region} is covered only by the multi-Region trail ${names(covering)} homed in ${covering.map((trail) => String(trail.homeRegion)).join(', ')}: a shadow copy in ${row.region}.`,
      };
    }
  }
  if (row.trailaudit === 'FAIL' && row.securityHub === 'PASSED' && hubPredates(hub, startedAt)) {
    const stopped = trails.filter((trail) => trail.isLogging === false);
    if (stopped.length > 0) {
      return stoppedLogging(stopped, hub, startedAt);
    }
  }
  return null;
}

function monitoringReason(row: Row, finding: Finding): KnownReason | null {
  const { patternSet, trailArn } = finding.evidence;
  if (typeof patternSet === 'string' && patternSet !== 'securityhub') {
    return {
      code: 'pattern_set',
      explanation: `This report compared metric filters with the ${patternSet} patterns (--framework); Security Hub compares them with its own pattern for ${row.control}.`,
    };
  }
  const trail = arnParts(trailArn);
  if (trail !== null && trail.accountId !== row.accountId) {
    return {
      code: 'organization_trail',
      explanation: `The monitoring chain starts at the organization trail ${String(trailArn)} of account ${trail.accountId}; Security Hub reports ${row.control} only for the trail's owner (no data in members).`,
    };
  }
  if (trail !== null && trail.region !== row.region && row.region !== 'global' && row.securityHub !== 'PASSED') {
    return {
      code: 'monitoring_home_region',
      explanation: `Security Hub evaluates ${row.control} only in the home Region of the multi-Region trail ${String(trailArn)} (${trail.region}), not in ${row.region}; trailaudit's verdict is the account's.`,
    };
  }
  return null;
}

function bucketReason(row: Row, finding: Finding): KnownReason | null {
  const trailArns = Array.isArray(finding.evidence.trailArns) ? finding.evidence.trailArns : [];
  const trailAccounts = [...new Set(trailArns.map((arn) => arnParts(arn)?.accountId).filter((id): id is string => id !== undefined))].sort();
  const owner = finding.resource.accountId;
  if (finding.reason === 'cross_account' || owner === null || trailAccounts.some((id) => id !== owner)) {
    const writers = trailAccounts.length === 0 ? `account ${row.accountId}` : `${trailAccounts.length === 1 ? 'account' : 'accounts'} ${trailAccounts.join(', ')}`;
    const bucket = finding.resource.id;
    const where =
      owner === null
        ? `The log bucket ${bucket} could not be placed in an audited account`
        : owner === row.accountId && finding.reason === 'cross_account'
          ? `The log bucket ${bucket} could not be read in account ${owner}`
          : `The log bucket ${bucket} is owned by account ${owner}`;
    return {
      code: 'cross_account_bucket',
      explanation: `${where}, while the trails writing to it are in ${writers}; Security Hub evaluates a bucket only in the account that owns it.`,
    };
  }
  return null;
}

function trailOfAnotherAccount(row: Row, finding: Finding): KnownReason | null {
  if (finding.status === 'NOT_APPLICABLE' && ownedElsewhere(finding.resource.id, row.accountId)) {
    return {
      code: 'organization_trail',
      explanation: `${finding.resource.id} belongs to another account (an organization trail seen from ${row.accountId}); trailaudit judges it once, in its owner's account.`,
    };
  }
  return null;
}

function staleReason(row: Row, hub: HubControlFinding | null, startedAt: string): KnownReason | null {
  if (row.comparison !== 'disagree' || !hubPredates(hub, startedAt)) {
    return null;
  }
  return {
    code: 'stale',
    explanation: `Security Hub's verdict dates from ${hub?.updatedAt ?? '?'}, before this audit started (${startedAt}): the resource may have changed since Security Hub last evaluated it.`,
  };
}

/** The known reason of a row that is not an agreement, or null when none applies. */
export function knownReason(row: Row, finding: Finding | null, hub: HubControlFinding | null, startedAt: string): KnownReason | null {
  // Reasons explain two verdicts that differ, or a finding only Security Hub has; a row only we
  // have, an agreement or an unread Security Hub has nothing on the other side to explain.
  if (row.comparison === 'agree' || row.comparison === 'unreadable' || row.comparison === 'only_trailaudit') {
    return null;
  }
  if (finding === null) {
    // Only Security Hub has it: a trail of another account evaluated in this member is the shadow
    // copy of an organization trail, which trailaudit judges in its owner.
    if (hub !== null && ownedElsewhere(hub.resourceId, hub.accountId)) {
      return {
        code: 'shadow_trail',
        explanation: `Security Hub evaluates ${hub.resourceId}, a trail of another account (an organization trail's shadow copy), in member ${hub.accountId}; trailaudit judges it once, in its owner's account.`,
      };
    }
    return null;
  }
  const specific =
    trailOfAnotherAccount(row, finding) ??
    (QUALIFYING_FIELD[row.control] !== undefined
      ? accountTrailReason(row, finding, hub, QUALIFYING_FIELD[row.control] ?? '', startedAt)
      : row.control === 'CloudTrail.3'
        ? regionTrailReason(row, finding, hub, startedAt)
        : row.control.startsWith('CloudWatch.')
          ? monitoringReason(row, finding)
          : finding.resource.type === 'AWS::S3::Bucket'
            ? bucketReason(row, finding)
            : null);
  return specific ?? staleReason(row, hub, startedAt);
}
