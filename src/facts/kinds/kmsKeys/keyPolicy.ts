/**
 * May CloudTrail use this KMS key to encrypt THIS trail's log files? (TrailHealth.3.) A static
 * reading of the key policy for the one request CloudTrail makes: principal
 * `cloudtrail.amazonaws.com`, action `kms:GenerateDataKey`, encryption context
 * `aws:cloudtrail:arn` = the trail ARN, `aws:SourceArn` = the trail ARN, `aws:SourceAccount` = the
 * trail's account.
 *
 * Pure (no I/O): the same code reads a key policy fetched with kms:GetKeyPolicy and one declared
 * in a template.
 *
 * Conservative by design (a FAIL that names its reason, never a false PASS):
 * - An Allow statement grants only when every one of its conditions is known to hold. A condition
 *   on a key this request does not determine (kms:CallerAccount, kms:ViaService,
 *   kms:EncryptionContext:aws:s3:arn, aws:PrincipalOrgID, …), with an operator we do not evaluate
 *   (Bool, Numeric*, Date*, IpAddress, …) or with a policy variable in its values is "not
 *   evaluated": the statement is treated as NOT granting, and the explanation names the condition.
 * - A Deny statement whose conditions cannot all be evaluated is treated as APPLYING, for the same
 *   reason.
 * - Resource / NotResource are not read: a key policy only ever governs its own key. A statement
 *   with NotResource is treated like one with an unevaluated condition (Allow: not granting; Deny:
 *   applying), since `NotResource` in a key policy is almost certainly a mistake we should not
 *   guess about.
 * - Grants (kms:CreateGrant) and IAM policies are not considered: a service principal such as
 *   CloudTrail gets access only from the key policy.
 */
import { isRecord, matchesWildcard, parsePolicyStatements, toStrings } from '../../policyDocument.js';

export interface CloudTrailKeyTarget {
  readonly trailArn: string;
  readonly trailAccountId: string;
  readonly trailRegion: string;
  readonly partition: string;
  /** The key's ARN, when known: a statement whose `Resource` names other keys does not apply to it. */
  readonly keyArn?: string;
}

export interface CloudTrailKeyAccess {
  /** 'unparseable': the text is not a policy document (not JSON, no statements, malformed values). */
  readonly allowed: boolean | 'unparseable';
  /** Which statement grants or denies, or why none does (evidence for a FAIL message). */
  readonly explanation: string;
}

/** The action CloudTrail calls; `kms:GenerateDataKey*`, `kms:*` and `*` all match it. */
const CLOUDTRAIL_ACTION = 'kms:GenerateDataKey';
const WHO = 'CloudTrail (cloudtrail.amazonaws.com)';

/** CloudTrail's service principal as spelled in each partition (lower case). */
const CLOUDTRAIL_SERVICE_PRINCIPALS: ReadonlySet<string> = new Set([
  'cloudtrail.amazonaws.com',
  'cloudtrail.amazonaws.com.cn',
  'cloudtrail.c2s.ic.gov',
  'cloudtrail.sc2s.sgov.gov',
]);

/** Thrown for a statement whose shape is not a policy's; turned into 'unparseable'. */
class MalformedPolicy extends Error {}

/* ------------------------------------------------------------------ principal and action */

function principalNamesCloudTrail(principal: unknown, where: string): boolean {
  if (typeof principal === 'string') {
    return principal === '*';
  }
  if (!isRecord(principal)) {
    throw new MalformedPolicy(`${where} is neither "*" nor an object`);
  }
  return Object.entries(principal).some(([type, raw]) => {
    const values = toStrings(raw);
    if (values === undefined) {
      throw new MalformedPolicy(`${where}.${type} is not a string or list of strings`);
    }
    // IAM documents `{"AWS": "*"}` as equivalent to `"*"`: everyone, services included.
    if (type === 'AWS') {
      return values.includes('*');
    }
    return type === 'Service' && values.some((value) => CLOUDTRAIL_SERVICE_PRINCIPALS.has(value.toLowerCase()));
  });
}

