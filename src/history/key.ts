/**
 * The identity of a result across runs (DESIGN §10): check × account × Region × resource, plus the
 * declaring file of a scanned resource (two templates may share a logical id, as in
 * report/baselineDiff.ts). A JSON array, so no separator can collide with an id.
 */
export interface KeyedResult {
  readonly checkId: string;
  readonly resource: { readonly id: string; readonly accountId: string | null; readonly region: string; readonly location?: { readonly file: string } };
}

export function historyKey(item: KeyedResult): string {
  return JSON.stringify([item.checkId, item.resource.accountId, item.resource.region, item.resource.id, item.resource.location?.file ?? null]);
}
