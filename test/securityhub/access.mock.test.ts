/**
 * createHubAccess: the caller's own account uses the caller's credentials, another account an
 * assumed role, once per account. moto never denies AssumeRole (MOTO_NOTES "More services"), so
 * the STS answers here are aws-sdk-client-mock's; the moto tests cover the working round trip.
 */
import { strict as assert } from 'node:assert';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { createHubAccess } from '../../src/securityhub/access.js';
import type { HubAccess } from '../../src/securityhub/types.js';

const CALLER = '111122223333';
const MEMBER = '444455556666';
const DENIED = '777788889999';

describe('Security Hub access per account (aws-sdk-client-mock STS)', () => {
  let sts: AwsClientStub<STSClient>;
  let access: HubAccess | undefined;

  beforeEach(() => {
    sts = mockClient(STSClient);
    sts.on(GetCallerIdentityCommand).resolves({ Account: CALLER, Arn: `arn:aws:iam::${CALLER}:user/auditor` });
    sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
      if (input.RoleArn.includes(DENIED)) {
        throw Object.assign(new Error(`User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`), {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        });
      }
      return { Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 3_600_000) } };
    });
  });
  afterEach(() => {
    access?.close();
    access = undefined;
    sts.restore();
  });

  async function open(roleName?: string): Promise<HubAccess> {
    access = await createHubAccess({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, region: 'us-east-1', ...(roleName === undefined ? {} : { roleName }) });
    return access;
  }

  it('uses the caller’s credentials for its own account and assumes the role once per other account', async () => {
    const hub = await open('AuditRole');
    assert.equal(hub.callerAccountId, CALLER);
    assert.equal(hub.partition, 'aws');
    const own = await hub.client(CALLER, 'us-east-1');
    assert.ok(own.ok);
    const [east, west] = await Promise.all([hub.client(MEMBER, 'us-east-1'), hub.client(MEMBER, 'eu-west-1')]);
    assert.ok(east.ok && west.ok);
    assert.notEqual(east.client, west.client, 'a client per Region');
    const again = await hub.client(MEMBER, 'us-east-1');
    assert.ok(again.ok);
    assert.equal(again.client, east.client, 'cached per (account, Region)');
    const assumed = sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn);
    assert.deepEqual(assumed, [`arn:aws:iam::${MEMBER}:role/AuditRole`]);
    assert.equal(await west.client.config.region(), 'eu-west-1');
  });

  it('an account whose role cannot be assumed gets no client: AWS’s code and the role ARN', async () => {
    const hub = await open('AuditRole');
    const denied = await hub.client(DENIED, 'us-east-1');
    assert.ok(!denied.ok);
    assert.equal(denied.code, 'AccessDenied');
    assert.match(denied.message, new RegExp(`arn:aws:iam::${DENIED}:role/AuditRole`, 'u'));
  });

  it('without a role, another account is `no_role` and nothing is assumed', async () => {
    const hub = await open();
    const other = await hub.client(MEMBER, 'us-east-1');
    assert.ok(!other.ok);
    assert.equal(other.code, 'no_role');
    assert.equal(sts.commandCalls(AssumeRoleCommand).length, 0);
  });
});