function statementNamesCloudTrail(statement: Record<string, unknown>, label: string): boolean {
  if ('NotPrincipal' in statement) {
    return !principalNamesCloudTrail(statement.NotPrincipal, `${label} NotPrincipal`);
  }
  // KMS rejects a key policy statement without a principal: it applies to no one.
  return statement.Principal !== undefined && principalNamesCloudTrail(statement.Principal, `${label} Principal`);
}

function statementCoversAction(statement: Record<string, unknown>, label: string): boolean {
  const field = 'Action' in statement ? 'Action' : 'NotAction' in statement ? 'NotAction' : undefined;
  if (field === undefined) {
    return false;
  }
  const patterns = toStrings(statement[field]);
  if (patterns === undefined) {
    throw new MalformedPolicy(`${label} ${field} is not a string or list of strings`);
  }
  // IAM compares action names case-insensitively.
  const listed = patterns.some((pattern) => matchesWildcard(pattern, CLOUDTRAIL_ACTION, true));
  return field === 'Action' ? listed : !listed;
}

/** Account root principals (`arn:aws:iam::111122223333:root` or a bare account id). */
function isAccountRoot(value: string): boolean {
  return /^arn:[a-z-]+:iam::\d{12}:root$/u.test(value) || /^\d{12}$/u.test(value);
}

function allowsOnlyAccountRoots(statements: readonly Record<string, unknown>[]): boolean {
  const principals = statements
    .filter((s) => s.Effect === 'Allow' && !('NotPrincipal' in s))
    .map((s) => s.Principal);
  return (
    principals.length > 0 &&
    principals.every(
      (p) => isRecord(p) && Object.keys(p).every((type) => type === 'AWS') && (toStrings(p.AWS) ?? []).every(isAccountRoot),
    )
  );
}

/* ------------------------------------------------------------------ conditions */

type Truth = 'holds' | 'fails' | 'unknown';

interface ConditionResult {
  readonly truth: Truth;
  /** Why it fails or cannot be evaluated, e.g. `StringEquals aws:SourceArn [..] does not match …`. */
  readonly reason?: string;
}

/** The condition keys this request determines (lower case) and their values. */
function requestContext(target: CloudTrailKeyTarget): ReadonlyMap<string, readonly string[]> {
  return new Map([
    [`${ENCRYPTION_CONTEXT_PREFIX}aws:cloudtrail:arn`, [target.trailArn]],
    ['aws:sourcearn', [target.trailArn]],
    ['aws:sourceaccount', [target.trailAccountId]],
  ]);
}

const ENCRYPTION_CONTEXT_PREFIX = 'kms:encryptioncontext:';

/**
 * The name to look a condition key up by: IAM key names are case-insensitive, but the
 * encryption-context key after `kms:EncryptionContext:` is kept as written (KMS compares context
 * keys exactly; reading `AWS:CloudTrail:ARN` as ours could only turn a FAIL into a PASS).
 */
function contextKeyName(key: string): string {
  const lower = key.toLowerCase();
  return lower.startsWith(ENCRYPTION_CONTEXT_PREFIX)
    ? ENCRYPTION_CONTEXT_PREFIX + key.slice(ENCRYPTION_CONTEXT_PREFIX.length)
    : lower;
}

/**
 * ArnEquals / ArnLike: each of the six colon-separated parts is compared on its own (a `*` does
 * not run across a colon), case-sensitively, with wildcards. A pattern without six parts matches
 * nothing.
 */
function arnMatches(pattern: string, value: string): boolean {
  const split = (arn: string): string[] | undefined => {
    const parts = arn.split(':');
    return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const patternParts = split(pattern);
  const valueParts = split(value);
  return (
    patternParts !== undefined &&
    valueParts !== undefined &&
    patternParts.every((part, i) => matchesWildcard(part, valueParts[i] ?? '', false))
  );
}

const MATCHERS: Readonly<Record<string, (pattern: string, value: string) => boolean>> = {
  stringequals: (pattern, value) => pattern === value,
  stringequalsignorecase: (pattern, value) => pattern.toLowerCase() === value.toLowerCase(),
  stringlike: (pattern, value) => matchesWildcard(pattern, value, false),
  arnequals: arnMatches,
  arnlike: arnMatches,
};

/** `StringNotLike` → `stringlike` (the negated operators are the plain ones inverted). */
const NEGATED: Readonly<Record<string, string>> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
};

