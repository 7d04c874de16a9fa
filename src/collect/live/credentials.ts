/**
 * Which credentials a run uses: the AWS CLI's precedence, a named profile that must exist, and
 * the same time bounds for the providers' own STS/SSO calls as for the audit's.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fromEnv, fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { CloudTrailClientConfig } from '@aws-sdk/client-cloudtrail';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { notARegularFile } from '../../load/inputFile.js';
import { CollectionError } from './errors.js';
import { DEFAULT_HTTP_TIMEOUTS, timeoutOptions, type HttpTimeouts } from './requestHandler.js';

/** Static credentials or a provider, as the SDK clients accept them. */
export type CredentialsInput = NonNullable<CloudTrailClientConfig['credentials']>;

/** Emulators accept any credentials; used only when an endpoint is set and the chain finds none. */
const EMULATOR_CREDENTIALS = { accessKeyId: 'trailaudit-emulator', secretAccessKey: 'trailaudit-emulator' };

/** The shared config and credentials files the SDK (and the AWS CLI) read, as they resolve them. */
export function sharedConfigFiles(): { readonly config: string; readonly credentials: string } {
  const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);
  return {
    config: nonEmpty(process.env.AWS_CONFIG_FILE) ?? join(homedir(), '.aws', 'config'),
    credentials: nonEmpty(process.env.AWS_SHARED_CREDENTIALS_FILE) ?? join(homedir(), '.aws', 'credentials'),
  };
}

/** The AWS CLI's own files are small; this is generous and still keeps a device from filling memory. */
const SHARED_FILE_LIMIT = 16 * 1024 * 1024;

/**
 * The shared config and credentials files are read by the SDK, which would block for ever on a
 * FIFO (no signal could end the run: the read sits in a worker thread) and read a device such as
 * /dev/urandom until memory runs out. Each must be a regular file of a sane size, or absent.
 */
export function assertSharedConfigFilesReadable(): void {
  const { config, credentials } = sharedConfigFiles();
  for (const [variable, path] of [
    ['AWS_CONFIG_FILE', config],
    ['AWS_SHARED_CREDENTIALS_FILE', credentials],
  ] as const) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      continue; // absent (or unreadable, which the SDK reports itself): nothing to block on
    }
    const problem = notARegularFile(stats) ?? (stats.size > SHARED_FILE_LIMIT ? `is ${String(stats.size)} bytes, far larger than any AWS config file` : null);
    if (problem !== null) {
      throw new CollectionError(`the shared AWS ${variable === 'AWS_CONFIG_FILE' ? 'config' : 'credentials'} file ${path} (${variable} or its default) ${problem}`);
    }
  }
}

/**
 * A profile named with --profile or AWS_PROFILE must exist, as in the AWS CLI ("The config
 * profile (x) could not be found"): otherwise a typo would fall through to other credentials, or
 * against an emulator to dummy ones, and audit something nobody asked for. `default` named in
 * AWS_PROFILE is only the default spelled out, and may be absent.
 */
export async function assertProfileExists(profile: string, source: '--profile' | 'AWS_PROFILE' = '--profile'): Promise<void> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  if (Object.hasOwn(configFile, profile) || Object.hasOwn(credentialsFile, profile)) {
    return;
  }
  const files = sharedConfigFiles();
  throw new CollectionError(
    `The profile "${profile}" given with ${source} does not exist in ${files.config} ([profile ${profile}]) or ${files.credentials} ([${profile}]).`,
  );
}

function environmentHasKeys(): boolean {
  const id = process.env.AWS_ACCESS_KEY_ID;
  const secret = process.env.AWS_SECRET_ACCESS_KEY;
  return id !== undefined && id !== '' && secret !== undefined && secret !== '';
}

/**
 * The AWS CLI's precedence: a profile named with --profile (a command-line option) beats keys in
 * the environment, which beat AWS_PROFILE and the default profile. The SDK's own chain differs
 * in two places (it lets AWS_PROFILE beat environment keys, with a console warning; and we must
 * not probe the instance metadata service behind an emulator), so the order is set here.
 */
function credentialChain(profile: string | undefined, endpointUrl: string | undefined, timeouts: HttpTimeouts) {
  // Role assumption and SSO make calls through the providers' own STS/SSO clients: the same
  // time bounds apply to them, or a dead STS endpoint would hang the run before its first call.
  const clientConfig = { requestHandler: timeoutOptions(timeouts) };
  if (profile !== undefined) {
    // Static keys, role assumption, SSO, credential_process: whatever the profile declares.
    return fromIni({ profile, clientConfig });
  }
  if (environmentHasKeys()) {
    return fromEnv();
  }
  // Against an emulator, only local sources are consulted: probing the container or instance
  // metadata endpoints would reach beyond the emulator (and stall where they are firewalled).
  return endpointUrl === undefined ? fromNodeProviderChain({ clientConfig }) : fromIni({ clientConfig });
}

/**
 * The credentials to use, resolved once up front so that missing credentials stop the audit
 * with one clear message instead of failing every call.
 */
export async function resolveCredentials(
  profile: string | undefined,
  endpointUrl: string | undefined,
  timeouts: HttpTimeouts = DEFAULT_HTTP_TIMEOUTS,
): Promise<CredentialsInput> {
  assertSharedConfigFilesReadable();
  const environmentProfile = process.env.AWS_PROFILE;
  if (profile !== undefined) {
    await assertProfileExists(profile);
  } else if (environmentProfile !== undefined && environmentProfile !== '' && environmentProfile !== 'default') {
    await assertProfileExists(environmentProfile, 'AWS_PROFILE');
  }
  const chain = credentialChain(profile, endpointUrl, timeouts);
  try {
    await chain();
    return chain;
  } catch (error) {
    if (endpointUrl !== undefined && profile === undefined) {
      return EMULATOR_CREDENTIALS;
    }
    const where = profile === undefined ? 'the default credential chain' : `profile ${profile}`;
    throw new CollectionError(
      `No AWS credentials found in ${where} (environment, shared config/credentials files, SSO, container or instance role): ` +
        `${error instanceof Error ? error.message : String(error)}. Log in (e.g. \`aws sso login\`) or pass --profile.`,
      { cause: error },
    );
  }
}
