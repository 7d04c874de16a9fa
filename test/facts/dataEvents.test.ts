/**
 * s3ObjectDataEvents (trails/dataEvents.ts): S3.22 (write) / S3.23 (read). One row per selector
 * set a person could put on a trail, with the directions AWS Config's
 * cloudtrail-all-write/read-s3-data-event-check would count and a fragment the explanation must
 * contain.
 */
import { strict as assert } from 'node:assert';
import { s3ObjectDataEvents } from '../../src/facts/kinds/trails/dataEvents.js';
import type {
  AdvancedEventSelector,
  AdvancedFieldSelector,
  BasicEventSelector,
  DataResource,
  EventSelectors,
  ReadWriteType,
} from '../../src/facts/model.js';

function basic(readWriteType: ReadWriteType, dataResources: DataResource[], includeManagementEvents = true): BasicEventSelector {
  return { readWriteType, includeManagementEvents, excludeManagementEventSources: [], dataResources };
}

const s3Objects = (...values: string[]): DataResource => ({ type: 'AWS::S3::Object', values });

function advanced(name: string | undefined, ...fieldSelectors: AdvancedFieldSelector[]): AdvancedEventSelector {
  return name === undefined ? { fieldSelectors } : { name, fieldSelectors };
}

const DATA: AdvancedFieldSelector = { field: 'eventCategory', equals: ['Data'] };
const S3_OBJECT_TYPE: AdvancedFieldSelector = { field: 'resources.type', equals: ['AWS::S3::Object'] };
const READ_ONLY: AdvancedFieldSelector = { field: 'readOnly', equals: ['true'] };
const WRITE_ONLY: AdvancedFieldSelector = { field: 'readOnly', equals: ['false'] };

const onlyBasic = (...selectors: BasicEventSelector[]): EventSelectors => ({ basic: selectors, advanced: [] });
const onlyAdvanced = (...selectors: AdvancedEventSelector[]): EventSelectors => ({ basic: [], advanced: selectors });

interface Case {
  readonly name: string;
  readonly selectors: EventSelectors | undefined;
  readonly hasCustom?: boolean;
  readonly read: boolean;
  readonly write: boolean;
  readonly explains: string | RegExp;
}

