/**
 * `trailaudit.json`: the machine-readable report of DESIGN §2, published as
 * `schemas/report.schema.json`. It is also the `--baseline` input of the next run, so
 * `parseBaseline` reads back exactly what `formatJson` writes.
 */
import { STATUSES } from '../engine/types.js';
import type { Finding, Status, SuppressionMark } from '../engine/types.js';
import type { ResourceRef, ShardSpec, UnknownDetail } from '../facts/model.js';
import { countFindings, suppressionRegister, summariseControls } from './common.js';
import type { BaselineReport, Formatter, OrganizationScope } from './types.js';
import type { HistoryAnnotations } from '../history/record.js';
import { historyKey } from '../history/key.js';
import { jsonParseErrorPosition } from '../load/jsonParseError.js';
import { describeJsonValue, isJsonObject, JsonFileError, type JsonObject } from '../load/jsonValue.js';

export const REPORT_SCHEMA_VERSION = 1;

/*
 * Objects are rebuilt field by field rather than passed through, so that the key order is fixed
 * (reports are diffed between runs) and no stray runtime property leaks past the closed schema.
 */

function resourceJson(resource: ResourceRef): Record<string, unknown> {
  const out: Record<string, unknown> = { type: resource.type, id: resource.id };
  if (resource.name !== undefined) {
    out.name = resource.name;
  }
  out.accountId = resource.accountId;
  out.region = resource.region;
  if (resource.location !== undefined) {
    const { file, line, column } = resource.location;
    out.location = { file, line, column };
  }
  return out;
}

function unknownJson(detail: UnknownDetail): Record<string, unknown> {
  const out: Record<string, unknown> = { reason: detail.reason, message: detail.message };
  if (detail.operation !== undefined) {
    out.operation = detail.operation;
  }
  if (detail.region !== undefined) {
    out.region = detail.region;
  }
  if (detail.account !== undefined) {
    out.account = detail.account;
  }
  return out;
}

function suppressedJson(mark: SuppressionMark | null): Record<string, unknown> | null {
  return mark === null ? null : { reason: mark.reason, expires: mark.expires, resource: mark.resource };
}

function organizationJson(org: OrganizationScope): Record<string, unknown> {
  const shard = ({ index, count }: ShardSpec): Record<string, unknown> => ({ index, count });
  return {
    id: org.id,
    managementAccountId: org.managementAccountId,
    callerAccountId: org.callerAccountId,
    roleName: org.roleName,
    accountNames: Object.fromEntries(Object.entries(org.accountNames).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    skipped: org.skipped.map(({ accountId, name, reason, message }) => ({ accountId, ...(name === undefined ? {} : { name }), reason, message })),
    unreachable: org.unreachable.map(({ accountId, reason, message }) => ({ accountId, reason, message })),
    ...(org.shard === undefined ? {} : { shard: shard(org.shard) }),
    ...(org.shards === undefined ? {} : { shards: org.shards.map(shard) }),
    accountsInScope: org.accountsInScope,
    ...(org.wholeOrganization === undefined ? {} : { wholeOrganization: org.wholeOrganization }),
  };
}

function findingJson(finding: Finding, history: HistoryAnnotations | undefined): Record<string, unknown> {
  const state = history?.results.get(historyKey(finding));
  return {
    checkId: finding.checkId,
    control: finding.control,
    title: finding.title,
    severity: finding.severity,
    status: finding.status,
    reason: finding.reason,
    resource: resourceJson(finding.resource),
    location: finding.location,
    message: finding.message,
    evidence: finding.evidence,
    remediation: finding.remediation,
    frameworks: finding.frameworks,
    suppressed: suppressedJson(finding.suppressed),
    unknowns: finding.unknowns.map(unknownJson),
    // --history only; failingSince only while it fails.
    ...(state === undefined ? {} : { firstSeen: state.firstSeen }),
    ...(state?.failingSince === undefined || state.failingSince === null ? {} : { failingSince: state.failingSince }),
  };
}

export const formatJson: Formatter = (findings, context) => {
  const report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: context.tool.name, version: context.tool.version },
    scope: {
      source: context.scope.source,
      accounts: [...context.scope.accounts],
      regions: [...context.scope.regions],
      ...(context.scope.allRegions === undefined ? {} : { allRegions: context.scope.allRegions }),
      ...(context.scope.principalArn === undefined ? {} : { principalArn: context.scope.principalArn }),
      inputs: [...context.scope.inputs],
      ...(context.scope.framework === undefined ? {} : { framework: context.scope.framework }),
      ...(context.scope.organization === undefined ? {} : { organization: organizationJson(context.scope.organization) }),
    },
    startedAt: context.startedAt,
    finishedAt: context.finishedAt,
    ...(context.collectedAt === undefined ? {} : { collectedAt: context.collectedAt }),
    failOn: context.failOn,
    summary: countFindings(findings),
    stats: { apiCalls: context.stats.apiCalls, durationMs: context.stats.durationMs },
    // Only when some enabled check declares parameters, so other reports keep their exact shape.
    ...(Object.keys(context.checkParameters).length > 0 ? { checkParameters: context.checkParameters } : {}),
    controls: summariseControls(findings, context.checks).map((c) => ({
      control: c.control,
      title: c.title,
      severity: c.severity,
      verdict: c.verdict,
      PASS: c.PASS,
      FAIL: c.FAIL,
      UNKNOWN: c.UNKNOWN,
      NOT_APPLICABLE: c.NOT_APPLICABLE,
      suppressed: c.suppressed,
    })),
    suppressions: suppressionRegister(context),
    findings: findings.map((finding) => findingJson(finding, context.history)),
    ...(context.history === undefined ? {} : { history: context.history.section }),
    // Only written when there are any, so reports of a live audit keep their exact shape.
    ...(context.inputErrors !== undefined && context.inputErrors.length > 0
      ? { inputErrors: context.inputErrors.map(({ file, line, column, message }) => ({ file, line, column, message })) }
      : {}),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
};

