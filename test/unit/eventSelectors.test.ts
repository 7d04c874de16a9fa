import { strict as assert } from 'node:assert';
import { managementEventCoverage } from '../../src/facts/kinds/trails/eventSelectors.js';
import { normaliseEventSelectors } from '../../src/facts/kinds/trails/normaliseSelectors.js';
import { advancedSelectorAdmits, fieldSelectorAdmits } from '../../src/facts/kinds/trails/selectorAlgebra.js';
import type {
  AdvancedEventSelector,
  AdvancedFieldSelector,
  BasicEventSelector,
  EventSelectors,
  ManagementEventCoverage,
} from '../../src/facts/model.js';

/* ------------------------------------------------------------------ operator algebra */

interface OperatorCase {
  readonly name: string;
  readonly selector: Omit<AdvancedFieldSelector, 'field'>;
  readonly value: string;
  readonly admits: boolean;
}

const operatorCases: readonly OperatorCase[] = [
  // each operator alone, match and mismatch (the Prowler truth table, plus Equals)
  { name: 'equals match', selector: { equals: ['Management'] }, value: 'Management', admits: true },
  { name: 'equals mismatch', selector: { equals: ['Management'] }, value: 'Data', admits: false },
  { name: 'equals is case-sensitive', selector: { equals: ['Management'] }, value: 'management', admits: false },
  { name: 'equals any of several', selector: { equals: ['Data', 'Management'] }, value: 'Management', admits: true },
  { name: 'notEquals match', selector: { notEquals: ['kms.amazonaws.com'] }, value: 'kms.amazonaws.com', admits: false },
  { name: 'notEquals mismatch', selector: { notEquals: ['kms.amazonaws.com'] }, value: 's3.amazonaws.com', admits: true },
  {
    name: 'notEquals none of several',
    selector: { notEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] },
    value: 'rdsdata.amazonaws.com',
    admits: false,
  },
  { name: 'startsWith match', selector: { startsWith: ['kms.'] }, value: 'kms.amazonaws.com', admits: true },
  { name: 'startsWith mismatch', selector: { startsWith: ['kms.'] }, value: 's3.amazonaws.com', admits: false },
  { name: 'notStartsWith match', selector: { notStartsWith: ['kms.'] }, value: 'kms.amazonaws.com', admits: false },
  { name: 'notStartsWith mismatch', selector: { notStartsWith: ['kms.'] }, value: 's3.amazonaws.com', admits: true },
  { name: 'endsWith match', selector: { endsWith: ['.amazonaws.com'] }, value: 'kms.amazonaws.com', admits: true },
  { name: 'endsWith mismatch', selector: { endsWith: ['.example.com'] }, value: 'kms.amazonaws.com', admits: false },
  { name: 'notEndsWith match', selector: { notEndsWith: ['.amazonaws.com'] }, value: 'kms.amazonaws.com', admits: false },
  { name: 'notEndsWith mismatch', selector: { notEndsWith: ['.example.com'] }, value: 'kms.amazonaws.com', admits: true },
  { name: 'startsWith is case-sensitive', selector: { startsWith: ['KMS'] }, value: 'kms.amazonaws.com', admits: false },
  // no operators and empty lists
  { name: 'no operator admits anything', selector: {}, value: 'anything', admits: true },
  { name: 'empty equals list admits nothing', selector: { equals: [] }, value: 'Management', admits: false },
  { name: 'empty notEquals list excludes nothing', selector: { notEquals: [] }, value: 'Management', admits: true },
  // combinations are ANDed
  {
    name: 'startsWith AND endsWith both hold',
    selector: { startsWith: ['kms'], endsWith: ['.com'] },
    value: 'kms.amazonaws.com',
    admits: true,
  },
  {
    name: 'startsWith holds, endsWith fails',
    selector: { startsWith: ['kms'], endsWith: ['.cn'] },
    value: 'kms.amazonaws.com',
    admits: false,
  },
  {
    name: 'endsWith holds, notEquals fails',
    selector: { endsWith: ['.amazonaws.com'], notEquals: ['kms.amazonaws.com'] },
    value: 'kms.amazonaws.com',
    admits: false,
  },
  {
    name: 'endsWith holds, notEquals holds',
    selector: { endsWith: ['.amazonaws.com'], notEquals: ['kms.amazonaws.com'] },
    value: 's3.amazonaws.com',
    admits: true,
  },
  {
    name: 'equals and notEquals of the same value contradict',
    selector: { equals: ['Management'], notEquals: ['Management'] },
    value: 'Management',
    admits: false,
  },
  {
    name: 'all six operators hold together',
    selector: {
      equals: ['s3.amazonaws.com'],
      notEquals: ['kms.amazonaws.com'],
      startsWith: ['s3'],
      notStartsWith: ['kms'],
      endsWith: ['.com'],
      notEndsWith: ['.cn'],
    },
    value: 's3.amazonaws.com',
    admits: true,
  },
  {
    name: 'all six operators, notEndsWith fails',
    selector: {
      equals: ['s3.amazonaws.com'],
      notEquals: ['kms.amazonaws.com'],
      startsWith: ['s3'],
      notStartsWith: ['kms'],
      endsWith: ['.com'],
      notEndsWith: ['amazonaws.com'],
    },
    value: 's3.amazonaws.com',
    admits: false,
  },
];

