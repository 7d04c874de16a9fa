/**
 * The Security Hub part of `npm run demo`: each account of the example organization enables
 * Security Hub, the organization audit runs with `--security-hub`, and the demo reads back what
 * each account's own Security Hub holds (the findings went in with each member's assumed role).
 */
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS } from '../support/moto/clients.js';
import type { ExampleOrganization } from '../support/moto/exampleOrganization.js';
import { memberCredentials } from '../support/moto/organization.js';
import { enableSecurityHub, heldFindings, type HubCredentials } from '../support/moto/securityHub.js';

async function accountCredentials(endpoint: string, accountId: string): Promise<HubCredentials> {
  return accountId === MOTO_ACCOUNT_ID ? MOTO_CREDENTIALS : memberCredentials(endpoint, accountId);
}

function accountsOf(organization: ExampleOrganization): { id: string; name: string }[] {
  return [organization.management, organization.logArchive, organization.prod, organization.sandbox];
}

export async function enableOrganizationSecurityHub(endpoint: string, organization: ExampleOrganization): Promise<void> {
  for (const account of accountsOf(organization)) {
    await enableSecurityHub(endpoint, organization.regions, await accountCredentials(endpoint, account.id));
  }
}

/** What each account's Security Hub holds from trailaudit, by Compliance.Status (moto applies no filter: filtered here). */
export async function describeOrganizationSecurityHub(endpoint: string, organization: ExampleOrganization): Promise<void> {
  console.log('Security Hub, read back in each account (trailaudit findings, ACTIVE):');
  for (const account of accountsOf(organization)) {
    const credentials = await accountCredentials(endpoint, account.id);
    const counts = new Map<string, number>();
    for (const region of organization.regions) {
      for (const finding of await heldFindings(endpoint, region, credentials)) {
        if ((finding.GeneratorId ?? '').startsWith('trailaudit/') && finding.RecordState === 'ACTIVE' && finding.AwsAccountId === account.id) {
          const status = finding.Compliance?.Status ?? 'none';
          counts.set(status, (counts.get(status) ?? 0) + 1);
        }
      }
    }
    const text = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([status, count]) => `${String(count)} ${status}`);
    console.log(`  ${account.id} ${account.name.padEnd(18)} ${text.length === 0 ? 'nothing' : text.join(', ')}`);
  }
}
