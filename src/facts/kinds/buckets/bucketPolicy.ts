/**
 * Static analysis of an S3 bucket policy against S3's own definition of "public" (the rule
 * behind Block Public Access and GetBucketPolicyStatus). Used when GetBucketPolicyStatus does not
 * answer (emulators, missing permission) and for IaC, where there is no service to ask.
 *
 * S3's rule: a policy is public unless every statement granting to everyone is limited by a
 * fixed value — a CIDR set on aws:SourceIp, or a fixed source account, ARN, VPC, endpoint, access
 * point, KMS key or user id. Fixed means no wildcard and no policy variable.
 *
 * Approximations (all on the side of reporting "public"):
 * - "Bad actions" are not analysed: any Allow to everyone counts, whatever its actions.
 * - aws:SourceIp pins only with IPv4 prefixes of /8 or longer and IPv6 prefixes of /32 or longer;
 *   S3 documents "a set of CIDRs" without publishing the exact threshold.
 * - `ForAllValues:` conditions never pin: they are vacuously true when the key is missing from
 *   the request, which is exactly the anonymous case. `ForAnyValue:` forms do pin.
 * - `StringLike`/`ArnLike` pin only without wildcards (then they are plain equality).
 */
import { isRecord, parsePolicyStatements, toStrings } from '../../policyDocument.js';

/** Condition keys whose fixed value limits a statement to known requesters (case-insensitive). */
const PINNING_KEYS: ReadonlySet<string> = new Set([
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceowner',
  'aws:sourceaccount',
  // Not aws:PrincipalOrgID or aws:PrincipalAccount: S3's definition (CONTROLS §1.6) does not list
  // them, and treating them as pinning could only turn a public verdict into a false PASS.
  's3:x-amz-server-side-encryption-aws-kms-key-id',
  // Access point delegation (a fixed access point account or ARN), which S3's definition lists.
  's3:dataaccesspointarn',
  's3:dataaccesspointaccount',
  // A fixed user id pins; the role-session pattern AROLEID:* carries a wildcard and so never does.
  'aws:userid',
]);

/** Equality-type operators (lower case, prefix and IfExists removed). */
const PINNING_STRING_OPERATORS: ReadonlySet<string> = new Set([
  'stringequals',
  'stringequalsignorecase',
  'stringlike',
  'arnequals',
  'arnlike',
]);

export interface StaticPolicyAnalysis {
  readonly isPublic: boolean;
  /** One description per public statement, e.g. `statement 'PublicRead' allows Principal * without a pinning condition`. */
  readonly publicStatements: string[];
}

function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

function isFixed(value: string): boolean {
  return value !== '' && !hasWildcard(value) && !value.includes('${');
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;

/** A CIDR narrow enough to count as "a set of CIDRs" (see the module note on thresholds). */
function isNarrowCidr(cidr: string): boolean {
  const v4 = IPV4.exec(cidr.trim());
  if (v4 !== null) {
    const octetsValid = v4.slice(1, 5).every((octet) => Number(octet) <= 255);
    const prefix = v4[5] === undefined ? 32 : Number(v4[5]);
    return octetsValid && prefix >= 8 && prefix <= 32;
  }
  const [address, prefixText, ...rest] = cidr.trim().split('/');
  if (address === undefined || !address.includes(':') || !/^[0-9a-fA-F:.]+$/.test(address) || rest.length > 0) {
    return false;
  }
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  return Number.isInteger(prefix) && prefix >= 32 && prefix <= 128;
}

/** Description of the first condition that pins the statement to fixed values, if any. */
function findPinningCondition(condition: unknown): string | undefined {
  if (!isRecord(condition)) {
    return undefined;
  }
  for (const [operator, block] of Object.entries(condition)) {
    let base = operator.toLowerCase();
    if (base.startsWith('forallvalues:')) {
      continue;
    }
    if (base.startsWith('foranyvalue:')) {
      base = base.slice('foranyvalue:'.length);
    }
    // Negated and IfExists operators are satisfied by requests that lack the key or carry any
    // other value, so they never restrict access to a fixed set.
    if (base.endsWith('ifexists') || base.includes('not') || !isRecord(block)) {
      continue;
    }
    for (const [key, rawValues] of Object.entries(block)) {
      const name = key.toLowerCase();
      const values = toStrings(rawValues);
      if (values === undefined || values.length === 0) {
        continue;
      }
      if (name === 'aws:sourceip') {
        if (base === 'ipaddress' && values.every(isNarrowCidr)) {
          return `${operator} ${key}`;
        }
      } else if (PINNING_KEYS.has(name) && PINNING_STRING_OPERATORS.has(base) && values.every(isFixed)) {
        return `${operator} ${key}`;
      }
    }
  }
  return undefined;
}

/** Why the statement's principal is everyone, or undefined for fixed / service principals. */
function publicPrincipal(statement: Record<string, unknown>): string | undefined {
  if ('NotPrincipal' in statement) {
    // Allow + NotPrincipal grants to everyone except the listed principals.
    return 'allows everyone through NotPrincipal';
  }
  const principal = statement.Principal;
  if (principal === undefined) {
    // S3 rejects a bucket policy statement without a principal; it grants nothing.
    return undefined;
  }
  if (isRecord(principal)) {
    for (const [type, value] of Object.entries(principal)) {
      const wildcards = (toStrings(value) ?? []).filter(hasWildcard);
      if (wildcards.length > 0) {
        return `allows Principal ${JSON.stringify({ [type]: wildcards.length === 1 ? wildcards[0] : wildcards })}`;
      }
    }
    return undefined;
  }
  const wildcards = (toStrings(principal) ?? []).filter(hasWildcard);
  if (wildcards.length === 0) {
    return undefined;
  }
  return wildcards.length === 1 && wildcards[0] === '*' ? 'allows Principal *' : `allows Principal ${JSON.stringify(wildcards)}`;
}

/**
 * Whether a bucket policy is public in S3's sense, with one description per public statement.
 * Throws an Error when the text is not JSON or has no usable `Statement`; callers turn that into
 * an Unknown fact rather than a verdict.
 */
export function staticPolicyIsPublic(policyJson: string): StaticPolicyAnalysis {
  const parsed = parsePolicyStatements(policyJson);
  if ('error' in parsed) {
    throw new Error(`Bucket policy ${parsed.error}`, { cause: parsed.cause });
  }
  const { statements } = parsed;

  const publicStatements: string[] = [];
  statements.forEach((statement, index) => {
    if (!isRecord(statement)) {
      return;
    }
    const effect = statement.Effect;
    if (typeof effect !== 'string' || effect.toLowerCase() !== 'allow') {
      return;
    }
    const reason = publicPrincipal(statement);
    if (reason === undefined || findPinningCondition(statement.Condition) !== undefined) {
      return;
    }
    const label =
      typeof statement.Sid === 'string' && statement.Sid !== '' ? `'${statement.Sid}'` : `#${index + 1}`;
    publicStatements.push(`statement ${label} ${reason} without a pinning condition`);
  });
  return { isPublic: publicStatements.length > 0, publicStatements };
}
