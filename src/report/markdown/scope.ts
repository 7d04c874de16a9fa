/** The Markdown report's Scope section, and the Files section of a scan. */
import type { Finding } from '../../engine/types.js';
import { frameworkNamed } from '../../load/frameworks.js';
import type { ReportContext } from '../types.js';
import { DASH, codeCell, listOrDash, plural, table, text } from './text.js';

/** Templates and plans (not a live audit or its snapshot): files are listed in their own section. */
export function isScan(context: ReportContext): boolean {
  return context.scope.source !== 'live' || (context.inputErrors ?? []).length > 0;
}

function badFiles(context: ReportContext): string[] {
  return [...new Set((context.inputErrors ?? []).map((issue) => issue.file))];
}

function inputsSummary(context: ReportContext): string {
  const bad = badFiles(context).length;
  const scanned = plural(context.scope.inputs.length, 'file');
  return bad === 0 ? `${scanned} scanned (see Files)` : `${scanned} scanned, **${plural(bad, 'file')} could not be scanned** (see Files)`;
}

/** Every scanned file with its unsuppressed failures and gaps, then every file that could not be scanned. */
export function filesSection(findings: readonly Finding[], context: ReportContext): string {
  const out = ['## Files', ''];
  const perFile = new Map<string, { fail: number; unknown: number; total: number }>();
  for (const file of context.scope.inputs) {
    perFile.set(file, { fail: 0, unknown: 0, total: 0 });
  }
  for (const f of findings) {
    const file = (f.location ?? f.resource.location)?.file;
    const entry = file === undefined ? undefined : perFile.get(file);
    if (entry === undefined) {
      continue;
    }
    entry.total += 1;
    if (f.suppressed === null && f.status === 'FAIL') {
      entry.fail += 1;
    } else if (f.suppressed === null && f.status === 'UNKNOWN') {
      entry.unknown += 1;
    }
  }
  if (perFile.size === 0) {
    out.push('No file was scanned.');
  } else {
    const rows = [...perFile].map(([file, n]) => [codeCell(file), String(n.total), String(n.fail), String(n.unknown)]);
    out.push(`${plural(perFile.size, 'file')} scanned.`, '', table(['File', 'Findings', 'FAIL', 'UNKNOWN'], rows));
  }
  const issues = context.inputErrors ?? [];
  if (issues.length > 0) {
    out.push(
      '',
      '### Could not be scanned',
      '',
      `${plural(badFiles(context).length, 'file')} could not be scanned and ${badFiles(context).length === 1 ? 'was' : 'were'} not evaluated; the findings above cover the other files only.`,
      '',
      table(
        ['File', 'Position', 'Problem'],
        issues.map((issue) => [codeCell(issue.file), issue.line > 0 ? `${issue.line}:${issue.column}` : DASH, text(issue.message)]),
      ),
    );
  }
  return out.join('\n');
}

export /**
 * The parameters the rules file changed, with the default each replaced; the row is left out when
 * no enabled check declares parameters, and says "all defaults" when none was changed. Every
 * effective value is in the JSON report (`checkParameters`).
 */
function parametersRow(context: ReportContext): string[][] {
  const changed: string[] = [];
  let declared = 0;
  for (const check of context.checks) {
    const values = context.checkParameters[check.id] ?? {};
    for (const [name, definition] of Object.entries(check.parameters)) {
      declared += 1;
      const value = JSON.stringify(values[name] ?? definition.default);
      const fallback = JSON.stringify(definition.default);
      if (value !== fallback) {
        changed.push(`${text(check.id)} ${codeCell(name)} = ${codeCell(value)} (default ${codeCell(fallback)})`);
      }
    }
  }
  if (declared === 0) {
    return [];
  }
  return [['Check parameters', changed.length === 0 ? 'all defaults' : changed.join('; ')]];
}

/** `--framework`: the run evaluated only that framework's checks, so the report says which. */
function frameworkRow(context: ReportContext): string[][] {
  const name = context.scope.framework;
  if (name === undefined) {
    return [];
  }
  const framework = frameworkNamed(name);
  const mapping = framework === undefined ? '' : ` (${text(framework.label)}: only the enabled checks mapped to ${codeCell(`frameworks.${framework.key}`)}; metric-filter pattern set ${codeCell(framework.patternSet)})`;
  return [['Framework', `${codeCell(name)}${mapping}`]];
}

export function scopeSection(findings: readonly Finding[], context: ReportContext): string {
  const calls = Object.entries(context.stats.apiCalls).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const total = calls.reduce((sum, [, n]) => sum + n, 0);
  const callDetail = calls.length === 0 ? '' : ` (${calls.map(([op, n]) => `${codeCell(op)} ${n}`).join(', ')})`;
  // `evaluate` re-reads a saved snapshot: its calls were made when the snapshot was collected.
  const fromSnapshot = !isScan(context) && context.scope.inputs.length > 0;
  const rows: string[][] = [
    ['Source', text(fromSnapshot ? `${context.scope.source} (re-evaluated from a saved snapshot, no AWS calls in this run)` : context.scope.source)],
    ['Accounts', listOrDash(context.scope.accounts, codeCell)],
    ['Regions', listOrDash(context.scope.regions, codeCell)],
    ['Inputs', isScan(context) ? inputsSummary(context) : listOrDash(context.scope.inputs, codeCell)],
    ['Duration', `${(context.stats.durationMs / 1000).toFixed(1)} s${fromSnapshot ? ' (when the snapshot was collected)' : ''}`],
    ['Fail threshold', `${text(context.failOn)} (unsuppressed failures at or above this severity fail the audit)`],
    [fromSnapshot ? 'API calls (when the snapshot was collected)' : 'API calls', `${total}${callDetail}`],
    ...frameworkRow(context),
    ['Checks evaluated', `${context.checks.length}${context.checks.length === 0 ? '' : ` (${context.checks.map((check) => text(check.id)).join(', ')})`}`],
    ...parametersRow(context),
    ['Findings', String(findings.length)],
  ];
  return ['## Scope', '', table(['Item', 'Value'], rows)].join('\n');
}
