/**
 * Reading an IAM-style policy document (S3 bucket policies, KMS key policies): the JSON shell,
 * scalar-or-list values and IAM's `*` / `?` wildcards. Shared by buckets/bucketPolicy.ts and
 * kmsKeys/keyPolicy.ts so that both read a document the same way; what a statement MEANS is left
 * to each of them (S3's "public" rule and KMS's "may CloudTrail use this key" differ).
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Policy values may be a scalar or a list; numbers appear for account ids written unquoted. */
export function toStrings(value: unknown): string[] | undefined {
  const items = Array.isArray(value) ? (value as unknown[]) : [value];
  const strings: string[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      strings.push(item);
    } else if (typeof item === 'number') {
      strings.push(String(item));
    } else {
      return undefined;
    }
  }
  return strings;
}

/**
 * The statements of a policy document, or why the text is not one (not JSON, not an object, no
 * `Statement` object or array of objects). The reason reads after a subject, e.g.
 * `Bucket policy ${reason}`.
 */
export function parsePolicyStatements(
  policyJson: string,
): { readonly statements: Record<string, unknown>[] } | { readonly error: string; readonly cause?: unknown } {
  let document: unknown;
  try {
    document = JSON.parse(policyJson);
  } catch (error) {
    return { error: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, cause: error };
  }
  if (!isRecord(document)) {
    return { error: 'is not a JSON object.' };
  }
  const raw = document.Statement;
  const statements: unknown[] = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (raw === undefined || !statements.every(isRecord)) {
    return { error: 'has no Statement object or array of objects.' };
  }
  return { statements };
}

/**
 * Whether `value` matches an IAM wildcard pattern as a whole: `*` any run of characters (also
 * none), `?` exactly one; everything else literal. IAM compares action names case-insensitively
 * and condition values (StringLike) case-sensitively, hence the flag.
 */
export function matchesWildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const body = pattern.replace(/[.+^${}()|[\]\\]/gu, '\\$&').replace(/\*/gu, '.*').replace(/\?/gu, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'isu' : 'su').test(value);
}
