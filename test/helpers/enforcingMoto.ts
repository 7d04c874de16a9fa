/**
 * A moto_server that enforces IAM: after its first `setupCalls` actions (INITIAL_NO_AUTH_ACTION_COUNT)
 * every request is authenticated and checked against the calling IAM user's identity policy, so
 * AccessDenied comes from the emulator itself rather than from a mock. The setup calls seed the
 * resources and create users holding exactly the policies under test.
 */
import { strict as assert } from 'node:assert';
import { startMoto, type MotoServer } from '../../support/moto/server.js';

export function startEnforcingMoto(setupCalls: number): Promise<MotoServer> {
  return startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: String(setupCalls) } });
}

/**
 * One IAM query call, sent unsigned: moto checks nothing during its setup calls (and the project
 * has no IAM client to sign with: nothing it ships calls IAM).
 */
async function iamCall(endpoint: string, parameters: Record<string, string>): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=testing/20261206/us-east-1/iam/aws4_request' },
    body: new URLSearchParams({ Version: '2010-05-08', ...parameters }).toString(),
  });
  const text = await response.text();
  assert.ok(response.ok, text);
  return text;
}

/**
 * Creates an IAM user with `policy` as its only (inline) policy and returns the environment of a
 * CLI run as that user: three of the setup calls.
 */
export async function userWithPolicy(endpoint: string, name: string, policy: unknown): Promise<Record<string, string>> {
  await iamCall(endpoint, { Action: 'CreateUser', UserName: name });
  await iamCall(endpoint, { Action: 'PutUserPolicy', UserName: name, PolicyName: 'trailaudit', PolicyDocument: JSON.stringify(policy) });
  const created = await iamCall(endpoint, { Action: 'CreateAccessKey', UserName: name });
  const field = (tag: string): string => new RegExp(`<${tag}>([^<]+)</${tag}>`, 'u').exec(created)?.[1] ?? assert.fail(`no ${tag} in ${created}`);
  return { AWS_ACCESS_KEY_ID: field('AccessKeyId'), AWS_SECRET_ACCESS_KEY: field('SecretAccessKey'), AWS_REGION: 'us-east-1' };
}
