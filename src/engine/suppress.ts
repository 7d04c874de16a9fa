import type { Finding, Suppression, SuppressionNotice, SuppressionRecord } from './types.js';

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
 * has nothing to accept. Expired suppressions are not applied and are reported; so are
 * suppressions that accepted no failure, with how many UNKNOWN findings they matched.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  today: string,
): { findings: Finding[]; notices: SuppressionNotice[]; register: SuppressionRecord[] } {
  const matchedCount = new Map<Suppression, number>();
  const failuresMatched = new Map<Suppression, number>();
  const unknownsMatched = new Map<Suppression, number>();
  const add = (counts: Map<Suppression, number>, suppression: Suppression): void => {
    counts.set(suppression, (counts.get(suppression) ?? 0) + 1);
  };
  const matchedFindings = new Map<Suppression, Finding[]>();
  const marked = findings.map((finding) => {
    let mark: Finding['suppressed'] = null;
    const matching: Suppression[] = [];
    for (const suppression of suppressions) {
      if (!suppressionMatches(suppression, finding)) {
        continue;
      }
      matching.push(suppression);
      add(matchedCount, suppression);
      if (finding.status === 'UNKNOWN') {
        add(unknownsMatched, suppression);
      }
      if (finding.status !== 'FAIL') {
        continue;
      }
      add(failuresMatched, suppression);
      if (mark === null && !isExpired(suppression, today)) {
        mark = { reason: suppression.reason, expires: suppression.expires, resource: suppression.resource };
      }
    }
    const result = mark === null ? finding : { ...finding, suppressed: mark };
    for (const suppression of matching) {
      const list = matchedFindings.get(suppression);
      if (list) {
        list.push(result);
      } else {
        matchedFindings.set(suppression, [result]);
      }
    }
    return result;
  });
  const notices: SuppressionNotice[] = [];
  for (const suppression of suppressions) {
    const counts = { matched: matchedCount.get(suppression) ?? 0, unknownMatched: unknownsMatched.get(suppression) ?? 0 };
    if (isExpired(suppression, today)) {
      notices.push({ suppression, state: 'expired', ...counts });
    } else if ((failuresMatched.get(suppression) ?? 0) === 0) {
      notices.push({ suppression, state: 'unused', ...counts });
    }
  }
  const register: SuppressionRecord[] = [];
  for (const suppression of suppressions) {
    // The same entry twice (copied in rules.yaml) is one line of the register, not two.
    if (register.some((record) => sameSuppression(record.suppression, suppression))) {
      continue;
    }
    const state = isExpired(suppression, today) ? 'expired' : (failuresMatched.get(suppression) ?? 0) > 0 ? 'active' : 'unused';
    register.push({ suppression, state, matched: matchedFindings.get(suppression) ?? [] });
  }
  return { findings: marked, notices, register };
}

function sameSuppression(a: Suppression, b: Suppression): boolean {
  return a.check === b.check && a.resource === b.resource && a.region === b.region && a.file === b.file && a.reason === b.reason && a.expires === b.expires;
}
