import { strict as assert } from 'node:assert';
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ORGANIZATION_TRAIL_NAME, seedOrganizationShape } from '../../bench/seedOrganization.js';
import { cloudTrailClient, s3Client } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';
import { memberCredentials } from '../../support/moto/organization.js';

describe('benchmark organization seeding (moto)', () => {
  const moto = useMoto({ resetEachTest: false });

  it('seeds an organization trail in the management account and one trail and bucket in each member, isolated', async () => {
    const seeded = await seedOrganizationShape(moto.endpoint, { name: 'org-10', accounts: 4 });
    assert.equal(seeded.accountIds.length, 4);
    assert.equal(new Set(seeded.accountIds).size, 4);
    assert.equal(seeded.accountIds[0], seeded.managementAccountId);
    assert.equal(seeded.trailBuckets, 4);

    const management = cloudTrailClient(moto.endpoint, 'us-east-1');
    try {
      const trails = (await management.send(new DescribeTrailsCommand({}))).trailList ?? [];
      assert.deepEqual(trails.map((trail) => [trail.Name, trail.IsOrganizationTrail, trail.IsMultiRegionTrail]), [[ORGANIZATION_TRAIL_NAME, true, true]]);
    } finally {
      management.destroy();
    }
    const managementS3 = s3Client(moto.endpoint, 'us-east-1');
    try {
      // The organization trail's bucket belongs to the log archive, not to the management account.
      assert.deepEqual((await managementS3.send(new ListBucketsCommand({}))).Buckets ?? [], []);
    } finally {
      managementS3.destroy();
    }

    for (const id of seeded.accountIds.slice(1)) {
      const credentials = await memberCredentials(moto.endpoint, id);
      // A multi-Region trail is listed in every Region, a single-Region one only at home: ask each.
      const names = new Set<string>();
      for (const region of seeded.regions) {
        const cloudtrail = new CloudTrailClient({ endpoint: moto.endpoint, region, credentials });
        try {
          for (const trail of (await cloudtrail.send(new DescribeTrailsCommand({}))).trailList ?? []) {
            assert.ok(trail.TrailARN?.includes(`:${id}:`), `${trail.TrailARN ?? ''} is listed in account ${id}`);
            names.add(trail.Name ?? '');
          }
        } finally {
          cloudtrail.destroy();
        }
      }
      assert.deepEqual([...names], ['member-trail']);
      const s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
      try {
        const buckets = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name).sort();
        const expected = id === seeded.logArchiveAccountId ? ['trailaudit-bench-organization-logs', `trailaudit-bench-${id}`] : [`trailaudit-bench-${id}`];
        assert.deepEqual(buckets, expected.sort());
      } finally {
        s3.destroy();
      }
    }
  });
});
