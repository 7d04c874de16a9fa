import type { ParameterDefinition } from '../engine/types.js';

/** Why `value` does not fit the parameter definition, or null when it does. */
export function parameterProblem(definition: ParameterDefinition, value: unknown): string | null {
  switch (definition.type) {
    case 'string':
      if (typeof value !== 'string') {
        return 'expected a string';
      }
      return matchesPattern(definition, value);
    case 'integer':
      if (!Number.isInteger(value)) {
        return 'expected an integer';
      }
      return definition.minimum !== undefined && (value as number) < definition.minimum ? `expected an integer of at least ${definition.minimum}` : null;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'expected true or false';
    case 'string[]': {
      if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
        return 'expected a list of strings';
      }
      const strings = value as string[];
      if (definition.maxItems !== undefined && strings.length > definition.maxItems) {
        return `expected at most ${definition.maxItems} items, got ${strings.length}`;
      }
      if (new Set(strings).size !== strings.length) {
        return 'expected distinct items';
      }
      for (const entry of strings) {
        const problem = matchesPattern(definition, entry);
        if (problem !== null) {
          return `"${entry}": ${problem}`;
        }
      }
      return null;
    }
  }
}

function matchesPattern(definition: ParameterDefinition, value: string): string | null {
  if (definition.pattern === undefined || new RegExp(definition.pattern, 'u').test(value)) {
    return null;
  }
  return `expected a value matching ${definition.pattern}`;
}
