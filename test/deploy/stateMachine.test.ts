/**
 * deploy/aws/statemachine.asl.json, checked without AWS: moto's Step Functions rejects ItemBatcher
 * and ToleratedFailurePercentage and runs no Lambda code (test/MOTO_GAPS.md), and StepFunctions
 * Local is a JAR downloaded from AWS. So: asl-validator (the Amazon States Language schemas and
 * transition checks) on the definition as CloudFormation substitutes it, plus what the deployment
 * relies on: a Distributed Map reading accounts.json in batches, a failed batch caught and
 * recorded (never dropped), Reduce reached even when the Map fails, every state reachable.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { placeholders } from './placeholders.js';

interface ValidationResult {
  readonly isValid: boolean;
  readonly errorsText: (separator?: string) => string;
}
// asl-validator is CommonJS without type declarations.
const validateAsl = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => ValidationResult;

const DEFINITION_FILE = fileURLToPath(new URL('../../deploy/aws/statemachine.asl.json', import.meta.url));
const LAMBDA_ERRORS = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];

type State = Record<string, unknown> & { readonly Type: string };
interface StateGraph {
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

/** The definition as CloudFormation's DefinitionSubstitutions would make it (function ARNs). */
function substituted(): { definition: StateGraph; text: string } {
  const text = readFileSync(DEFINITION_FILE, 'utf8').replace(/\$\{(\w+)\}/gu, (_, name: string) => `arn:aws:lambda:us-east-1:123456789012:function:trailaudit-${name}`);
  return { definition: JSON.parse(text) as StateGraph, text };
}

function targets(state: State): string[] {
  const catches = (state.Catch as { Next: string }[] | undefined) ?? [];
  const choices = (state.Choices as { Next: string }[] | undefined) ?? [];
  return [
    ...(typeof state.Next === 'string' ? [state.Next] : []),
    ...catches.map((entry) => entry.Next),
    ...choices.map((entry) => entry.Next),
    ...(typeof state.Default === 'string' ? [state.Default] : []),
  ];
}

/** States reachable from StartAt, and transitions to states that do not exist. */
function walk(graph: StateGraph): { reached: Set<string>; dangling: string[] } {
  const reached = new Set<string>();
  const dangling: string[] = [];
  const queue = [graph.StartAt];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (reached.has(name)) {
      continue;
    }
    const state = graph.States[name];
    if (state === undefined) {
      dangling.push(name);
      continue;
    }
    reached.add(name);
    queue.push(...targets(state));
  }
  return { reached, dangling };
}

function stateOf(graph: StateGraph, name: string): State {
  const state = graph.States[name];
  assert.ok(state, `state ${name}`);
  return state;
}

