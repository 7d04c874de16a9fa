/**
 * `trailaudit scan`: read every discovered file, decide by content whether it is a Terraform plan
 * (JSON with `format_version` and planned values) or a CloudFormation template (YAML or JSON),
 * collect each with its collector and merge the per-file facts into the ONE fact set the engine
 * evaluates, so `checks/*.yaml` run unchanged.
 *
 * A bad file never stops the scan: its problem is recorded (file, line, column) and the other
 * files are still evaluated. The CLI decides what that means for the exit code.
 */
import { relative, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Suppression } from '../../engine/types.js';
import { InputError, type InputIssue } from '../../errors.js';
import type { AccountFacts, FactNeed, FactSet, FactSource, RegionFacts, ResourceRef } from '../../facts/model.js';
import { isGap } from '../../facts/model.js';
import { deriveFacts } from '../../facts/derive.js';
import type { FactKind } from '../../facts/kinds/types.js';
import { InputFileError, overLimit, readInputFile } from '../../load/inputFile.js';
import type { ExpiryLimit } from '../../load/suppressionHorizon.js';
import type { DiscoveredFile } from './discover.js';
import type { IacCollectOptions, IacCollection, IacKind } from './types.js';

/** What the scan needs from the two collectors (injected, so the merge logic is testable alone). */
export interface IacCollectors {
  readonly isTerraformPlan: (data: unknown) => boolean;
  readonly collectTerraformPlan: (text: string, data: unknown, options: IacCollectOptions) => IacCollection;
  readonly isCloudFormationTemplate: (data: unknown) => boolean;
  /**
   * Parse YAML or JSON text as a template (positions kept) and collect it; null when the text
   * parses but is not a template. Throws InputError (located) on a syntax error.
   */
  readonly collectCloudFormation: (text: string, options: IacCollectOptions) => IacCollection | null;
}

export const NOT_A_TEMPLATE = 'neither a CloudFormation template nor a Terraform plan (terraform show -json)';

export interface ScannedFile {
  readonly path: string;
  /** Relative to the scan's working directory, forward slashes: what reports show. */
  readonly displayPath: string;
  readonly kind: IacKind;
}

export interface ScanResult {
  /** Null when no file could be scanned. */
  readonly facts: FactSet | null;
  /** Inline suppressions of every scanned file (CloudFormation Metadata), `file` set. */
  readonly suppressions: readonly Suppression[];
  readonly scanned: readonly ScannedFile[];
  /** Files found in a directory walk that are clearly not templates or plans (package.json, k8s YAML…). */
  readonly skipped: readonly string[];
  /** Files that could not be read, parsed or collected, located as precisely as possible. */
  readonly issues: readonly InputIssue[];
}

export interface ScanOptions {
  readonly cwd: string;
  /** The scan's start time, stamped into the facts (deterministic output). */
  readonly collectedAt: string;
  /** `--whole-account`: the files describe the entire account, so absence can FAIL. */
  readonly wholeAccount: boolean;
  /** How far ahead inline suppressions may expire (rules.yaml's horizon from the run's day). */
  readonly expiryLimit?: ExpiryLimit;
  /** Ids of the loaded checks, which inline suppressions must name (as rules.yaml's must). */
  readonly knownChecks?: readonly string[];
  /** The enabled checks' needs with their dependencies (IacCollectOptions.needs). */
  readonly needs?: ReadonlySet<FactNeed>;
  /** The registered fact kinds (default: the registry), handed to each file's collector. */
  readonly kinds?: readonly FactKind[];
}

export function displayPathOf(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return (rel === '' ? path : rel).split(sep).join('/');
}

/*
 * Every CloudFormation template has a `Resources` section and every plan a `format_version`;
 * a file mentioning neither cannot be one, so a directory walk does not pay to parse
 * package.json, tsconfig.json (which may even hold comments), workflow or Kubernetes YAML.
 */
