/**
 * Links a live snapshot must keep: every trail's log bucket is listed in `buckets` when bucket
 * facts were collected. The collectors always list it (with Unknown facts when it could not be read), so
 * a missing one means the file was edited; CloudTrail.6/7 would then judge the other buckets only,
 * or none ("no trail delivers to a bucket"), and a public bucket would vanish into a PASS.
 */
import type { InputIssue } from '../errors.js';
import { isGap, isUnknown, type FactSet } from '../facts/model.js';

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
    if (isUnknown(name)) {
      // DescribeTrails always names the bucket, so a live audit never stores this as Unknown; an
      // edited one would silently take the bucket out of CloudTrail.6/7.
      issues.push({
        file,
        line: 0,
        column: 0,
        path: `trails.${String(index)}.s3BucketName`,
        message: `trail ${trail.arn}: a live audit reads the log bucket's name with the trail (DescribeTrails), so it is never Unknown in a snapshot`,
      });
    } else if (typeof name === 'string' && !listed.has(name)) {
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

/**
 * A resource appears once in a snapshot (trails by ARN, buckets by name, event data stores by
 * ARN): the collectors deduplicate shadow copies and shared buckets, so a repeated one was pasted
 * in, and would be judged twice (or, edited, once passing and once failing).
 */
export function repeatedItems(facts: FactSet, file: string): InputIssue[] {
  const issues: InputIssue[] = [];
  const collections = [
    { name: 'trails', items: facts.trails, key: (item: object) => ('arn' in item ? item.arn : undefined) },
    { name: 'buckets', items: facts.buckets, key: (item: object) => ('name' in item ? item.name : undefined) },
    { name: 'eventDataStores', items: facts.eventDataStores, key: (item: object) => ('arn' in item ? item.arn : undefined) },
    { name: 'logGroups', items: facts.logGroups ?? [], key: (item: object) => ('arn' in item ? item.arn : undefined) },
    { name: 'alarms', items: facts.alarms ?? [], key: (item: object) => ('arn' in item ? item.arn : undefined) },
    { name: 'topics', items: facts.topics ?? [], key: (item: object) => ('arn' in item ? item.arn : undefined) },
    // One hub state per account and Region: its ref id is the hub ARN, which names both.
    { name: 'securityHubs', items: facts.securityHubs ?? [], key: (item: object) => ('ref' in item ? (item as { ref: { id: string } }).ref.id : undefined) },
    { name: 'kmsKeys', items: facts.kmsKeys ?? [], key: (item: object) => ('arn' in item ? item.arn : undefined) },
  ] as const;
  for (const { name, items, key } of collections) {
    const seen = new Set<unknown>();
    items.forEach((item, index) => {
      // A Region's gap stands once for its listing (bucket gaps share one id by design).
      const id = isGap(item) ? (name === 'buckets' ? undefined : `${item.ref.id} (the gap of ${item.ref.region})`) : key(item);
      if (id === undefined) {
        return;
      }
      if (seen.has(id)) {
        issues.push({ file, line: 0, column: 0, path: `${name}.${String(index)}`, message: `${JSON.stringify(id)} appears more than once in "${name}": a snapshot lists each resource once` });
      }
      seen.add(id);
    });
  }
  return issues;
}
