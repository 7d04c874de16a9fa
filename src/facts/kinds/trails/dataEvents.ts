/**
 * Does a trail log ALL S3 object-level data events, for every current and future bucket?
 * Security Hub S3.22 (write) / S3.23 (read), CIS 3.8 / 3.9 (AWS Config's
 * cloudtrail-all-write/read-s3-data-event-check).
 *
 * Pure, like the management-event coverage (eventSelectors.ts), and over the same field-selector
 * algebra (selectorAlgebra.ts) for advanced selectors.
 *
 * What counts as "all" (conservative: anything we cannot prove admits every S3 object event of a
 * direction does not count, and the explanation says what narrowed it):
 * - basic: a data resource of type `AWS::S3::Object` with the value `arn:<partition>:s3` or
 *   `arn:<partition>:s3:::`; a bucket or prefix value does not count. `ReadWriteType` gives the
 *   directions; `IncludeManagementEvents` does not matter.
 * - advanced: `eventCategory` and `resources.type` field selectors present and admitting `Data` and
 *   `AWS::S3::Object`; `readOnly` absent (both directions) or admitting `true` / `false`;
 *   `resources.ARN` only as `StartsWith` an all-buckets prefix (`arn:aws:s3` or `arn:aws:s3:::`).
 *   Any other `resources.ARN` operator narrows, negative ones included: `NotStartsWith
 *   arn:aws:s3:::logs-bucket/` excludes a bucket, and telling an exclusion that happens to miss
 *   every S3 ARN apart from one that does not would need set algebra the Config rule does not do.
 *   `eventSource` narrows unless it admits `s3.amazonaws.com` (every S3 data event's source); any
 *   other field (`eventName`, `userIdentity.arn`, `errorCode`, …) narrows whatever its operator.
 * - Advanced selectors replace basic ones (AWS keeps one kind), as in eventSelectors.ts.
 * - No selectors (the AWS default): no data events.
 * - Union over selectors: one read-only and one write-only selector together log both.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, BasicEventSelector, EventSelectors } from '../../model.js';
import { ALL_OPERATORS, fieldSelectorAdmits, OPERATOR_LABEL } from './selectorAlgebra.js';

export interface S3ObjectDataEvents {
  /** All S3 object read data events (GetObject, …) of every bucket: S3.23 / CIS 3.9. */
  readonly read: boolean;
  /** All S3 object write data events (PutObject, DeleteObject, …) of every bucket: S3.22 / CIS 3.8. */
  readonly write: boolean;
  /** Which selectors log what, or why none logs all (evidence). */
  readonly explanation: string;
}

const S3_OBJECT = 'AWS::S3::Object';
/** `arn:aws:s3`, `arn:aws:s3:::`, `arn:aws-us-gov:s3:::`, … : every bucket of the partition. */
const ALL_BUCKETS_VALUE = /^arn:[a-z][a-z0-9-]*:s3(?::::)?$/u;
const S3_EVENT_SOURCE = 's3.amazonaws.com';

interface SelectorFinding {
  readonly label: string;
  readonly read: boolean;
  readonly write: boolean;
  /** Why the selector does not log every S3 object event (empty when it does, for its directions). */
  readonly problems: readonly string[];
}

/* ------------------------------------------------------------------ basic selectors */

function analyseBasic(selector: BasicEventSelector, index: number): SelectorFinding {
  const label = `basic selector #${index + 1}`;
  const objects = selector.dataResources.filter((resource) => resource.type === S3_OBJECT);
  const allBuckets = objects.some((resource) => resource.values.some((value) => ALL_BUCKETS_VALUE.test(value)));
  if (!allBuckets) {
    const problem =
      objects.length === 0
        ? `${label} has no ${S3_OBJECT} data resource`
        : `${label} logs ${S3_OBJECT} only for ${objects.flatMap((r) => r.values).join(', ') || 'no value'}`;
    return { label, read: false, write: false, problems: [problem] };
  }
  const type = selector.readWriteType;
  return { label, read: type !== 'WriteOnly', write: type !== 'ReadOnly', problems: [] };
}

/* ------------------------------------------------------------------ advanced selectors */

function describe(selector: AdvancedFieldSelector): string {
  const parts = ALL_OPERATORS.flatMap((operator) => {
    const patterns = selector[operator];
    return patterns === undefined ? [] : [`${OPERATOR_LABEL[operator]} [${patterns.join(', ')}]`];
  });
  return parts.length === 0 ? `${selector.field} (any value)` : `${selector.field} ${parts.join(' and ')}`;
}

/** A `resources.ARN` field selector that admits every S3 object ARN: only StartsWith an all-buckets prefix. */
function admitsEveryObjectArn(selector: AdvancedFieldSelector): boolean {
  const onlyStartsWith = ALL_OPERATORS.every((operator) => operator === 'startsWith' || selector[operator] === undefined);
  return onlyStartsWith && (selector.startsWith ?? []).some((prefix) => ALL_BUCKETS_VALUE.test(prefix));
}

