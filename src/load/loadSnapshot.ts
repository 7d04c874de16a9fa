import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { FactSet } from '../facts/model.js';
import { pointerToPath, schemaValidator } from './schemaValidation.js';

/** Read a facts snapshot saved by `audit --save-snapshot`; structural problems are input errors. */
export function loadSnapshot(file: string): FactSet {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const problem = error as Error;
    const position = /line (\d+) column (\d+)/u.exec(problem.message);
    throw new InputError([
      {
        file,
        line: position?.[1] === undefined ? 0 : Number(position[1]),
        column: position?.[2] === undefined ? 0 : Number(position[2]),
        path: '',
        message: `not a readable JSON snapshot: ${problem.message}`,
      },
    ]);
  }
  const validate = schemaValidator('facts.schema.json');
  if (!validate(data)) {
    throw new InputError(
      (validate.errors ?? []).slice(0, 20).map((error) => ({
        file,
        line: 0,
        column: 0,
        path: pointerToPath(error.instancePath).join('.'),
        message: `${error.message ?? error.keyword} (expected a snapshot written by trailaudit audit --save-snapshot)`,
      })),
    );
  }
  return data as FactSet;
}
