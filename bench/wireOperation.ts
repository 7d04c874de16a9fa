/**
 * Name the operation of a request seen on the wire (by the latency proxy), in the IAM-action
 * terms `stats.apiCalls` uses. The report counts logical calls; the wire also shows the SDK's
 * retries, which cost time and slots without changing the logical count.
 */
import type { IncomingMessage } from 'node:http';

/** S3 sub-resources in the query string → IAM action. */
const S3_SUBRESOURCES: Readonly<Record<string, string>> = {
  location: 's3:GetBucketLocation',
  acl: 's3:GetBucketAcl',
  policy: 's3:GetBucketPolicy',
  policyStatus: 's3:GetBucketPolicyStatus',
  publicAccessBlock: 's3:GetBucketPublicAccessBlock',
  ownershipControls: 's3:GetBucketOwnershipControls',
  logging: 's3:GetBucketLogging',
};

/** JSON-protocol target prefixes (`X-Amz-Target: <prefix>_<version>.<Operation>`) → IAM service. */
const TARGET_SERVICES: readonly (readonly [string, string])[] = [
  ['CloudTrail', 'cloudtrail'],
  ['Logs_', 'logs'],
  ['GraniteServiceVersion', 'cloudwatch'],
  ['TrentService', 'kms'],
  ['AWSOrganizationsV', 'organizations'],
];

/** Query-protocol calls the collector makes, by the service its SigV4 credential scope names (one call per service). */
const QUERY_ACTIONS: Readonly<Record<string, string>> = {
  sts: 'sts:GetCallerIdentity',
  ec2: 'ec2:DescribeRegions',
  sns: 'sns:ListSubscriptionsByTopic',
};

/**
 * `body`, when the proxy read it, names a query-protocol call's action (`Action=AssumeRole&…`);
 * without it the service alone is known and QUERY_ACTIONS guesses its one call.
 */
export function wireOperation(request: Pick<IncomingMessage, 'method' | 'url' | 'headers'>, body?: Buffer): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    // JSON protocols: "CloudTrail_20131101.DescribeTrails".
    const [service = '', operation = target] = target.split('.');
    const prefix = TARGET_SERVICES.find(([start]) => service.startsWith(start))?.[1] ?? service.toLowerCase();
    return `${prefix}:${operation}`;
  }
  const url = new URL(request.url ?? '/', 'http://proxy.invalid');
  if (request.method === 'GET' && url.pathname === '/accounts') {
    return 'securityhub:DescribeHub';
  }
  if (url.pathname.startsWith('/v20180820/configuration/publicAccessBlock')) {
    return 's3:GetAccountPublicAccessBlock';
  }
  if (url.searchParams.get('x-id') === 'ListBuckets') {
    return 's3:ListAllMyBuckets';
  }
  for (const key of url.searchParams.keys()) {
    const action = S3_SUBRESOURCES[key];
    if (action !== undefined) {
      return action;
    }
  }
  // The query protocols (STS, EC2, SNS) carry the action in the form body, which the proxy
  // streams; the signature's credential scope still names the service.
  if (request.method === 'POST' && url.pathname === '/') {
    const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([a-z0-9-]+)\/aws4_request/u.exec(request.headers.authorization ?? '');
    const action = body === undefined ? null : new URLSearchParams(body.toString('utf8')).get('Action');
    if (scope?.[1] !== undefined && action !== null && action !== '') {
      return `${scope[1]}:${action}`;
    }
    return QUERY_ACTIONS[scope?.[1] ?? ''] ?? 'query-protocol (sts/ec2)';
  }
  return `other ${request.method ?? '?'}`;
}
