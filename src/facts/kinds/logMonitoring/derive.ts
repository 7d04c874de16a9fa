/**
 * The derived `$.monitoring` facts: for each account in scope, each monitoring control
 * (CloudWatch.1–14, CIS.4.15) and each pattern set, whether a complete chain exists (CONTROLS.md
 * §2.2, §6.2, §6.10–11; the chain itself is walked by deriveChain.ts). Never trusted from a
 * snapshot: recomputed from trails, log groups, alarms and topics by deriveFacts.
 *
 * `satisfied` is three-valued: true when SOME qualifying trail of the account gives a complete
 * chain; otherwise Unknown when some chain could not be read (the first such link's reason), a
 * Region's trails could not be listed, or the only candidate is an organization trail of an
 * account outside the audit (cross_account: Security Hub gives NO_DATA there, the owner's audit
 * decides); otherwise false, with the sentence of the best candidate's break.
 */
import { unknown, type UnknownDetail } from '../../core.js';
import { accountsInScope, isGap, type FactNeed, type FactSet } from '../../model.js';
import { absentAccounts, absentOrganizationTrails, auditedAccountsOf, coveringOrganizationTrails } from '../../accountView.js';
import type { TrailFacts, TrailGap } from '../trails/model.js';
import { better, chainStart, continueChain, NO_QUALIFYING_TRAIL, type ChainInputs, type ChainOutcome, type ChainStart } from './deriveChain.js';
import { compareFilterToAny, type FilterComparison } from './filterCompare.js';
import type { LogGroupFacts, MetricAlarmFacts, MonitoringFacts, TopicFacts } from './model.js';
import { MONITORING_CONTROLS, PATTERN_SETS, prescribedPatterns, type MonitoringControl, type PatternSet } from './monitoringPatterns.js';

/** The kinds the chain reads; without any of them there is no `monitoring` collection. */
export const MONITORING_INPUTS: readonly FactNeed[] = ['trailStatus', 'eventSelectors', 'logGroups', 'metricFilters', 'metricAlarms', 'alarmTopics'];

type Indexed = Omit<ChainInputs, 'compare'>;

function index(facts: FactSet): Indexed {
  const logGroups = new Map<string, LogGroupFacts>();
  const logGroupGaps = new Map<string, UnknownDetail>();
  for (const item of facts.logGroups ?? []) {
    if (isGap(item)) {
      logGroupGaps.set(item.region, item.$gap);
    } else {
      logGroups.set((item).arn, item);
    }
  }
  const alarms: MetricAlarmFacts[] = [];
  const alarmGaps = new Map<string, UnknownDetail>();
  for (const item of facts.alarms ?? []) {
    if (isGap(item)) {
      // Per account and Region: in an organization set, one account's failed DescribeAlarms says
      // nothing about another's alarms in the same Region.
      alarmGaps.set(`${item.ref.accountId ?? ''}|${item.region}`, item.$gap);
    } else {
      alarms.push(item);
    }
  }
  const alarmsByPlace = new Map<string, MetricAlarmFacts[]>();
  for (const alarm of alarms) {
    const place = `${alarm.accountId}|${alarm.region}`;
    const here = alarmsByPlace.get(place);
    if (here === undefined) {
      alarmsByPlace.set(place, [alarm]);
    } else {
      here.push(alarm);
    }
  }
  const topics = new Map<string, TopicFacts>((facts.topics ?? []).map((topic) => [topic.arn, topic]));
  const logGroupsByTrail = new Map<string, LogGroupFacts>();
  const ambiguousTrails = new Set<string>();
  for (const group of logGroups.values()) {
    for (const trailArn of group.trailArns) {
      const held = logGroupsByTrail.get(trailArn);
      if (held !== undefined && held !== group) {
        // Trails of several scanned files sharing one id: whose log group is whose cannot be told.
        ambiguousTrails.add(trailArn);
      }
      logGroupsByTrail.set(trailArn, group);
    }
  }
  return {
    logGroups: facts.logGroups === undefined ? undefined : logGroups,
    logGroupsByTrail,
    ambiguousTrails,
    logGroupGaps,
    alarms: facts.alarms === undefined ? undefined : alarms,
    alarmsByPlace,
    alarmGaps,
    topics: facts.topics === undefined ? undefined : topics,
  };
}

