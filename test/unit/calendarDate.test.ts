/**
 * One calendar rule for every typed date (src/calendarDate.ts): rules.yaml expiries and
 * validate-logs' --start-time / --end-time. JavaScript's Date rolls 30 February over to 2 March;
 * these must refuse it.
 */
import assert from 'node:assert/strict';
import { isCalendarDateTime, isRealDate } from '../../src/calendarDate.js';
import { parseUtc } from '../../src/logs/chain/time.js';

describe('calendar dates (one rule for rules.yaml and validate-logs)', () => {
  it('accepts dates that exist, leap days included, and refuses those that do not', () => {
    for (const text of ['2025-02-28', '2024-02-29', '2000-02-29', '2027-06-30', '0099-12-31']) {
      assert.equal(isRealDate(text), true, text);
    }
    for (const text of ['2025-02-29', '1900-02-29', '2025-02-30', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00', '2025-1-1', '2025-01-01T00:00:00Z', '']) {
      assert.equal(isRealDate(text), false, text);
    }
  });

  it('checks every field of a time: hour 24 and 25, minute 60, second 60 do not exist', () => {
    assert.equal(isCalendarDateTime(2025, 3, 1, 23, 59, 59), true);
    assert.equal(isCalendarDateTime(2025, 2, 28, 24, 0, 0), false);
    assert.equal(isCalendarDateTime(2025, 2, 28, 25, 0, 0), false);
    assert.equal(isCalendarDateTime(2025, 3, 1, 0, 60, 0), false);
    assert.equal(isCalendarDateTime(2025, 3, 1, 0, 0, 60), false);
    assert.equal(isCalendarDateTime(2025, 3, 1.5), false);
  });

  it('makes validate-logs times null instead of rolled over, and still reads real ones with any zone', () => {
    for (const text of ['2025-02-30T00:00:00Z', '2025-02-28T24:00:00Z', '2025-02-28T25:00:00Z', '2025-03-01T00:60:00Z', '2025-03-01T07:21:42+25:00', '2025-03-01T07:21:42+02:60', '2025-04-31']) {
      assert.equal(parseUtc(text), null, text);
    }
    assert.equal(parseUtc('2024-02-29T23:59:59Z')?.toISOString(), '2024-02-29T23:59:59.000Z');
    assert.equal(parseUtc('2025-03-01T07:21:42-0230')?.toISOString(), '2025-03-01T09:51:42.000Z');
    assert.equal(parseUtc('2025-03-01T05:21:42.5678Z')?.toISOString(), '2025-03-01T05:21:42.567Z');
    assert.equal(parseUtc('0099-01-01T00:00:00Z')?.toISOString(), '0099-01-01T00:00:00.000Z', 'years below 100 are not read as 19xx');
  });
});
