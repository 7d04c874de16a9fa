/**
 * The S3 history store in-process. On moto: two runs that read the same history and append one
 * after the other (moto 5.2.1 enforces If-Match / If-None-Match on PutObject as AWS does): the
 * second is refused and its run object removed. With aws-sdk-client-mock, what moto cannot be made
 * to answer: AccessDenied, AWS's 409 ConditionalRequestConflict for overlapping conditional
 * writes, a failed delete after a lost race, and listing pages.
 */
import { strict as assert } from 'node:assert';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { EMPTY_INDEX, type HistoryIndex } from '../../src/history/model.js';
import { openS3History, S3HistoryError } from '../../src/history/s3Store.js';
import { parseS3Location } from '../../src/history/s3Location.js';
import { s3Client } from '../../support/moto/clients.js';
import { useMoto } from '../../support/moto/mocha.js';

const LOCATION = parseS3Location('s3://history-bucket/team/h');

/** The index after adding `file` (as planRun makes it; the streak fields do not matter here). */
function withRun(index: HistoryIndex, file: string, report: string, startedAt: string): HistoryIndex {
  const entry = { file, bytes: Buffer.byteLength(report), startedAt, finishedAt: startedAt, scope: { accounts: [], regions: [], checks: [] }, counts: {} };
  return { ...index, runs: [...index.runs, entry] };
}

function awsError(name: string, status: number, message = name): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });
}

describe('S3 history store (moto)', function () {
  this.timeout(60_000);
  const moto = useMoto();
  let s3: S3Client;

  beforeEach(async () => {
    s3 = s3Client(moto.endpoint, 'us-east-1');
    await s3.send(new CreateBucketCommand({ Bucket: 'history-bucket' }));
  });
  afterEach(() => {
    s3.destroy();
  });

  const keys = async (): Promise<string[]> => ((await s3.send(new ListObjectsV2Command({ Bucket: 'history-bucket' }))).Contents ?? []).map((object) => object.Key ?? '').sort();
  const indexText = async (): Promise<string> => (await (await s3.send(new GetObjectCommand({ Bucket: 'history-bucket', Key: 'team/h/index.json' }))).Body?.transformToString('utf8')) ?? '';

  async function append(index: HistoryIndex, file: string, startedAt: string, written: readonly string[]): Promise<void> {
    const store = await openS3History(LOCATION, s3Client(moto.endpoint, 'us-east-1'));
    assert.deepEqual(store.index, index);
    await store.append(file, '{"run":1}', withRun(store.index, file, '{"run":1}', startedAt)).commit(written);
  }

  it('refuses the second of two runs that read the same history, new or not, and removes its run object', async () => {
    // Both read "no history yet": the second index PUT (If-None-Match: *) loses.
    const [first, second] = await Promise.all([openS3History(LOCATION, s3Client(moto.endpoint, 'us-east-1')), openS3History(LOCATION, s3Client(moto.endpoint, 'us-east-1'))]);
    const one = withRun(EMPTY_INDEX, 'runs/a.json', '{"a":1}', '2026-12-01T00:00:00.000Z');
    await first.append('runs/a.json', '{"a":1}', one).commit(['/out/trailaudit.json']);
    await assert.rejects(
      second.append('runs/b.json', '{"b":1}', withRun(EMPTY_INDEX, 'runs/b.json', '{"b":1}', '2026-12-01T00:00:00.000Z')).commit(['/out/trailaudit.json']),
      (error: unknown) =>
        error instanceof S3HistoryError &&
        error.message.startsWith('s3://history-bucket/team/h/index.json: another run updated the history after this run read it') &&
        error.message.includes('The reports were written (/out/trailaudit.json), but this run is not in the history s3://history-bucket/team/h.'),
    );
    assert.deepEqual(await keys(), ['team/h/index.json', 'team/h/runs/a.json']);
    assert.deepEqual(JSON.parse(await indexText()), one);

    // Both read that index (If-Match: its ETag): again the second loses.
    const [third, fourth] = await Promise.all([openS3History(LOCATION, s3Client(moto.endpoint, 'us-east-1')), openS3History(LOCATION, s3Client(moto.endpoint, 'us-east-1'))]);
    const two = withRun(one, 'runs/c.json', '{"c":1}', '2026-12-02T00:00:00.000Z');
    await third.append('runs/c.json', '{"c":1}', two).commit([]);
    await assert.rejects(fourth.append('runs/d.json', '{"d":1}', withRun(one, 'runs/d.json', '{"d":1}', '2026-12-02T00:00:00.000Z')).commit([]), /another run updated the history/u);
    assert.deepEqual(await keys(), ['team/h/index.json', 'team/h/runs/a.json', 'team/h/runs/c.json']);
    // And the history is usable: the next run sees both runs.
    await append(two, 'runs/e.json', '2026-12-03T00:00:00.000Z', []);
    assert.equal((JSON.parse(await indexText()) as HistoryIndex).runs.length, 3);
  });

  it('accepts the console\'s empty folder objects, and refuses runs without an index', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'history-bucket', Key: 'team/h/', Body: Buffer.alloc(0) }));
    await s3.send(new PutObjectCommand({ Bucket: 'history-bucket', Key: 'team/h/runs/', Body: Buffer.alloc(0) }));
    await append(EMPTY_INDEX, 'runs/a.json', '2026-12-01T00:00:00.000Z', []);
    await s3.send(new DeleteObjectCommand({ Bucket: 'history-bucket', Key: 'team/h/index.json' }));
    await assert.rejects(openS3History(LOCATION, s3Client(moto.endpoint, 'us-east-1')), /s3:\/\/history-bucket\/team\/h\/index\.json: missing: the history has runs but no index/u);
  });
});

