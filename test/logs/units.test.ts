import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { parseDigest } from '../../src/logs/chain/document.js';
import { DigestKeySelector, digestKey, startMarker, type ChainLocation } from '../../src/logs/chain/keys.js';
import { parsePublicKeyDer, parsePublicKeyList } from '../../src/logs/chain/publicKeys.js';
import { dataToSign, verifySignature } from '../../src/logs/chain/signing.js';
import { parseUtc } from '../../src/logs/chain/time.js';
import { ChainOutput } from '../../src/logs/chain/chainOutput.js';
import { MemoryJournal, SummaryCounter } from '../../src/logs/chain/timeline.js';
import { formatHuman } from '../../src/logs/reports/human.js';

describe('digest units', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('builds the data-to-sign exactly: end time, bucket/key, hash, previous signature or "null"', () => {
    const fields = { digestEndTime: '2025-03-01T01:00:00Z', digestS3Bucket: 'b', digestS3Object: 'k/x.json.gz', previousDigestSignature: null };
    assert.equal(dataToSign(fields, 'ab12').toString(), '2025-03-01T01:00:00Z\nb/k/x.json.gz\nab12\nnull');
    assert.equal(dataToSign({ ...fields, previousDigestSignature: 'ff00' }, 'ab12').toString(), '2025-03-01T01:00:00Z\nb/k/x.json.gz\nab12\nff00');
  });

  it('verifies SHA256withRSA signatures and rejects altered data, non-hex and short signatures', () => {
    const data = Buffer.from('payload');
    const signature = sign('sha256', data, privateKey).toString('hex');
    assert.equal(verifySignature(data, signature, publicKey), true);
    assert.equal(verifySignature(Buffer.from('payloaD'), signature, publicKey), false);
    assert.equal(verifySignature(data, 'zz', publicKey), false);
    assert.equal(verifySignature(data, 'abcd', publicKey), false);
  });

  it('parses DER public keys as PKCS#1, and as SubjectPublicKeyInfo as a fallback; rejects garbage', () => {
    const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'der' });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const data = Buffer.from('x');
    const signature = sign('sha256', data, privateKey).toString('hex');
    assert.equal(verifySignature(data, signature, parsePublicKeyDer(pkcs1)), true);
    assert.equal(verifySignature(data, signature, parsePublicKeyDer(spki)), true);
    assert.throws(() => parsePublicKeyDer(Buffer.from('not a key')), /PKCS#1 or SubjectPublicKeyInfo/u);
  });

  it('reads the JSON `aws cloudtrail list-public-keys` prints and names a bad entry', () => {
    const value = publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
    const keys = parsePublicKeyList(JSON.stringify({ PublicKeyList: [{ Value: value, ValidityStartTime: '2025-01-01T00:00:00+00:00', ValidityEndTime: 1767225600, Fingerprint: 'fp1' }] }));
    assert.equal(keys[0]?.fingerprint, 'fp1');
    assert.equal(keys[0].validityEnd?.toISOString(), '2026-01-01T00:00:00.000Z');
    assert.throws(() => parsePublicKeyList('{"PublicKeyList": [{"Value": "AAAA", "Fingerprint": "f"}]}'), /PublicKeyList\[0\] \(fingerprint f\)/u);
    assert.throws(() => parsePublicKeyList('{}'), /PublicKeyList array/u);
  });

  it('names digest keys, the listing start marker and selects one trail\'s keys in range', () => {
    const location: ChainLocation = { prefix: 'p', organizationId: null, accountId: '123456789012', sourceRegion: 'eu-west-1', trailName: 't', homeRegion: 'us-east-1' };
    const end = new Date('2025-03-01T01:00:00Z');
    const key = digestKey(location, end);
    assert.equal(key, 'p/AWSLogs/123456789012/CloudTrail-Digest/eu-west-1/2025/03/01/123456789012_CloudTrail-Digest_eu-west-1_t_us-east-1_20250301T010000Z.json.gz');
    assert.equal(startMarker(location, new Date('2025-03-01T00:00:00Z')).slice(-24, -8), '20250228T235900Z');
    const selector = new DigestKeySelector(location, new Date('2025-03-01T00:00:00Z'), new Date('2025-03-01T02:00:00Z'));
    assert.equal(selector.add(key.replace('_t_', '_other_')), true);
    assert.equal(selector.add(key), true);
    assert.equal(selector.add(digestKey(location, end, true)), true);
    assert.equal(selector.add(digestKey(location, new Date('2025-03-01T03:00:00Z'))), true, 'end + 1 h is still in range');
    assert.equal(selector.add(digestKey(location, new Date('2025-03-01T03:00:01Z'))), false);
    assert.equal(selector.standard.length, 2);
    assert.equal(selector.backfill.length, 1);
  });

  it('parses user times as UTC, with or without a zone', () => {
    assert.equal(parseUtc('2025-03-01T05:21:42Z')?.toISOString(), '2025-03-01T05:21:42.000Z');
    assert.equal(parseUtc('2025-03-01T05:21:42')?.toISOString(), '2025-03-01T05:21:42.000Z');
    assert.equal(parseUtc('2025-03-01')?.toISOString(), '2025-03-01T00:00:00.000Z');
    assert.equal(parseUtc('2025-03-01T07:21:42+02:00')?.toISOString(), '2025-03-01T05:21:42.000Z');
    assert.equal(parseUtc('yesterday'), null);
  });

  it('rejects digests that are not gzip JSON or lack a required field (invalid_format)', () => {
    const good = { digestStartTime: 'a', digestEndTime: 'b', digestS3Bucket: 'c', digestS3Object: 'd', digestPublicKeyFingerprint: 'e', previousDigestSignature: null, logFiles: [] };
    const raw = Buffer.from(JSON.stringify(good));
    assert.equal(parseDigest(gzipSync(raw))?.sha256, createHash('sha256').update(raw).digest('hex'));
    assert.equal(parseDigest(raw), null);
    const { previousDigestSignature: _dropped, ...missing } = good;
    assert.equal(parseDigest(gzipSync(Buffer.from(JSON.stringify(missing)))), null);
  });

  it('prints the AWS CLI lines and summary, errors on stderr with its spacing', () => {
    const common = { bucket: 'b', sourceRegion: 'us-east-1', backfill: false };
    const digest = { ...common, kind: 'digest' as const, key: 'd1', status: 'valid' as const, reason: null, message: null };
    const log = { ...common, kind: 'log' as const, key: 'l1', status: 'INVALID' as const, reason: 'hash_mismatch' as const, message: "hash value doesn't match" };
    const requested = { start: new Date('2025-03-01T00:00:00Z'), end: new Date('2025-03-01T02:00:00Z') };
    const journal = new MemoryJournal();
    const counter = new SummaryCounter(requested);
    new ChainOutput(journal.segment(), counter).push({ type: 'digest', result: digest, logs: [{ result: log }], startTime: new Date('2025-03-01T00:00:00Z'), endTime: new Date('2025-03-01T01:00:00Z') });
    const model = {
      context: {
        toolVersion: '0', trailArn: 'arn:aws:cloudtrail:us-east-1:1:trail/t', accountId: '1', homeRegion: 'us-east-1', bucket: 'b', prefix: null, organizationTrail: false,
        source: { type: 's3' as const, location: 's3://b/' }, ...requested, startedAt: new Date(), finishedAt: new Date(),
        apiCalls: {}, logBytes: 0, url: (bucket: string, key: string) => `s3://${bucket}/${key}`,
      },
      summary: counter.summary(),
      chainEnds: { tails: [], notes: [], trailStatus: { state: 'not_read' as const, message: 'unit test' } },
      timeline: journal,
    };
    const chunks = [...formatHuman(model, { verbose: true })];
    const stdout = chunks.filter((chunk) => chunk.stream === 'stdout').map((chunk) => chunk.text).join('');
    const stderr = chunks.filter((chunk) => chunk.stream === 'stderr').map((chunk) => chunk.text).join('');
    assert.equal(
      stdout,
      'Validating log files for trail arn:aws:cloudtrail:us-east-1:1:trail/t between 2025-03-01T00:00:00Z and 2025-03-01T02:00:00Z\n\n' +
        'Digest file\ts3://b/d1\tvalid\n' +
        'Results requested for 2025-03-01T00:00:00Z to 2025-03-01T02:00:00Z\nResults found for 2025-03-01T00:00:00Z to 2025-03-01T01:00:00Z:\n\n' +
        '1/1 digest files valid\n0/1 log files valid, 1/1 log files INVALID\n\n' +
        'Results found in us-east-1 for 2025-03-01T00:00:00Z to 2025-03-01T01:00:00Z: 1/1 digest files valid, 0/1 log files valid, 1/1 log files INVALID\n',
    );
    assert.equal(stderr, "\nLog file\ts3://b/l1\tINVALID: hash value doesn't match\n\n");
  });
});
