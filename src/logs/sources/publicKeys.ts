/**
 * Where public keys come from: a file (`--public-keys`, the JSON `aws cloudtrail list-public-keys`
 * prints; works offline and against emulators without ListPublicKeys), or cloudtrail:ListPublicKeys.
 */
import { ListPublicKeysCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { KeyObject } from 'node:crypto';
import { KeyRing, parsePublicKeyDer, type PublicKeyEntry } from '../chain/publicKeys.js';
import type { KeyProvider } from '../chain/source.js';
import { addMinutes } from '../chain/time.js';
import { errorCode } from '../../collect/live/errors.js';
import type { CallCounter } from './callCounter.js';
import { TrailauditError } from '../../errors.js';

/** Keys known up front: matched by fingerprint, whatever their validity window says. */
export class StaticKeyProvider implements KeyProvider {
  private readonly ring = new KeyRing();

  constructor(entries: Iterable<PublicKeyEntry>) {
    this.ring.add(entries);
  }

  find(fingerprint: string): Promise<KeyObject | undefined> {
    return Promise.resolve(this.ring.get(fingerprint));
  }
}

export class PublicKeyError extends TrailauditError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublicKeyError';
  }
}

/**
 * ListPublicKeys as the AWS CLI calls it: once for [start, end + 2 h] in the home region, and
 * around a backfill digest's generation time (± 1 h) when its key is not among those. As a last
 * resort the digest's source region is asked too: keys are regional, and which region signs a
 * multi-region trail's digests is not documented.
 */
export class ListPublicKeysProvider implements KeyProvider {
  private readonly ring = new KeyRing();
  private readonly asked = new Set<string>();
  private range: { start: Date; end: Date } | null = null;

  constructor(
    private readonly clientFor: (region: string) => CloudTrailClient,
    private readonly homeRegion: string,
    private readonly calls: CallCounter,
  ) {}

  /** Load the run's keys; fails (bad input, exit 2) when there are none, as the CLI does. */
  async load(start: Date, end: Date): Promise<void> {
    this.range = { start, end: addMinutes(end, 120) };
    await this.fetch(this.homeRegion, start, addMinutes(end, 120));
    if (this.ring.size === 0) {
      throw new PublicKeyError(`No public keys found between ${start.toISOString()} and ${addMinutes(end, 120).toISOString()} in ${this.homeRegion}`);
    }
  }

  private async fetch(region: string, start: Date, end: Date): Promise<void> {
    const id = `${region}/${start.toISOString()}/${end.toISOString()}`;
    if (this.asked.has(id)) {
      return;
    }
    this.asked.add(id);
    const client = this.clientFor(region);
    let token: string | undefined;
    do {
      this.calls.count('cloudtrail:ListPublicKeys');
      let page;
      try {
        page = await client.send(new ListPublicKeysCommand({ StartTime: start, EndTime: end, NextToken: token }));
      } catch (error) {
        throw new PublicKeyError(
          `cloudtrail:ListPublicKeys in ${region} failed (${errorCode(error) ?? 'error'}); ` +
            'pass --public-keys FILE with the output of `aws cloudtrail list-public-keys` instead',
          { cause: error },
        );
      }
      const entries: PublicKeyEntry[] = [];
      for (const item of page.PublicKeyList ?? []) {
        if (item.Value === undefined || item.Fingerprint === undefined) {
          continue;
        }
        try {
          entries.push({
            fingerprint: item.Fingerprint,
            key: parsePublicKeyDer(item.Value),
            validityStart: item.ValidityStartTime ?? null,
            validityEnd: item.ValidityEndTime ?? null,
          });
        } catch {
          // An unparsable key cannot verify anything; digests naming it end up unknown_public_key.
        }
      }
      this.ring.add(entries);
      token = page.NextToken;
    } while (token !== undefined && token !== '');
  }

  async find(fingerprint: string, hint: { readonly sourceRegion: string; readonly backfillTimestamp: Date | null }): Promise<KeyObject | undefined> {
    const known = this.ring.get(fingerprint);
    if (known !== undefined) {
      return known;
    }
    // A failed extra lookup leaves the digest's key unknown (unknown_public_key) rather than
    // aborting a run that has already verified other digests.
    if (hint.backfillTimestamp !== null) {
      await this.fetch(this.homeRegion, addMinutes(hint.backfillTimestamp, -60), addMinutes(hint.backfillTimestamp, 60)).catch(() => undefined);
    }
    if (this.ring.get(fingerprint) === undefined && hint.sourceRegion !== this.homeRegion && this.range !== null) {
      await this.fetch(hint.sourceRegion, this.range.start, this.range.end).catch(() => undefined);
    }
    return this.ring.get(fingerprint);
  }
}
