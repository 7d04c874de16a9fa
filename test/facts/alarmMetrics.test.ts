/**
 * kinds/logMonitoring/alarmMetrics.ts: which metrics an alarm evaluates (CONTROLS.md §6.11) and
 * which metric-filter transformations emit a metric an alarm can fire on. Pure functions, so the
 * rows are plain inputs; the live readers that call them are covered through moto in
 * test/cli/alarmMetricsRemediation.e2e.test.ts.
 */
import { strict as assert } from 'node:assert';
import { emitsCountableMetric, evaluatedMetrics, type MetricQuery } from '../../src/facts/kinds/logMonitoring/alarmMetrics.js';

const FILTER_METRIC = { name: 'RootUsage', namespace: 'CISBenchmark' };
const OTHER_METRIC = { name: 'CPUUtilization', namespace: 'AWS/EC2' };

interface Row {
  readonly name: string;
  readonly queries: readonly MetricQuery[];
  /** `name@namespace` of the metrics the alarm evaluates, in any order. */
  readonly expect: readonly string[];
}

const ROWS: readonly Row[] = [
  {
    name: 'the returned expression reads m1 → m1',
    queries: [
      { id: 'm1', metric: FILTER_METRIC, returnData: false },
      { id: 'e1', expression: 'FILL(m1, 0)', returnData: true },
    ],
    expect: ['RootUsage@CISBenchmark'],
  },
  {
    name: 'e1 = m2*0 returned beside an unused m1 → not m1 (m1 is fetched, never evaluated)',
    queries: [
      { id: 'm1', metric: FILTER_METRIC, returnData: false },
      { id: 'm2', metric: OTHER_METRIC, returnData: false },
      { id: 'e1', expression: 'm2*0', returnData: true },
    ],
    expect: ['CPUUtilization@AWS/EC2'],
  },
  {
    name: 'chained expressions: e2 = e1+0, e1 = m1 → m1',
    queries: [
      { id: 'm1', metric: FILTER_METRIC, returnData: false },
      { id: 'e1', expression: 'm1', returnData: false },
      { id: 'e2', expression: 'e1+0', returnData: true },
    ],
    expect: ['RootUsage@CISBenchmark'],
  },
  {
    name: 'an explicit ReturnData on a MetricStat → that metric only',
    queries: [
      { id: 'm1', metric: FILTER_METRIC, returnData: true },
      { id: 'm2', metric: OTHER_METRIC, returnData: false },
      { id: 'e1', expression: 'm1+m2', returnData: false },
    ],
    expect: ['RootUsage@CISBenchmark'],
  },
  {
    name: 'a dimensioned metric is excluded even when the returned expression reads it',
    queries: [
      { id: 'm1', metric: FILTER_METRIC, dimensioned: true, returnData: false },
      { id: 'e1', expression: 'm1', returnData: true },
    ],
    expect: [],
  },
  {
    name: 'no ReturnData anywhere → every candidate counts',
    queries: [
      { id: 'm1', metric: FILTER_METRIC },
      { id: 'm2', metric: OTHER_METRIC },
      { id: 'e1', expression: 'm2*0' },
    ],
    expect: ['RootUsage@CISBenchmark', 'CPUUtilization@AWS/EC2'],
  },
  {
    name: 'no ReturnData true, one query hidden → the others are the candidates',
    queries: [
      { id: 'm1', metric: FILTER_METRIC, returnData: false },
      { id: 'm2', metric: OTHER_METRIC },
    ],
    expect: ['CPUUtilization@AWS/EC2'],
  },
  {
    name: 'a function around the id (FILL, RATE) still reads m1, and m2 beside it is unused',
    queries: [
      { id: 'm1', metric: FILTER_METRIC, returnData: false },
      { id: 'm2', metric: OTHER_METRIC, returnData: false },
      { id: 'e1', expression: 'FILL(RATE(m1), 0)', returnData: true },
    ],
    expect: ['RootUsage@CISBenchmark'],
  },
];

describe('alarmMetrics: evaluatedMetrics', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const got = evaluatedMetrics(row.queries).map((metric) => `${metric.name}@${metric.namespace}`);
      assert.deepEqual([...got].sort(), [...row.expect].sort());
    });
  }

  it('lists a metric read twice once', () => {
    const got = evaluatedMetrics([
      { id: 'm1', metric: FILTER_METRIC, returnData: false },
      { id: 'm2', metric: FILTER_METRIC, returnData: false },
      { id: 'e1', expression: 'm1+m2', returnData: true },
    ]);
    assert.deepEqual(got, [FILTER_METRIC]);
  });
});

describe('alarmMetrics: emitsCountableMetric', () => {
  const VALUES: readonly [string | undefined, boolean, boolean][] = [
    ['0', false, false],
    ['0.0', false, false],
    [' 0 ', false, false],
    ['00', false, false],
    ['-1', false, false],
    ['-0.5', false, false],
    ['1', false, true],
    ['10', false, true],
    ['0.5', false, true],
    ['$.bytes', false, true],
    [undefined, false, true],
    ['1', true, false],
    ['$.bytes', true, false],
  ];
  for (const [value, dimensioned, expected] of VALUES) {
    it(`value ${JSON.stringify(value)}${dimensioned ? ' with dimensions' : ''} → ${expected ? 'counts' : 'does not count'}`, () => {
      assert.equal(emitsCountableMetric(value, dimensioned), expected);
    });
  }
});
