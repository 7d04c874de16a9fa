import { strict as assert } from 'node:assert';

/** The report's finding of `control` on resource `id`; fails the test when there is none. */
export function findingOf<F extends { readonly control: string; readonly resource: { readonly id: string } }>(report: { readonly findings: readonly F[] }, control: string, id: string): F {
  const found = report.findings.find((f) => f.control === control && f.resource.id === id);
  assert.ok(found !== undefined, `${control} ${id} not in the report`);
  return found;
}
