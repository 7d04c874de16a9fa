import { strict as assert } from 'node:assert';
import { ItemStream, runPlan, stageKey, type Contribution, type LiveStage, type PlanContext, type StageOutput } from '../../src/collect/live/plan.js';
import { FACT_KINDS } from '../../src/facts/kinds/index.js';

/** The plan's own mechanics; what the real stages read is tested against moto and the mocked SDK. */
const CONTEXT = {} as PlanContext;

interface Listing extends StageOutput {
  readonly items: ItemStream<string>;
}
const LISTING = stageKey<Listing>('listing');

function listingStage(ids: readonly string[], log: string[]): LiveStage<Listing> {
  return {
    key: LISTING,
    dependsOn: [],
    start() {
      log.push('start listing');
      const items = new ItemStream<string>();
      const contribution = (async (): Promise<Contribution> => {
        for (const id of ids) {
          await Promise.resolve();
          items.push(id);
        }
        items.close();
        return { items: { collection: 'trails', items: ids.map((id) => ({ ref: { id } })) } };
      })();
      return { items, contribution };
    },
  };
}

function detailStage(log: string[]): LiveStage {
  return {
    key: stageKey('detail'),
    dependsOn: [LISTING],
    start(_context, input) {
      log.push('start detail');
      const listing = input(LISTING);
      const byId = new Map<string, object>();
      listing.items.each((id) => {
        log.push(`detail ${id}`);
        byId.set(id, { detail: id.toUpperCase() });
      });
      return { contribution: listing.items.done.then(() => ({ fields: { collection: 'trails' as const, byId } })) };
    },
  };
}

describe('collection plan', () => {
  it('starts a dependency first, hands each item on as it appears, and adds the fields to their items', async () => {
    const log: string[] = [];
    // Given dependant first: the plan still starts the listing before it.
    const planned = await runPlan([detailStage(log), listingStage(['a', 'b'], log)], CONTEXT);
    assert.deepEqual(log, ['start listing', 'start detail', 'detail a', 'detail b']);
    assert.deepEqual(planned.collections.get('trails'), [
      { ref: { id: 'a' }, detail: 'A' },
      { ref: { id: 'b' }, detail: 'B' },
    ]);
  });

  it('starts a stage shared by several kinds once', async () => {
    const log: string[] = [];
    const listing = listingStage(['a'], log);
    await runPlan([listing, listing], CONTEXT);
    assert.deepEqual(log, ['start listing']);
  });

  /** Reads the listing's items when the listing is planned anyway; never plans it. */
  function optionalReaderStage(log: string[]): LiveStage {
    return {
      key: stageKey('optionalReader'),
      dependsOn: [],
      optionalDependsOn: [LISTING],
      start(_context, input) {
        const listing = input.optional(LISTING);
        log.push(listing === undefined ? 'start reader without listing' : 'start reader with listing');
        listing?.items.each((id) => log.push(`reader ${id}`));
        return { contribution: Promise.resolve({}) };
      },
    };
  }

  it('starts an optional dependency first when it is planned, and hands on its output', async () => {
    const log: string[] = [];
    await runPlan([optionalReaderStage(log), listingStage(['a'], log)], CONTEXT);
    assert.deepEqual(log, ['start listing', 'start reader with listing', 'reader a']);
  });

  it('never plans an optional dependency that is not planned: the stage reads undefined', async () => {
    const log: string[] = [];
    const planned = await runPlan([optionalReaderStage(log)], CONTEXT);
    assert.deepEqual(log, ['start reader without listing']);
    assert.equal(planned.collections.size, 0);
  });

  it('refuses to read a stage that is neither a dependency nor an optional one', async () => {
    const sneaky: LiveStage = {
      key: stageKey('sneaky'),
      dependsOn: [],
      start(_context, input) {
        input.optional(LISTING);
        return { contribution: Promise.resolve({}) };
      },
    };
    await assert.rejects(runPlan([listingStage(['a'], []), sneaky], CONTEXT), /sneaky read listing, which it does not depend on/u);
    const required: LiveStage = {
      key: stageKey('required'),
      dependsOn: [],
      start(_context, input) {
        input(LISTING);
        return { contribution: Promise.resolve({}) };
      },
    };
    await assert.rejects(runPlan([listingStage(['a'], []), required], CONTEXT), /required read listing, which it does not depend on/u);
  });

  it('gives a listener added late the items found so far, then the rest', () => {
    const stream = new ItemStream<number>();
    stream.push(1);
    const seen: number[] = [];
    stream.each((item) => seen.push(item));
    stream.push(2);
    stream.close();
    assert.deepEqual(seen, [1, 2]);
    assert.throws(() => {
      stream.push(3);
    }, /closed stream/u);
  });

  it('lets every stage settle before reporting the first failure', async () => {
    let slowDone = false;
    const failing: LiveStage = { key: stageKey('failing'), dependsOn: [], start: () => ({ contribution: Promise.reject(new Error('regions failed')) }) };
    const slow: LiveStage = {
      key: stageKey('slow'),
      dependsOn: [],
      start: () => ({
        contribution: new Promise<Contribution>((resolve) =>
          setTimeout(() => {
            slowDone = true;
            resolve({});
          }, 20),
        ),
      }),
    };
    await assert.rejects(runPlan([failing, slow], CONTEXT), /regions failed/u);
    assert.equal(slowDone, true);
  });

  it('every kind with a live source has a live stage, and only those', async () => {
    for (const kind of FACT_KINDS) {
      assert.equal(kind.live !== undefined, kind.sources.includes('live'), kind.need);
      const stage = await kind.live?.();
      assert.ok(stage === undefined || typeof stage.start === 'function', kind.need);
    }
  });
});
