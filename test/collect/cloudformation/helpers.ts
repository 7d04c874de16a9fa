/**
 * Shared helpers for the CloudFormation collector tests: parse + collect + evaluate through the
 * real engine with the shipped checks and default rules, and find lines in fixture text so that
 * location assertions say which property they expect rather than a bare number.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { collectCloudFormation, parseTemplate } from '../../../src/collect/cloudformation/index.js';
import type { IacCollection } from '../../../src/collect/iac/types.js';
import type { EnabledCheck } from '../../../src/engine/evaluate.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import type { Finding } from '../../../src/engine/types.js';
import { loadChecks } from '../../../src/load/loadChecks.js';
import { enabledChecks, parseRules } from '../../../src/load/loadRules.js';

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/cloudformation/', import.meta.url));

const checks = loadChecks();

export function defaultChecks(rulesYaml = 'version: 1'): EnabledCheck[] {
  return enabledChecks(checks, parseRules(rulesYaml, 'rules.yaml', checks), undefined);
}

export function readFixture(name: string): string {
  return readFileSync(`${FIXTURES_DIR}${name}`, 'utf8');
}

export interface Scan {
  readonly text: string;
  readonly file: string;
  readonly collection: IacCollection;
  readonly findings: readonly Finding[];
}

export const TODAY = '2026-03-01';

/** Parse, collect and evaluate template text; `file` is both the parse name and the display path. */
export function scanText(text: string, file = 'inline.yaml', rulesYaml = 'version: 1'): Scan {
  const template = parseTemplate(text, file);
  const collection = collectCloudFormation(template, { collectedAt: '2026-03-01T00:00:00.000Z', displayPath: file });
  const { findings } = evaluate({
    checks: defaultChecks(rulesYaml),
    facts: collection.facts,
    suppressions: collection.suppressions,
    today: TODAY,
  });
  return { text, file, collection, findings };
}

export function scanFixture(name: string, rulesYaml = 'version: 1'): Scan {
  return scanText(readFixture(name), `templates/${name}`, rulesYaml);
}

/** The single finding of a check (optionally for one resource id). */
export function findingOf(scan: Scan, checkId: string, resourceId?: string): Finding {
  const matches = scan.findings.filter((f) => f.checkId === checkId && (resourceId === undefined || f.resource.id === resourceId));
  assert.equal(matches.length, 1, `expected one ${checkId} finding${resourceId === undefined ? '' : ` for ${resourceId}`}, got ${matches.length}`);
  return matches[0]!;
}

/** 1-based line of the first line containing `needle` (after `after`, when given). */
export function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split('\n');
  const start = after === undefined ? 0 : lines.findIndex((line) => line.includes(after));
  assert.ok(start >= 0, `marker ${after ?? ''} not found`);
  const index = lines.findIndex((line, i) => i >= start && line.includes(needle));
  assert.ok(index >= 0, `${needle} not found in the fixture`);
  return index + 1;
}

/** Asserts status, logical id and the line (in this scan's file) the finding points at. */
export function assertFinding(
  scan: Scan,
  checkId: string,
  expected: { status: Finding['status']; resourceId: string; line: number; reason?: Finding['reason'] },
): Finding {
  const finding = findingOf(scan, checkId, expected.resourceId);
  assert.equal(finding.status, expected.status, `${checkId} ${expected.resourceId}: ${finding.message}`);
  assert.equal(finding.reason, expected.reason ?? null, `${checkId} reason`);
  assert.ok(finding.location !== null, `${checkId} has a location`);
  assert.equal(finding.location.file, scan.file);
  assert.equal(finding.location.line, expected.line, `${checkId} ${expected.resourceId} line`);
  return finding;
}