/* ------------------------------------------------------------------ reading a baseline back */


/** A baseline report that cannot be used; `path` is a JSONPath into it. */
export class BaselineError extends JsonFileError {
  override readonly name = 'BaselineError';
}

/**
 * Validates only what the baseline diff needs, so that a report written by a later minor
 * version (extra fields) still works as a baseline; anything it does need is checked, and the
 * error names the file and the JSON path so the user can find the bad spot.
 */
export function parseBaseline(text: string, file: string): BaselineReport {
  const fail = (path: string, problem: string): never => {
    throw new BaselineError(file, path, problem);
  };
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const position = jsonParseErrorPosition(text, detail);
    return fail('$', `not valid JSON (${detail}${position === undefined ? '' : `; line ${String(position.line)}, column ${String(position.column)}`})`);
  }
  if (!isJsonObject(root)) {
    return fail('$', `expected a trailaudit JSON report object, found ${describeJsonValue(root)}`);
  }
  if (root.schemaVersion !== REPORT_SCHEMA_VERSION) {
    fail('$.schemaVersion', `expected ${REPORT_SCHEMA_VERSION}, found ${describeJsonValue(root.schemaVersion)}`);
  }
  const str = (obj: JsonObject, key: string, path: string): string => {
    const value = obj[key];
    return typeof value === 'string' ? value : fail(`${path}.${key}`, `expected a string, found ${describeJsonValue(value)}`);
  };
  const finishedAt = str(root, 'finishedAt', '$');
  const rawFindings = root.findings;
  if (!Array.isArray(rawFindings)) {
    return fail('$.findings', `expected an array, found ${describeJsonValue(rawFindings)}`);
  }
  const findings: BaselineReport['findings'][number][] = rawFindings.map((raw: unknown, index) => {
    const path = `$.findings[${index}]`;
    if (!isJsonObject(raw)) {
      return fail(path, `expected an object, found ${describeJsonValue(raw)}`);
    }
    const status = str(raw, 'status', path);
    if (!(STATUSES as readonly string[]).includes(status)) {
      fail(`${path}.status`, `expected one of ${STATUSES.join(', ')}, found ${JSON.stringify(status)}`);
    }
    const res = raw.resource;
    const resPath = `${path}.resource`;
    if (!isJsonObject(res)) {
      return fail(resPath, `expected an object, found ${describeJsonValue(res)}`);
    }
    const accountId = res.accountId;
    if (accountId !== null && typeof accountId !== 'string') {
      fail(`${resPath}.accountId`, `expected a string or null, found ${describeJsonValue(accountId)}`);
    }
    // The file that declares a scanned resource is part of its identity (two templates may share
    // a logical id), so the baseline keeps it; line and column may move without changing it.
    const location = res.location;
    if (location !== undefined && !(isJsonObject(location) && typeof location.file === 'string')) {
      fail(`${resPath}.location`, `expected an object with a file, found ${describeJsonValue(location)}`);
    }
    const resource: ResourceRef = {
      type: str(res, 'type', resPath),
      id: str(res, 'id', resPath),
      accountId: accountId as string | null,
      region: str(res, 'region', resPath),
      ...(isJsonObject(location) && typeof location.file === 'string'
        ? { location: { file: location.file, line: typeof location.line === 'number' ? location.line : 0, column: typeof location.column === 'number' ? location.column : 0 } }
        : {}),
    };
    const mark = raw.suppressed;
    let suppressed: SuppressionMark | null = null;
    if (mark !== null && mark !== undefined) {
      const markPath = `${path}.suppressed`;
      if (!isJsonObject(mark)) {
        return fail(markPath, `expected an object or null, found ${describeJsonValue(mark)}`);
      }
      suppressed = {
        reason: str(mark, 'reason', markPath),
        expires: str(mark, 'expires', markPath),
        resource: str(mark, 'resource', markPath),
      };
    }
    return {
      control: str(raw, 'control', path),
      status: status as Status,
      resource,
      message: str(raw, 'message', path),
      suppressed,
    };
  });
  return { file, finishedAt, findings };
}