describe('fieldSelectorAdmits', () => {
  for (const c of operatorCases) {
    it(`${c.name} → ${String(c.admits)}`, () => {
      assert.equal(fieldSelectorAdmits({ field: 'eventSource', ...c.selector }, c.value), c.admits);
    });
  }
});

describe('advancedSelectorAdmits', () => {
  const selector: AdvancedEventSelector = {
    name: 'x',
    fieldSelectors: [
      { field: 'eventCategory', equals: ['Management'] },
      { field: 'eventSource', notEquals: ['kms.amazonaws.com'] },
    ],
  };
  const cases: readonly { name: string; event: Record<string, string>; admits: boolean }[] = [
    { name: 'every field selector holds', event: { eventCategory: 'Management', eventSource: 's3.amazonaws.com' }, admits: true },
    { name: 'one field selector fails', event: { eventCategory: 'Management', eventSource: 'kms.amazonaws.com' }, admits: false },
    { name: 'other field selector fails', event: { eventCategory: 'Data', eventSource: 's3.amazonaws.com' }, admits: false },
    { name: 'a constrained field is absent from the event (conservative)', event: { eventCategory: 'Management' }, admits: false },
    { name: 'inherited property names are not event fields', event: { eventCategory: 'Management', eventSourceX: 'a' }, admits: false },
  ];
  for (const c of cases) {
    it(`${c.name} → ${String(c.admits)}`, () => {
      assert.equal(advancedSelectorAdmits(selector, c.event), c.admits);
    });
  }
  it('a selector without field selectors admits everything (vacuous AND)', () => {
    assert.equal(advancedSelectorAdmits({ fieldSelectors: [] }, {}), true);
  });
  it('a field named like an Object prototype member is not taken from the prototype', () => {
    assert.equal(advancedSelectorAdmits({ fieldSelectors: [{ field: 'constructor', notEquals: ['x'] }] }, {}), false);
  });
});

/* ------------------------------------------------------------------ management-event coverage */

const basic = (overrides: Partial<BasicEventSelector> = {}): BasicEventSelector => ({
  readWriteType: 'All',
  includeManagementEvents: true,
  excludeManagementEventSources: [],
  dataResources: [],
  ...overrides,
});

const MGMT: AdvancedFieldSelector = { field: 'eventCategory', equals: ['Management'] };

