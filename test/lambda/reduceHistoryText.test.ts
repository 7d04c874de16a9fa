/**
 * What a Reduce says when its history append failed: the S3 store's message without the Lambda's
 * temp paths (they are not the run's reports), but with everything else, such as a run object that
 * could not be deleted again (which the next Reduce would meet as an orphan).
 */
import { strict as assert } from 'node:assert';
import { withoutTempPaths } from '../../src/lambda/reduceHistory.js';

describe('Reduce history messages', () => {
  it('drops the local reports sentence and keeps the undeleted run object', () => {
    const message =
      's3://b/h/index.json: PutObject failed: access denied. The reports were written (/tmp/r/trailaudit.json, /tmp/r/trailaudit.md), but this run is not in the history s3://b/h. ' +
      'Its report object s3://b/h/runs/r.json could not be deleted again (access denied): delete it, or the next run refuses the history.';
    const said = withoutTempPaths(message);
    assert.doesNotMatch(said, /\/tmp\//u);
    assert.match(said, /^s3:\/\/b\/h\/index\.json: PutObject failed: access denied\. Its report object s3:\/\/b\/h\/runs\/r\.json could not be deleted again/u);
  });

  it('a message without that sentence is unchanged', () => {
    assert.equal(withoutTempPaths('s3://b/h/: ListObjectsV2 failed: timeout'), 's3://b/h/: ListObjectsV2 failed: timeout');
  });
});
