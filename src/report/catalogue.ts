import { genericTemplate } from '../engine/template.js';
import type { CheckDefinition } from '../engine/types.js';

/** The check catalogue for `trailaudit checks` (text table, Markdown document, or JSON). */
export function formatCatalogue(checks: readonly CheckDefinition[], format: 'text' | 'markdown' | 'json'): string {
  if (format === 'json') {
    return `${JSON.stringify(checks, null, 2)}\n`;
  }
  if (format === 'text') {
    const idWidth = Math.max(...checks.map((check) => check.id.length));
    return `${checks.map((check) => `${check.id.padEnd(idWidth)}  ${check.severity.toUpperCase().padEnd(8)}  ${check.title}`).join('\n')}\n`;
  }
  const lines: string[] = ['# trailaudit check catalogue', '', '| Control | Severity | Title | Scope |', '|---|---|---|---|'];
  for (const check of checks) {
    lines.push(`| [${check.id}](#${anchor(check.id)}) | ${check.severity.toUpperCase()} | ${escapeCell(check.title)} | ${check.scope} |`);
  }
  for (const check of checks) {
    lines.push('', `## ${check.id}`, '', `**${check.title}** — severity ${check.severity.toUpperCase()}, resource \`${check.resourceType}\`, one finding per ${check.scope}.`, '', check.description.trim(), '');
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
  }
  return `${lines.join('\n')}\n`;
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
}

/** A least-privilege identity policy: one Allow statement per command, each action once, sorted. */
export function formatIamPolicy(statements: readonly PolicyStatement[]): string {
  const policy = {
    Version: '2012-10-17',
    Statement: statements.map(({ sid, actions }) => ({ Sid: sid, Effect: 'Allow', Action: [...new Set(actions)].sort(), Resource: '*' })),
  };
  return `${JSON.stringify(policy, null, 2)}\n`;
}
