/**
 * CloudTrail's public keys: DER, PKCS#1 `RSAPublicKey` per the API reference, with a
 * SubjectPublicKeyInfo fallback because the documentation's own sample shows one (CONTROLS §4.3).
 * Matched by fingerprint, which is treated as an opaque string.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

export interface PublicKeyEntry {
  readonly fingerprint: string;
  readonly key: KeyObject;
  readonly validityStart: Date | null;
  readonly validityEnd: Date | null;
}

/** A DER public key, PKCS#1 first, then SPKI; throws when it is neither. */
export function parsePublicKeyDer(der: Uint8Array): KeyObject {
  const buffer = Buffer.from(der);
  try {
    return createPublicKey({ key: buffer, format: 'der', type: 'pkcs1' });
  } catch (pkcs1Error) {
    try {
      return createPublicKey({ key: buffer, format: 'der', type: 'spki' });
    } catch {
      throw new Error(`not a DER RSA public key (PKCS#1 or SubjectPublicKeyInfo): ${(pkcs1Error as Error).message}`, { cause: pkcs1Error });
    }
  }
}

function time(value: unknown): Date | null {
  if (typeof value === 'number') {
    // The AWS CLI prints timestamps as epoch seconds with some output settings.
    return new Date(value * 1000);
  }
  if (typeof value === 'string' || value instanceof Date) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/u;

/**
 * The JSON `aws cloudtrail list-public-keys` prints (`{"PublicKeyList": [{Value, Fingerprint, …}]}`),
 * or a bare list of those entries. Throws with the entry at fault.
 */
export function parsePublicKeyList(text: string): PublicKeyEntry[] {
  const json: unknown = JSON.parse(text);
  const list: unknown = Array.isArray(json) ? json : typeof json === 'object' && json !== null ? (json as Record<string, unknown>).PublicKeyList : undefined;
  if (!Array.isArray(list)) {
    throw new Error('expected the output of `aws cloudtrail list-public-keys`: an object with a PublicKeyList array');
  }
  if (list.length === 0) {
    // Every digest would then be INVALID (unknown_public_key) and read as tampering: exit 1 for a
    // key file that holds nothing is wrong; it is bad input.
    throw new Error('holds no public key (an empty PublicKeyList): every digest would fail as signed by an unknown key');
  }
  return list.map((item: unknown, index) => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const { Value: value, Fingerprint: fingerprint } = entry;
    if (typeof value !== 'string' || !BASE64.test(value.replace(/\s+/gu, '')) || typeof fingerprint !== 'string' || fingerprint === '') {
      throw new Error(`PublicKeyList[${index}]: expected a base64 Value and a Fingerprint`);
    }
    let key: KeyObject;
    try {
      key = parsePublicKeyDer(Buffer.from(value, 'base64'));
    } catch (error) {
      throw new Error(`PublicKeyList[${index}] (fingerprint ${fingerprint}): ${(error as Error).message}`, { cause: error });
    }
    return { fingerprint, key, validityStart: time(entry.ValidityStartTime), validityEnd: time(entry.ValidityEndTime) };
  });
}

/** Keys by fingerprint; later entries never replace earlier ones (the same key listed twice). */
export class KeyRing {
  private readonly byFingerprint = new Map<string, PublicKeyEntry>();

  add(entries: Iterable<PublicKeyEntry>): void {
    for (const entry of entries) {
      if (!this.byFingerprint.has(entry.fingerprint)) {
        this.byFingerprint.set(entry.fingerprint, entry);
      }
    }
  }

  get(fingerprint: string): KeyObject | undefined {
    return this.byFingerprint.get(fingerprint)?.key;
  }

  get size(): number {
    return this.byFingerprint.size;
  }
}
