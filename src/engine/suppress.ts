import type { Finding, Suppression, SuppressionRecord } from './types.js';

/**
 * Suppression patterns are globs over resource ids where `*` matches any run of characters
 * (ARNs contain `/` and `:`, so path-style globbing would surprise users) and `?` one character.
 */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/gu, '\\$&').replace(/\*/gu, '.*').replace(/\?/gu, '.');
  return new RegExp(`^${escaped}$`, 'u');
}

export function suppressionMatches(suppression: Suppression, finding: Finding): boolean {
  if (!globToRegExp(suppression.check).test(finding.control)) {
    return false;
  }
  if (suppression.region !== undefined && !globToRegExp(suppression.region).test(finding.resource.region)) {
    return false;
  }
  if (suppression.file !== undefined && finding.resource.location?.file !== suppression.file) {
    return false;
  }
  return globToRegExp(suppression.resource).test(finding.resource.id);
}

/** Dates are compared as YYYY-MM-DD strings; a suppression is valid through its expiry day. */
export function isExpired(suppression: Suppression, today: string): boolean {
  return suppression.expires < today;
}

/**
 * A suppression accepts a known failure: only FAIL findings are marked (status is never changed).
 * It never closes an UNKNOWN (a verdict nobody could determine is not a risk anyone accepted, and
 * an incomplete audit must stay incomplete whatever is suppressed), and a PASS or NOT_APPLICABLE
 * has nothing to accept. Expired suppressions are not applied. The register returned lists every
 * suppression with its state and the findings it matched (UNKNOWN ones included), so expired and
 * unused ones are reported, never applied or dropped silently.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  today: string,
): { findings: Finding[]; register: SuppressionRecord[] } {
  const matched = new Map<Suppression, Finding[]>(suppressions.map((suppression) => [suppression, []]));
  const marked = findings.map((finding) => {
    const matching = new Set(suppressions.filter((suppression) => suppressionMatches(suppression, finding)));
    // The first matching suppression still in force accepts a failure; nothing else is marked.
    const accepting = finding.status === 'FAIL' ? [...matching].find((suppression) => !isExpired(suppression, today)) : undefined;
    const result =
      accepting === undefined ? finding : { ...finding, suppressed: { reason: accepting.reason, expires: accepting.expires, resource: accepting.resource } };
    for (const suppression of matching) {
      matched.get(suppression)?.push(result);
    }
    return result;
  });
  const register: SuppressionRecord[] = [];
  for (const suppression of suppressions) {
    // The same entry twice (copied in rules.yaml) is one line of the register, not two.
    if (register.some((record) => sameSuppression(record.suppression, suppression))) {
      continue;
    }
    const own = matched.get(suppression) ?? [];
    const state = isExpired(suppression, today) ? 'expired' : own.some((f) => f.status === 'FAIL') ? 'active' : 'unused';
    register.push({ suppression, state, matched: own });
  }
  return { findings: marked, register };
}

function sameSuppression(a: Suppression, b: Suppression): boolean {
  return a.check === b.check && a.resource === b.resource && a.region === b.region && a.file === b.file && a.reason === b.reason && a.expires === b.expires;
}
