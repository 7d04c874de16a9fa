/**
 * BatchImportFindings limits (Security Hub partner guide): at most 100 findings and 6 MB per call,
 * at most 240 KB per finding. Neither the SDK nor moto enforces them (trivy#2849 broke on the
 * first), so the import splits here. The sizes are the JSON the SDK sends (`{"Findings":[…]}`);
 * the limits are taken as decimal bytes, the stricter reading. A finding over the per-finding
 * limit is never truncated: it is returned as oversized, and the caller reports it as a failure.
 */
export interface BatchLimits {
  readonly maxFindings: number;
  readonly maxBatchBytes: number;
  readonly maxFindingBytes: number;
}

export const BATCH_IMPORT_LIMITS: BatchLimits = { maxFindings: 100, maxBatchBytes: 6_000_000, maxFindingBytes: 240_000 };

/** `{"Findings":[` and `]}` around the findings, which are separated by commas. */
const ENVELOPE_BYTES = Buffer.byteLength('{"Findings":[]}');

export interface SplitBatches<T> {
  readonly batches: readonly (readonly T[])[];
  readonly oversized: readonly { readonly item: T; readonly bytes: number }[];
}

/** Consecutive batches in the items' order; `finding(item)` is what is sent for an item. */
export function splitBatches<T>(items: readonly T[], finding: (item: T) => unknown, limits: BatchLimits = BATCH_IMPORT_LIMITS): SplitBatches<T> {
  const batches: T[][] = [];
  const oversized: { item: T; bytes: number }[] = [];
  let current: T[] = [];
  let currentBytes = ENVELOPE_BYTES;
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(finding(item)));
    if (bytes > limits.maxFindingBytes) {
      oversized.push({ item, bytes });
      continue;
    }
    const separator = current.length === 0 ? 0 : 1;
    if (current.length >= limits.maxFindings || currentBytes + separator + bytes > limits.maxBatchBytes) {
      batches.push(current);
      current = [];
      currentBytes = ENVELOPE_BYTES;
    }
    currentBytes += (current.length === 0 ? 0 : 1) + bytes;
    current.push(item);
  }
  if (current.length > 0) {
    batches.push(current);
  }
  return { batches, oversized };
}
