/**
 * Where each Region's digest chain ends (src/logs/chain/chainEnds.ts): missing tails against the
 * requested end and the other Regions, and what GetTrailStatus changes about them.
 */
import assert from 'node:assert/strict';
import { assessChainEnds, hasMissingTail, type ChainEndInput, type TrailStatusView } from '../../src/logs/chain/chainEnds.js';
import type { RegionSummary } from '../../src/logs/chain/timeline.js';

const at = (text: string): Date => new Date(text);
const zero = { valid: 0, INVALID: 0 };

function region(name: string, newest: string | null): RegionSummary {
  return {
    region: name,
    counts: { digest: zero, backfillDigest: zero, log: zero },
    unverified: { digest: 0, backfillDigest: 0, log: 0 },
    gaps: 0,
    found: null,
    newestDigestEnd: newest === null ? null : at(newest),
  };
}

const UNREAD: TrailStatusView = { state: 'not_read', message: 'offline' };
const status = (fields: Partial<Extract<TrailStatusView, { state: 'read' }>>): TrailStatusView => ({
  state: 'read',
  isLogging: true,
  latestDigestDeliveryTime: null,
  latestDigestDeliveryError: null,
  startLoggingTime: null,
  stopLoggingTime: null,
  ...fields,
});

function input(regions: RegionSummary[], overrides: Partial<ChainEndInput> = {}): ChainEndInput {
  return {
    trailName: 'main',
    homeRegion: 'us-east-1',
    multiRegion: null,
    regions,
    start: at('2025-03-01T00:00:00Z'),
    end: at('2025-03-03T00:00:00Z'),
    now: at('2025-06-01T00:00:00Z'),
    trailStatus: UNREAD,
    ...overrides,
  };
}

const brief = (ends: ReturnType<typeof assessChainEnds>): string[] =>
  ends.tails.map((tail) => `${tail.region} ${tail.kind} ${tail.start.toISOString().slice(0, 16)}..${tail.end.toISOString().slice(0, 16)} ${String(tail.expectedDigests)}`);