function evaluateOne(operator: string, key: string, rawValues: unknown, context: ReadonlyMap<string, readonly string[]>): ConditionResult {
  const values = toStrings(rawValues);
  if (values === undefined) {
    throw new MalformedPolicy(`condition ${operator} ${key} is not a string or list of strings`);
  }
  const described = `${operator} ${key} ${JSON.stringify(values)}`;
  const actual = context.get(contextKeyName(key));
  if (actual === undefined) {
    return { truth: 'unknown', reason: `condition ${described} is on a key this request does not determine, so it is not evaluated` };
  }
  let base = operator.toLowerCase();
  const setOperator = base.startsWith('forallvalues:') ? 'all' : base.startsWith('foranyvalue:') ? 'any' : undefined;
  base = base.replace(/^for(?:allvalues|anyvalue):/u, '').replace(/ifexists$/u, '');
  if (base === 'null') {
    // Every key we evaluate is present in CloudTrail's request, so `Null: true` never holds.
    const holds = values.some((value) => value.toLowerCase() === 'false');
    return holds ? { truth: 'holds' } : { truth: 'fails', reason: `condition ${described} does not hold (the key is present)` };
  }
  const positive = MATCHERS[base] ?? MATCHERS[NEGATED[base] ?? ''];
  if (positive === undefined) {
    return { truth: 'unknown', reason: `condition ${described} uses an operator that is not evaluated` };
  }
  if (values.some((value) => value.includes('${'))) {
    return { truth: 'unknown', reason: `condition ${described} contains a policy variable, so it is not evaluated` };
  }
  const negated = NEGATED[base] !== undefined;
  const satisfied = (value: string): boolean => values.some((pattern) => positive(pattern, value)) !== negated;
  // Single-valued keys: the plain form and both set forms agree once the key is present;
  // ForAllValues is "every request value", ForAnyValue and the plain form "some".
  const holds = setOperator === 'all' ? actual.every(satisfied) : actual.some(satisfied);
  return holds
    ? { truth: 'holds' }
    : { truth: 'fails', reason: `condition ${described} does not hold for this trail (${key} = ${actual.join(', ')})` };
}

/** AND over every operator and key of a Condition block: the first failure, else the first unknown. */
function evaluateConditions(condition: unknown, label: string, context: ReadonlyMap<string, readonly string[]>): ConditionResult {
  if (condition === undefined) {
    return { truth: 'holds' };
  }
  if (!isRecord(condition)) {
    throw new MalformedPolicy(`${label} Condition is not an object`);
  }
  const results: ConditionResult[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    if (!isRecord(block)) {
      throw new MalformedPolicy(`${label} Condition ${operator} is not an object`);
    }
    for (const [key, values] of Object.entries(block)) {
      results.push(evaluateOne(operator, key, values, context));
    }
  }
  return results.find((r) => r.truth === 'fails') ?? results.find((r) => r.truth === 'unknown') ?? { truth: 'holds' };
}

/* ------------------------------------------------------------------ statements */

interface StatementVerdict {
  readonly label: string;
  readonly effect: 'Allow' | 'Deny';
  /** The statement is about CloudTrail's principal and action at all. */
  readonly relevant: boolean;
  readonly conditions: ConditionResult;
}

/**
 * Whether a statement's `Resource` covers the key: `*` (the usual key policy) or a pattern matching
 * its ARN. A list naming only other keys does not apply; without the key's ARN it cannot be told.
 */
function resourceCovers(statement: Record<string, unknown>, keyArn: string | undefined): boolean | 'unknown' {
  if (!('Resource' in statement)) {
    return true;
  }
  const resources = toStrings(statement.Resource);
  if (resources === undefined) {
    return 'unknown';
  }
  if (resources.includes('*')) {
    return true;
  }
  if (keyArn === undefined || !keyArn.startsWith('arn:')) {
    return 'unknown';
  }
  return resources.some((pattern) => matchesWildcard(pattern, keyArn, false));
}

