/** Build step: (re)write src/load/schemaValidators.generated.ts from schemas/ (see schemaValidatorsSource.ts). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GENERATED_FILE, schemaValidatorsSource } from './schemaValidatorsSource.js';

const root = resolve(import.meta.dirname, '..');
const target = join(root, GENERATED_FILE);
const source = schemaValidatorsSource(root);
let current: string | null = null;
try {
  current = readFileSync(target, 'utf8');
} catch {
  // First build: nothing to compare with.
}
// Only write on change, so an unchanged build does not touch the source tree.
if (current !== source) {
  writeFileSync(target, source);
  process.stdout.write(`precompiled schema validators: ${GENERATED_FILE}\n`);
}
