/**
 * Inline suppressions: a resource's
 * `Metadata: {trailaudit: {suppress: [{check: CloudTrail.4, reason: …, expires: 2027-06-30}]}}`
 * suppresses that check's finding on that resource (resource = its logical id, limited to this
 * file). Entries are validated as strictly as rules.yaml suppressions (reason and a real expiry
 * date within rules.yaml's suppression horizon required, no unknown keys) and a malformed one is
 * an InputError at its position: a typo
 * must not silently leave a finding unsuppressed, nor suppress more than intended.
 */
import type { Suppression } from '../../engine/types.js';
import { globToRegExp } from '../../engine/suppress.js';
import type { InputIssue } from '../../errors.js';
import { InputError } from '../../errors.js';
import type { CfnNode, Position } from './template.js';
import { entryOf, isList, isMap, isScalar } from './template.js';
import type { TemplateIndex } from './templateIndex.js';
import { expiryBeyondHorizon, type ExpiryLimit } from '../../load/suppressionHorizon.js';
import { isRealDate } from '../../calendarDate.js';
import { reasonProblem } from '../../load/suppressionReason.js';

const ENTRY_KEYS: ReadonlySet<string> = new Set(['check', 'reason', 'expires']);

function text(node: CfnNode | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '' ? node.value : undefined;
}

export function collectSuppressions(index: TemplateIndex, expiryLimit?: ExpiryLimit, knownChecks?: readonly string[]): Suppression[] {
  const suppressions: Suppression[] = [];
  const issues: InputIssue[] = [];
  const issue = (position: Position, path: string, message: string): void => {
    issues.push({ file: index.file, line: position.line, column: position.column, path, message });
  };

  for (const resource of index.resources.values()) {
    const metadata = entryOf(resource.node, 'Metadata')?.value;
    const own = entryOf(metadata, 'trailaudit');
    if (own === undefined) {
      continue;
    }
    const base = `Resources.${resource.logicalId}.Metadata.trailaudit`;
    if (!isMap(own.value)) {
      issue(own.keyPosition, base, 'expected a map with a suppress list');
      continue;
    }
    for (const entry of own.value.entries) {
      if (entry.key !== 'suppress') {
        issue(entry.keyPosition, `${base}.${entry.key}`, `unknown key '${entry.key}' (expected suppress)`);
      }
    }
    const list = entryOf(own.value, 'suppress');
    if (list === undefined) {
      continue;
    }
    if (!isList(list.value)) {
      issue(list.keyPosition, `${base}.suppress`, 'expected a list of {check, reason, expires}');
      continue;
    }
    list.value.items.forEach((item, itemIndex) => {
      const path = `${base}.suppress[${itemIndex}]`;
      if (!isMap(item)) {
        issue(item.position, path, 'expected {check, reason, expires}');
        return;
      }
      let valid = true;
      for (const field of item.entries) {
        if (!ENTRY_KEYS.has(field.key)) {
          issue(field.keyPosition, `${path}.${field.key}`, `unknown key '${field.key}' (expected check, reason, expires)`);
          valid = false;
        }
      }
      const check = text(entryOf(item, 'check')?.value);
      const reason = text(entryOf(item, 'reason')?.value);
      const expiresNode = entryOf(item, 'expires')?.value;
      const expires = text(expiresNode);
      if (check === undefined) {
        issue(entryOf(item, 'check')?.value.position ?? item.position, `${path}.check`, 'check is required (e.g. CloudTrail.4)');
        valid = false;
      } else if (knownChecks !== undefined && !knownChecks.some((id) => globToRegExp(check).test(id))) {
        // As in rules.yaml: a suppression naming no check suppresses nothing, most likely a typo.
        issue(entryOf(item, 'check')?.value.position ?? item.position, `${path}.check`, `"${check}" matches no check; known checks: ${knownChecks.join(', ')}`);
        valid = false;
      }
      if (reason === undefined) {
        issue(entryOf(item, 'reason')?.value.position ?? item.position, `${path}.reason`, 'reason is required: say why the finding is accepted');
        valid = false;
      } else {
        const problem = reasonProblem(reason);
        if (problem !== null) {
          issue(entryOf(item, 'reason')?.value.position ?? item.position, `${path}.reason`, problem);
          valid = false;
        }
      }
      if (expires === undefined || !isRealDate(expires)) {
        issue(expiresNode?.position ?? item.position, `${path}.expires`, 'expires is required and must be a date YYYY-MM-DD');
        valid = false;
      } else if (expiryLimit !== undefined) {
        // The same horizon as rules.yaml's suppressions: an acceptance that never comes up for review is not allowed.
        const problem = expiryBeyondHorizon(expires, expiryLimit);
        if (problem !== null) {
          issue(expiresNode?.position ?? item.position, `${path}.expires`, problem);
          valid = false;
        }
      }
      if (valid && check !== undefined && reason !== undefined && expires !== undefined) {
        suppressions.push({ check, resource: resource.logicalId, reason, expires, file: index.file });
      }
    });
  }
  if (issues.length > 0) {
    throw new InputError(issues);
  }
  return suppressions;
}
