import { isUnknown } from '../facts/model.js';

/** One `{{a.b}}` placeholder. Global, but replace() and matchAll() never share its lastIndex. */
const PLACEHOLDER = /\{\{\s*([\w.$-]+)\s*\}\}/gu;

/**
 * `{{a.b}}` placeholders in messages and remediation commands, looked up in a plain context
 * object. Unreadable values render as "(unknown)" so a message never pretends to know.
 */
export function renderTemplate(template: string, context: Readonly<Record<string, unknown>>): string {
  return template.replace(PLACEHOLDER, (_match, path: string) => display(lookup(context, path)));
}

/** The paths of a template's placeholders, exactly as renderTemplate finds them (for the check loader). */
export function placeholderPaths(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

export function lookup(context: unknown, path: string): unknown {
  let current: unknown = context;
  for (const segment of path.split('.')) {
    if (isUnknown(current) || current === null || typeof current !== 'object') {
      return isUnknown(current) ? current : undefined;
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

export function display(value: unknown): string {
  if (value === undefined || value === null) {
    return '(none)';
  }
  if (isUnknown(value)) {
    return '(unknown)';
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? '(none)' : value.map((entry) => display(entry)).join(', ');
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects were handled above
  return String(value);
}

/** A value that is exactly one placeholder (`"{{param.keys}}"`) keeps its type (lists stay lists). */
export function substituteValue(value: unknown, context: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([\w.$-]+)\s*\}\}$/u.exec(value);
    if (whole?.[1] !== undefined) {
      return lookup(context, whole[1]);
    }
    return renderTemplate(value, context);
  }
  if (Array.isArray(value)) {
    return value.map((entry) => substituteValue(entry, context));
  }
  return value;
}

/**
 * A remediation template shown for a whole control rather than one resource: placeholders become
 * `<name>`-style blanks (`{{resource.region}}` → `<region>`) instead of leaking template syntax.
 */
export function genericTemplate(template: string): string {
  return template.replace(PLACEHOLDER, (_match, path: string) => `<${path.split('.').at(-1) ?? path}>`);
}
