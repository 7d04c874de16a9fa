import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { collectTerraformPlan } from '../../../src/collect/terraform/index.js';
import type { IacCollection } from '../../../src/collect/iac/types.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import type { Finding } from '../../../src/engine/types.js';
import { loadChecks } from '../../../src/load/loadChecks.js';
import { enabledChecks, parseRules } from '../../../src/load/loadRules.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/terraform/', import.meta.url));

export function fixtureText(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

export function collectFixture(name: string): IacCollection {
  const text = fixtureText(name);
  return collectTerraformPlan(text, JSON.parse(text) as unknown, { collectedAt: '2026-11-21T00:00:00.000Z', displayPath: `plans/${name}` });
}

const checks = loadChecks();
const enabled = enabledChecks(checks, parseRules('version: 1', 'rules.yaml', checks), undefined);

export function findingsOf(name: string): readonly Finding[] {
  return evaluate({ checks: enabled, facts: collectFixture(name).facts, suppressions: [], today: '2026-11-21' }).findings;
}

/** The one finding of `checkId` on `resourceId` (throws when there is not exactly one). */
export function finding(findings: readonly Finding[], checkId: string, resourceId?: string): Finding {
  const matches = findings.filter((f) => f.checkId === checkId && (resourceId === undefined || f.resource.id === resourceId));
  if (matches.length !== 1) {
    throw new Error(`expected one ${checkId} finding on ${resourceId ?? '(any)'}, got ${matches.length}`);
  }
  return matches[0]!;
}

/** 1-based line of the first occurrence of `needle` at or after `from`. */
export function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  if (at < 0) {
    throw new Error(`${needle} not in text`);
  }
  return text.slice(0, at).split('\n').length;
}

/**
 * Line of a resource's object in planned_values (pretty-printed: the `{` is on the line before
 * its "address", which is written first) and of one of its value keys.
 */
export function resourceLine(text: string, address: string): number {
  return lineOf(text, `"address": ${JSON.stringify(address)}`) - 1;
}

export function attributeLine(text: string, address: string, attribute: string): number {
  const start = text.indexOf(`"address": ${JSON.stringify(address)}`);
  const values = text.indexOf('"values": {', start);
  return lineOf(text, `"${attribute}":`, values);
}
