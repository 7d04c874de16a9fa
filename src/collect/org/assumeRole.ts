/**
 * Entering a member account: sts:AssumeRole into `--role-name` with the caller's credentials,
 * as a credential provider for the member's clients.
 *
 * The first session is asked for before anything is read in the account, so a role that cannot
 * be assumed makes the account unreachable (with the role ARN and the error) instead of turning
 * every fact into the same denial. The session lasts an hour and a large audit can outlive it:
 * the provider asks for a new one well before the old one expires (the SDK itself only refreshes
 * within seconds of expiry, too late for a request queued behind hundreds of others).
 */
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { UnknownDetail } from '../../facts/model.js';
import type { ClientFactory } from '../live/clients.js';
import { errorCode } from '../live/errors.js';
import type { CallScheduler } from '../live/scheduler.js';

/** Sessions are renewed this long before they expire. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;
export const SESSION_SECONDS = 3600;

export interface RoleRequest {
  readonly accountId: string;
  readonly partition: string;
  readonly roleName: string;
  readonly roleSessionName: string;
  readonly externalId?: string;
}

export type AssumedRole =
  | { readonly ok: true; readonly roleArn: string; readonly credentials: AwsCredentialIdentityProvider }
  | { readonly ok: false; readonly roleArn: string; readonly error: UnknownDetail; readonly code?: string };

export function roleArnOf(request: Pick<RoleRequest, 'accountId' | 'partition' | 'roleName'>): string {
  return `arn:${request.partition}:iam::${request.accountId}:role/${request.roleName}`;
}

/**
 * Assumes the role once (through the caller's scheduler, so the call is counted and limited) and
 * returns a provider that serves that session and renews it {@link REFRESH_BEFORE_EXPIRY_MS}
 * before it expires. `now` is for tests.
 */
export async function assumeRole(
  callerClients: ClientFactory,
  scheduler: CallScheduler,
  region: string,
  request: RoleRequest,
  now: () => number = Date.now,
): Promise<AssumedRole> {
  const roleArn = roleArnOf(request);
  const session = async () => {
    const outcome = await scheduler.call({ action: 'sts:AssumeRole', region, resource: `role ${roleArn}` }, async () => {
      const response = await callerClients.sts(region).send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: request.roleSessionName,
          DurationSeconds: SESSION_SECONDS,
          ...(request.externalId === undefined ? {} : { ExternalId: request.externalId }),
        }),
      );
      const issued = response.Credentials;
      if (issued?.AccessKeyId === undefined || issued.SecretAccessKey === undefined) {
        throw new Error(`sts:AssumeRole returned no credentials for ${roleArn}`);
      }
      const credentials: AwsCredentialIdentity = {
        accessKeyId: issued.AccessKeyId,
        secretAccessKey: issued.SecretAccessKey,
        ...(issued.SessionToken === undefined ? {} : { sessionToken: issued.SessionToken }),
        ...(issued.Expiration === undefined ? {} : { expiration: issued.Expiration }),
      };
      return credentials;
    });
    return outcome;
  };

  const first = await session();
  if (!first.ok) {
    const code = errorCode(first.cause);
    return {
      ok: false,
      roleArn,
      ...(code === undefined ? {} : { code }),
      error: {
        ...first.error,
        operation: 'sts:AssumeRole',
        account: request.accountId,
        message: `Role ${roleArn} could not be assumed${code === undefined ? '' : ` (${code})`}: ${first.error.message}`,
      },
    };
  }
  let current: AwsCredentialIdentity = first.value;
  // One renewal at a time, however many requests ask for credentials while it is under way.
  let renewal: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (credentials: AwsCredentialIdentity): boolean =>
    credentials.expiration === undefined || credentials.expiration.getTime() - now() > REFRESH_BEFORE_EXPIRY_MS;
  const provider: AwsCredentialIdentityProvider = async () => {
    if (fresh(current)) {
      return current;
    }
    renewal ??= session()
      .then((outcome) => {
        if (!outcome.ok) {
          // The request that needed the credentials fails with this cause (classified there).
          throw outcome.cause instanceof Error ? outcome.cause : new Error(outcome.error.message);
        }
        current = outcome.value;
        return current;
      })
      .finally(() => {
        renewal = undefined;
      });
    return renewal;
  };
  return { ok: true, roleArn, credentials: provider };
}
