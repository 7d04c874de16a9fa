/**
 * Seeding a moto_server as one AWS Organization (SCALE_AND_INTEGRATIONS §2): the caller (moto's
 * fixed account) becomes the management account, members are created with CreateAccount (moto
 * gives each a random 12-digit id and an OrganizationAccountAccessRole), organizational units are
 * created (nested as asked) and accounts moved into them. AssumeRole into a member returns
 * credentials whose calls see only that member's resources, which is how tests seed a member.
 * Shared by tests, `npm run demo` and `npm run bench`; never by the product itself.
 */
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { MOTO_ACCOUNT_ID, motoClientConfig } from './clients.js';

/** An organizational unit to create; `parent` names another unit of the seed (root when absent). */
export interface UnitSeed {
  readonly name: string;
  readonly parent?: string;
}

/** A member account to create; `unit` names a unit of the seed (stays under the root when absent). */
export interface AccountSeed {
  readonly name: string;
  readonly unit?: string;
}

export interface OrganizationSeed {
  /** Created in order, so a unit's parent must come before it. */
  readonly units?: readonly UnitSeed[];
  readonly accounts?: readonly AccountSeed[];
  /** Default 'ALL' (what organization trails need). */
  readonly featureSet?: 'ALL' | 'CONSOLIDATED_BILLING';
}

export interface SeededAccount {
  readonly name: string;
  readonly id: string;
  /** The unit's id (`ou-…`) or the root's (`r-…`). */
  readonly parentId: string;
}

export interface SeededOrganization {
  readonly organizationId: string;
  /** moto's fixed account, which created the organization. */
  readonly managementAccountId: string;
  readonly rootId: string;
  /** Members in the order of the seed. */
  readonly accounts: readonly SeededAccount[];
  /** Unit ids by unit name. */
  readonly units: ReadonlyMap<string, string>;
  /** The id of the member of that name (throws for a name not seeded, so a typo fails loudly). */
  accountId(name: string): string;
}

export const MEMBER_ROLE_NAME = 'OrganizationAccountAccessRole';

export function organizationsClient(endpoint: string, region = 'us-east-1'): OrganizationsClient {
  return new OrganizationsClient(motoClientConfig(endpoint, region));
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`moto returned no ${what}`);
  }
  return value;
}

/**
 * Create the organization, its units and its members on a fresh (or reset) moto_server. Member
 * e-mails are derived from the names, so names must be unique within one seed.
 */
export async function seedOrganization(endpoint: string, seed: OrganizationSeed = {}): Promise<SeededOrganization> {
  const client = organizationsClient(endpoint);
  try {
    const created = await client.send(new CreateOrganizationCommand({ FeatureSet: seed.featureSet ?? 'ALL' }));
    const organizationId = required(created.Organization?.Id, 'organization id');
    const roots = await client.send(new ListRootsCommand({}));
    const rootId = required(roots.Roots?.[0]?.Id, 'root id');
    const units = new Map<string, string>();
    for (const unit of seed.units ?? []) {
      const parentId = unit.parent === undefined ? rootId : units.get(unit.parent);
      if (parentId === undefined) {
        throw new Error(`unit ${unit.name}: parent ${unit.parent ?? ''} is not seeded before it`);
      }
      const response = await client.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: unit.name }));
      units.set(unit.name, required(response.OrganizationalUnit?.Id, `id of unit ${unit.name}`));
    }
    const accounts: SeededAccount[] = [];
    for (const account of seed.accounts ?? []) {
      const response = await client.send(
        new CreateAccountCommand({ AccountName: account.name, Email: `${account.name.toLowerCase().replace(/[^a-z0-9]+/gu, '-')}@example.com` }),
      );
      // moto answers SUCCEEDED at once, with the new id (AWS would need DescribeCreateAccountStatus).
      const id = required(response.CreateAccountStatus?.AccountId, `id of account ${account.name}`);
      let parentId = rootId;
      if (account.unit !== undefined) {
        const unitId = units.get(account.unit);
        if (unitId === undefined) {
          throw new Error(`account ${account.name}: unit ${account.unit} is not seeded`);
        }
        await client.send(new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: unitId }));
        parentId = unitId;
      }
      accounts.push({ name: account.name, id, parentId });
    }
    return {
      organizationId,
      managementAccountId: MOTO_ACCOUNT_ID,
      rootId,
      accounts,
      units,
      accountId(name: string): string {
        const found = accounts.find((account) => account.name === name);
        if (found === undefined) {
          throw new Error(`no seeded account named ${name}`);
        }
        return found.id;
      },
    };
  } finally {
    client.destroy();
  }
}

export interface MemberCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/**
 * Credentials of a member (AssumeRole from the management account into its role): SDK clients
 * built with them create and see only that member's resources in moto.
 */
export async function memberCredentials(endpoint: string, accountId: string, roleName = MEMBER_ROLE_NAME): Promise<MemberCredentials> {
  const sts = new STSClient(motoClientConfig(endpoint, 'us-east-1'));
  try {
    const response = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: 'seed' }),
    );
    const credentials = required(response.Credentials, 'credentials');
    return {
      accessKeyId: required(credentials.AccessKeyId, 'access key id'),
      secretAccessKey: required(credentials.SecretAccessKey, 'secret access key'),
      sessionToken: required(credentials.SessionToken, 'session token'),
    };
  } finally {
    sts.destroy();
  }
}

/** SDK client options for one member account on moto (as motoClientConfig is for the management account). */
export async function memberClientConfig(
  endpoint: string,
  region: string,
  accountId: string,
  roleName = MEMBER_ROLE_NAME,
): Promise<{ endpoint: string; region: string; credentials: MemberCredentials }> {
  return { endpoint, region, credentials: await memberCredentials(endpoint, accountId, roleName) };
}
