/**
 * Build step, run before scripts/precompileSchemas.ts: brings the registry-generated parts of
 * schemas/check.schema.json and schemas/facts.schema.json up to date with the fact-kind registry
 * (see registrySchemasSource.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REGISTRY_SCHEMA_FILES, registrySchemaSource } from './registrySchemasSource.js';

const root = resolve(import.meta.dirname, '..');
const updates: { readonly file: string; readonly target: string; readonly current: string; readonly source: string }[] = [];
try {
  // Every file is generated before any is written, so a registry the schemas cannot follow yet
  // (an item definition still to write) leaves them all as they were.
  for (const file of REGISTRY_SCHEMA_FILES) {
    const target = join(root, 'schemas', file);
    const current = readFileSync(target, 'utf8');
    updates.push({ file, target, current, source: registrySchemaSource(file, current) });
  }
} catch (error) {
  // A build-time message for the developer, not a stack trace.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
for (const { file, target, current, source } of updates) {
  // Only write on change, so an unchanged build does not touch the source tree.
  if (source !== current) {
    writeFileSync(target, source);
    process.stdout.write(`schemas/${file}: brought up to date with the fact-kind registry\n`);
  }
}
