import { strict as assert } from 'node:assert';
import { logGroupOf } from '../../src/facts/kinds/logMonitoring/logGroupArn.js';

describe('logGroupOf (a trail → its log group)', () => {
  it('strips the log-stream wildcard and reads partition, Region, account and name', () => {
    assert.deepEqual(logGroupOf('arn:aws:logs:eu-west-1:123456789012:log-group:trail/logs:*'), {
      arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:trail/logs',
      name: 'trail/logs',
      region: 'eu-west-1',
      accountId: '123456789012',
      partition: 'aws',
    });
  });
  it('gives the same identity with or without the wildcard', () => {
    assert.deepEqual(logGroupOf('arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:x'), logGroupOf('arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:x:*'));
  });
  it('rejects what is not a log group ARN', () => {
    assert.equal(logGroupOf('arn:aws:s3:::bucket'), undefined);
    assert.equal(logGroupOf('my-log-group'), undefined);
  });
});
