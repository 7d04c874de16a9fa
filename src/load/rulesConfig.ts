import type { CheckOverride, Severity, Suppression } from '../engine/types.js';
import type { ReportFormat } from '../report/formats.js';

/**
 * A rules file as loaded. It lives with the loader rather than in engine/types.ts because it
 * names report formats, which the engine has no business knowing.
 */
export interface RulesConfig {
  readonly file: string | null;
  readonly checks: Readonly<Record<string, CheckOverride>>;
  readonly suppressions: readonly Suppression[];
  /** Suppressions may expire at most this many days after the run's day (see load/suppressionHorizon.ts). */
  readonly suppressionHorizonDays: number;
  readonly failOn: Severity;
  readonly reports: readonly ReportFormat[];
}