const CASES: readonly Case[] = [
  // ---------------------------------------------------------------- basic
  {
    name: 'basic All, arn:aws:s3',
    selectors: onlyBasic(basic('All', [s3Objects('arn:aws:s3')])),
    read: true,
    write: true,
    explains: 'Basic selector #1 logs all S3 object read and write data events of every bucket',
  },
  {
    name: 'basic All, arn:aws:s3::: (the console’s spelling)',
    selectors: onlyBasic(basic('All', [s3Objects('arn:aws:s3:::')])),
    read: true,
    write: true,
    explains: 'read and write',
  },
  {
    name: 'basic All, GovCloud partition',
    selectors: onlyBasic(basic('All', [s3Objects('arn:aws-us-gov:s3:::')])),
    read: true,
    write: true,
    explains: 'read and write',
  },
  {
    name: 'basic ReadOnly',
    selectors: onlyBasic(basic('ReadOnly', [s3Objects('arn:aws:s3')])),
    read: true,
    write: false,
    explains: /no selector logs all S3 object write data events .*basic selector #1 logs read events only/,
  },
  {
    name: 'basic WriteOnly',
    selectors: onlyBasic(basic('WriteOnly', [s3Objects('arn:aws:s3:::')])),
    read: false,
    write: true,
    explains: 'no selector logs all S3 object read data events',
  },
  {
    name: 'basic data-only selector (IncludeManagementEvents false) still counts',
    selectors: onlyBasic(basic('All', [s3Objects('arn:aws:s3')], false)),
    read: true,
    write: true,
    explains: 'read and write',
  },
  {
    name: 'basic one bucket',
    selectors: onlyBasic(basic('All', [s3Objects('arn:aws:s3:::my-bucket/')])),
    read: false,
    write: false,
    explains: 'basic selector #1 logs AWS::S3::Object only for arn:aws:s3:::my-bucket/',
  },
  {
    name: 'basic two buckets and a prefix',
    selectors: onlyBasic(basic('All', [s3Objects('arn:aws:s3:::a/', 'arn:aws:s3:::b/logs/')])),
    read: false,
    write: false,
    explains: 'only for arn:aws:s3:::a/, arn:aws:s3:::b/logs/',
  },
  {
    name: 'basic all buckets next to a bucket value',
    selectors: onlyBasic(basic('All', [s3Objects('arn:aws:s3:::a/', 'arn:aws:s3')])),
    read: true,
    write: true,
    explains: 'read and write',
  },
  {
    name: 'basic Lambda data resource only',
    selectors: onlyBasic(basic('All', [{ type: 'AWS::Lambda::Function', values: ['arn:aws:lambda'] }])),
    read: false,
    write: false,
    explains: 'basic selector #1 has no AWS::S3::Object data resource',
  },
  {
    name: 'basic wrong type spelling does not count',
    selectors: onlyBasic(basic('All', [{ type: 'AWS::S3::Bucket', values: ['arn:aws:s3'] }])),
    read: false,
    write: false,
    explains: 'no AWS::S3::Object data resource',
  },
  {
    name: 'basic ReadOnly + WriteOnly selectors together',
    selectors: onlyBasic(basic('ReadOnly', [s3Objects('arn:aws:s3')]), basic('WriteOnly', [s3Objects('arn:aws:s3')])),
    read: true,
    write: true,
    explains: /Basic selector #1 logs all S3 object read .*basic selector #2 logs all S3 object write/,
  },
  {
    name: 'management-only basic selectors (the AWS default shape)',
    selectors: onlyBasic(basic('All', [])),
    read: false,
    write: false,
    explains: 'No selector logs all S3 object read and write data events of every bucket: basic selector #1 has no AWS::S3::Object',
  },
  // ---------------------------------------------------------------- advanced
  {
    name: 'advanced "Log all S3 object events" template',
    selectors: onlyAdvanced(advanced('Log all S3 data events', DATA, S3_OBJECT_TYPE)),
    read: true,
    write: true,
    explains: "Advanced selector 'Log all S3 data events' logs all S3 object read and write data events",
  },
  {
    name: 'advanced with resources.ARN StartsWith arn:aws:s3:::',
    selectors: onlyAdvanced(advanced(undefined, DATA, S3_OBJECT_TYPE, { field: 'resources.ARN', startsWith: ['arn:aws:s3:::'] })),
    read: true,
    write: true,
    explains: 'Advanced selector #1 logs all',
  },
  {
    name: 'advanced with resources.ARN StartsWith arn:aws:s3',
    selectors: onlyAdvanced(advanced(undefined, DATA, S3_OBJECT_TYPE, { field: 'resources.ARN', startsWith: ['arn:aws:s3'] })),
    read: true,
    write: true,
    explains: 'logs all',
  },
  {
    name: 'advanced readOnly true',
    selectors: onlyAdvanced(advanced('r', DATA, S3_OBJECT_TYPE, READ_ONLY)),
    read: true,
    write: false,
    explains: "advanced selector 'r' logs read events only",
  },
  {
    name: 'advanced readOnly false',
    selectors: onlyAdvanced(advanced('w', DATA, S3_OBJECT_TYPE, WRITE_ONLY)),
    read: false,
    write: true,
    explains: 'no selector logs all S3 object read data events',
  },
  {
    name: 'advanced readOnly NotEquals true (write only, by the algebra)',
    selectors: onlyAdvanced(advanced('w', DATA, S3_OBJECT_TYPE, { field: 'readOnly', notEquals: ['true'] })),
    read: false,
    write: true,
    explains: 'logs write events only',
  },
  {
    name: 'advanced two selectors: read + write',
    selectors: onlyAdvanced(advanced('r', DATA, S3_OBJECT_TYPE, READ_ONLY), advanced('w', DATA, S3_OBJECT_TYPE, WRITE_ONLY)),
    read: true,
    write: true,
    explains: "Advanced selector 'r' logs all S3 object read data events; advanced selector 'w' logs all S3 object write data events",
  },
  {
    name: 'advanced resources.ARN StartsWith one bucket (narrowed)',
    selectors: onlyAdvanced(advanced('b', DATA, S3_OBJECT_TYPE, { field: 'resources.ARN', startsWith: ['arn:aws:s3:::my-bucket/'] })),
    read: false,
    write: false,
    explains: "advanced selector 'b' is restricted to resources.ARN starts with [arn:aws:s3:::my-bucket/]",
  },
  {
    // Decision (dataEvents.ts module note): any negative operator on resources.ARN narrows.
    name: 'advanced resources.ARN NotStartsWith a bucket (narrowed)',
    selectors: onlyAdvanced(advanced('n', DATA, S3_OBJECT_TYPE, { field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::noisy-bucket/'] })),
    read: false,
    write: false,
    explains: 'restricted to resources.ARN not starts with [arn:aws:s3:::noisy-bucket/]',
  },
  {
    name: 'advanced resources.ARN NotStartsWith a non-S3 prefix (narrowed too: conservative)',
    selectors: onlyAdvanced(advanced('n', DATA, S3_OBJECT_TYPE, { field: 'resources.ARN', notStartsWith: ['arn:aws:lambda'] })),
    read: false,
    write: false,
    explains: 'not starts with [arn:aws:lambda]',
  },
  {
    name: 'advanced StartsWith all buckets AND NotStartsWith one (narrowed)',
    selectors: onlyAdvanced(
      advanced('n', DATA, S3_OBJECT_TYPE, { field: 'resources.ARN', startsWith: ['arn:aws:s3:::'], notStartsWith: ['arn:aws:s3:::x/'] }),
    ),
    read: false,
    write: false,
    explains: 'restricted to resources.ARN starts with [arn:aws:s3:::] and not starts with [arn:aws:s3:::x/]',
  },
  {
    name: 'advanced resources.ARN Equals arn:aws:s3::: (an exact ARN, not a prefix: narrowed)',
    selectors: onlyAdvanced(advanced('e', DATA, S3_OBJECT_TYPE, { field: 'resources.ARN', equals: ['arn:aws:s3:::'] })),
    read: false,
    write: false,
    explains: 'resources.ARN equals',
  },
  {
    name: 'advanced eventName Equals PutObject (narrowed)',
    selectors: onlyAdvanced(advanced('p', DATA, S3_OBJECT_TYPE, { field: 'eventName', equals: ['PutObject'] })),
    read: false,
    write: false,
    explains: "advanced selector 'p' is restricted to eventName equals [PutObject]",
  },
  {
    name: 'advanced eventName NotEquals GetObject (narrowed)',
    selectors: onlyAdvanced(advanced('g', DATA, S3_OBJECT_TYPE, { field: 'eventName', notEquals: ['GetObject'] })),
    read: false,
    write: false,
    explains: 'eventName not equals [GetObject]',
  },
  {
    name: 'advanced eventSource Equals s3.amazonaws.com (every S3 event: no narrowing)',
    selectors: onlyAdvanced(advanced('s', DATA, S3_OBJECT_TYPE, { field: 'eventSource', equals: ['s3.amazonaws.com'] })),
    read: true,
    write: true,
    explains: 'logs all',
  },
  {
    name: 'advanced eventSource Equals another service (narrowed)',
    selectors: onlyAdvanced(advanced('s', DATA, S3_OBJECT_TYPE, { field: 'eventSource', equals: ['s3-outposts.amazonaws.com'] })),
    read: false,
    write: false,
    explains: 'eventSource equals [s3-outposts.amazonaws.com]',
  },
  {
    name: 'advanced narrowed write + unnarrowed read: read only',
    selectors: onlyAdvanced(
      advanced('r', DATA, S3_OBJECT_TYPE, READ_ONLY),
      advanced('w', DATA, S3_OBJECT_TYPE, WRITE_ONLY, { field: 'eventName', equals: ['PutObject'] }),
    ),
    read: true,
    write: false,
    explains: /no selector logs all S3 object write data events .*'w' is restricted to eventName equals \[PutObject\]/,
  },
  {
    name: 'advanced Lambda data events only',
    selectors: onlyAdvanced(advanced('l', DATA, { field: 'resources.type', equals: ['AWS::Lambda::Function'] })),
    read: false,
    write: false,
    explains: "advanced selector 'l' has resources.type equals [AWS::Lambda::Function], which does not admit AWS::S3::Object",
  },
  {
    name: 'advanced S3 object type without eventCategory',
    selectors: onlyAdvanced(advanced('x', S3_OBJECT_TYPE)),
    read: false,
    write: false,
    explains: 'has no eventCategory field selector',
  },
  {
    name: 'advanced Data without resources.type',
    selectors: onlyAdvanced(advanced('x', DATA)),
    read: false,
    write: false,
    explains: 'has no resources.type field selector',
  },
  {
    name: 'advanced management-only selector',
    selectors: onlyAdvanced(advanced('Management events selector', { field: 'eventCategory', equals: ['Management'] })),
    read: false,
    write: false,
    explains: 'eventCategory equals [Management], which does not admit Data',
  },
  {
    name: 'advanced readOnly admitting neither',
    selectors: onlyAdvanced(advanced('z', DATA, S3_OBJECT_TYPE, { field: 'readOnly', equals: ['maybe'] })),
    read: false,
    write: false,
    explains: 'admits neither true nor false',
  },
  {
    name: 'advanced selectors replace basic ones',
    selectors: {
      basic: [basic('All', [s3Objects('arn:aws:s3')])],
      advanced: [advanced('m', { field: 'eventCategory', equals: ['Management'] })],
    },
    read: false,
    write: false,
    explains: "advanced selector 'm'",
  },
  // ---------------------------------------------------------------- none
  {
    name: 'AWS default (no selectors read, undefined)',
    selectors: undefined,
    read: false,
    write: false,
    explains: 'no event selectors (the AWS default)',
  },
  {
    name: 'empty lists, no custom selectors (moto’s default)',
    selectors: { basic: [], advanced: [] },
    hasCustom: false,
    read: false,
    write: false,
    explains: 'the AWS default',
  },
  {
    name: 'empty lists with custom selectors reported',
    selectors: { basic: [], advanced: [] },
    hasCustom: true,
    read: false,
    write: false,
    explains: 'custom event selectors but none are defined',
  },
];

describe('s3ObjectDataEvents (S3.22 write / S3.23 read)', () => {
  for (const c of CASES) {
    it(`${c.name} → read ${String(c.read)}, write ${String(c.write)}`, () => {
      const result = s3ObjectDataEvents(c.selectors, c.hasCustom);
      assert.deepEqual({ read: result.read, write: result.write }, { read: c.read, write: c.write }, result.explanation);
      if (typeof c.explains === 'string') {
        assert.ok(result.explanation.includes(c.explains), `explanation: ${result.explanation}`);
      } else {
        assert.match(result.explanation, c.explains);
      }
    });
  }
});
