import { genericTemplate } from '../engine/template.js';
import type { CheckDefinition } from '../engine/types.js';
import { FRAMEWORKS, frameworkIds, type Framework } from '../load/frameworks.js';
import { DASH } from './markdown/text.js';

/** One check as the catalogue lists it: its definition, its service folder, and whether it is on by default. */
export interface CatalogueEntry {
  readonly check: CheckDefinition;
  /** The folder of its file under the checks directory (`cloudtrail`); '' for a file directly in it. */
  readonly folder: string;
  /** Whether the built-in rules.yaml leaves it on. */
  readonly enabledByDefault: boolean;
}

/**
 * The check catalogue for `trailaudit checks` (text table, Markdown document, or JSON). With a
 * framework, the caller has already narrowed the entries to its checks; the Markdown says so.
 */
export function formatCatalogue(entries: readonly CatalogueEntry[], format: 'text' | 'markdown' | 'json', framework?: Framework): string {
  const checks = entries.map(({ check }) => check);
  if (format === 'json') {
    return `${JSON.stringify(checks, null, 2)}\n`;
  }
  if (format === 'text') {
    const idWidth = Math.max(...checks.map((check) => check.id.length));
    return `${checks.map((check) => `${check.id.padEnd(idWidth)}  ${check.severity.toUpperCase().padEnd(8)}  ${check.title}`).join('\n')}\n`;
  }
  const folders = [...new Set(entries.map(({ folder }) => folder))].sort();
  const lines: string[] = [
    '# trailaudit check catalogue',
    '',
    `${entries.length} check${entries.length === 1 ? '' : 's'}${framework === undefined ? '' : ` mapped to ${framework.label} (\`--framework ${framework.name}\`, \`frameworks.${framework.key}\`)`}, grouped by service folder.`,
    `Frameworks: the check's id in each (${DASH} where it has none; a check of our own, such as TrailHealth.1, is in none, so no \`--framework\` selects it).`,
    'Default: whether the built-in rules.yaml turns it on.',
  ];
  for (const folder of folders) {
    lines.push('', `## ${folder === '' ? '(top level)' : folder}`, '');
    const inFolder = entries.filter((entry) => entry.folder === folder);
    lines.push(`| Control | Title | Severity | Needs | ${FRAMEWORKS.map(({ label }) => label).join(' | ')} | Default |`);
    lines.push(`|${'---|'.repeat(5 + FRAMEWORKS.length)}`);
    for (const { check, enabledByDefault } of inFolder) {
      const ids = FRAMEWORKS.map((each) => frameworkIds(check, each)).map((list) => (list.length === 0 ? DASH : escapeCell(list.join(', '))));
      const needs = check.needs.map((need) => `\`${need}\``).join(', ');
      lines.push(`| [${check.id}](#${anchor(check.id)}) | ${escapeCell(check.title)} | ${check.severity.toUpperCase()} | ${needs} | ${ids.join(' | ')} | ${enabledByDefault ? 'on' : 'off'} |`);
    }
    for (const { check } of inFolder) {
      lines.push(...details(check));
    }
  }
  return `${lines.join('\n')}\n`;
}

function details(check: CheckDefinition): string[] {
  const lines = ['', `### ${check.id}`, '', `**${check.title}** — severity ${check.severity.toUpperCase()}, resource \`${check.resourceType}\`, one finding per ${check.scope}.`, '', check.description.trim(), ''];
  // A check of our own may map to no framework (not even Security Hub): then no empty list.
  const frameworks = Object.entries(check.frameworks);
  lines.push(frameworks.length === 0 ? 'Frameworks: none.' : 'Frameworks:', '');
  for (const [framework, ids] of frameworks) {
    lines.push(`- ${framework}: ${ids.join(', ')}`);
  }
  const parameters = Object.entries(check.parameters);
  if (parameters.length > 0) {
    lines.push('', 'Parameters:', '');
    for (const [name, definition] of parameters) {
      lines.push(`- \`${name}\` (${definition.type}, default \`${JSON.stringify(definition.default)}\`): ${definition.description}`);
    }
  }
  lines.push('', `IAM actions: ${check.permissions.map((action) => `\`${action}\``).join(', ')}`, '', `Remediation: ${check.remediation.text.trim()}`, '');
  lines.push('```sh', genericTemplate(check.remediation.cli.trim()), '```', '', `Reference: ${check.remediation.url}`);
  return lines;
}

function escapeCell(text: string): string {
  return text.replace(/\|/gu, '\\|').replace(/\r?\n/gu, ' ');
}

function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]+/gu, '');
}

/** One statement of the policy: what one command needs. */
export interface PolicyStatement {
  /** IAM statement id, e.g. `TrailauditAudit`. */
  readonly sid: string;
  readonly actions: readonly string[];
  /** What the actions may act on; default `*` (describe calls on whatever the account holds). */
  readonly resources?: readonly string[];
  /** An IAM Condition block, e.g. `{ StringLike: { 's3:prefix': 'history/*' } }`. */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A least-privilege identity policy: one Allow statement per command, each action once, sorted. */
export function formatIamPolicy(statements: readonly PolicyStatement[]): string {
  const policy = {
    Version: '2012-10-17',
    Statement: statements.map(({ sid, actions, resources, condition }) => ({
      Sid: sid,
      Effect: 'Allow',
      Action: [...new Set(actions)].sort(),
      Resource: resources === undefined ? '*' : resources.length === 1 ? resources[0] : [...resources],
      ...(condition === undefined ? {} : { Condition: condition }),
    })),
  };
  return `${JSON.stringify(policy, null, 2)}\n`;
}
