/**
 * Security Hub on moto for tests: enabling the hub, and reading back everything it holds. moto
 * applies no GetFindings filter (MOTO_NOTES "More services"), so a reader gets every finding of
 * the credentials' account in the Region and filters on its own side.
 */
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { MOTO_CREDENTIALS } from './clients.js';

export type HubCredentials = { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };

export async function enableSecurityHub(endpoint: string, regions: readonly string[], credentials: HubCredentials = MOTO_CREDENTIALS): Promise<void> {
  for (const region of regions) {
    const client = new SecurityHubClient({ endpoint, region, credentials });
    try {
      await client.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    } finally {
      client.destroy();
    }
  }
}

/** Every finding Security Hub holds for the credentials' account in the Region, every page. */
export async function heldFindings(endpoint: string, region: string, credentials: HubCredentials = MOTO_CREDENTIALS): Promise<AwsSecurityFinding[]> {
  const client = new SecurityHubClient({ endpoint, region, credentials });
  try {
    const found: AwsSecurityFinding[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new GetFindingsCommand({ MaxResults: 100, ...(token === undefined ? {} : { NextToken: token }) }));
      found.push(...(page.Findings ?? []));
      token = page.NextToken === '' ? undefined : page.NextToken;
    } while (token !== undefined);
    return found;
  } finally {
    client.destroy();
  }
}
