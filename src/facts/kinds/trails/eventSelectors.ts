/**
 * What a trail's event selectors capture of management events (Security Hub CloudTrail.1 /
 * CIS 3.1), over the field-selector algebra (selectorAlgebra.ts) and the normalised selectors
 * (normaliseSelectors.ts).
 *
 * Pure: no I/O and no SDK imports, so the same code serves live collection, saved snapshots and
 * IaC templates (CloudFormation and Terraform use the same PascalCase shape).
 */
import type {
  AdvancedEventSelector,
  AdvancedFieldSelector,
  BasicEventSelector,
  EventSelectors,
  ManagementEventCoverage,
} from '../../model.js';
import { ALL_OPERATORS, fieldSelectorAdmits, OPERATOR_LABEL } from './selectorAlgebra.js';

/* ------------------------------------------------------------------ management-event coverage */

const ALL_SOURCES_SENTENCE = 'logs all read and write management events from every source';

/** `eventCategory equals [Management]`, `readOnly equals [true] and not equals [false]`. */
function describeFieldSelector(selector: AdvancedFieldSelector): string {
  const parts = ALL_OPERATORS.flatMap((operator) => {
    const patterns = selector[operator];
    return patterns === undefined ? [] : [`${OPERATOR_LABEL[operator]} [${patterns.join(', ')}]`];
  });
  return parts.length === 0 ? `${selector.field} (any value)` : `${selector.field} ${parts.join(' and ')}`;
}

interface AdvancedAnalysis {
  readonly label: string;
  readonly management: boolean;
  readonly read: boolean;
  readonly write: boolean;
  /** Plain source names (eventSource notEquals) and `restricted to …` descriptions. */
  readonly narrowing: readonly string[];
  readonly categoryProblem?: string;
  /**
   * Why the selector, although it admits all management events, does not have the literal shape
   * CONTROLS.md §1.1 / CIS 5.0 3.1 require (eventCategory equals Management, no readOnly field):
   * when the rule's wording and the algebra disagree we report FAIL, never a doubtful PASS.
   */
  readonly shapeProblem?: string;
}

function analyseAdvanced(selector: AdvancedEventSelector, index: number): AdvancedAnalysis {
  // The name is only a label for people: consoles name selectors freely, so never key on it.
  const label =
    selector.name !== undefined && selector.name !== ''
      ? `advanced selector '${selector.name}'`
      : `advanced selector #${index + 1}`;
  const categorySelectors = selector.fieldSelectors.filter((f) => f.field === 'eventCategory');
  const management =
    categorySelectors.length > 0 && categorySelectors.every((f) => fieldSelectorAdmits(f, 'Management'));
  let categoryProblem: string | undefined;
  if (categorySelectors.length === 0) {
    categoryProblem = `${label} has no eventCategory field selector`;
  } else if (!management) {
    categoryProblem = `${label} has ${categorySelectors.map(describeFieldSelector).join(' and ')}`;
  }

  const readOnlySelectors = selector.fieldSelectors.filter((f) => f.field === 'readOnly');
  const read = readOnlySelectors.every((f) => fieldSelectorAdmits(f, 'true'));
  const write = readOnlySelectors.every((f) => fieldSelectorAdmits(f, 'false'));

  const narrowing: string[] = [];
  for (const fieldSelector of selector.fieldSelectors) {
    if (fieldSelector.field === 'eventCategory' || fieldSelector.field === 'readOnly') {
      continue;
    }
    for (const operator of ALL_OPERATORS) {
      const patterns = fieldSelector[operator];
      if (patterns === undefined) {
        continue;
      }
      if (fieldSelector.field === 'eventSource' && operator === 'notEquals') {
        // The form AWS documents for excluding KMS / RDS Data API events: list the sources as is.
        narrowing.push(...patterns);
      } else {
        narrowing.push(`restricted to ${fieldSelector.field} ${OPERATOR_LABEL[operator]} [${patterns.join(', ')}]`);
      }
    }
  }
  let shapeProblem: string | undefined;
  if (readOnlySelectors.length > 0 && read && write) {
    shapeProblem = `${label} has a readOnly field selector (${readOnlySelectors.map(describeFieldSelector).join(' and ')}); Security Hub and CIS 3.1 require none`;
  } else if (
    management &&
    !categorySelectors.every(
      (f) => f.equals?.includes('Management') === true && ALL_OPERATORS.every((operator) => operator === 'equals' || f[operator] === undefined),
    )
  ) {
    shapeProblem = `${label} selects management events with ${categorySelectors.map(describeFieldSelector).join(' and ')} instead of eventCategory equals [Management]`;
  }
  return {
    label,
    management,
    read,
    write,
    narrowing,
    ...(categoryProblem === undefined ? {} : { categoryProblem }),
    ...(shapeProblem === undefined ? {} : { shapeProblem }),
  };
}

