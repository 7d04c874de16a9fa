/** Security Hub's state per audited account and Region (`$.securityHubs`), for CIS 4.16. */
import type { FactLocations, Maybe, ResourceRef } from '../../core.js';

export interface SecurityHubFacts {
  /** type `AWS::SecurityHub::Hub`, id = `arn:<partition>:securityhub:<region>:<account>:hub/default`, region = the Region. */
  readonly ref: ResourceRef;
  readonly locations?: FactLocations;
  readonly region: string;
  readonly accountId: string;
  /** DescribeHub answered (true) or said the account is not subscribed (InvalidAccessException: false). */
  readonly enabled: Maybe<boolean>;
  readonly hubArn?: string;
  readonly subscribedAt?: string;
}
