import { strict as assert } from 'node:assert';
import { moduleOf, summarise } from '../../bench/profileSummary.js';

describe('benchmark CPU profile summary', () => {
  it('groups frames by npm package, project file, node internals and V8 pseudo-frames', () => {
    assert.equal(moduleOf('/work/x/node_modules/@smithy/core/dist-cjs/index.js', 'send'), '@smithy/core');
    assert.equal(moduleOf('/work/x/node_modules/p-queue/dist/index.js', 'add'), 'p-queue');
    assert.equal(moduleOf('../../src/collect/live/scheduler.ts', 'call'), 'src/collect/live/scheduler.ts');
    assert.equal(moduleOf('node:internal/streams/readable', 'push'), 'node internals');
    assert.equal(moduleOf('', '(garbage collector)'), '(garbage collector)');
    assert.equal(moduleOf('', 'writev'), '(native)');
  });

  it('charges each sample to the frame on top and separates idle time', () => {
    const frame = (functionName: string, url: string): { functionName: string; url: string; lineNumber: number; columnNumber: number } => ({
      functionName,
      url,
      lineNumber: 9,
      columnNumber: 0,
    });
    const text = summarise(
      {
        nodes: [
          { id: 1, callFrame: frame('(idle)', '') },
          { id: 2, callFrame: frame('parse', 'file:///nowhere/node_modules/fast-xml-parser/x.js') },
          { id: 3, callFrame: frame('evaluate', 'file:///nowhere/src/engine/evaluate.ts') },
        ],
        samples: [1, 2, 3, 2, 1],
        timeDeltas: [1000, 2000, 3000, 4000, 5000],
        startTime: 0,
        endTime: 15000,
      },
      5,
    );
    assert.match(text, /profile 15 ms, 9 ms busy, 6 ms idle/u);
    // fast-xml-parser: 2 + 4 ms of 15 = 40 %; evaluate 3 ms = 20 %.
    assert.match(text, /6 ms {2}40\.0% {2}fast-xml-parser\n/u);
    assert.match(text, /3 ms {2}20\.0% {2}evaluate src\/engine\/evaluate\.ts:10/u);
  });
});
