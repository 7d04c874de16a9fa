/**
 * The Lambda handlers' settings: environment variables (set once in the deployment template)
 * with the event's fields taking precedence (a one-off run started by hand). Values are checked
 * here, and a bad one is an Error naming the variable or field: Step Functions shows its message.
 */
import { randomBytes } from 'node:crypto';
import { ACCOUNT_ID_PATTERN } from '../load/accountsFile.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/formats.js';
import { isS3Url, parseS3Location, type S3Location } from '../history/s3Location.js';

/** Where a run keeps its files: `s3://<bucket>/<prefix>/runs/<runId>/…` and `<prefix>/latest/`. */
export interface RunLocation {
  readonly bucket: string;
  /** Without leading or trailing slashes; '' for the bucket's root. */
  readonly prefix: string;
  readonly runId: string;
}

/** The fields every handler's event may carry to override the environment. */
export interface LocationEvent {
  readonly runId?: string;
  readonly bucket?: string;
  readonly prefix?: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+){1,2}-\d{1,2}$/u;
const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/u;
const UNIT_PATTERN = /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/u;
const CHECK_PATTERN = /^[A-Za-z][A-Za-z0-9]*(\.[0-9]+)+$/u;
/** A run id becomes part of S3 keys; Step Functions execution names fit (1-80, no slash). */
const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/u;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/u;

export class SettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingError';
  }
}

