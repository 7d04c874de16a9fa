/** Tag facts shared by every source. */
import type { Maybe } from '../../model.js';
import { isUnknown } from '../../model.js';

/**
 * The tag keys a person chose: every key except `aws:` system tags (any case), sorted. Unknown
 * tags give the same Unknown, since any key could be among them.
 */
export function userTagKeysOf(tags: Maybe<Readonly<Record<string, string>>>): Maybe<readonly string[]> {
  if (isUnknown(tags)) {
    return tags;
  }
  return Object.keys(tags)
    .filter((key) => !key.toLowerCase().startsWith('aws:'))
    .sort();
}
