/**
 * The SNS topics monitoring alarms notify: ListSubscriptionsByTopic once per topic, in the topic's
 * Region (CONTROLS §2.2 step 7). A subscription counts only once confirmed, i.e. when its
 * `SubscriptionArn` is a real ARN rather than `PendingConfirmation` (or `Deleted`).
 */
import { ListSubscriptionsByTopicCommand, type Subscription } from '@aws-sdk/client-sns';
import { unknown, type Maybe, type SubscriptionFacts, type TopicFacts } from '../../model.js';
import { parseArn } from '../../../collect/live/arn.js';
import type { ClientFactory } from '../../../collect/live/clients.js';
import { asUnknown, errorCode } from '../../../collect/live/errors.js';
import { scheduledPages } from '../../../collect/live/pages.js';
import type { ApiScheduler } from '../../../collect/live/scheduler.js';

/** SNS codes for "you may not list this topic" (the SDK names the first `AuthorizationErrorException`). */
const DENIED = new Set(['AuthorizationError', 'AuthorizationErrorException', 'AccessDenied', 'AccessDeniedException']);
/** SNS's code for a topic that does not exist (the SDK names it `NotFoundException`). */
const GONE = new Set(['NotFound', 'NotFoundException']);

export interface TopicIdentity {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
}

/** The SNS topic an alarm action names, or undefined for other actions (Auto Scaling, Systems Manager, Lambda, …). */
export function topicOf(actionArn: string): TopicIdentity | undefined {
  const parsed = parseArn(actionArn);
  if (parsed?.service !== 'sns' || parsed.region === '' || parsed.resource === '' || parsed.resource.includes(':')) {
    return undefined;
  }
  return { arn: actionArn, name: parsed.resource, region: parsed.region, accountId: parsed.accountId };
}

/**
 * The topic and its subscriptions. Another account's topic that may not be listed is
 * Unknown(cross_account), as Security Hub's WARNING (CONTROLS §2.2), never a pass or a fail; a
 * topic that is gone notifies nobody, so its subscriptions are the empty list (a FAIL).
 */
export async function describeTopic(
  clients: ClientFactory,
  scheduler: ApiScheduler,
  topic: TopicIdentity,
  inScope: ReadonlySet<string>,
): Promise<TopicFacts> {
  const { arn, name, region, accountId } = topic;
  const outcome = await scheduledPages(scheduler, { action: 'sns:ListSubscriptionsByTopic', region, resource: `topic ${arn}` }, async (token) => {
    const client = await clients.sns(region);
    const response = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn, ...(token === undefined ? {} : { NextToken: token }) }));
    return { items: response.Subscriptions ?? [], nextToken: response.NextToken };
  });
  let subscriptions: Maybe<readonly SubscriptionFacts[]>;
  if (outcome.ok) {
    subscriptions = outcome.value.map(subscriptionFacts);
  } else {
    const code = errorCode(outcome.cause);
    if (code !== undefined && GONE.has(code)) {
      subscriptions = [];
    } else if (outcome.error.reason === 'access_denied' || (code !== undefined && DENIED.has(code))) {
      subscriptions = inScope.has(accountId) ? deniedOwnTopic(topic) : unknown(
        'cross_account',
        `SNS topic ${arn} belongs to account ${accountId}, which does not let this account list its subscriptions; ` +
          `audit that account, or allow sns:ListSubscriptionsByTopic on the topic to the auditing identity.`,
        { operation: 'sns:ListSubscriptionsByTopic', region, account: accountId },
      );
    } else {
      subscriptions = asUnknown(outcome.error);
    }
  }
  return { ref: { type: 'AWS::SNS::Topic', id: arn, name, accountId, region }, arn, name, region, accountId, subscriptions };
}

function deniedOwnTopic({ arn, region }: TopicIdentity): Maybe<readonly SubscriptionFacts[]> {
  return unknown(
    'access_denied',
    `Access denied calling sns:ListSubscriptionsByTopic for topic ${arn} in ${region}; grant sns:ListSubscriptionsByTopic to the auditing identity (see \`trailaudit iam-policy\`).`,
    { operation: 'sns:ListSubscriptionsByTopic', region },
  );
}

function subscriptionFacts(subscription: Subscription): SubscriptionFacts {
  const subscriptionArn = subscription.SubscriptionArn ?? '';
  const confirmed = parseArn(subscriptionArn) !== null;
  return {
    protocol: subscription.Protocol ?? '',
    confirmed,
    ...(subscription.Endpoint === undefined ? {} : { endpoint: subscription.Endpoint }),
    ...(confirmed ? { arn: subscriptionArn } : {}),
  };
}