function mayBeTemplateOrPlan(text: string): boolean {
  return text.includes('Resources') || text.includes('format_version');
}

type Outcome =
  | { readonly type: 'collected'; readonly collection: IacCollection }
  | { readonly type: 'neither' }
  | { readonly type: 'error'; readonly issues: readonly InputIssue[] };

function issuesOf(error: unknown, file: string): readonly InputIssue[] {
  if (error instanceof InputError) {
    return error.issues;
  }
  // A collector bug on one file must not hide the other files' results; it is reported as that
  // file's problem, with the message, rather than crashing the whole scan.
  const message = error instanceof Error ? error.message : String(error);
  return [{ file, line: 0, column: 0, path: '', message: `could not be scanned: ${message}` }];
}

function scanText(text: string, file: DiscoveredFile, options: IacCollectOptions, collectors: IacCollectors): Outcome {
  const display = options.displayPath;
  if (!file.explicit && !mayBeTemplateOrPlan(text)) {
    return { type: 'neither' };
  }
  try {
    if (/^\s*\{/u.test(text)) {
      let data: unknown;
      let parsed = false;
      try {
        // The platform parser is the fast path for detection; on a syntax error the template
        // parser below runs instead, and it reports the line and column (V8's message does not).
        data = JSON.parse(text);
        parsed = true;
      } catch {
        parsed = false;
      }
      if (parsed) {
        if (collectors.isTerraformPlan(data)) {
          return { type: 'collected', collection: collectors.collectTerraformPlan(text, data, options) };
        }
        if (!collectors.isCloudFormationTemplate(data)) {
          return { type: 'neither' };
        }
      }
    }
    // Characters, not bytes: the same for the ASCII templates are, and never more than the bytes.
    const tooLarge = overLimit('template', text.length);
    if (tooLarge !== null) {
      return { type: 'error', issues: [{ file: display, line: 0, column: 0, path: '', message: tooLarge }] };
    }
    const collection = collectors.collectCloudFormation(text, options);
    return collection === null ? { type: 'neither' } : { type: 'collected', collection };
  } catch (error) {
    return { type: 'error', issues: issuesOf(error, display) };
  }
}

/**
 * One fact set from many files. Items are concatenated (each keeps its own `ref.location`, so
 * findings still point at their file); Regions are united by name. What each field means when
 * files disagree:
 * - `account.scope`: 'partial' unless `--whole-account` (a set of files shows part of an account);
 * - `account.publicAccessBlock`: the first declared one in path order, else null (none declared);
 * - `collected`: only the fact kinds EVERY file's collector gathered, so a kind one collector
 *   cannot read turns into UNKNOWN(unsupported) rather than a PASS over the files that lack it;
 * - `source`: the collectors' source when all files are one kind, `iac` when mixed;
 * - the account's and Regions' own `ref.location` (a file's top, where a one-file scan anchors
 *   account- and Region-level verdicts) is dropped when several files are merged: no single
 *   file declares the account, so those findings are not attributed to whichever came first;
 * - the account id: the files' own when they agree (a placeholder such as `(template)`, or an id
 *   a plan revealed), else {@link MIXED_ACCOUNT_ID}; Region refs take the same id, so that
 *   CloudTrail.3 findings name one account whichever file declared the Region.
 */
/** Account id of a merged scan whose files name different accounts (or placeholders). */
export const MIXED_ACCOUNT_ID = '(scanned files)';

export function mergeFactSets(collections: readonly IacCollection[], options: { wholeAccount: boolean; collectedAt: string; durationMs: number }): FactSet | null {
  const first = collections[0];
  if (first === undefined) {
    return null;
  }
  const regions = new Map<string, RegionFacts>();
  let publicAccessBlock: AccountFacts['publicAccessBlock'] = null;
  // The first file's kinds (in registry order), narrowed by every other file's.
  let collected: readonly FactNeed[] = first.facts.collected;
  const sources = new Set<FactSource>();
  for (const { facts } of collections) {
    sources.add(facts.source);
    for (const region of facts.regions) {
      if (!regions.has(region.name)) {
        regions.set(region.name, region);
      }
    }
    const declared = facts.account.publicAccessBlock;
    if (publicAccessBlock === null && declared !== undefined && declared !== null) {
      publicAccessBlock = declared;
    }
    const own = new Set(facts.collected);
    collected = collected.filter((need) => own.has(need));
  }
  const single = collections.length === 1;
  const accountIds = new Set(collections.map(({ facts }) => facts.account.id));
  const [onlyAccountId] = accountIds;
  const accountId = accountIds.size === 1 && onlyAccountId !== undefined ? onlyAccountId : MIXED_ACCOUNT_ID;
  const accountRef = (ref: ResourceRef): ResourceRef => {
    const { location: _dropped, ...rest } = ref;
    const located = single ? ref : rest;
    return ref.type === 'AWS::::Account' && ref.id !== accountId ? { ...located, id: accountId, accountId: /^\d{12}$/u.test(accountId) ? accountId : null } : located;
  };
  const [onlySource] = sources;
  const source: FactSource = sources.size === 1 && onlySource !== undefined ? onlySource : 'iac';
  // Facts derived across collections (a trail in one file, its bucket in another) are recomputed on the merge.
  return deriveFacts({
    schemaVersion: 1,
    source,
    collectedAt: options.collectedAt,
    collected,
    account: {
      ...first.facts.account,
      ref: accountRef(first.facts.account.ref),
      id: accountId,
      scope: options.wholeAccount ? 'account' : 'partial',
      publicAccessBlock,
    },
    regions: [...regions.values()].map((region) => ({ ...region, ref: accountRef(region.ref) })),
    trails: collections.flatMap(({ facts }) => facts.trails),
    buckets: collections.flatMap(({ facts }) => withOwnAccountBlock(facts, publicAccessBlock)),
    eventDataStores: collections.flatMap(({ facts }) => facts.eventDataStores),
    ...mergeOptional(collections),
    stats: { apiCalls: {}, durationMs: options.durationMs },
  });
}

type OptionalCollections = Pick<FactSet, 'logGroups' | 'alarms' | 'topics' | 'kmsKeys' | 'securityHubs'>;

/** One optional collection over all files: present only when every file wrote it. */
function concatenated<T>(lists: readonly (readonly T[] | undefined)[]): readonly T[] | undefined {
  return lists.some((list) => list === undefined) ? undefined : lists.flatMap((list) => list ?? []);
}

/**
 * The optional collections (log groups, alarms, topics, KMS keys, Security Hub): concatenated
 * like the others, and written exactly when every file wrote them, as `collected` keeps a kind
 * only when every file's collector read it (a collection present means "collected").
 */
function mergeOptional(collections: readonly IacCollection[]): OptionalCollections {
  const merged = {
    logGroups: concatenated(collections.map(({ facts }) => facts.logGroups)),
    alarms: concatenated(collections.map(({ facts }) => facts.alarms)),
    topics: concatenated(collections.map(({ facts }) => facts.topics)),
    kmsKeys: concatenated(collections.map(({ facts }) => facts.kmsKeys)),
    securityHubs: concatenated(collections.map(({ facts }) => facts.securityHubs)),
  };
  return Object.fromEntries(Object.entries(merged).filter(([, list]) => list !== undefined));
}

/**
 * A file's buckets, each stamped with the account-level Block Public Access its verdict was
 * computed with when that is not the merged one (files declare different blocks, or none), so
 * that `evaluate` can recompute `publicAccess` from a saved scan with the same inputs.
 */
function withOwnAccountBlock(facts: FactSet, merged: AccountFacts['publicAccessBlock']): FactSet['buckets'] {
  const own = facts.account.publicAccessBlock ?? null;
  if (isDeepStrictEqual(own, merged ?? null)) {
    return facts.buckets;
  }
  return facts.buckets.map((bucket) => (isGap(bucket) ? bucket : { ...bucket, accountPublicAccessBlock: own }));
}

/** What happened to one file; plain data, so a worker thread can hand it back. */
export type FileOutcome =
  | { readonly type: 'collected'; readonly displayPath: string; readonly collection: IacCollection }
  | { readonly type: 'skipped'; readonly displayPath: string }
  | { readonly type: 'error'; readonly displayPath: string; readonly issues: readonly InputIssue[] };

/** Read one file and collect it (or say why not). Never throws for a bad file. */
export function scanOne(file: DiscoveredFile, options: ScanOptions, collectors: IacCollectors): FileOutcome {
  const displayPath = displayPathOf(file.path, options.cwd);
  let text: string;
  try {
    // A FIFO, device or oversized file is this file's problem, never a hang or a crash.
    text = readInputFile(file.path, 'scan', displayPath);
  } catch (error) {
    const message = error instanceof InputFileError ? error.problem : `cannot read: ${(error as Error).message}`;
    return { type: 'error', displayPath, issues: [{ file: displayPath, line: 0, column: 0, path: '', message }] };
  }
  // A UTF-8 byte order mark (Windows editors) is not part of the document.
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  const outcome = scanText(
    text,
    file,
    {
      collectedAt: options.collectedAt,
      displayPath,
      ...(options.expiryLimit === undefined ? {} : { expiryLimit: options.expiryLimit }),
      ...(options.knownChecks === undefined ? {} : { knownChecks: options.knownChecks }),
      ...(options.needs === undefined ? {} : { needs: options.needs }),
      ...(options.kinds === undefined ? {} : { kinds: options.kinds }),
    },
    collectors,
  );
  if (outcome.type === 'collected') {
    return { type: 'collected', displayPath, collection: outcome.collection };
  }
  if (outcome.type === 'error') {
    return { type: 'error', displayPath, issues: outcome.issues };
  }
  if (file.explicit) {
    // Named on the command line: the user expected a template or plan, so say it is not one.
    return { type: 'error', displayPath, issues: [{ file: displayPath, line: 0, column: 0, path: '', message: NOT_A_TEMPLATE }] };
  }
  return { type: 'skipped', displayPath };
}

/** Merge per-file outcomes, given in the order of `files` (path order: deterministic reports). */
export function assembleScan(files: readonly DiscoveredFile[], outcomes: readonly FileOutcome[], options: ScanOptions, durationMs: number): ScanResult {
  const collections: IacCollection[] = [];
  const scanned: ScannedFile[] = [];
  const skipped: string[] = [];
  const issues: InputIssue[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.type === 'collected') {
      collections.push(outcome.collection);
      scanned.push({ path: files[index]?.path ?? outcome.displayPath, displayPath: outcome.displayPath, kind: outcome.collection.kind });
    } else if (outcome.type === 'error') {
      issues.push(...outcome.issues);
    } else {
      skipped.push(outcome.displayPath);
    }
  });
  return {
    facts: mergeFactSets(collections, { wholeAccount: options.wholeAccount, collectedAt: options.collectedAt, durationMs }),
    suppressions: collections.flatMap((collection) => collection.suppressions),
    scanned,
    skipped,
    issues,
  };
}

/**
 * Read and collect every file, then merge. Files are read synchronously, one after the other:
 * the cost is parsing (CPU; YAML with positions is ~80 % of a scan), reading 1,000 files takes
 * ~20 ms, so asynchronous reads would only add overhead. Parsing on worker threads was measured
 * too (BENCHMARKS.md, IaC case) and was slower on our 2-vCPU machines, so it is not used.
 */
export function scanFiles(files: readonly DiscoveredFile[], options: ScanOptions, collectors: IacCollectors): ScanResult {
  const started = performance.now();
  const outcomes = files.map((file) => scanOne(file, options, collectors));
  return assembleScan(files, outcomes, options, Math.round(performance.now() - started));
}
