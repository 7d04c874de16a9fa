/**
 * Is Security Hub enabled in a Region (CIS 4.16)? securityhub:DescribeHub once per audited
 * account and Region. "Not subscribed" is an answer (enabled: false), not a failure: AWS (and moto)
 * say it with InvalidAccessException. Any other failure is an Unknown with its reason.
 */
import { DescribeHubCommand } from '@aws-sdk/client-securityhub';
import type { SecurityHubFacts } from '../../model.js';
import type { ClientFactory } from '../../../collect/live/clients.js';
import { asUnknown, errorCode } from '../../../collect/live/errors.js';
import type { ApiScheduler, Outcome } from '../../../collect/live/scheduler.js';

/** The code DescribeHub answers for an account that has not enabled Security Hub in the Region. */
const NOT_SUBSCRIBED = 'InvalidAccessException';

/** What DescribeHub said: the hub, or null for "not subscribed". */
export type HubAnswer = Outcome<{ readonly hubArn: string | undefined; readonly subscribedAt: string | undefined } | null>;

export async function describeHub(clients: ClientFactory, scheduler: ApiScheduler, region: string): Promise<HubAnswer> {
  return scheduler.call({ action: 'securityhub:DescribeHub', region }, async () => {
    const client = await clients.securityHub(region);
    try {
      const response = await client.send(new DescribeHubCommand({}));
      return { hubArn: response.HubArn, subscribedAt: response.SubscribedAt };
    } catch (error) {
      if (errorCode(error) === NOT_SUBSCRIBED) {
        return null;
      }
      throw error;
    }
  });
}

export function hubFacts(scope: { readonly accountId: string; readonly partition: string }, region: string, answer: HubAnswer): SecurityHubFacts {
  const id = `arn:${scope.partition}:securityhub:${region}:${scope.accountId}:hub/default`;
  const base = { ref: { type: 'AWS::SecurityHub::Hub', id, accountId: scope.accountId, region }, region, accountId: scope.accountId };
  if (!answer.ok) {
    return { ...base, enabled: asUnknown(answer.error) };
  }
  if (answer.value === null) {
    return { ...base, enabled: false };
  }
  const { hubArn, subscribedAt } = answer.value;
  return {
    ...base,
    enabled: true,
    ...(hubArn === undefined || hubArn === '' ? {} : { hubArn }),
    ...(subscribedAt === undefined || subscribedAt === '' ? {} : { subscribedAt }),
  };
}
