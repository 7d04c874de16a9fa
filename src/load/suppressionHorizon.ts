/**
 * How far ahead a suppression may expire. A suppression accepts a risk for a while; one that
 * expires in 2099 (or 9999-12-31) accepts it forever and is never reviewed, so expiries further
 * than the horizon from today are rejected (rules.yaml `suppressionHorizonDays`, default one year).
 * Expiries in the past stay valid: they are reported as expired, which is what reminds people.
 */
export const DEFAULT_SUPPRESSION_HORIZON_DAYS = 365;
/** The largest horizon rules.yaml may set (five years; the schema enforces the same bound). */
export const MAX_SUPPRESSION_HORIZON_DAYS = 1825;

export interface ExpiryLimit {
  /** YYYY-MM-DD (UTC), the day the run evaluates on. */
  readonly today: string;
  readonly horizonDays: number;
}

const DAY_MS = 86_400_000;

/** The last expiry date allowed: today plus the horizon. */
export function latestExpiry(limit: ExpiryLimit): string {
  return new Date(Date.parse(`${limit.today}T00:00:00Z`) + limit.horizonDays * DAY_MS).toISOString().slice(0, 10);
}

/** Why `expires` (a real YYYY-MM-DD date) is too far ahead, or null when it is within the horizon. */
export function expiryBeyondHorizon(expires: string, limit: ExpiryLimit): string | null {
  const latest = latestExpiry(limit);
  // YYYY-MM-DD strings compare like the dates they name.
  if (expires <= latest) {
    return null;
  }
  return (
    `expires ${expires} is more than ${limit.horizonDays} days after today (${limit.today}): a suppression accepts a risk for a limited time. ` +
    `Choose a date on or before ${latest}, or raise suppressionHorizonDays in rules.yaml (at most ${MAX_SUPPRESSION_HORIZON_DAYS})`
  );
}
