/** hoursSince (trails/deliveryAge.ts): the age TrailHealth compares with maxDeliveryAgeHours. */
import { strict as assert } from 'node:assert';
import { hoursSince } from '../../src/facts/kinds/trails/deliveryAge.js';

const NOW = '2026-12-06T12:00:00Z';

interface Case {
  readonly name: string;
  readonly iso: string | undefined;
  readonly now?: string;
  readonly hours: number | null;
}

const CASES: readonly Case[] = [
  { name: 'the same instant', iso: NOW, hours: 0 },
  { name: 'exactly 24 hours', iso: '2026-12-05T12:00:00Z', hours: 24 },
  { name: 'one second over 24 hours is still 24.00 (rounded down)', iso: '2026-12-05T11:59:59Z', hours: 24 },
  { name: '36 seconds is 0.01 h', iso: '2026-12-06T11:59:24Z', hours: 0.01 },
  { name: '35.9 seconds rounds down to 0', iso: '2026-12-06T11:59:24.100Z', hours: 0 },
  { name: '1 h 30 min is 1.5, not 1.49', iso: '2026-12-06T10:30:00Z', hours: 1.5 },
  { name: '90 days', iso: '2026-09-07T12:00:00Z', hours: 2160 },
  { name: 'fractional seconds, as the SDK serialises Dates', iso: '2026-12-06T09:45:00.000Z', hours: 2.25 },
  { name: 'an offset is honoured', iso: '2026-12-06T13:00:00+02:00', hours: 1 },
  { name: 'no zone is UTC, like every AWS time', iso: '2026-12-06T11:00:00', hours: 1 },
  { name: 'clock skew (delivery after now) gives 0', iso: '2026-12-06T12:05:00Z', hours: 0 },
  { name: 'absent', iso: undefined, hours: null },
  { name: 'empty', iso: '', hours: null },
  { name: 'not a date', iso: 'yesterday', hours: null },
  { name: 'a bare number (Date.parse would read 2001)', iso: '1', hours: null },
  { name: 'a day that does not exist', iso: '2026-02-30T00:00:00Z', hours: null },
  { name: 'now unparseable', iso: NOW, now: 'soon', hours: null },
];

describe('hoursSince (delivery age for TrailHealth maxDeliveryAgeHours)', () => {
  for (const c of CASES) {
    it(`${c.name} → ${String(c.hours)}`, () => {
      assert.equal(hoursSince(c.iso, c.now ?? NOW), c.hours);
    });
  }

  it('never negative and never more than the true age, over a range of offsets', () => {
    const nowMs = Date.parse(NOW);
    for (let seconds = -7200; seconds <= 200_000; seconds += 997) {
      const iso = new Date(nowMs - seconds * 1000).toISOString();
      const hours = hoursSince(iso, NOW);
      assert.ok(hours !== null && hours >= 0, `${iso}: ${String(hours)}`);
      const trueHours = Math.max(0, seconds) / 3600;
      assert.ok(hours <= trueHours + 1e-9 && trueHours - hours < 0.01, `${iso}: ${String(hours)} vs ${String(trueHours)}`);
    }
  });
});
