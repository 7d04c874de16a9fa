/**
 * Whether an SNS subscription a template or plan declares will be confirmed, which only AWS can
 * say after deployment (ListSubscriptionsByTopic shows `PendingConfirmation` until then). Shared
 * by the CloudFormation and Terraform readers.
 *
 * SNS sends email, email-json, http and https endpoints a confirmation message and delivers
 * nothing until the recipient confirms (SNS Developer Guide, "Subscribing to an Amazon SNS topic",
 * https://docs.aws.amazon.com/sns/latest/dg/sns-create-subscribe-endpoint-to-topic.html, and the
 * HTTP/S confirmation page https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html):
 * Unknown('unsupported'). AWS endpoints (sqs, lambda, firehose) are confirmed by SNS itself when
 * the endpoint is in the topic's account; a queue in another account must confirm like an email
 * ("Sending Amazon SNS messages to an Amazon SQS queue in a different account",
 * https://docs.aws.amazon.com/sns/latest/dg/sns-send-message-to-sqs-cross-account.html), so they
 * count as confirmed only when the endpoint is a resource the same template or plan declares.
 * sms and application (mobile push) subscriptions need no confirmation.
 */
import type { Maybe } from '../../model.js';
import { unknown } from '../../model.js';

const RECIPIENT_CONFIRMS: ReadonlySet<string> = new Set(['email', 'email-json', 'http', 'https']);
const SAME_ACCOUNT_AUTO: ReadonlySet<string> = new Set(['sqs', 'lambda', 'firehose']);
const NO_CONFIRMATION: ReadonlySet<string> = new Set(['sms', 'application']);

/**
 * `protocol` as declared (undefined when computed at deploy time); `endpointDeclared`: the endpoint
 * is a resource of the same template or plan (so in the topic's account); `who` names the
 * subscription in messages.
 */
export function declaredConfirmation(protocol: string | undefined, endpointDeclared: boolean, who: string): Maybe<boolean> {
  const name = protocol?.toLowerCase();
  if (name === undefined) {
    return unknown('unsupported', `${who}: the protocol is computed at deploy time, so whether the subscription needs confirming is unknown; audit the topic live.`);
  }
  if (RECIPIENT_CONFIRMS.has(name)) {
    return unknown(
      'unsupported',
      `${who}: the ${name} subscription stays PendingConfirmation until its recipient confirms it, which a template or plan cannot show; audit the topic live (sns:ListSubscriptionsByTopic).`,
    );
  }
  if (SAME_ACCOUNT_AUTO.has(name)) {
    return endpointDeclared
      ? true
      : unknown(
          'unsupported',
          `${who}: an endpoint (protocol ${name}) in another account must confirm the subscription, and this endpoint is not declared here, so its account is unknown; audit the topic live.`,
        );
  }
  if (NO_CONFIRMATION.has(name)) {
    return true;
  }
  return unknown('unsupported', `${who}: protocol ${protocol ?? ''} is not one SNS documents; audit the topic live.`);
}