function judgeStatement(statement: Record<string, unknown>, index: number, context: ReadonlyMap<string, readonly string[]>, keyArn?: string): StatementVerdict {
  const label = typeof statement.Sid === 'string' && statement.Sid !== '' ? `statement '${statement.Sid}'` : `statement #${index + 1}`;
  const effect = statement.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw new MalformedPolicy(`${label} has Effect ${JSON.stringify(effect)}, not "Allow" or "Deny"`);
  }
  const covers = resourceCovers(statement, keyArn);
  const relevant = covers !== false && statementNamesCloudTrail(statement, label) && statementCoversAction(statement, label);
  const conditions =
    'NotResource' in statement
      ? { truth: 'unknown' as const, reason: `${label} uses NotResource, which is not evaluated` }
      : covers === 'unknown'
        ? { truth: 'unknown' as const, reason: `${label} names Resource ${JSON.stringify(statement.Resource)}, which cannot be matched with this key` }
        : evaluateConditions(statement.Condition, label, context);
  return { label, effect, relevant, conditions };
}

function notAllowed(reason: string): CloudTrailKeyAccess {
  return { allowed: false, explanation: `${WHO} is not allowed kms:GenerateDataKey*: ${reason}.` };
}

/**
 * Whether the key policy lets CloudTrail encrypt `target`'s log files with the key: some Allow
 * statement grants CloudTrail kms:GenerateDataKey under conditions this trail's requests satisfy,
 * and no Deny statement applies. See the module note for what is treated conservatively.
 */
export function cloudTrailKeyAccess(policyText: string, target: CloudTrailKeyTarget): CloudTrailKeyAccess {
  const parsed = parsePolicyStatements(policyText);
  if ('error' in parsed) {
    return { allowed: 'unparseable', explanation: `The key policy ${parsed.error}` };
  }
  const context = requestContext(target);
  let verdicts: StatementVerdict[];
  try {
    verdicts = parsed.statements.map((statement, index) => judgeStatement(statement, index, context, target.keyArn));
  } catch (error) {
    if (error instanceof MalformedPolicy) {
      return { allowed: 'unparseable', explanation: `The key policy is not a valid policy: ${error.message}.` };
    }
    throw error;
  }
  const relevant = verdicts.filter((v) => v.relevant);
  const denies = relevant.filter((v) => v.effect === 'Deny' && v.conditions.truth !== 'fails');
  const allows = relevant.filter((v) => v.effect === 'Allow');
  const granting = allows.find((v) => v.conditions.truth === 'holds');
  const firstDeny = denies[0];
  if (firstDeny !== undefined) {
    const how =
      firstDeny.conditions.truth === 'unknown'
        ? ` (${firstDeny.conditions.reason ?? 'its condition is not evaluated'}; treated as applying)`
        : '';
    return notAllowed(`${firstDeny.label} denies it for trail ${target.trailArn}${how}`);
  }
  if (granting !== undefined) {
    return {
      allowed: true,
      explanation: `${capitalise(granting.label)} allows ${WHO} kms:GenerateDataKey* for trail ${target.trailArn}.`,
    };
  }
  if (allows.length > 0) {
    const reasons = allows.map((v) => `${v.label}: ${v.conditions.reason ?? 'its conditions do not hold'}`);
    const unknownNote = allows.some((v) => v.conditions.truth === 'unknown')
      ? ' (a condition that cannot be evaluated is treated as not granting)'
      : '';
    return notAllowed(`no statement grants it for trail ${target.trailArn}: ${reasons.join('; ')}${unknownNote}`);
  }
  if (allowsOnlyAccountRoots(parsed.statements)) {
    return {
      allowed: false,
      explanation: `The key policy grants only the account root; ${WHO} is not allowed kms:GenerateDataKey*.`,
    };
  }
  return notAllowed('no Allow statement names cloudtrail.amazonaws.com (or "*") with kms:GenerateDataKey*');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
