/**
 * The normalised facts model shared by every source (live AWS, CloudFormation, Terraform), put
 * together: the shared parts (core.ts), each fact kind's own types (src/facts/kinds/<subject>/
 * model.ts, re-exported here so that the rest of the code has one place to import the model from)
 * and the whole fact set.
 *
 * Facts are plain JSON so that a collection can be saved as a snapshot and re-evaluated offline.
 */

export * from './core.js';
export type * from './organization.js';
export type * from './kinds/trails/model.js';
export type * from './kinds/buckets/model.js';
export type * from './kinds/eventDataStores/model.js';
export type * from './kinds/logMonitoring/model.js';
export type * from './kinds/kmsKeys/model.js';
export type * from './kinds/securityHub/model.js';

import type { AccountFacts, FactNeed, FactSource, RegionFacts } from './core.js';
import type { OrganizationFacts } from './organization.js';
import type { BucketFacts, BucketGap } from './kinds/buckets/model.js';
import type { EventDataStoreFacts, EventDataStoreGap } from './kinds/eventDataStores/model.js';
import type { KmsKeyFacts, KmsKeyGap } from './kinds/kmsKeys/model.js';
import type { AlarmGap, LogGroupFacts, LogGroupGap, MetricAlarmFacts, MonitoringFacts, TopicFacts } from './kinds/logMonitoring/model.js';
import type { SecurityHubFacts } from './kinds/securityHub/model.js';
import type { TrailFacts, TrailGap } from './kinds/trails/model.js';

/* ------------------------------------------------------------------ the whole set */

/** A top-level list of the fact set whose items carry the facts of one or more kinds. */
export type FactCollection = 'trails' | 'buckets' | 'eventDataStores' | 'logGroups' | 'alarms' | 'topics' | 'kmsKeys' | 'securityHubs';

export interface FactSet {
  readonly schemaVersion: 1;
  readonly source: FactSource;
  readonly collectedAt: string;
  /** Fact kinds this set holds; a check needing anything else is UNKNOWN(unsupported). */
  readonly collected: readonly FactNeed[];
  /**
   * The accounts the audit covers (live): a resource one of them owns is audited here. Absent in
   * IaC scans and in snapshots saved before it existed: then just `account.id` ({@link accountsInScope}).
   */
  readonly accounts?: readonly string[];
  /**
   * The account the set is about. In an organization set (`auditedAccounts` present) it is the
   * first audited account (the caller's when audited), kept so that every older reader of a
   * single-account set still finds one.
   */
  readonly account: AccountFacts;
  /**
   * Organization (multi-account) sets only: the facts of every audited account, `account`
   * included, sorted by id; `accounts` lists the same ids. Account- and Region-level checks are
   * evaluated once per account on its view (facts/accountView.ts). Absent = `account` alone.
   */
  readonly auditedAccounts?: readonly AccountFacts[];
  /** Organization audits only: the organization, the accounts skipped, the shard. */
  readonly organization?: OrganizationFacts;
  readonly regions: readonly RegionFacts[];
  readonly trails: readonly (TrailFacts | TrailGap)[];
  readonly buckets: readonly (BucketFacts | BucketGap)[];
  readonly eventDataStores: readonly (EventDataStoreFacts | EventDataStoreGap)[];
  /*
   * The collections added with the monitoring and trail-health kinds are optional, so that
   * snapshots saved before them load unchanged: absent means the kinds were not collected (a source
   * that reads one of them always writes its collection, empty or not).
   */
  readonly logGroups?: readonly (LogGroupFacts | LogGroupGap)[];
  readonly alarms?: readonly (MetricAlarmFacts | AlarmGap)[];
  readonly topics?: readonly TopicFacts[];
  readonly kmsKeys?: readonly (KmsKeyFacts | KmsKeyGap)[];
  readonly securityHubs?: readonly SecurityHubFacts[];
  /** Derived (kinds/logMonitoring/derive.ts), never trusted from a snapshot: one item per account × monitoring control × pattern set. */
  readonly monitoring?: readonly MonitoringFacts[];
  readonly stats: {
    /** API calls by IAM-style operation name, e.g. `cloudtrail:DescribeTrails`. */
    readonly apiCalls: Readonly<Record<string, number>>;
    readonly durationMs: number;
  };
}

/** The accounts in scope of a fact set: its `accounts`, or its one account. */
export function accountsInScope(facts: Pick<FactSet, 'accounts' | 'account'>): readonly string[] {
  return facts.accounts ?? [facts.account.id];
}

export function isGap(item: unknown): item is TrailGap | BucketGap | EventDataStoreGap | LogGroupGap | AlarmGap | KmsKeyGap {
  return typeof item === 'object' && item !== null && '$gap' in item;
}
