import type { DigestAction } from './permissions.js';

/** Calls made, by IAM action, for the report's `stats.apiCalls` (as `trailaudit audit` reports them). */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  count(action: DigestAction): void {
    this.counts.set(action, (this.counts.get(action) ?? 0) + 1);
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
