/**
 * The case-table tester (in the spirit of ESLint's RuleTester): the project's own tests
 * (test/checks/) and `trailaudit test-checks` run check case tables through it.
 */
export { ACCOUNT_ID, DEFAULT_BUCKET, PARTITION, TODAY, TableError, expandUnknowns, type Compact } from './compact.js';
export {
  CASE_KEYS,
  CASE_KINDS,
  EXPECTATION_KEYS,
  KIND_STATUS,
  TABLE_KEYS,
  coverageProblem,
  loadCaseTable,
  missingKinds,
  parseCaseTable,
  type CaseKind,
  type CaseTable,
  type CheckCase,
  type Expectation,
} from './caseTable.js';
export { FACT_KEYS, buildEventDataStore, buildEventDataStoreGap, buildFacts } from './facts.js';
export { buildBucket } from './buckets.js';
export { buildTrail, buildTrailGap, trailArn } from './trails.js';
export { assertCoverage, assertFindingsMatch, assertWellFormed, checkCase, checkPendingCase, findingMatches, runCase } from './run.js';