/** The event's value when given, else the environment variable's (blank = unset). */
function pick(event: unknown, environment: Environment, variable: string): unknown {
  if (event !== undefined && event !== null) {
    return event;
  }
  const value = environment[variable]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function text(value: unknown, what: string, pattern: RegExp, example: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new SettingError(`${what} must be ${example}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A list from an array or a comma-separated string. */
function items(value: unknown, what: string, pattern: RegExp, example: string): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  const listed = typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter((item) => item !== '') : value;
  if (!Array.isArray(listed) || listed.length === 0) {
    throw new SettingError(`${what} must be a non-empty list (an array or comma-separated ${example}), got ${JSON.stringify(value)}`);
  }
  return listed.map((item) => text(item, `each of ${what}`, pattern, example));
}

export function location(event: LocationEvent, environment: Environment, runId: string | undefined): RunLocation {
  const bucket = text(pick(event.bucket, environment, 'TRAILAUDIT_BUCKET'), 'bucket (event) or TRAILAUDIT_BUCKET', BUCKET_PATTERN, 'an S3 bucket name');
  const prefix = pick(event.prefix, environment, 'TRAILAUDIT_PREFIX') ?? '';
  if (typeof prefix !== 'string' || prefix.length > 200) {
    throw new SettingError(`prefix (event) or TRAILAUDIT_PREFIX must be a key prefix of at most 200 characters, got ${JSON.stringify(prefix)}`);
  }
  const id = runId ?? event.runId;
  return {
    bucket,
    prefix: prefix.replace(/^\/+|\/+$/gu, ''),
    runId: text(id, 'runId', RUN_ID_PATTERN, 'the run id listAccounts returned (1-80 letters, digits, . _ : -)'),
  };
}

/**
 * A new run's id when the event names none: its start time (S3-key safe, sorts by time) and a
 * random suffix, so two runs started in the same second never share one (the state machine passes
 * its execution name; a library caller may not).
 */
export function newRunId(now: Date, random: () => string = () => randomBytes(4).toString('hex')): string {
  return `${now.toISOString().replace(/\.\d{3}Z$/u, 'Z').replaceAll(':', '-')}-${random()}`;
}

/** What a run audits and how: fixed by listAccounts in run.json, read back by the other handlers. */
export interface AuditSettings {
  readonly roleName: string;
  readonly externalId?: string;
  readonly regions?: readonly string[];
  readonly checks?: readonly string[];
  readonly organizationalUnits?: readonly string[];
  readonly excludeAccounts?: readonly string[];
  readonly logArchiveAccounts?: readonly string[];
  readonly accountConcurrency?: number;
}

export interface AuditSettingsEvent {
  readonly roleName?: string;
  readonly externalId?: string;
  readonly regions?: readonly string[] | string;
  readonly checks?: readonly string[] | string;
  readonly ou?: readonly string[] | string;
  readonly excludeAccounts?: readonly string[] | string;
  readonly logArchiveAccounts?: readonly string[] | string;
  readonly accountConcurrency?: number | string;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function auditSettings(event: AuditSettingsEvent, environment: Environment, defaultRoleName: string): AuditSettings {
  const roleName = text(pick(event.roleName, environment, 'TRAILAUDIT_ROLE_NAME') ?? defaultRoleName, 'roleName / TRAILAUDIT_ROLE_NAME', ROLE_NAME_PATTERN, 'an IAM role name');
  const externalId = pick(event.externalId, environment, 'TRAILAUDIT_EXTERNAL_ID');
  const concurrency = pick(event.accountConcurrency, environment, 'TRAILAUDIT_ACCOUNT_CONCURRENCY');
  const accountConcurrency = concurrency === undefined ? undefined : Number(concurrency);
  if (accountConcurrency !== undefined && (!Number.isInteger(accountConcurrency) || accountConcurrency < 1 || accountConcurrency > 256)) {
    throw new SettingError(`accountConcurrency / TRAILAUDIT_ACCOUNT_CONCURRENCY must be an integer from 1 to 256, got ${JSON.stringify(concurrency)}`);
  }
  const accountList = (value: unknown, what: string): string[] | undefined => items(value, what, ACCOUNT_ID_PATTERN, '12-digit account ids');
  return {
    roleName,
    ...optional('externalId', externalId === undefined ? undefined : text(externalId, 'externalId / TRAILAUDIT_EXTERNAL_ID', /^[\w+=,.@:/-]{2,1224}$/u, 'an external id')),
    ...optional('regions', items(pick(event.regions, environment, 'TRAILAUDIT_REGIONS'), 'regions / TRAILAUDIT_REGIONS', REGION_PATTERN, 'Region names')),
    ...optional('checks', items(pick(event.checks, environment, 'TRAILAUDIT_CHECKS'), 'checks / TRAILAUDIT_CHECKS', CHECK_PATTERN, 'check ids')),
    ...optional('organizationalUnits', items(pick(event.ou, environment, 'TRAILAUDIT_OU'), 'ou / TRAILAUDIT_OU', UNIT_PATTERN, 'ou-… or r-… ids')),
    ...optional('excludeAccounts', accountList(pick(event.excludeAccounts, environment, 'TRAILAUDIT_EXCLUDE_ACCOUNTS'), 'excludeAccounts / TRAILAUDIT_EXCLUDE_ACCOUNTS')),
    ...optional('logArchiveAccounts', accountList(pick(event.logArchiveAccounts, environment, 'TRAILAUDIT_LOG_ARCHIVE_ACCOUNTS'), 'logArchiveAccounts / TRAILAUDIT_LOG_ARCHIVE_ACCOUNTS')),
    ...optional('accountConcurrency', accountConcurrency),
  };
}

/** The report formats reduce writes; JSON always (Security Hub's import and compare read it back). */
export function reportFormats(value: unknown, environment: Environment): ReportFormat[] {
  const given = items(pick(value, environment, 'TRAILAUDIT_FORMATS'), 'formats / TRAILAUDIT_FORMATS', /^[a-z]+$/u, `formats (${REPORT_FORMATS.join(', ')})`);
  const chosen = given ?? ['json', 'markdown', 'junit', 'asff'];
  const unknown = chosen.filter((format) => !(REPORT_FORMATS as readonly string[]).includes(format));
  if (unknown.length > 0) {
    throw new SettingError(`formats / TRAILAUDIT_FORMATS: ${unknown.join(', ')} is not one of ${REPORT_FORMATS.join(', ')}`);
  }
  return [...new Set(['json', ...chosen])] as ReportFormat[];
}

export interface SecurityHubSettings {
  readonly enabled: boolean;
  /** Where findings without a Region of their own go; undefined = the credential chain's Region. */
  readonly region?: string;
  /** Role assumed in other accounts to import their findings; undefined = the audit's role. */
  readonly roleName?: string;
}

export interface SecurityHubEvent {
  readonly enabled?: boolean;
  readonly region?: string;
  readonly roleName?: string;
}

export function securityHubSettings(event: SecurityHubEvent | undefined, environment: Environment): SecurityHubSettings {
  const enabled = pick(event?.enabled, environment, 'TRAILAUDIT_SECURITY_HUB');
  if (enabled !== undefined && typeof enabled !== 'boolean' && enabled !== 'true' && enabled !== 'false') {
    throw new SettingError(`securityHub.enabled / TRAILAUDIT_SECURITY_HUB must be true or false, got ${JSON.stringify(enabled)}`);
  }
  const region = pick(event?.region, environment, 'TRAILAUDIT_SECURITY_HUB_REGION');
  const roleName = pick(event?.roleName, environment, 'TRAILAUDIT_SECURITY_HUB_ROLE_NAME');
  return {
    enabled: enabled === true || enabled === 'true',
    ...optional('region', region === undefined ? undefined : text(region, 'securityHub.region / TRAILAUDIT_SECURITY_HUB_REGION', REGION_PATTERN, 'a Region name')),
    ...optional('roleName', roleName === undefined ? undefined : text(roleName, 'securityHub.roleName / TRAILAUDIT_SECURITY_HUB_ROLE_NAME', ROLE_NAME_PATTERN, 'an IAM role name')),
  };
}

/** How the Distributed Map batches a run (its ItemBatcher, MaxConcurrency, ToleratedFailurePercentage). */
export interface Batching {
  readonly maxItemsPerBatch: number;
  readonly maxConcurrency: number;
  readonly toleratedFailurePercentage: number;
}

export interface BatchingEvent {
  readonly maxItemsPerBatch?: number | string;
  readonly maxConcurrency?: number | string;
  readonly toleratedFailurePercentage?: number | string;
}

/**
 * Defaults from SCALE_AND_INTEGRATIONS §3.2: 25 accounts a batch (about 32 s at 8 accounts in
 * flight, far below Lambda's 900 s), 40 batches at once. Every failed batch may fail outright
 * (100 %): a child fails only when its audit AND RecordFailure failed, and a Map that fails stops
 * every batch not yet started, whose accounts would then be UNKNOWN too (Reduce gives each account
 * without a snapshot a stand-in). With 2 % and 25 accounts a batch, one such child failed the Map
 * in any organization under 1,250 accounts; tolerating them all audits everything that can be.
 */
const DEFAULT_BATCHING: Batching = { maxItemsPerBatch: 25, maxConcurrency: 40, toleratedFailurePercentage: 100 };

function integer(value: unknown, what: string, min: number, max: number, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new SettingError(`${what} must be an integer from ${String(min)} to ${String(max)}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/**
 * Returned by listAccounts for the Map's *Path fields: Step Functions' DefinitionSubstitutions
 * put text into the definition, and these fields take numbers, which a placeholder in a JSON
 * file cannot be; a number from the state's input can.
 */
export function batching(event: BatchingEvent, environment: Environment): Batching {
  return {
    // Step Functions' own limits: 1-100,000,000 items a batch, 0-10,000 children at once (0 = no limit).
    maxItemsPerBatch: integer(pick(event.maxItemsPerBatch, environment, 'TRAILAUDIT_MAX_ITEMS_PER_BATCH'), 'maxItemsPerBatch / TRAILAUDIT_MAX_ITEMS_PER_BATCH', 1, 1000, DEFAULT_BATCHING.maxItemsPerBatch),
    maxConcurrency: integer(pick(event.maxConcurrency, environment, 'TRAILAUDIT_MAX_CONCURRENCY'), 'maxConcurrency / TRAILAUDIT_MAX_CONCURRENCY', 1, 10_000, DEFAULT_BATCHING.maxConcurrency),
    toleratedFailurePercentage: integer(
      pick(event.toleratedFailurePercentage, environment, 'TRAILAUDIT_TOLERATED_FAILURE_PERCENTAGE'),
      'toleratedFailurePercentage / TRAILAUDIT_TOLERATED_FAILURE_PERCENTAGE',
      0,
      100,
      DEFAULT_BATCHING.toleratedFailurePercentage,
    ),
  };
}

/**
 * The history Reduce appends each run to (`history` / TRAILAUDIT_HISTORY, an s3:// URL; unset =
 * none). It may not hold the run's own files (runs/, latest/ of the run location), which it would
 * refuse as foreign objects, nor lie inside them.
 */
export function historySetting(value: unknown, environment: Environment, where: RunLocation): S3Location | undefined {
  const given = pick(value, environment, 'TRAILAUDIT_HISTORY');
  if (given === undefined) {
    return undefined;
  }
  if (typeof given !== 'string' || !isS3Url(given)) {
    throw new SettingError(`history / TRAILAUDIT_HISTORY must be an s3://bucket/prefix URL, got ${JSON.stringify(given)}`);
  }
  let parsed: S3Location;
  try {
    parsed = parseS3Location(given);
  } catch (error) {
    throw new SettingError(`history / TRAILAUDIT_HISTORY: ${(error as Error).message.replace(/^--history [^:]+: /u, '')}`);
  }
  if (parsed.bucket === where.bucket) {
    const runFolders = ['runs', 'latest'].map((name) => (where.prefix === '' ? name : `${where.prefix}/${name}`));
    const within = (inner: string, outer: string): boolean => outer === '' || inner === outer || inner.startsWith(`${outer}/`);
    if (runFolders.some((folder) => within(parsed.prefix, folder) || within(folder, parsed.prefix))) {
      throw new SettingError(`history / TRAILAUDIT_HISTORY: ${given} overlaps the runs' own folders (${runFolders.map((folder) => `s3://${where.bucket}/${folder}/`).join(', ')}); give it a prefix of its own, e.g. s3://${where.bucket}/${where.prefix === '' ? '' : `${where.prefix}/`}history`);
    }
  }
  return parsed;
}
