/**
 * The live collection plan: each fact kind's live reader is a stage that starts at once and
 * reads as soon as what it depends on is available, item by item, through the one ApiScheduler
 * (priorities, per-(service, Region) caps, adaptive retry and call counting stay there).
 *
 * Stages hand items to each other through {@link ItemStream}s: a trail's status is asked for the
 * moment the Region listing that first shows the trail arrives, not once every Region is listed.
 * When every stage is done, their contributions (a collection's items, fields added to another
 * stage's items, account facts) are assembled into one account's facts.
 */
import type { AccountFacts, FactCollection, FactNeed } from '../../facts/model.js';
import type { Identity } from './account.js';
import type { ClientFactory } from './clients.js';
import type { ApiScheduler, Outcome } from './scheduler.js';

/**
 * Items as they are found, for the stages that start from them. A listener added late is given the
 * items found so far first, so no item is missed whatever the order stages start in.
 */
export class ItemStream<T> {
  private readonly items: T[] = [];
  private readonly listeners: ((item: T) => void)[] = [];
  private closed = false;
  private readonly whenClosed: Promise<readonly T[]>;
  private resolveClosed: (items: readonly T[]) => void = () => undefined;

  constructor() {
    this.whenClosed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  push(item: T): void {
    if (this.closed) {
      throw new Error('internal: item pushed to a closed stream');
    }
    this.items.push(item);
    for (const listener of this.listeners) {
      listener(item);
    }
  }

  /** No more items: `done` resolves with all of them. */
  close(): void {
    if (!this.closed) {
      this.closed = true;
      this.resolveClosed(this.items);
    }
  }

  /** Calls `listener` for every item, those already found first. */
  each(listener: (item: T) => void): void {
    this.items.forEach(listener);
    this.listeners.push(listener);
  }

  get done(): Promise<readonly T[]> {
    return this.whenClosed;
  }
}

/** A stage's output, named with its type so that dependants read it typed. */
export interface StageKey<T> {
  readonly name: string;
  /** Phantom: never set, only carries the output type. */
  readonly output?: T;
}

export function stageKey<T>(name: string): StageKey<T> {
  return { name };
}

/** The account whose facts a plan reads, and the set of accounts the audit covers. */
export interface AccountScope {
  readonly accountId: string;
  readonly partition: string;
  /** Accounts in scope: a resource owned by one of them is audited there (ownerInScope). */
  readonly inScope: ReadonlySet<string>;
}

/** What every stage of one account's plan shares. */
export interface PlanContext {
  /** This account's clients (each account of an audit has its own credentials). */
  readonly clients: ClientFactory;
  /** Shared by every account of the audit: one set of limits and one call count. */
  readonly scheduler: ApiScheduler;
  readonly defaultRegion: string;
  /** The needs of the enabled checks, with their dependencies. */
  readonly needs: ReadonlySet<FactNeed>;
  readonly identity: Promise<Outcome<Identity>>;
  /** Known after the first round trip (DescribeRegions) unless given. */
  readonly regions: Promise<readonly string[]>;
  /** The account scope once the identity is read; null when it could not be. */
  readonly scope: Promise<AccountScope | null>;
  /**
   * Handed the account's bucket list (its one ListBuckets) when the bucket stage asks for it: an
   * organization audit finds there which audited account owns another account's log bucket.
   */
  readonly onOwnedBuckets?: (owned: Promise<Outcome<ReadonlyMap<string, string | undefined>>>) => void;
}

/** An item of a collection: every item carries its `ref` (gaps too). */
export interface CollectedItem {
  readonly ref: { readonly id: string };
}

/** What a finished stage adds to the account's facts. */
export interface Contribution {
  /** The items of a collection this stage owns, in report order (gaps included). */
  readonly items?: { readonly collection: FactCollection; readonly items: readonly CollectedItem[] };
  /** Fields this stage read for another stage's items, by item id (`ref.id`). */
  readonly fields?: { readonly collection: FactCollection; readonly byId: ReadonlyMap<string, object> };
  readonly account?: Partial<Pick<AccountFacts, 'publicAccessBlock'>>;
}

export interface StageOutput {
  /** Settles when the stage has read everything; never rejects for an AWS error (those are Unknown facts). */
  readonly contribution: Promise<Contribution>;
}

/** How a stage reads the outputs of the stages it depends on. */
export interface StageInput {
  /** The output of a stage named in `dependsOn` (always planned). */
  <U extends StageOutput>(key: StageKey<U>): U;
  /** The output of a stage named in `optionalDependsOn`, or undefined when that stage is not planned. */
  optional<U extends StageOutput>(key: StageKey<U>): U | undefined;
}

export interface LiveStage<T extends StageOutput = StageOutput> {
  readonly key: StageKey<T>;
  readonly dependsOn: readonly StageKey<StageOutput>[];
  /**
   * Stages whose output this one also reads when they are planned anyway (the KMS stage reads the
   * keys of event data stores only when a check needs the stores): started first when planned,
   * never planned because of this.
   */
  readonly optionalDependsOn?: readonly StageKey<StageOutput>[];
  /** Starts reading (synchronously issuing what it can); the output's streams fill in as it goes. */
  start(context: PlanContext, input: StageInput): T;
}

/**
 * Starts the stages (deduplicated, dependencies first) and assembles their contributions. Stages
 * are started in the order given, which is the order their first calls are queued in.
 */
export async function runPlan(
  stages: readonly LiveStage[],
  context: PlanContext,
): Promise<{ readonly collections: ReadonlyMap<FactCollection, readonly CollectedItem[]>; readonly account: Contribution['account'] }> {
  const outputs = new Map<string, StageOutput>();
  const start = (stage: LiveStage): void => {
    if (outputs.has(stage.key.name)) {
      return;
    }
    for (const dependency of stage.dependsOn) {
      const provider = stages.find((candidate) => candidate.key.name === dependency.name);
      if (provider === undefined) {
        throw new Error(`internal: stage ${stage.key.name} depends on ${dependency.name}, which is not planned`);
      }
      start(provider);
    }
    const optional = stage.optionalDependsOn ?? [];
    for (const dependency of optional) {
      const provider = stages.find((candidate) => candidate.key.name === dependency.name);
      if (provider !== undefined) {
        start(provider);
      }
    }
    const read = <U extends StageOutput>(key: StageKey<U>, declared: readonly StageKey<StageOutput>[]): U | undefined => {
      if (!declared.some((dependency) => dependency.name === key.name)) {
        throw new Error(`internal: stage ${stage.key.name} read ${key.name}, which it does not depend on`);
      }
      return outputs.get(key.name) as U | undefined;
    };
    const input: StageInput = Object.assign(
      <U extends StageOutput>(key: StageKey<U>): U => {
        const output = read(key, stage.dependsOn);
        if (output === undefined) {
          throw new Error(`internal: stage ${stage.key.name} read ${key.name} before it was started`);
        }
        return output;
      },
      { optional: <U extends StageOutput>(key: StageKey<U>): U | undefined => read(key, optional) },
    );
    outputs.set(stage.key.name, stage.start(context, input));
  };
  stages.forEach(start);

  // Every stage settles before anything is thrown: no call is left in flight when the clients are
  // destroyed, and the first failure (a Region discovery that failed) is the one reported.
  const settled = await Promise.allSettled([...outputs.values()].map(async (output) => output.contribution));
  const contributions = settled.map((outcome) => {
    if (outcome.status === 'rejected') {
      throw outcome.reason;
    }
    return outcome.value;
  });
  const collections = new Map<FactCollection, CollectedItem[]>();
  let account: Contribution['account'] = {};
  for (const contribution of contributions) {
    if (contribution.items !== undefined) {
      collections.set(contribution.items.collection, [...contribution.items.items]);
    }
    account = { ...account, ...contribution.account };
  }
  // Fields in stage order, so an item's facts come out in the same order whatever finished first.
  for (const contribution of contributions) {
    const fields = contribution.fields;
    const items = fields === undefined ? undefined : collections.get(fields.collection);
    if (fields === undefined || items === undefined) {
      continue;
    }
    collections.set(
      fields.collection,
      items.map((item) => {
        const extra = fields.byId.get(item.ref.id);
        return extra === undefined ? item : { ...item, ...extra };
      }),
    );
  }
  return { collections, account };
}
