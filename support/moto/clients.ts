/**
 * Talking to moto_server: its fixed account, the credentials it accepts, and SDK clients set up
 * for a loopback endpoint. Shared by the tests, `npm run demo` and `npm run bench`; never by the
 * product itself (nothing under support/ is built into dist/ or published).
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';

/** moto's fixed account (it accepts any credentials). */
export const MOTO_ACCOUNT_ID = '123456789012';

/** Credentials moto accepts (it checks none); set explicitly so the SDK never looks elsewhere. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/**
 * The same credentials as environment variables, for a child `trailaudit` process: explicit ones
 * keep the SDK away from ~/.aws and the instance metadata service.
 */
export function motoEnvironment(region = 'us-east-1'): { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; AWS_REGION: string } {
  return { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: region };
}

/** Common SDK options for talking to moto: fixed credentials so the SDK never consults ~/.aws. */
export function motoClientConfig(endpoint: string, region: string): {
  endpoint: string;
  region: string;
  credentials: typeof MOTO_CREDENTIALS;
} {
  return { endpoint, region, credentials: MOTO_CREDENTIALS };
}

export function cloudTrailClient(endpoint: string, region: string): CloudTrailClient {
  return new CloudTrailClient(motoClientConfig(endpoint, region));
}

export function s3Client(endpoint: string, region: string): S3Client {
  // Virtual-hosted addressing would put the bucket name in front of 127.0.0.1.
  return new S3Client({ ...motoClientConfig(endpoint, region), forcePathStyle: true });
}

export function kmsClient(endpoint: string, region: string): KMSClient {
  return new KMSClient(motoClientConfig(endpoint, region));
}

/**
 * S3 Control prefixes the host with the account id (`123456789012.127.0.0.1`), which cannot
 * resolve (MOTO_NOTES 13); an endpoint provider returning the emulator URL verbatim avoids it.
 */
export function s3ControlClient(endpoint: string, region: string): S3ControlClient {
  const url = new URL(endpoint);
  return new S3ControlClient({
    region,
    credentials: MOTO_CREDENTIALS,
    endpointProvider: () => ({ url }),
  });
}
