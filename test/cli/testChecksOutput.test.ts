/** What `trailaudit test-checks` prints comes partly from users' tables: it must not drive the terminal. */
import { strict as assert } from 'node:assert';
import { formatCaseResults } from '../../src/cli/testChecksCommand.js';

describe('test-checks output', () => {
  it('shows control characters of case names and details as escapes, so a FAIL line cannot be painted over', () => {
    const printed = formatCaseResults([
      { check: 'Acme.1', case: 'looks fine\rPASS   ', kind: 'pass', outcome: 'failed', detail: 'expected \u001b[32mgreen\u001b[0m' },
    ]);
    assert.match(printed, /^FAIL\s+Acme\.1\s+pass\s+looks fine\\u000dPASS {3}$/mu);
    assert.match(printed, /expected \\u001b\[32mgreen\\u001b\[0m/u);
    assert.ok(!printed.includes('\r') && !printed.includes('\u001b'));
  });
});
