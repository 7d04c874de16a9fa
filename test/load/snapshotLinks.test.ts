/** A live snapshot whose trail names a bucket missing from `buckets` was edited: input error. */
import { strict as assert } from 'node:assert';
import type { FactSet } from '../../src/facts/model.js';
import { danglingBucketLinks } from '../../src/load/snapshotLinks.js';

// Only the fields danglingBucketLinks reads; the schema has validated the rest by then.
function snapshot(source: string, collected: string[], bucketNames: string[]): FactSet {
  return {
    source,
    collected,
    trails: [{ arn: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t', s3BucketName: 'public-logs' }],
    buckets: bucketNames.map((name) => ({ name })),
  } as unknown as FactSet;
}

describe('snapshot links (trail → bucket)', () => {
  it('reports a trail whose bucket was removed from a live snapshot, at the trail\'s s3BucketName', () => {
    const [issue, ...rest] = danglingBucketLinks(snapshot('live', ['trails', 'bucketPublicAccess'], ['other-logs']), 'facts.json');
    assert.equal(rest.length, 0);
    assert.ok(issue);
    assert.equal(issue.path, 'trails.0.s3BucketName');
    assert.match(issue.message, /delivers to bucket "public-logs", which is not in "buckets"/u);
  });

  it('accepts the bucket when listed, and snapshots without bucket facts or from IaC', () => {
    assert.deepEqual(danglingBucketLinks(snapshot('live', ['trails', 'bucketLogging'], ['public-logs']), 'f'), []);
    assert.deepEqual(danglingBucketLinks(snapshot('live', ['trails'], []), 'f'), []);
    assert.deepEqual(danglingBucketLinks(snapshot('cloudformation', ['trails', 'bucketPublicAccess'], []), 'f'), []);
  });
});

describe('snapshot links: an Unknown bucket name', () => {
  it('is refused in a live snapshot with bucket facts (DescribeTrails always names the bucket)', () => {
    const facts = {
      source: 'live',
      collected: ['trails', 'bucketPublicAccess'],
      trails: [{ arn: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t', s3BucketName: { $unknown: { reason: 'access_denied', message: 'x' } } }],
      buckets: [],
    } as unknown as FactSet;
    const [issue] = danglingBucketLinks(facts, 'f');
    assert.ok(issue);
    assert.equal(issue.path, 'trails.0.s3BucketName');
    assert.match(issue.message, /never Unknown in a snapshot/u);
  });
});
