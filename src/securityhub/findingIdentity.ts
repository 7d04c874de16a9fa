/**
 * Who a Security Hub finding is, for trailaudit: the deterministic Id of one of our findings, and
 * how to recognise (and place) a finding this tool imported earlier.
 *
 * The Id is `trailaudit/<checkId>/<account>/<resource Region>/<resource id>`. The ASFF report's Id
 * (src/report/asff.ts) has no account: a bucket ARN (`arn:aws:s3:::name`) and an account-level
 * finding's Region (`global`) do not name one, so the Id here adds it. Security Hub keys a finding
 * by (ProductArn, Id); both carry the account, which keeps the Id meaningful on its own too.
 * Ids longer than Security Hub's 512 characters end in a hash of the whole, so that two long
 * resource ids never collapse into one finding.
 */
import { createHash } from 'node:crypto';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Finding } from '../engine/types.js';

export const GENERATOR_PREFIX = 'trailaudit/';
/** ProductFields key holding the resource's own Region (`global` for account-level findings). */
export const RESOURCE_REGION_FIELD = 'trailaudit/ResourceRegion';

/**
 * A log bucket's finding: the accounts whose trails wrote to the bucket when it was judged
 * (comma-separated ids, from the evidence's trailArns). A later run that no longer reports the
 * bucket archives its finding only if it audited every one of them (evaluatedScope.ts).
 */
export const WRITER_ACCOUNTS_FIELD = 'trailaudit/WriterAccounts';

/** The accounts of the trails in a finding's evidence (`trailArns`), sorted, each once. */
export function writerAccounts(evidence: Readonly<Record<string, unknown>>): string[] {
  const arns = Array.isArray(evidence.trailArns) ? evidence.trailArns : [];
  const accounts = arns.map((arn) => (typeof arn === 'string' ? /^arn:[^:]+:cloudtrail:[^:]*:(\d{12}):/u.exec(arn)?.[1] : undefined));
  return [...new Set(accounts.filter((id): id is string => id !== undefined))].sort();
}
/**
 * ProductFields key holding when the run that last imported or archived the finding observed it
 * (its report's `finishedAt`): an older report is not imported over it. An archive leaves
 * `LastObservedAt` as it was (the resource was last seen then), so this field is what dates it.
 */
export const EVALUATED_AT_FIELD = 'trailaudit/EvaluatedAt';

const MAX_ID = 512;
const HASH_LENGTH = 16;

export function findingId(finding: Finding, accountId: string): string {
  const id = `${GENERATOR_PREFIX}${finding.checkId}/${accountId}/${finding.resource.region}/${finding.resource.id}`;
  if (id.length <= MAX_ID) {
    return id;
  }
  const hash = createHash('sha256').update(id).digest('hex').slice(0, HASH_LENGTH);
  return `${id.slice(0, MAX_ID - HASH_LENGTH - 1)}~${hash}`;
}

/** Security Hub's identity of a finding: its Id is unique within its product (and so Region). */
export function findingKey(finding: Pick<AwsSecurityFinding, 'ProductArn' | 'Id'>): string {
  return `${finding.ProductArn ?? ''}\n${finding.Id ?? ''}`;
}

/** A real Region name (not `global`, not `unknown`), as src/report/asff.ts decides it too. */
export function isRegionName(region: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-\d$/u.test(region);
}

export interface OwnFinding {
  readonly checkId: string;
  readonly accountId: string;
  /** The resource's Region as this tool wrote it (`global` for account-level findings). */
  readonly resourceRegion: string;
  /** The Security Hub Region holding the finding. */
  readonly hubRegion: string;
  /** Its resource's id (`Resources[0].Id`: a trail's or bucket's ARN, `AWS::::Account:<id>`). */
  readonly resourceId: string;
  /** A log bucket's finding: the accounts whose trails wrote to it (WRITER_ACCOUNTS_FIELD); absent in older findings. */
  readonly writerAccounts?: readonly string[];
}

/**
 * The check, account and resource Region of a finding this tool imported, or null for anything
 * else: another generator, or a product other than the default custom product of the finding's
 * own account in its own Region (another integration's finding, or a copy aggregated from
 * elsewhere, is never ours to change). Findings imported from an older `trailaudit.asff.json`
 * carry no resource Region field: their Security Hub Region stands in for it.
 */
export function ownFinding(finding: AwsSecurityFinding): OwnFinding | null {
  const generator = finding.GeneratorId ?? '';
  const accountId = finding.AwsAccountId ?? '';
  const region = finding.Region ?? '';
  if (!generator.startsWith(GENERATOR_PREFIX) || !/^\d{12}$/u.test(accountId) || !isRegionName(region)) {
    return null;
  }
  // Our Ids start with the generator (`trailaudit/<check>/…`, older files' too): a finding another
  // integration imported under a look-alike generator is not ours to archive.
  if (!(finding.Id ?? '').startsWith(`${generator}/`)) {
    return null;
  }
  const product = new RegExp(`^arn:aws(-[a-z]+)*:securityhub:${region}:${accountId}:product/${accountId}/default$`, 'u');
  const writers = finding.ProductFields?.[WRITER_ACCOUNTS_FIELD];
  if (!product.test(finding.ProductArn ?? '')) {
    return null;
  }
  return {
    checkId: generator.slice(GENERATOR_PREFIX.length),
    accountId,
    resourceRegion: finding.ProductFields?.[RESOURCE_REGION_FIELD] ?? region,
    hubRegion: region,
    resourceId: finding.Resources?.[0]?.Id ?? '',
    ...(writers === undefined ? {} : { writerAccounts: writers.split(',').filter((id) => id !== '') }),
  };
}