describe('validate-logs: where each chain ends (missing tails)', () => {
  it('accepts a chain that ends within two hourly intervals of the requested end, and flags one that ends earlier', () => {
    const ok = assessChainEnds(input([region('us-east-1', '2025-03-02T22:00:00Z')]));
    assert.deepEqual(brief(ok), []);
    assert.equal(hasMissingTail(ok), false);
    const short = assessChainEnds(input([region('us-east-1', '2025-03-02T21:59:59Z')]));
    assert.deepEqual(brief(short), ['us-east-1 missing 2025-03-02T21:59..2025-03-03T00:00 2']);
    assert.equal(hasMissingTail(short), true);
    assert.match(short.tails[0]?.message ?? '', /^us-east-1: the digest chain ends at 2025-03-02T21:59:59Z, but digests are expected up to 2025-03-03T00:00:00Z: about 2 hourly digest files/u);
  });

  it('finds the deleted newest 6 hours of one Region while the other reaches the end', () => {
    const ends = assessChainEnds(input([region('us-east-1', '2025-03-02T18:00:00Z'), region('eu-west-1', '2025-03-03T00:00:00Z')]));
    assert.deepEqual(brief(ends), ['us-east-1 missing 2025-03-02T18:00..2025-03-03T00:00 6']);
    assert.match(ends.notes.join('\n'), /GetTrailStatus\) was not read \(offline\): without it a missing tail is never put down to logging being off/u);
  });

  it('holds a Region against the newest digest of the others, not only the requested end', () => {
    // The other Region's digest delivered just after the requested end (listed up to end + 1 h).
    const ends = assessChainEnds(input([region('us-east-1', '2025-03-02T22:30:00Z'), region('eu-west-1', '2025-03-03T01:00:00Z')]));
    assert.deepEqual(brief(ends), ['us-east-1 missing 2025-03-02T22:30..2025-03-03T01:00 2']);
  });

  it('does not expect digests after now: an omitted or future --end-time is capped at the run start', () => {
    const now = at('2025-03-02T12:30:00Z');
    assert.deepEqual(brief(assessChainEnds(input([region('us-east-1', '2025-03-02T12:00:00Z')], { now }))), []);
    assert.deepEqual(brief(assessChainEnds(input([region('us-east-1', '2025-03-02T08:00:00Z')], { now }))), ['us-east-1 missing 2025-03-02T08:00..2025-03-02T12:30 4']);
  });

  it('reports a Region with no digest in the range from the requested start; a chain that starts late is fine', () => {
    const ends = assessChainEnds(input([region('us-east-1', '2025-03-03T00:00:00Z'), region('ap-south-1', null)]));
    assert.deepEqual(brief(ends), ['ap-south-1 missing 2025-03-01T00:00..2025-03-03T00:00 48']);
    assert.match(ends.tails[0]?.message ?? '', /^ap-south-1: no digest file from 2025-03-01T00:00:00Z to 2025-03-03T00:00:00Z/u);
    // Only the end matters: `found` could start on 2 March (a Region added later), no tail.
    assert.deepEqual(brief(assessChainEnds(input([region('us-east-1', '2025-03-03T00:00:00Z'), region('ap-south-1', '2025-03-02T23:00:00Z')]))), []);
  });

  it('holds only the home Region to the end for a trail that is single-Region now, and says so', () => {
    const regions = [region('us-east-1', '2025-03-03T00:00:00Z'), region('eu-west-1', '2025-03-01T12:00:00Z')];
    const single = assessChainEnds(input(regions, { multiRegion: false }));
    assert.deepEqual(brief(single), []);
    assert.match(single.notes.join('\n'), /trail main is not multi-Region now \(cloudtrail:DescribeTrails\): only us-east-1's digest chain is held to the requested end; the chains of eu-west-1 were verified/u);
    assert.deepEqual(brief(assessChainEnds(input(regions, { multiRegion: true }))), ['eu-west-1 missing 2025-03-01T12:00..2025-03-03T00:00 36']);
    assert.deepEqual(brief(assessChainEnds(input([region('us-east-1', '2025-03-02T12:00:00Z')], { multiRegion: false }))), ['us-east-1 missing 2025-03-02T12:00..2025-03-03T00:00 12']);
  });

  it('turns the tail into a gap when the trail stopped logging before it began (StopLoggingTime)', () => {
    const stopped = status({ isLogging: false, stopLoggingTime: at('2025-03-02T18:10:00Z') });
    const ends = assessChainEnds(input([region('us-east-1', '2025-03-02T18:00:00Z')], { trailStatus: stopped }));
    assert.deepEqual(brief(ends), ['us-east-1 logging_off 2025-03-02T18:10..2025-03-03T00:00 0']);
    assert.equal(hasMissingTail(ends), false);
    assert.match(ends.tails[0]?.message ?? '', /the trail stopped logging at 2025-03-02T18:10:00Z \(cloudtrail:GetTrailStatus\), a gap, not tampering/u);
  });

  it('keeps the part before a later stop missing: digests up to the stop should exist', () => {
    const stopped = status({ isLogging: false, stopLoggingTime: at('2025-03-02T21:00:00Z') });
    const ends = assessChainEnds(input([region('us-east-1', '2025-03-02T12:00:00Z')], { trailStatus: stopped }));
    assert.deepEqual(brief(ends), ['us-east-1 missing 2025-03-02T12:00..2025-03-02T21:00 9', 'us-east-1 logging_off 2025-03-02T21:00..2025-03-03T00:00 0']);
    assert.equal(hasMissingTail(ends), true);
  });

  it('expects digests again after logging restarted (StartLoggingTime after StopLoggingTime)', () => {
    const restarted = status({ isLogging: true, stopLoggingTime: at('2025-03-02T06:00:00Z'), startLoggingTime: at('2025-03-02T12:00:00Z') });
    const ends = assessChainEnds(input([region('us-east-1', '2025-03-02T06:00:00Z')], { trailStatus: restarted }));
    assert.deepEqual(brief(ends), ['us-east-1 logging_off 2025-03-02T06:00..2025-03-02T12:00 0', 'us-east-1 missing 2025-03-02T12:00..2025-03-03T00:00 12']);
  });

  it('never downgrades a tail without evidence: status unreadable, or not logging with no StopLoggingTime', () => {
    const denied: TrailStatusView = { state: 'unreadable', reason: 'access_denied', message: 'Access denied calling cloudtrail:GetTrailStatus' };
    const unreadable = assessChainEnds(input([region('us-east-1', '2025-03-02T12:00:00Z')], { trailStatus: denied }));
    assert.deepEqual(brief(unreadable), ['us-east-1 missing 2025-03-02T12:00..2025-03-03T00:00 12']);
    assert.match(unreadable.notes.join('\n'), /could not be read \(access_denied: Access denied calling cloudtrail:GetTrailStatus\)/u);
    const noStop = assessChainEnds(input([region('us-east-1', '2025-03-02T12:00:00Z')], { trailStatus: status({ isLogging: false }) }));
    assert.deepEqual(brief(noStop), ['us-east-1 missing 2025-03-02T12:00..2025-03-03T00:00 12']);
    assert.match(noStop.notes.join('\n'), /is not logging, but cloudtrail:GetTrailStatus gives no StopLoggingTime/u);
  });

  it('says plainly when a logging trail has delivered no digest for a long time, and when delivered digests are gone', () => {
    const stale = status({ latestDigestDeliveryTime: at('2025-05-30T00:00:00Z'), latestDigestDeliveryError: 'AccessDenied' });
    const ends = assessChainEnds(input([region('us-east-1', '2025-03-03T00:00:00Z')], { trailStatus: stale }));
    assert.deepEqual(brief(ends), [], 'the requested range itself is complete');
    assert.match(ends.notes.join('\n'), /^trail main is logging but has delivered no digest since 2025-05-30T00:00:00Z \(LatestDigestDeliveryError: AccessDenied\): check/u);
    const fresh = status({ latestDigestDeliveryTime: at('2025-05-31T23:30:00Z') });
    const deleted = assessChainEnds(input([region('us-east-1', '2025-03-02T18:00:00Z')], { trailStatus: fresh, now: at('2025-06-01T00:00:00Z'), end: at('2025-06-01T00:00:00Z') }));
    assert.match(deleted.notes.join('\n'), /CloudTrail reports delivering a digest at 2025-05-31T23:30:00Z \(cloudtrail:GetTrailStatus\), but the newest digest found in us-east-1 ends at 2025-03-02T18:00:00Z/u);
    assert.deepEqual(assessChainEnds(input([region('us-east-1', '2025-03-03T00:00:00Z')], { trailStatus: fresh })).notes, [], 'a healthy trail gets no note');
  });
});
