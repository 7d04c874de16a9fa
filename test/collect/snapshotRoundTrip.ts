/** Shared by the live collector tests: collected facts must load back as a snapshot. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FactSet } from '../../src/facts/model.js';
import { loadSnapshot } from '../../src/load/loadSnapshot.js';

/** The facts load back as a snapshot: the new items match schemas/facts.schema.json. */
export function assertValidSnapshot(facts: FactSet): void {
  const dir = mkdtempSync(join(tmpdir(), 'trailaudit-kms-'));
  try {
    const file = join(dir, 'facts.json');
    writeFileSync(file, JSON.stringify(facts));
    const loaded = loadSnapshot(file);
    assert.deepEqual(loaded.kmsKeys, facts.kmsKeys);
    assert.deepEqual(loaded.securityHubs, facts.securityHubs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