interface CoverageCase {
  readonly name: string;
  readonly selectors: EventSelectors;
  readonly hasCustom?: boolean;
  readonly expected: Omit<ManagementEventCoverage, 'explanation'>;
  readonly explanation: RegExp;
}

const ALL_BASIC = { source: 'basic', read: true, write: true, excludedSources: [], allInOneSelector: true } as const;
const ALL_ADVANCED = { ...ALL_BASIC, source: 'advanced' } as const;
const NOTHING_ADVANCED = { source: 'advanced', read: false, write: false, excludedSources: [], allInOneSelector: false } as const;

const coverageCases: readonly CoverageCase[] = [
  // defaults
  {
    name: 'empty lists, hasCustomEventSelectors undefined (moto) → AWS default',
    selectors: { basic: [], advanced: [] },
    expected: { source: 'default', read: true, write: true, excludedSources: [], allInOneSelector: true },
    explanation: /AWS default event selector \(or one identical to it\)/,
  },
  {
    name: 'empty lists, hasCustomEventSelectors false → AWS default',
    selectors: { basic: [], advanced: [] },
    hasCustom: false,
    expected: { source: 'default', read: true, write: true, excludedSources: [], allInOneSelector: true },
    explanation: /default event selector/,
  },
  {
    name: 'empty lists, hasCustomEventSelectors true → logs nothing',
    selectors: { basic: [], advanced: [] },
    hasCustom: true,
    expected: NOTHING_ADVANCED,
    explanation: /none are defined/,
  },
  {
    name: "AWS's default basic selector with hasCustomEventSelectors false → default (same as moto)",
    selectors: { basic: [basic()], advanced: [] },
    hasCustom: false,
    expected: { source: 'default', read: true, write: true, excludedSources: [], allInOneSelector: true },
    explanation: /default event selector/,
  },
  {
    name: 'hasCustomEventSelectors false but a non-default selector is returned → the selectors win',
    selectors: { basic: [basic({ readWriteType: 'ReadOnly' })], advanced: [] },
    hasCustom: false,
    expected: { source: 'basic', read: true, write: false, excludedSources: [], allInOneSelector: false },
    explanation: /is ReadOnly/,
  },
  // basic
  {
    name: 'basic All',
    selectors: { basic: [basic()], advanced: [] },
    hasCustom: true,
    expected: ALL_BASIC,
    explanation: /^Basic selector #1 logs all read and write management events/,
  },
  {
    name: 'basic ReadOnly',
    selectors: { basic: [basic({ readWriteType: 'ReadOnly' })], advanced: [] },
    expected: { source: 'basic', read: true, write: false, excludedSources: [], allInOneSelector: false },
    explanation: /basic selector #1 is ReadOnly/,
  },
  {
    name: 'basic WriteOnly',
    selectors: { basic: [basic({ readWriteType: 'WriteOnly' })], advanced: [] },
    expected: { source: 'basic', read: false, write: true, excludedSources: [], allInOneSelector: false },
    explanation: /basic selector #1 is WriteOnly/,
  },
  {
    name: 'basic IncludeManagementEvents false (data events only)',
    selectors: {
      basic: [basic({ includeManagementEvents: false, dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] })],
      advanced: [],
    },
    expected: { source: 'basic', read: false, write: false, excludedSources: [], allInOneSelector: false },
    explanation: /IncludeManagementEvents is false/,
  },
  {
    name: 'basic All excluding kms',
    selectors: { basic: [basic({ excludeManagementEventSources: ['kms.amazonaws.com'] })], advanced: [] },
    expected: { source: 'basic', read: true, write: true, excludedSources: ['kms.amazonaws.com'], allInOneSelector: false },
    explanation: /basic selector #1 excludes kms\.amazonaws\.com/,
  },
  {
    name: 'basic All excluding kms and rdsdata',
    selectors: {
      basic: [basic({ excludeManagementEventSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] })],
      advanced: [],
    },
    expected: {
      source: 'basic',
      read: true,
      write: true,
      excludedSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'],
      allInOneSelector: false,
    },
    explanation: /excludes kms\.amazonaws\.com and rdsdata\.amazonaws\.com/,
  },
  {
    name: 'basic ReadOnly + WriteOnly pair: union covers both, but not in one selector',
    selectors: { basic: [basic({ readWriteType: 'ReadOnly' }), basic({ readWriteType: 'WriteOnly' })], advanced: [] },
    expected: { source: 'basic', read: true, write: true, excludedSources: [], allInOneSelector: false },
    explanation: /basic selector #1 is ReadOnly; basic selector #2 is WriteOnly/,
  },
  {
    name: 'basic exclusion covered by another All selector is not excluded',
    selectors: { basic: [basic({ excludeManagementEventSources: ['kms.amazonaws.com'] }), basic()], advanced: [] },
    expected: ALL_BASIC,
    explanation: /^Basic selector #2 logs all/,
  },
  {
    name: 'basic ReadOnly without exclusions + WriteOnly excluding kms → kms write events missing',
    selectors: {
      basic: [
        basic({ readWriteType: 'ReadOnly' }),
        basic({ readWriteType: 'WriteOnly', excludeManagementEventSources: ['kms.amazonaws.com'] }),
      ],
      advanced: [],
    },
    expected: { source: 'basic', read: true, write: true, excludedSources: ['kms.amazonaws.com'], allInOneSelector: false },
    explanation: /basic selector #2 excludes kms\.amazonaws\.com/,
  },
  {
    name: 'basic ReadOnly excluding kms + WriteOnly without exclusions → kms read events missing',
    selectors: {
      basic: [
        basic({ readWriteType: 'ReadOnly', excludeManagementEventSources: ['kms.amazonaws.com'] }),
        basic({ readWriteType: 'WriteOnly' }),
      ],
      advanced: [],
    },
    expected: { source: 'basic', read: true, write: true, excludedSources: ['kms.amazonaws.com'], allInOneSelector: false },
    explanation: /basic selector #1 is ReadOnly; basic selector #1 excludes kms\.amazonaws\.com; basic selector #2 is WriteOnly/,
  },
  {
    name: 'basic data-only selector next to an All selector',
    selectors: { basic: [basic({ includeManagementEvents: false }), basic()], advanced: [] },
    expected: ALL_BASIC,
    explanation: /^Basic selector #2 logs all/,
  },
  // advanced
  {
    name: 'console default "Management events" advanced selector',
    selectors: { basic: [], advanced: [{ name: 'Management events selector', fieldSelectors: [MGMT] }] },
    expected: ALL_ADVANCED,
    explanation: /^Advanced selector 'Management events selector' logs all read and write/,
  },
  {
    name: 'custom-named management selector counts (never match on Name)',
    selectors: { basic: [], advanced: [{ name: 'audit-everything', fieldSelectors: [MGMT] }] },
    expected: ALL_ADVANCED,
    explanation: /'audit-everything'/,
  },
  {
    name: 'unnamed management selector counts',
    selectors: { basic: [], advanced: [{ fieldSelectors: [MGMT] }] },
    expected: ALL_ADVANCED,
    explanation: /^Advanced selector #1 logs all/,
  },
  {
    name: 'a selector named "Management events" that selects data events does not count',
    selectors: {
      basic: [],
      advanced: [
        {
          name: 'Management events',
          fieldSelectors: [
            { field: 'eventCategory', equals: ['Data'] },
            { field: 'resources.type', equals: ['AWS::S3::Object'] },
          ],
        },
      ],
    },
    expected: NOTHING_ADVANCED,
    explanation: /'Management events' has eventCategory equals \[Data\]/,
  },
  {
    name: 'advanced readOnly equals true → read-only',
    selectors: { basic: [], advanced: [{ name: 'x', fieldSelectors: [MGMT, { field: 'readOnly', equals: ['true'] }] }] },
    expected: { source: 'advanced', read: true, write: false, excludedSources: [], allInOneSelector: false },
    explanation: /advanced selector 'x' restricts readOnly to true \(read-only\)/,
  },
  {
    name: 'advanced readOnly equals false → write-only',
    selectors: { basic: [], advanced: [{ name: 'x', fieldSelectors: [MGMT, { field: 'readOnly', equals: ['false'] }] }] },
    expected: { source: 'advanced', read: false, write: true, excludedSources: [], allInOneSelector: false },
    explanation: /restricts readOnly to false \(write-only\)/,
  },
  {
    name: 'advanced readOnly notEquals false → read-only',
    selectors: { basic: [], advanced: [{ name: 'x', fieldSelectors: [MGMT, { field: 'readOnly', notEquals: ['false'] }] }] },
    expected: { source: 'advanced', read: true, write: false, excludedSources: [], allInOneSelector: false },
    explanation: /read-only/,
  },
  {
    // Covers both directions, but CIS 3.1 / CONTROLS §1.1 require no readOnly field at all: FAIL, not a doubtful PASS.
    name: 'advanced readOnly equals both values: read and write, but not the literal shape',
    selectors: {
      basic: [],
      advanced: [{ name: 'x', fieldSelectors: [MGMT, { field: 'readOnly', equals: ['true', 'false'] }] }],
    },
    expected: { ...ALL_ADVANCED, allInOneSelector: false },
    explanation: /'x' has a readOnly field selector .*require none/,
  },
  {
    name: 'advanced read-only selector + write-only selector: union only',
    selectors: {
      basic: [],
      advanced: [
        { name: 'r', fieldSelectors: [MGMT, { field: 'readOnly', equals: ['true'] }] },
        { name: 'w', fieldSelectors: [MGMT, { field: 'readOnly', equals: ['false'] }] },
      ],
    },
    expected: { source: 'advanced', read: true, write: true, excludedSources: [], allInOneSelector: false },
    explanation: /separate selectors/,
  },
  {
    name: 'advanced eventSource notEquals kms',
    selectors: {
      basic: [],
      advanced: [{ name: 'x', fieldSelectors: [MGMT, { field: 'eventSource', notEquals: ['kms.amazonaws.com'] }] }],
    },
    expected: { source: 'advanced', read: true, write: true, excludedSources: ['kms.amazonaws.com'], allInOneSelector: false },
    explanation: /advanced selector 'x' excludes eventSource kms\.amazonaws\.com/,
  },
  {
    name: 'advanced eventSource equals s3 only',
    selectors: {
      basic: [],
      advanced: [{ name: 'x', fieldSelectors: [MGMT, { field: 'eventSource', equals: ['s3.amazonaws.com'] }] }],
    },
    expected: {
      source: 'advanced',
      read: true,
      write: true,
      excludedSources: ['restricted to eventSource equals [s3.amazonaws.com]'],
      allInOneSelector: false,
    },
    explanation: /'x' is restricted to eventSource equals \[s3\.amazonaws\.com\]/,
  },
  {
    name: 'advanced eventName narrowing is not "all"',
    selectors: {
      basic: [],
      advanced: [{ name: 'x', fieldSelectors: [MGMT, { field: 'eventName', equals: ['ConsoleLogin'] }] }],
    },
    expected: {
      source: 'advanced',
      read: true,
      write: true,
      excludedSources: ['restricted to eventName equals [ConsoleLogin]'],
      allInOneSelector: false,
    },
    explanation: /eventName equals \[ConsoleLogin\]/,
  },
  {
    name: 'advanced eventCategory typo "Managment"',
    selectors: { basic: [], advanced: [{ name: 'x', fieldSelectors: [{ field: 'eventCategory', equals: ['Managment'] }] }] },
    expected: NOTHING_ADVANCED,
    explanation: /^No advanced selector captures management events: advanced selector 'x' has eventCategory equals \[Managment\]/,
  },
  {
    // Admits Management, but the rule asks for eventCategory equals [Management].
    name: 'advanced eventCategory notEquals Data admits Management, but not the literal shape',
    selectors: { basic: [], advanced: [{ name: 'x', fieldSelectors: [{ field: 'eventCategory', notEquals: ['Data'] }] }] },
    expected: { ...ALL_ADVANCED, allInOneSelector: false },
    explanation: /'x' selects management events with eventCategory not equals \[Data\] instead of eventCategory equals \[Management\]/,
  },
  {
    name: 'advanced selector without an eventCategory field selector does not count',
    selectors: { basic: [], advanced: [{ name: 'x', fieldSelectors: [{ field: 'readOnly', equals: ['false'] }] }] },
    expected: NOTHING_ADVANCED,
    explanation: /'x' has no eventCategory field selector/,
  },
  {
    name: 'advanced data-only selector (eventCategory Data + resources.type)',
    selectors: {
      basic: [],
      advanced: [
        {
          name: 'S3 data',
          fieldSelectors: [
            { field: 'eventCategory', equals: ['Data'] },
            { field: 'resources.type', equals: ['AWS::S3::Object'] },
          ],
        },
      ],
    },
    expected: NOTHING_ADVANCED,
    explanation: /No advanced selector captures management events/,
  },
  {
    name: 'mixed advanced selectors where one qualifies',
    selectors: {
      basic: [],
      advanced: [
        { name: 'S3 data', fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }] },
        { name: 'read only', fieldSelectors: [MGMT, { field: 'readOnly', equals: ['true'] }] },
        { name: 'everything', fieldSelectors: [MGMT] },
      ],
    },
    expected: ALL_ADVANCED,
    explanation: /^Advanced selector 'everything' logs all/,
  },
  {
    name: 'mixed advanced selectors where none qualifies alone',
    selectors: {
      basic: [],
      advanced: [
        { name: 'S3 data', fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }] },
        { name: 'no kms', fieldSelectors: [MGMT, { field: 'eventSource', notEquals: ['kms.amazonaws.com'] }] },
        { name: 'reads', fieldSelectors: [MGMT, { field: 'readOnly', equals: ['true'] }] },
      ],
    },
    // reads are complete through 'reads'; writes only through the narrowed 'no kms'
    expected: { source: 'advanced', read: true, write: true, excludedSources: ['kms.amazonaws.com'], allInOneSelector: false },
    explanation: /'no kms' excludes eventSource kms\.amazonaws\.com; advanced selector 'reads' restricts readOnly to true/,
  },
  {
    name: 'advanced selectors replace basic ones when both are given',
    selectors: { basic: [basic()], advanced: [{ name: 'x', fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }] }] },
    expected: NOTHING_ADVANCED,
    explanation: /No advanced selector captures management events/,
  },
];

