/**
 * What an `s3://bucket/prefix` history needs (s3Store.ts's calls): list the prefix, read and write
 * the index and the run reports, and delete a run's own report again after losing a race for the
 * index. Nothing else in the bucket. The same statements as the Lambda template's Reduce role
 * (deploy/aws/template.yaml, HistoryPrefix).
 */
import type { PolicyStatement } from '../report/catalogue.js';
import type { S3Location } from './s3Location.js';

export function s3HistoryPolicyStatements(location: S3Location, partition = 'aws'): PolicyStatement[] {
  const bucketArn = `arn:${partition}:s3:::${location.bucket}`;
  const keys = location.prefix === '' ? '' : `${location.prefix}/`;
  return [
    {
      sid: 'TrailauditListHistory',
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
      // A history at the bucket's root lists the whole bucket; under a prefix, only that prefix.
      ...(keys === '' ? {} : { condition: { StringLike: { 's3:prefix': `${keys}*` } } }),
    },
    { sid: 'TrailauditReadWriteHistory', actions: ['s3:GetObject', 's3:PutObject'], resources: [`${bucketArn}/${keys}index.json`, `${bucketArn}/${keys}runs/*`] },
    { sid: 'TrailauditRemoveOwnHistoryRun', actions: ['s3:DeleteObject'], resources: [`${bucketArn}/${keys}runs/*`] },
  ];
}
