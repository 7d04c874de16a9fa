/**
 * Paged listings through the scheduler: every page is its own scheduled, counted call (caps,
 * priorities, retries and the run's stop apply to each), so a long listing can neither bypass
 * the limits nor be counted as one call.
 */
import type { CallContext } from './errors.js';
import type { CallScheduler, Outcome } from './scheduler.js';

export interface Page<T> {
  readonly items: readonly T[];
  /** undefined (or '') when this was the last page. */
  readonly nextToken: string | undefined;
}

/** Every item of a paged listing, or the first page's failure (a listing cut short is not an answer). */
export async function scheduledPages<T>(
  scheduler: CallScheduler,
  context: Omit<CallContext, 'endpointUrl'>,
  fetchPage: (token: string | undefined) => Promise<Page<T>>,
): Promise<Outcome<readonly T[]>> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const current = token;
    const page = await scheduler.call(context, async () => fetchPage(current));
    if (!page.ok) {
      return page;
    }
    items.push(...page.value.items);
    token = page.value.nextToken === '' ? undefined : page.value.nextToken;
  } while (token !== undefined);
  return { ok: true, value: items };
}
