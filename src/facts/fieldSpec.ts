/**
 * The vocabulary of the field catalogue (fields.ts): spec shapes, their derivation from the
 * model's types, and the specs of the model's shared parts, so that each fact kind can catalogue
 * its own items (src/facts/kinds/<subject>/fields.ts) with the same compile-time guarantee.
 */
import type { FactLocations, PublicAccessBlock, ResourceRef, SourceLocation, Unknown, UnknownDetail } from './core.js';

/** A value with no fields to walk into (string, number, boolean). */
export type LeafSpec = 'leaf';
/** An array; a path may index it (`0`) or read its `length`, as the engine's path resolver does. */
export interface ListSpec {
  readonly list: FieldSpec;
}
/** A free-form record (tags, fact locations): any key, each value of one shape. */
export interface RecordSpec {
  readonly record: FieldSpec;
}
/** An object with a closed set of fields. */
export interface ObjectSpec {
  readonly fields: Readonly<Record<string, FieldSpec>>;
}
export type FieldSpec = LeafSpec | ListSpec | RecordSpec | ObjectSpec;

/* ------------------------------------------------------------------ derivation from the model */

/** What a path can walk into: an unread fact (Unknown), null and absence have no fields. */
type Present<V> = Exclude<V, Unknown | null | undefined>;

/**
 * Declared keys of an object type, without its index signature. Distributive, so the keys of a
 * union are those of every member: a collection of `TrailFacts | TrailGap` accepts both.
 */
type KnownKeys<T> = T extends unknown
  ? keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: unknown }
  : never;

/** Type of field `K` in whichever members of union `T` declare it. */
type ValueAt<T, K extends PropertyKey> = T extends unknown ? (K extends KnownKeys<T> ? T[K & keyof T] : never) : never;

/**
 * The spec a value of type `V` must be catalogued with. A type with only an index signature is a
 * free-form record; a gap (`TrailGap`…) has declared keys besides its index signature, which only
 * stands for "every other field is Unknown", so it is catalogued by its declared keys.
 */
export type SpecOf<V> = [Present<V>] extends [string | number | boolean]
  ? LeafSpec
  : [Present<V>] extends [readonly (infer E)[]]
    ? { readonly list: SpecOf<E> }
    : [KnownKeys<Present<V>>] extends [never]
      ? { readonly record: SpecOf<Present<V>[keyof Present<V>]> }
      : { readonly fields: FieldsOf<Present<V>> };

/** Exactly the fields of `T` (of every member of a union), each with the spec of its type. */
export type FieldsOf<T> = { readonly [K in KnownKeys<T>]-?: SpecOf<ValueAt<T, K>> };

/* ------------------------------------------------------------------ the shared parts */

export const LEAF: LeafSpec = 'leaf';
/** A list of strings (region names, tag keys, ARNs…). */
export const LEAVES: SpecOf<readonly string[]> = { list: LEAF };

export const SOURCE_LOCATION: SpecOf<SourceLocation> = { fields: { file: LEAF, line: LEAF, column: LEAF } };
/** Fact path → position of the property that sets it (IaC); keys are fact paths, so open. */
export const LOCATIONS: SpecOf<FactLocations> = { record: SOURCE_LOCATION };

export const RESOURCE_REF_FIELDS: FieldsOf<ResourceRef> = {
  type: LEAF,
  id: LEAF,
  name: LEAF,
  accountId: LEAF,
  region: LEAF,
  location: SOURCE_LOCATION,
};
export const RESOURCE_REF: SpecOf<ResourceRef> = { fields: RESOURCE_REF_FIELDS };

export const UNKNOWN_DETAIL: SpecOf<UnknownDetail> = { fields: { reason: LEAF, message: LEAF, operation: LEAF, region: LEAF, account: LEAF } };

export const PUBLIC_ACCESS_BLOCK: SpecOf<PublicAccessBlock> = {
  fields: { blockPublicAcls: LEAF, ignorePublicAcls: LEAF, blockPublicPolicy: LEAF, restrictPublicBuckets: LEAF },
};