/** A filter pattern against the control's prescribed patterns, each distinct pattern compared once. */
function comparer(control: MonitoringControl, set: PatternSet): (pattern: string) => FilterComparison {
  const prescribed = prescribedPatterns(control, set);
  const memo = new Map<string, FilterComparison>();
  return (pattern) => {
    let comparison = memo.get(pattern);
    if (comparison === undefined) {
      comparison = compareFilterToAny(pattern, prescribed);
      memo.set(pattern, comparison);
    }
    return comparison;
  };
}

/** A trail of an account outside the audit that could carry the monitoring (org trail seen from a member). */
function couldMonitor(trail: TrailFacts): boolean {
  const logGroup = trail.cloudWatchLogsLogGroupArn;
  return trail.isMultiRegion !== false && trail.isLogging !== false && logGroup !== null && logGroup !== '';
}

function gapDetail(gap: TrailGap): UnknownDetail {
  return gap.$gap;
}

interface AccountTrails {
  /** The account's own trails, each with the part of its chain no control changes. */
  readonly own: readonly ChainStart[];
  readonly foreign: readonly TrailFacts[];
  readonly gaps: readonly TrailGap[];
}

/** Which organization each audited account is known to belong to (organization sets). */
function organizationsOf(facts: FactSet): ReadonlyMap<string, string> {
  return new Map((facts.auditedAccounts ?? []).flatMap((account) => (typeof account.organizationId === 'string' ? [[account.id, account.organizationId] as const] : [])));
}

function trailsOf(
  facts: FactSet,
  account: string,
  scope: { readonly inScope: ReadonlySet<string>; readonly covering: ReadonlySet<TrailFacts>; readonly organizations: ReadonlyMap<string, string> },
  indexed: Indexed,
): AccountTrails {
  const { inScope, covering, organizations } = scope;
  // Known to belong to different organizations: the other's organization trail is not this account's.
  const otherOrganization = (owner: string): boolean => {
    const mine = organizations.get(account);
    const theirs = organizations.get(owner);
    return mine !== undefined && theirs !== undefined && mine !== theirs;
  };
  const own: ChainStart[] = [];
  const foreign: TrailFacts[] = [];
  const gaps: TrailGap[] = [];
  for (const item of facts.trails) {
    if (isGap(item)) {
      const gap = item;
      if ((gap.ref.accountId === null || gap.ref.accountId === account) && gap.isMultiRegion !== false) {
        gaps.push(gap);
      }
    } else if (item.ownerAccountId === account || (facts.source !== 'live' && item.ownerInScope)) {
      // Templates and plans have no owner account: their trails are the scanned account's.
      own.push(chainStart(item, indexed));
    } else if (covering.has(item) && inScope.has(item.ownerAccountId)) {
      // An organization trail of an audited account delivers this account's events to the
      // owner's log group: the owner's filters, alarms and topics (read in this audit) monitor
      // this account too, so its chain is this account's, walked with the owner's facts.
      own.push(chainStart(item, indexed));
    } else if ((!inScope.has(item.ownerAccountId) || (item.isOrganizationTrail === true && !otherOrganization(item.ownerAccountId))) && couldMonitor(item)) {
      // An organization trail of another account logs this account's events too, but its log
      // group, filters and alarms are the owner's: only the owner's verdict can rest on them.
      foreign.push(item);
    }
  }
  return { own, foreign, gaps };
}

function item(account: string, control: MonitoringControl, set: PatternSet, body: Pick<MonitoringFacts, 'satisfied' | 'explanation'> & Partial<MonitoringFacts>): MonitoringFacts {
  return {
    ref: { type: 'AWS::::Account', id: account, accountId: account, region: 'global' },
    control,
    patternSet: set,
    accountId: account,
    prescribedPattern: prescribedPatterns(control, set)[0] ?? '',
    ...body,
  };
}

