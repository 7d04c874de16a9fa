/**
 * The S3 client of an S3 history: the caller's own credentials (the default chain, or --profile),
 * never a member account's role; the endpoint the rest of the CLI uses (--endpoint-url or
 * AWS_ENDPOINT_URL, an emulator in tests); the bucket's Region found by following S3's redirects.
 * Loaded only when a history is in S3, so other runs never load the S3 SDK for it.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { resolveDefaultRegion } from '../collect/live/clients.js';
import { resolveCredentials } from '../collect/live/credentials.js';
import { openS3History } from './s3Store.js';
import type { S3Location } from './s3Location.js';
import type { HistoryStore } from './store.js';

export interface S3Access {
  readonly endpointUrl?: string;
  readonly profile?: string;
}

/** Bounds on each attempt: a stalled endpoint ends in an error naming the object, not a hung run. */
const REQUEST_HANDLER = { connectionTimeout: 10_000, requestTimeout: 60_000 } as const;

export async function historyS3Client(access: S3Access): Promise<S3Client> {
  return new S3Client({
    // Where the first request goes (AWS_REGION / the profile's Region, else us-east-1).
    region: await resolveDefaultRegion(access.profile),
    // The audit's own precedence (--profile, then environment keys, then the chain), and against
    // an emulator with no credentials anywhere, the placeholder ones it accepts.
    credentials: await resolveCredentials(access.profile, access.endpointUrl),
    // A bucket in another Region answers 301 with its Region; the SDK re-sends there.
    followRegionRedirects: true,
    requestHandler: REQUEST_HANDLER,
    ...(access.profile === undefined ? {} : { profile: access.profile }),
    // An emulator serves every bucket from one host: path-style addressing.
    ...(access.endpointUrl === undefined ? {} : { endpoint: access.endpointUrl, forcePathStyle: true }),
  });
}

export async function openS3HistoryWith(location: S3Location, access: S3Access): Promise<HistoryStore> {
  const client = await historyS3Client(access);
  try {
    return await openS3History(location, client);
  } catch (error) {
    client.destroy();
    throw error;
  }
}
