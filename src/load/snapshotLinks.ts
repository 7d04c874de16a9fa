/**
 * Links a live snapshot must keep: every trail's log bucket is listed in `buckets` when bucket
 * facts were collected. The collectors always list it (with Unknown facts when it could not be read), so
 * a missing one means the file was edited; CloudTrail.6/7 would then judge the other buckets only,
 * or none ("no trail delivers to a bucket"), and a public bucket would vanish into a PASS.
 */
import type { InputIssue } from '../errors.js';
import { isGap, type FactSet } from '../facts/model.js';

export function danglingBucketLinks(facts: FactSet, file: string): InputIssue[] {
  // Only the live collector lists a bucket for every trail: a template's trail may name its
  // bucket through a link no file resolves, which the IaC collectors report on the trail instead.
  if (facts.source !== 'live' || (!facts.collected.includes('bucketPublicAccess') && !facts.collected.includes('bucketLogging'))) {
    return [];
  }
  const listed = new Set(facts.buckets.filter((bucket) => !isGap(bucket)).map((bucket) => bucket.name));
  const issues: InputIssue[] = [];
  facts.trails.forEach((trail, index) => {
    if (isGap(trail)) {
      return;
    }
    const name = trail.s3BucketName;
    if (typeof name === 'string' && !listed.has(name)) {
      issues.push({
        file,
        line: 0,
        column: 0,
        path: `trails.${String(index)}.s3BucketName`,
        message: `trail ${trail.arn} delivers to bucket "${name}", which is not in "buckets": a snapshot lists every trail's bucket (with Unknown facts when it could not be read), so this one was removed or renamed`,
      });
    }
  });
  return issues;
}