function advancedReasons(analysis: AdvancedAnalysis): string[] {
  const reasons: string[] = [];
  if (analysis.categoryProblem !== undefined) {
    reasons.push(analysis.categoryProblem);
  }
  if (analysis.shapeProblem !== undefined) {
    reasons.push(analysis.shapeProblem);
  }
  if (analysis.read && !analysis.write) {
    reasons.push(`${analysis.label} restricts readOnly to true (read-only)`);
  } else if (!analysis.read && analysis.write) {
    reasons.push(`${analysis.label} restricts readOnly to false (write-only)`);
  } else if (!analysis.read && !analysis.write) {
    reasons.push(`${analysis.label} has a readOnly field selector that admits neither true nor false`);
  }
  for (const item of analysis.narrowing) {
    reasons.push(
      item.startsWith('restricted to ') ? `${analysis.label} is ${item}` : `${analysis.label} excludes eventSource ${item}`,
    );
  }
  return reasons;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function advancedCoverage(selectors: readonly AdvancedEventSelector[]): ManagementEventCoverage {
  const analyses = selectors.map(analyseAdvanced);
  const capturing = analyses.filter((a) => a.management && (a.read || a.write));
  if (capturing.length === 0) {
    return {
      source: 'advanced',
      read: false,
      write: false,
      excludedSources: [],
      allInOneSelector: false,
      explanation: `No advanced selector captures management events: ${analyses
        .map((a) => a.categoryProblem ?? `${a.label} has a readOnly field selector that admits neither true nor false`)
        .join('; ')}.`,
    };
  }
  const read = capturing.some((a) => a.read);
  const write = capturing.some((a) => a.write);
  const full = capturing.find((a) => a.read && a.write && a.narrowing.length === 0 && a.shapeProblem === undefined);
  const fullRead = capturing.some((a) => a.read && a.narrowing.length === 0);
  const fullWrite = capturing.some((a) => a.write && a.narrowing.length === 0);
  // A direction covered only by narrowed selectors reports every narrowing of those selectors.
  // Conservative: two narrowed selectors whose union happens to cover everything still report
  // their restrictions, because proving the union complete would need general set algebra.
  const excludedSources = unique([
    ...(read && !fullRead ? capturing.filter((a) => a.read).flatMap((a) => a.narrowing) : []),
    ...(write && !fullWrite ? capturing.filter((a) => a.write).flatMap((a) => a.narrowing) : []),
  ]);
  if (full !== undefined) {
    return {
      source: 'advanced',
      read,
      write,
      excludedSources,
      allInOneSelector: true,
      explanation: `${capitalise(full.label)} ${ALL_SOURCES_SENTENCE}.`,
    };
  }
  const reasons = capturing.flatMap(advancedReasons);
  const split = read && write && excludedSources.length === 0 ? ['read and write are covered only by separate selectors'] : [];
  return {
    source: 'advanced',
    read,
    write,
    excludedSources,
    allInOneSelector: false,
    explanation: `No single selector ${ALL_SOURCES_SENTENCE}: ${[...reasons, ...split].join('; ')}.`,
  };
}

function basicCovers(selector: BasicEventSelector, direction: 'read' | 'write'): boolean {
  return (
    selector.readWriteType === 'All' || selector.readWriteType === (direction === 'read' ? 'ReadOnly' : 'WriteOnly')
  );
}

function basicCoverage(selectors: readonly BasicEventSelector[]): ManagementEventCoverage {
  const label = (selector: BasicEventSelector): string => `basic selector #${selectors.indexOf(selector) + 1}`;
  const counted = selectors.filter((s) => s.includeManagementEvents);
  if (counted.length === 0) {
    return {
      source: 'basic',
      read: false,
      write: false,
      excludedSources: [],
      allInOneSelector: false,
      explanation: 'No basic selector includes management events (IncludeManagementEvents is false).',
    };
  }
  const read = counted.some((s) => basicCovers(s, 'read'));
  const write = counted.some((s) => basicCovers(s, 'write'));
  // A source is missing only if, for a direction the trail logs, no selector logging that
  // direction keeps the source: another selector without the exclusion still records it.
  const mentioned = unique(counted.flatMap((s) => s.excludeManagementEventSources));
  const missingFor = (source: string, direction: 'read' | 'write'): boolean =>
    !counted.some((s) => basicCovers(s, direction) && !s.excludeManagementEventSources.includes(source));
  const excludedSources = mentioned.filter(
    (source) => (read && missingFor(source, 'read')) || (write && missingFor(source, 'write')),
  );
  const full = counted.find((s) => s.readWriteType === 'All' && s.excludeManagementEventSources.length === 0);
  if (full !== undefined) {
    return {
      source: 'basic',
      read,
      write,
      excludedSources,
      allInOneSelector: true,
      explanation: `${capitalise(label(full))} ${ALL_SOURCES_SENTENCE} (ReadWriteType All, no exclusions).`,
    };
  }
  const reasons = counted.flatMap((s) => [
    ...(s.readWriteType === 'All' ? [] : [`${label(s)} is ${s.readWriteType}`]),
    ...(s.excludeManagementEventSources.length === 0
      ? []
      : [`${label(s)} excludes ${s.excludeManagementEventSources.join(' and ')}`]),
  ]);
  return {
    source: 'basic',
    read,
    write,
    excludedSources,
    allInOneSelector: false,
    explanation: `No single selector ${ALL_SOURCES_SENTENCE}: ${reasons.join('; ')}.`,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The selector AWS returns for a trail that never had selectors put (CONTROLS §3.1.5). */
function isAwsDefaultBasic(selectors: EventSelectors): boolean {
  const only = selectors.basic[0];
  return (
    selectors.advanced.length === 0 &&
    selectors.basic.length === 1 &&
    only !== undefined &&
    only.readWriteType === 'All' &&
    only.includeManagementEvents &&
    only.excludeManagementEventSources.length === 0 &&
    only.dataResources.length === 0
  );
}

const DEFAULT_COVERAGE: ManagementEventCoverage = {
  source: 'default',
  read: true,
  write: true,
  excludedSources: [],
  allInOneSelector: true,
  // Also reached by a selector put by hand that is identical to the default, so the wording does
  // not claim the trail has no selectors.
  explanation: `The trail uses the AWS default event selector (or one identical to it), which ${ALL_SOURCES_SENTENCE}.`,
};

/**
 * What a trail's selectors capture of management events.
 *
 * - Advanced selectors replace basic ones (AWS keeps only one kind), so when any are present the
 *   basic list is ignored.
 * - No selectors at all: the AWS default (moto returns empty lists where AWS returns the default
 *   basic selector) unless the trail says it has custom selectors; then an empty set logs
 *   nothing. That case is reported as source 'advanced' because the documented response for an
 *   emptied selector set is `AdvancedEventSelectors: []` (CONTROLS §3.1.5).
 * - `hasCustomEventSelectors === false` with AWS's default basic selector is reported as
 *   'default' too, so moto and AWS give the same fact.
 * - `excludedSources` holds plain source names (basic exclusions, advanced `eventSource`
 *   notEquals) and `restricted to <field> <operator> [values]` descriptions for any other
 *   narrowing, so "read && write && no exclusions" is never true for a narrowed trail.
 */
export function managementEventCoverage(
  selectors: EventSelectors,
  hasCustomEventSelectors: boolean | undefined,
): ManagementEventCoverage {
  if (selectors.advanced.length > 0) {
    return advancedCoverage(selectors.advanced);
  }
  if (selectors.basic.length === 0) {
    if (hasCustomEventSelectors === true) {
      return {
        source: 'advanced',
        read: false,
        write: false,
        excludedSources: [],
        allInOneSelector: false,
        explanation: 'The trail reports custom event selectors but none are defined, so it logs no management events.',
      };
    }
    return DEFAULT_COVERAGE;
  }
  if (hasCustomEventSelectors === false && isAwsDefaultBasic(selectors)) {
    return DEFAULT_COVERAGE;
  }
  return basicCoverage(selectors.basic);
}
