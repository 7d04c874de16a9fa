/**
 * What a fact kind declares about itself (DESIGN §4): the need a check names, the collection its
 * facts live in, what it is read from, the calls that read it. Each subject folder
 * (`trails/`, `buckets/`, `eventDataStores/`) exports its kinds; `index.ts` registers them, and the
 * schemas' kind lists (generated at build time), the snapshot loader, the IAM permission table and
 * the bench's minimum-call model are derived from (or parity-tested against) that one registry.
 */
import type { LiveStage } from '../../collect/live/plan.js';
import type { FactCollection, FactNeed } from '../model.js';

export type { FactCollection };

/** A source that can read a kind. A source absent from `sources` never claims the kind. */
export type KindSource = 'live' | 'cloudformation' | 'terraform';

/** A kind every source reads (what templates and plans declare, and what AWS answers). */
export const EVERY_SOURCE: readonly KindSource[] = ['live', 'cloudformation', 'terraform'];

export interface FactKind {
  /** The name checks use in `needs`. */
  readonly need: FactNeed;
  /** Where its facts live: the items of this collection carry them. */
  readonly collection: FactCollection;
  /**
   * Kinds whose items this one starts from (a trail's status needs the trail listed first). The
   * IAM actions of a dependency are needed too; the live plan starts a kind's reads on each item of
   * its dependencies as soon as that item is known.
   */
  readonly dependsOn: readonly FactNeed[];
  /** The calls that read this kind: IAM action → SDK operation (the permission table's source). */
  readonly operations: Readonly<Record<string, string>>;
  /** The sources with a reader for it; `collected` lists a kind only when its source read it. */
  readonly sources: readonly KindSource[];
  /**
   * The raw facts every (non-gap) item of the collection carries once the kind is collected: the
   * snapshot schema requires them when `collected` lists the kind (its `allOf`, generated).
   */
  readonly requiredFacts: readonly string[];
  /**
   * Its live reader, a stage of the collection plan (collect/live/plan.ts); present exactly when
   * `sources` has 'live'. Loaded on demand, so that reading the registry never loads the AWS SDK.
   * Kinds read by the same calls (both bucket kinds) share one stage.
   */
  readonly live?: () => Promise<LiveStage>;
}

/** A collection's place in the snapshot schema. */
export interface CollectionSpec {
  readonly name: FactCollection;
  /**
   * The `definitions` entry of schemas/facts.schema.json describing one (non-gap) item, written by
   * hand; the build generates the collection's property and its `<itemDefinition>Item` definition.
   */
  readonly itemDefinition: string;
  /** The `definitions` entry describing a gap item: `gapCommon` when the gap carries nothing of its own. */
  readonly gapDefinition: string;
  /**
   * The key under which case tables write this collection's gaps (a Region whose listing failed),
   * for the check tester's compact facts; absent when case tables do not write them (bucket gaps
   * follow from trail gaps).
   */
  readonly caseTableGaps?: string;
  /**
   * Not required in a snapshot (absent = its kinds were not collected), so that snapshots saved
   * before the collection existed still load.
   */
  readonly optional?: boolean;
}