function verdict(account: string, control: MonitoringControl, set: PatternSet, trails: AccountTrails, inputs: ChainInputs, inScope: ReadonlySet<string>): MonitoringFacts {
  let best: ChainOutcome | undefined;
  for (const start of trails.own) {
    best = better(best, continueChain(start, inputs));
    if (best.kind === 'complete') {
      return item(account, control, set, { satisfied: true, explanation: `${best.explanation} (trail ${best.links.trailArn ?? ''})`, ...best.links });
    }
  }
  if (best?.kind === 'unknown') {
    const { reason, message, ...extra } = best.detail;
    return item(account, control, set, { satisfied: unknown(reason, message, extra), explanation: best.explanation, ...best.links });
  }
  const gap = trails.gaps[0];
  if (gap !== undefined) {
    const detail = gapDetail(gap);
    const { reason, message, ...extra } = detail;
    return item(account, control, set, {
      satisfied: unknown(reason, message, extra),
      explanation: `the trails of ${gap.homeRegion} could not be listed (${reason}), and one of them may be a monitored multi-Region trail`,
      ...(best?.links ?? {}),
    });
  }
  const foreign = trails.foreign[0];
  if (foreign !== undefined) {
    const owner = foreign.ownerAccountId;
    const message = `monitoring is configured in the owner account ${owner} of organization trail ${foreign.name}; ${inScope.has(owner) ? `the finding of ${owner} decides` : `audit ${owner}`}`;
    return item(account, control, set, {
      satisfied: unknown('cross_account', `${message.charAt(0).toUpperCase()}${message.slice(1)}.`, { account: owner }),
      explanation: message,
      trailArn: foreign.arn,
    });
  }
  if (best === undefined) {
    return item(account, control, set, { satisfied: false, explanation: `${NO_QUALIFYING_TRAIL}: the account has no trail` });
  }
  return item(account, control, set, { satisfied: false, explanation: best.explanation, ...best.links });
}

/**
 * One item per account in scope × monitoring control × pattern set, or undefined (the collection
 * is absent) when the facts lack a kind the chain reads.
 */
export function deriveMonitoring(facts: FactSet): MonitoringFacts[] | undefined {
  if (!MONITORING_INPUTS.every((need) => facts.collected.includes(need))) {
    return undefined;
  }
  const indexed = index(facts);
  const accounts = accountsInScope(facts);
  const inScope = new Set(accounts);
  const covering = coveringOrganizationTrails(facts);
  const organizations = organizationsOf(facts);
  const absent = absentAccounts(facts);
  const accountFacts = new Map(auditedAccountsOf(facts).map((account) => [account.id, account]));
  const byAccount = new Map(
    accounts.map((account) => {
      const found = trailsOf(facts, account, { inScope, covering: new Set(covering.get(account) ?? []), organizations }, indexed);
      // An organization trail of an account of the scope absent from these facts (another
      // shard's) may monitor this member: unknown, not "no trail".
      const held = accountFacts.get(account);
      const absentGap = held === undefined ? undefined : absentOrganizationTrails(facts, held, absent);
      return [account, absentGap === undefined ? found : { ...found, gaps: [...found.gaps, absentGap] }] as const;
    }),
  );
  // An account that could not be entered has no trails listed, which is no evidence of none.
  const unreachable = new Map((facts.auditedAccounts ?? []).flatMap((account) => (account.unreachable === undefined ? [] : [[account.id, account.unreachable] as const])));
  const result: MonitoringFacts[] = [];
  for (const control of MONITORING_CONTROLS) {
    for (const set of PATTERN_SETS) {
      const inputs: ChainInputs = { ...indexed, compare: comparer(control, set) };
      for (const account of accounts) {
        const failure = unreachable.get(account);
        if (failure !== undefined) {
          const { reason, message, ...extra } = failure;
          result.push(item(account, control, set, { satisfied: unknown(reason, message, extra), explanation: `the account could not be entered: ${message}` }));
          continue;
        }
        result.push(verdict(account, control, set, byAccount.get(account) ?? { own: [], foreign: [], gaps: [] }, inputs, inScope));
      }
    }
  }
  return result;
}