describe('S3 history store (mocked S3: what moto does not answer)', () => {
  let mock: ReturnType<typeof mockClient>;
  beforeEach(() => {
    mock = mockClient(S3Client);
  });
  afterEach(() => {
    mock.restore();
  });
  const client = (): S3Client => new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const noIndex = (): void => {
    mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }));
  };

  it('names the object and the permission when the bucket is not readable (AccessDenied)', async () => {
    mock.on(GetObjectCommand).rejects(awsError('AccessDenied', 403, 'Access Denied'));
    await assert.rejects(openS3History(LOCATION, client()), (error: unknown) => {
      assert.ok(error instanceof S3HistoryError);
      assert.equal(error.exitCode, 2);
      assert.equal(error.message, 's3://history-bucket/team/h/index.json: GetObject failed: access denied (AccessDenied: the caller needs s3:GetObject on it)');
      return true;
    });
    mock.reset();
    noIndex();
    mock.on(ListObjectsV2Command).rejects(awsError('AccessDenied', 403));
    await assert.rejects(openS3History(LOCATION, client()), /^S3HistoryError: s3:\/\/history-bucket\/team\/h\/: ListObjectsV2 failed: access denied \(AccessDenied: the caller needs s3:ListBucket on it\)/u);
  });

  it('reads every listing page, and lists only under the prefix and its slash', async () => {
    noIndex();
    mock
      .on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [], IsTruncated: true, NextContinuationToken: 'page-2' })
      .resolvesOnce({ Contents: [{ Key: 'team/h/runs/x.json', Size: 2 }], IsTruncated: false });
    // The run on page two is found (and, with no index, refused): the listing did not stop at page one.
    await assert.rejects(openS3History(LOCATION, client()), /team\/h\/index\.json: missing: the history has runs but no index/u);
    assert.deepEqual(
      mock.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input),
      [
        { Bucket: 'history-bucket', Prefix: 'team/h/' },
        { Bucket: 'history-bucket', Prefix: 'team/h/', ContinuationToken: 'page-2' },
      ],
    );
  });

  it('treats AWS\'s 409 ConditionalRequestConflict as another run, and says so when its own object cannot be removed', async () => {
    noIndex();
    mock.on(ListObjectsV2Command).resolves({ Contents: [] });
    mock.on(PutObjectCommand, { Key: 'team/h/runs/a.json' }).resolves({ ETag: '"1"' });
    mock.on(PutObjectCommand, { Key: 'team/h/index.json' }).rejects(awsError('ConditionalRequestConflict', 409));
    mock.on(DeleteObjectCommand).rejects(awsError('AccessDenied', 403));
    const store = await openS3History(LOCATION, client());
    await assert.rejects(
      store.append('runs/a.json', '{}', withRun(EMPTY_INDEX, 'runs/a.json', '{}', '2026-12-01T00:00:00.000Z')).commit(['r.json']),
      (error: unknown) =>
        error instanceof S3HistoryError &&
        /another run updated the history/u.test(error.message) &&
        error.message.includes('Its report object s3://history-bucket/team/h/runs/a.json could not be deleted again (access denied (AccessDenied: the caller needs s3:DeleteObject on it)): delete it'),
    );
    // A new history's index is written only if none appeared meanwhile; a run never overwrites one.
    const puts = mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    assert.deepEqual(puts.map(({ Key, IfNoneMatch, IfMatch }) => [Key, IfNoneMatch, IfMatch]), [
      ['team/h/runs/a.json', '*', undefined],
      ['team/h/index.json', '*', undefined],
    ]);
  });

  it('a run object that cannot be written: exit 2 naming it and the reports written, the index untouched', async () => {
    mock.on(GetObjectCommand).resolves({ ETag: '"etag-1"', Body: { transformToString: () => Promise.resolve(JSON.stringify(EMPTY_INDEX)) } as never });
    mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'team/h/index.json', Size: 10 }] });
    mock.on(PutObjectCommand).rejects(awsError('AccessDenied', 403));
    const store = await openS3History(LOCATION, client());
    await assert.rejects(
      store.append('runs/a.json', '{}', withRun(EMPTY_INDEX, 'runs/a.json', '{}', '2026-12-01T00:00:00.000Z')).commit(['out/trailaudit.json', 'out/trailaudit.md']),
      (error: unknown) =>
        error instanceof S3HistoryError &&
        error.message ===
          's3://history-bucket/team/h/runs/a.json: PutObject failed: access denied (AccessDenied: the caller needs s3:PutObject on it). The reports were written (out/trailaudit.json, out/trailaudit.md), but this run is not in the history s3://history-bucket/team/h.',
    );
    assert.equal(mock.commandCalls(PutObjectCommand).length, 1, 'no index written after the run failed');
  });

  it('replaces an existing index only if it is still the one read (If-Match: its ETag)', async () => {
    mock.on(GetObjectCommand).resolves({ ETag: '"etag-1"', Body: { transformToString: () => Promise.resolve(JSON.stringify(EMPTY_INDEX)) } as never });
    mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'team/h/index.json', Size: 10 }] });
    mock.on(PutObjectCommand).resolves({});
    const store = await openS3History(LOCATION, client());
    await store.append('runs/a.json', '{}', withRun(EMPTY_INDEX, 'runs/a.json', '{}', '2026-12-01T00:00:00.000Z')).commit([]);
    const index = mock.commandCalls(PutObjectCommand)[1]?.args[0].input;
    assert.equal(index?.Key, 'team/h/index.json');
    assert.equal(index.IfMatch, '"etag-1"');
    assert.equal(index.IfNoneMatch, undefined);
  });
});

describe('s3:// history locations', () => {
  it('refuses empty, "." and ".." prefix segments (S3 keeps them literally)', () => {
    for (const url of ['s3://bucket/a/../b', 's3://bucket/./h', 's3://bucket/a//b', 's3://bucket//x']) {
      assert.throws(() => parseS3Location(url), /empty, "\." or "\.\." segment/u, url);
    }
    assert.deepEqual(parseS3Location('s3://bucket/team/h/'), { bucket: 'bucket', prefix: 'team/h' });
    assert.deepEqual(parseS3Location('s3://bucket'), { bucket: 'bucket', prefix: '' });
  });
});