describe('deploy/aws/statemachine.asl.json', () => {
  it('is valid Amazon States Language once substituted (asl-validator), and the validator does catch a broken copy', () => {
    const { definition } = substituted();
    const result = validateAsl(definition);
    assert.equal(result.isValid, true, result.errorsText('\n'));
    // The validator is not a rubber stamp: a Catch to a state that does not exist is refused.
    const broken = structuredClone(definition);
    const processor = (broken.States.AuditAccounts as unknown as { ItemProcessor: StateGraph }).ItemProcessor;
    delete processor.States.RecordFailure;
    assert.equal(validateAsl(broken).isValid, false);
  });

  it('has only the function ARNs as placeholders (the template substitutes them; numbers come from the state input)', () => {
    const text = readFileSync(DEFINITION_FILE, 'utf8');
    assert.deepEqual(placeholders(text), ['AuditAccountsFunctionArn', 'ListAccountsFunctionArn', 'RecordFailureFunctionArn', 'ReduceFunctionArn']);
  });

  it('audits accounts.json in batches with a Distributed Map whose failed batches are recorded, never dropped', () => {
    const { definition } = substituted();
    const map = stateOf(definition, 'AuditAccounts');
    assert.equal(map.Type, 'Map');
    assert.deepEqual(map.ItemReader, {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { 'Bucket.$': '$.run.bucket', 'Key.$': '$.run.key' },
    });
    assert.deepEqual(map.ItemBatcher, {
      MaxItemsPerBatchPath: '$.run.batching.maxItemsPerBatch',
      BatchInput: { 'runId.$': '$.run.runId', 'bucket.$': '$.run.bucket', 'prefix.$': '$.run.prefix' },
    });
    assert.equal(map.MaxConcurrencyPath, '$.run.batching.maxConcurrency');
    assert.equal(map.ToleratedFailurePercentagePath, '$.run.batching.toleratedFailurePercentage');
    assert.equal(map.ResultPath, null, 'the batches return counts; nothing of theirs is carried to Reduce');
    // The Map failing (more failed batches than tolerated) still ends in Reduce: the reports are written.
    assert.deepEqual(map.Catch, [{ ErrorEquals: ['States.ALL'], ResultPath: '$.mapError', Next: 'Reduce' }]);
    assert.equal(map.Next, 'Reduce');

    const processor = map.ItemProcessor as StateGraph & { ProcessorConfig: unknown };
    assert.deepEqual(processor.ProcessorConfig, { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    const audit = stateOf(processor, 'AuditBatch');
    assert.deepEqual(audit.Parameters, { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:trailaudit-AuditAccountsFunctionArn', 'Payload.$': '$' });
    assert.deepEqual((audit.Retry as { ErrorEquals: string[] }[])[0]?.ErrorEquals, LAMBDA_ERRORS);
    // Every error (timeout, crash, retries used up) goes to RecordFailure with the batch and the error.
    assert.deepEqual(audit.Catch, [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }]);
    const record = stateOf(processor, 'RecordFailure');
    assert.deepEqual(record.Parameters, { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:trailaudit-RecordFailureFunctionArn', 'Payload.$': '$' });
    assert.deepEqual((record.Retry as { ErrorEquals: string[] }[])[0]?.ErrorEquals, ['States.ALL']);
    assert.equal(record.End, true);
  });

  it('reaches every state, names only existing ones, and passes ListAccounts\' result on to the Map and Reduce', () => {
    const { definition } = substituted();
    for (const graph of [definition, (stateOf(definition, 'AuditAccounts').ItemProcessor as StateGraph)]) {
      const { reached, dangling } = walk(graph);
      assert.deepEqual(dangling, []);
      assert.deepEqual([...reached].sort(), Object.keys(graph.States).sort(), 'no state unreachable');
    }
    assert.deepEqual(walk(definition).reached, new Set(['ListAccounts', 'AuditAccounts', 'Reduce', 'HistoryCheck', 'HistoryNotAppended', 'Done']));
    const list = stateOf(definition, 'ListAccounts');
    assert.equal(list.ResultPath, '$.run');
    // The execution's input reaches listAccounts (overrides for a run started by hand).
    assert.deepEqual((list.Parameters as { Payload: unknown }).Payload, { 'runId.$': '$$.Execution.Name', 'execution.$': '$' });
    // The fields listAccounts returns (test/lambda/handlers.moto.test.ts asserts exactly these).
    const selected = Object.keys(list.ResultSelector as Record<string, string>).map((key) => key.replace(/\.\$$/u, ''));
    assert.deepEqual(selected.sort(), ['batching', 'bucket', 'count', 'key', 'prefix', 'runId', 'skipped']);
    const { text } = substituted();
    const used = [...new Set([...text.matchAll(/"\$\.run\.(\w+)"/gu)].map((match) => match[1]))];
    assert.ok(used.every((field) => field !== undefined && selected.includes(field)), `used ${used.join(', ')}`);
    assert.deepEqual(stateOf(definition, 'Reduce').Parameters, {
      FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:trailaudit-ReduceFunctionArn',
      Payload: { 'runId.$': '$.run.runId', 'bucket.$': '$.run.bucket', 'prefix.$': '$.run.prefix' },
    });
    assert.deepEqual((stateOf(definition, 'Reduce').Retry as { ErrorEquals: string[] }[])[0]?.ErrorEquals, LAMBDA_ERRORS);
  });

  it('ends the execution failed after Reduce only when Reduce says its history needs an operator (history.failed)', () => {
    const { definition } = substituted();
    assert.equal(stateOf(definition, 'Reduce').Next, 'HistoryCheck');
    const check = stateOf(definition, 'HistoryCheck');
    assert.equal(check.Type, 'Choice');
    assert.equal(check.Default, 'Done');
    // Without a history (no `history` in Reduce's result) a path test would be a runtime error: IsPresent first.
    assert.deepEqual(check.Choices, [
      {
        And: [
          { Variable: '$.history', IsPresent: true },
          { Variable: '$.history.failed', IsPresent: true },
          { Variable: '$.history.failed', BooleanEquals: true },
        ],
        Next: 'HistoryNotAppended',
      },
    ]);
    const fail = stateOf(definition, 'HistoryNotAppended');
    assert.equal(fail.Type, 'Fail');
    assert.equal(fail.Error, 'trailaudit.HistoryNotAppended');
    assert.equal(fail.CausePath, '$.history.message');
    // The field names are Reduce's (src/lambda/reduceHistory.ts).
    const source = readFileSync(fileURLToPath(new URL('../../src/lambda/reduceHistory.ts', import.meta.url)), 'utf8');
    assert.match(source, /readonly failed: boolean;/u);
    assert.match(source, /readonly message\?: string;/u);
  });
});