describe('managementEventCoverage', () => {
  for (const c of coverageCases) {
    it(c.name, () => {
      const coverage = managementEventCoverage(c.selectors, c.hasCustom);
      const { explanation, ...rest } = coverage;
      assert.deepEqual(rest, c.expected);
      assert.match(explanation, c.explanation);
      // One sentence, ending with a full stop.
      assert.match(explanation, /^[A-Z].*\.$/);
    });
  }
});

/* ------------------------------------------------------------------ normaliser */

describe('normaliseEventSelectors', () => {
  const cases: readonly { name: string; input: Parameters<typeof normaliseEventSelectors>[0]; expected: EventSelectors }[] = [
    { name: 'no lists at all (moto)', input: {}, expected: { basic: [], advanced: [] } },
    { name: 'null lists (IaC JSON)', input: { EventSelectors: null, AdvancedEventSelectors: null }, expected: { basic: [], advanced: [] } },
    {
      name: 'AWS default response (CONTROLS §3.1.5)',
      input: {
        EventSelectors: [{ ExcludeManagementEventSources: [], IncludeManagementEvents: true, DataResources: [], ReadWriteType: 'All' }],
      },
      expected: { basic: [basic()], advanced: [] },
    },
    {
      name: 'missing ReadWriteType → All, missing IncludeManagementEvents → true, missing lists → []',
      input: { EventSelectors: [{}] },
      expected: { basic: [basic()], advanced: [] },
    },
    {
      name: 'ReadWriteType is case-insensitive (Config rule spelling ALL, IaC readonly)',
      input: { EventSelectors: [{ ReadWriteType: 'ALL' }, { ReadWriteType: 'readonly', IncludeManagementEvents: false }] },
      expected: { basic: [basic(), basic({ readWriteType: 'ReadOnly', includeManagementEvents: false })], advanced: [] },
    },
    {
      name: 'exclusions and data resources are copied',
      input: {
        EventSelectors: [
          {
            ReadWriteType: 'WriteOnly',
            ExcludeManagementEventSources: ['kms.amazonaws.com'],
            DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::b/'] }, { Type: 'AWS::Lambda::Function' }],
          },
        ],
      },
      expected: {
        basic: [
          basic({
            readWriteType: 'WriteOnly',
            excludeManagementEventSources: ['kms.amazonaws.com'],
            dataResources: [
              { type: 'AWS::S3::Object', values: ['arn:aws:s3:::b/'] },
              { type: 'AWS::Lambda::Function', values: [] },
            ],
          }),
        ],
        advanced: [],
      },
    },
    {
      name: 'advanced selectors with every operator; absent operators stay absent; Name optional',
      input: {
        AdvancedEventSelectors: [
          {
            Name: 'all',
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              {
                Field: 'eventSource',
                NotEquals: ['kms.amazonaws.com'],
                StartsWith: ['a'],
                NotStartsWith: ['b'],
                EndsWith: ['.com'],
                NotEndsWith: ['.cn'],
              },
            ],
          },
          { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'], NotEquals: null }] },
        ],
      },
      expected: {
        basic: [],
        advanced: [
          {
            name: 'all',
            fieldSelectors: [
              { field: 'eventCategory', equals: ['Management'] },
              {
                field: 'eventSource',
                notEquals: ['kms.amazonaws.com'],
                startsWith: ['a'],
                notStartsWith: ['b'],
                endsWith: ['.com'],
                notEndsWith: ['.cn'],
              },
            ],
          },
          { fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }] },
        ],
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(normaliseEventSelectors(c.input), c.expected);
    });
  }

  const invalid: readonly { name: string; input: Parameters<typeof normaliseEventSelectors>[0]; message: RegExp }[] = [
    { name: 'unknown ReadWriteType', input: { EventSelectors: [{ ReadWriteType: 'Sometimes' }] }, message: /ReadWriteType 'Sometimes'/ },
    { name: 'field selector without Field', input: { AdvancedEventSelectors: [{ FieldSelectors: [{ Equals: ['x'] }] }] }, message: /without a Field/ },
    { name: 'data resource without Type', input: { EventSelectors: [{ DataResources: [{ Values: [] }] }] }, message: /without a Type/ },
  ];
  for (const c of invalid) {
    it(`rejects ${c.name}`, () => {
      assert.throws(() => normaliseEventSelectors(c.input), c.message);
    });
  }

  it('normalised AWS default and moto empty response give the same coverage when no custom selectors', () => {
    const aws = managementEventCoverage(
      normaliseEventSelectors({
        EventSelectors: [{ ExcludeManagementEventSources: [], IncludeManagementEvents: true, DataResources: [], ReadWriteType: 'All' }],
      }),
      false,
    );
    const moto = managementEventCoverage(normaliseEventSelectors({ EventSelectors: [], AdvancedEventSelectors: [] }), false);
    assert.deepEqual(aws, moto);
    assert.equal(aws.source, 'default');
  });
});
