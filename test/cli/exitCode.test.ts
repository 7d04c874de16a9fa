/**
 * DESIGN §1 exit codes from findings: the threshold applies to failures; any open UNKNOWN makes
 * the audit incomplete (3) unless --allow-unknown accepts that; suppressed findings never count.
 */
import { strict as assert } from 'node:assert';
import { EXIT, exitCodeFor } from '../../src/cli/exitCode.js';
import type { Finding } from '../../src/engine/types.js';
import { ACCOUNT, BUCKET_OK, SUPPRESSION_LEGACY, TRAIL_LEGACY, makeFinding } from '../report/fixtures.js';

const trail = { type: 'AWS::CloudTrail::Trail', id: TRAIL_LEGACY, accountId: ACCOUNT, region: 'us-east-1' };
const bucket = { type: 'AWS::S3::Bucket', id: BUCKET_OK, accountId: ACCOUNT, region: 'us-east-1' };
const suppressed = { reason: SUPPRESSION_LEGACY.reason, expires: SUPPRESSION_LEGACY.expires, resource: SUPPRESSION_LEGACY.resource };

// In the report fixtures, CloudTrail.4 and CloudTrail.10 are medium, CloudTrail.6 critical.
const mediumFail = makeFinding({ checkId: 'CloudTrail.4', status: 'FAIL', resource: trail });
const criticalFail = makeFinding({ checkId: 'CloudTrail.6', status: 'FAIL', resource: bucket });
const store = { type: 'AWS::CloudTrail::EventDataStore', id: 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/x', accountId: ACCOUNT, region: 'us-east-1' };
const mediumUnknown = makeFinding({ checkId: 'CloudTrail.10', status: 'UNKNOWN', reason: 'access_denied', resource: store });
const pass = makeFinding({ checkId: 'CloudTrail.4', status: 'PASS', resource: trail });

const cases: readonly { name: string; findings: Finding[]; failOn: 'low' | 'high' | 'critical'; almediumUnknown?: boolean; code: number }[] = [
  { name: 'everything passes', findings: [pass], failOn: 'low', code: EXIT.ok },
  { name: 'a FAIL at the threshold', findings: [mediumFail], failOn: 'low', code: EXIT.failures },
  { name: 'a FAIL below the threshold only', findings: [mediumFail, pass], failOn: 'high', code: EXIT.ok },
  { name: 'a critical FAIL beats an UNKNOWN', findings: [criticalFail, mediumUnknown], failOn: 'critical', code: EXIT.failures },
  { name: 'an UNKNOWN below the threshold still makes the audit incomplete', findings: [mediumFail, mediumUnknown], failOn: 'critical', code: EXIT.incomplete },
  { name: '--allow-unknown accepts the incomplete audit', findings: [mediumUnknown, pass], failOn: 'low', almediumUnknown: true, code: EXIT.ok },
  { name: '--allow-unknown does not hide a FAIL', findings: [mediumUnknown, mediumFail], failOn: 'low', almediumUnknown: true, code: EXIT.failures },
  { name: 'a suppressed UNKNOWN does not count', findings: [{ ...mediumUnknown, suppressed }], failOn: 'low', code: EXIT.ok },
  { name: 'a suppressed FAIL does not count', findings: [{ ...criticalFail, suppressed }], failOn: 'low', code: EXIT.ok },
];

describe('exit code from findings', () => {
  for (const { name, findings, failOn, almediumUnknown, code } of cases) {
    it(`${name}: ${String(code)}`, () => {
      assert.equal(exitCodeFor(findings, failOn, almediumUnknown === true), code);
    });
  }
});
