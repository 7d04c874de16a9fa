/**
 * The contract between the infrastructure-code collectors (CloudFormation, Terraform plan) and
 * the `scan` command. Each collector turns ONE file into the same facts model the live collector
 * produces (src/facts/model.ts), so checks/*.yaml run unchanged.
 */
import type { Suppression } from '../../engine/types.js';
import type { FactKind } from '../../facts/kinds/types.js';
import type { FactNeed, FactSet } from '../../facts/model.js';
import type { ExpiryLimit } from '../../load/suppressionHorizon.js';

export type IacKind = 'cloudformation' | 'terraform-plan';

export interface IacCollectOptions {
  /** Stamped into the facts (deterministic output: the scan passes its start time). */
  readonly collectedAt: string;
  /** Path shown in findings and reports (relative to where the scan was started). */
  readonly displayPath: string;
  /** Inline suppressions expiring beyond this are errors at their position (none checked without it). */
  readonly expiryLimit?: ExpiryLimit;
  /** Ids of the loaded checks: an inline suppression naming none of them is an error at its position. */
  readonly knownChecks?: readonly string[];
  /** The registered fact kinds (default: the registry); `collected` lists those this source reads. */
  readonly kinds?: readonly FactKind[];
  /**
   * The needs of the enabled checks, with their dependencies: the kinds read (and claimed) are
   * narrowed to them, as a live audit's are, so a scan of a thousand files does not build and
   * derive monitoring chains no enabled check looks at. Absent: every kind this source reads.
   */
  readonly needs?: ReadonlySet<FactNeed>;
}

export interface IacCollection {
  readonly kind: IacKind;
  /**
   * One file's facts: `account.scope` is 'partial' (a file shows part of an account), every
   * item's `ref.location` is set (file, line, column of the resource), `ref.id` is the logical
   * id or Terraform address, `locations` maps fact paths to the property that sets them.
   */
  readonly facts: FactSet;
  /** Suppressions declared in the file itself (CloudFormation Metadata), with `file` set. */
  readonly suppressions: readonly Suppression[];
}

/**
 * Home region shown for CloudFormation resources: a template does not know the Region it will be
 * deployed to (`AWS::Region`).
 */
export const DEPLOYMENT_REGION = '(deployment region)';
