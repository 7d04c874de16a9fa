/**
 * The findings this tool imported earlier into one (account, Region): GetFindings under the
 * account's default product with generator prefix `trailaudit/`, paged to the end. The filters
 * are sent (AWS applies them) and applied again here: moto ignores every filter, and an
 * aggregation Region returns other Regions' findings (Prowler #1100), which are never ours to
 * change there. RecordState is not filtered: an archived finding reported again keeps its
 * CreatedAt / FirstObservedAt (the planner re-activates it).
 */
import { GetFindingsCommand, type AwsSecurityFinding, type AwsSecurityFindingFilters, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { defaultProductArn } from '../report/asff.js';
import { GENERATOR_PREFIX } from './findingIdentity.js';

/** GetFindings' largest page. */
export const PAGE_SIZE = 100;

export interface HubTarget {
  readonly accountId: string;
  readonly region: string;
}

export function previousFindingFilters(target: HubTarget): AwsSecurityFindingFilters {
  return {
    ProductArn: [{ Value: defaultProductArn(target.accountId, target.region), Comparison: 'EQUALS' }],
    GeneratorId: [{ Value: GENERATOR_PREFIX, Comparison: 'PREFIX' }],
    AwsAccountId: [{ Value: target.accountId, Comparison: 'EQUALS' }],
    Region: [{ Value: target.region, Comparison: 'EQUALS' }],
  };
}

/** The same filters, on the client. */
export function matchesPreviousFilters(finding: AwsSecurityFinding, target: HubTarget): boolean {
  return (
    finding.ProductArn === defaultProductArn(target.accountId, target.region) &&
    (finding.GeneratorId ?? '').startsWith(GENERATOR_PREFIX) &&
    finding.AwsAccountId === target.accountId &&
    finding.Region === target.region
  );
}

/**
 * Every page; throws on any failed page (a partial list would let the planner reset first-seen
 * times of the findings on the missing pages). `send` is the paced call.
 */
export async function readPreviousFindings(
  client: SecurityHubClient,
  target: HubTarget,
  send: <T>(call: () => Promise<T>) => Promise<T>,
): Promise<AwsSecurityFinding[]> {
  const filters = previousFindingFilters(target);
  const found: AwsSecurityFinding[] = [];
  const seenTokens = new Set<string>();
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await send(() => client.send(new GetFindingsCommand({ Filters: filters, MaxResults: PAGE_SIZE, ...(token === undefined ? {} : { NextToken: token }) })));
    found.push(...(page.Findings ?? []).filter((finding) => matchesPreviousFilters(finding, target)));
    nextToken = page.NextToken === '' ? undefined : page.NextToken;
    if (nextToken !== undefined) {
      // A token seen before would page for ever: the list cannot be completed.
      if (seenTokens.has(nextToken)) {
        throw new Error(`GetFindings returned the page token ${nextToken.slice(0, 40)} twice; the previous findings cannot be listed to the end`);
      }
      seenTokens.add(nextToken);
    }
  } while (nextToken !== undefined);
  return found;
}