/** Why a field selector (other than eventCategory / resources.type / readOnly) narrows, if it does. */
function narrowing(selector: AdvancedFieldSelector): string | undefined {
  if (selector.field === 'resources.ARN') {
    return admitsEveryObjectArn(selector) ? undefined : describe(selector);
  }
  if (selector.field === 'eventSource' && fieldSelectorAdmits(selector, S3_EVENT_SOURCE)) {
    return undefined;
  }
  return describe(selector);
}

/** Every field selector on `field` exists and admits `value` (AWS requires eventCategory and resources.type). */
function requiredFieldProblem(selector: AdvancedEventSelector, field: string, value: string, label: string): string | undefined {
  const onField = selector.fieldSelectors.filter((f) => f.field === field);
  if (onField.length === 0) {
    return `${label} has no ${field} field selector`;
  }
  return onField.every((f) => fieldSelectorAdmits(f, value))
    ? undefined
    : `${label} has ${onField.map(describe).join(' and ')}, which does not admit ${value}`;
}

function analyseAdvanced(selector: AdvancedEventSelector, index: number): SelectorFinding {
  // Names are labels for people, never keyed on (consoles name selectors freely).
  const label =
    selector.name !== undefined && selector.name !== ''
      ? `advanced selector '${selector.name}'`
      : `advanced selector #${index + 1}`;
  const required = [
    requiredFieldProblem(selector, 'eventCategory', 'Data', label),
    requiredFieldProblem(selector, 'resources.type', S3_OBJECT, label),
  ].filter((problem): problem is string => problem !== undefined);
  if (required.length > 0) {
    return { label, read: false, write: false, problems: required };
  }
  const readOnly = selector.fieldSelectors.filter((f) => f.field === 'readOnly');
  const read = readOnly.every((f) => fieldSelectorAdmits(f, 'true'));
  const write = readOnly.every((f) => fieldSelectorAdmits(f, 'false'));
  const narrowed = selector.fieldSelectors
    .filter((f) => !['eventCategory', 'resources.type', 'readOnly'].includes(f.field))
    .map(narrowing)
    .filter((text): text is string => text !== undefined);
  const problems = narrowed.map((text) => `${label} is restricted to ${text}`);
  if (!read && !write) {
    problems.push(`${label} has ${readOnly.map(describe).join(' and ')}, which admits neither true nor false`);
  }
  return narrowed.length > 0 ? { label, read: false, write: false, problems } : { label, read, write, problems };
}

/* ------------------------------------------------------------------ union */

function directionText(finding: SelectorFinding): string {
  return finding.read && finding.write ? 'read and write' : finding.read ? 'read' : 'write';
}

function explain(findings: readonly SelectorFinding[], read: boolean, write: boolean): string {
  const logging = findings.filter((f) => f.read || f.write);
  const found = logging.map((f) => `${f.label} logs all S3 object ${directionText(f)} data events`);
  if (read && write) {
    return `${capitalise(found.join('; '))} of every bucket.`;
  }
  const missing = !read && !write ? 'read and write' : read ? 'write' : 'read';
  const reasons = [
    ...findings.flatMap((f) => f.problems),
    ...logging.filter((f) => !(f.read && f.write)).map((f) => `${f.label} logs ${directionText(f)} events only`),
  ];
  const foundText = found.length === 0 ? '' : `${capitalise(found.join('; '))} of every bucket, but `;
  const why = reasons.length === 0 ? '' : `: ${reasons.join('; ')}`;
  const subject = `no selector logs all S3 object ${missing} data events of every bucket`;
  return `${foundText === '' ? capitalise(subject) : foundText + subject}${why}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Whether the trail's selectors log every S3 object read and write data event of every bucket.
 * `selectors` undefined means the AWS default (no custom selectors), which logs no data events;
 * `hasCustomEventSelectors` only changes the wording (an emptied custom set also logs none).
 */
export function s3ObjectDataEvents(
  selectors: EventSelectors | undefined,
  hasCustomEventSelectors?: boolean,
): S3ObjectDataEvents {
  const findings =
    selectors === undefined
      ? []
      : selectors.advanced.length > 0
        ? selectors.advanced.map(analyseAdvanced)
        : selectors.basic.map(analyseBasic);
  if (findings.length === 0) {
    return {
      read: false,
      write: false,
      explanation:
        hasCustomEventSelectors === true
          ? 'The trail reports custom event selectors but none are defined, so it logs no data events.'
          : 'The trail has no event selectors (the AWS default), which log management events only, no S3 data events.',
    };
  }
  const read = findings.some((f) => f.read);
  const write = findings.some((f) => f.write);
  return { read, write, explanation: explain(findings, read, write) };
}
