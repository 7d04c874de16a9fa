/**
 * A moto_server that enforces IAM: after its first `setupCalls` actions (INITIAL_NO_AUTH_ACTION_COUNT)
 * every request is authenticated and checked against the caller's identity policies (an IAM
 * user's, or an assumed role's), so AccessDenied comes from the emulator itself rather than from a
 * mock. The setup calls seed the resources and create the users and roles holding exactly the
 * policies under test; count them exactly.
 */
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { startMoto, type MotoServer } from '../../support/moto/server.js';

export function startEnforcingMoto(setupCalls: number): Promise<MotoServer> {
  return startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: String(setupCalls) } });
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const ROOT: Credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

function iam(endpoint: string, credentials: Credentials): IAMClient {
  return new IAMClient({ endpoint, region: 'us-east-1', credentials });
}

/**
 * Creates an IAM user in the default account with `policy` as its only (inline) policy and returns
 * the environment of a CLI run as that user: three setup calls.
 */
export async function userWithPolicy(endpoint: string, name: string, policy: unknown): Promise<Record<string, string>> {
  const client = iam(endpoint, ROOT);
  try {
    await client.send(new CreateUserCommand({ UserName: name }));
    await client.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'trailaudit', PolicyDocument: JSON.stringify(policy) }));
    const key = (await client.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
    if (key?.AccessKeyId === undefined || key.SecretAccessKey === undefined) {
      throw new Error('moto returned no access key');
    }
    return { AWS_ACCESS_KEY_ID: key.AccessKeyId, AWS_SECRET_ACCESS_KEY: key.SecretAccessKey, AWS_REGION: 'us-east-1' };
  } finally {
    client.destroy();
  }
}

/**
 * Creates, in the account `credentials` belong to (a member's, through AssumeRole), a role that
 * `trustedAccount` may assume, with `policy` as its only (inline) policy: two setup calls.
 */
export async function roleWithPolicy(endpoint: string, credentials: Credentials, name: string, trustedAccount: string, policy: unknown): Promise<void> {
  const client = iam(endpoint, credentials);
  try {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${trustedAccount}:root` }, Action: 'sts:AssumeRole' }] };
    await client.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await client.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'trailaudit', PolicyDocument: JSON.stringify(policy) }));
  } finally {
    client.destroy();
  }
}
