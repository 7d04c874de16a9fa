import type { Finding } from './types.js';

const collator = new Intl.Collator('en', { numeric: true });

/** Deterministic order: control (CloudTrail.2 before CloudTrail.10), account, region, resource. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    collator.compare(a.control, b.control) ||
    collator.compare(a.resource.accountId ?? '', b.resource.accountId ?? '') ||
    collator.compare(a.resource.region, b.resource.region) ||
    collator.compare(a.resource.id, b.resource.id)
  );
}
