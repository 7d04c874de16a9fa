/**
 * The digest signature (CONTROLS §4.3): RSA PKCS#1 v1.5 over SHA-256 of
 * `<digestEndTime>\n<bucket>/<key>\n<hex sha256 of the uncompressed digest>\n<previousDigestSignature|null>`.
 */
import { constants, verify, type KeyObject } from 'node:crypto';

export interface SignedFields {
  readonly digestEndTime: string;
  readonly digestS3Bucket: string;
  readonly digestS3Object: string;
  readonly previousDigestSignature: string | null;
}

/** The exact bytes CloudTrail signed: fields as they appear in the JSON, no trailing newline. */
export function dataToSign(fields: SignedFields, digestSha256Hex: string): Buffer {
  // A starting digest signs the literal "null" (CloudTrail's Java implementation does).
  const previous = fields.previousDigestSignature ?? 'null';
  return Buffer.from(`${fields.digestEndTime}\n${fields.digestS3Bucket}/${fields.digestS3Object}\n${digestSha256Hex}\n${previous}`, 'utf8');
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/u;

/** false for a wrong signature and for one that is not hex at all. */
export function verifySignature(data: Buffer, signatureHex: string, key: KeyObject): boolean {
  if (!HEX.test(signatureHex)) {
    return false;
  }
  try {
    return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signatureHex, 'hex'));
  } catch {
    // A signature of the wrong length for the key makes OpenSSL throw rather than answer false.
    return false;
  }
}
