/**
 * AWS SDK v3 clients: one per (service, region), created on first use and shared by every call.
 *
 * All clients use the same credentials, adaptive retries (client-side rate limiting plus backoff,
 * so a throttled audit slows down instead of failing), the same connect and response timeouts
 * (so an endpoint that never answers cannot hold a run forever) and, when an endpoint URL is set,
 * point at that endpoint with the addressing emulators understand.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, type CloudTrailClientConfig } from '@aws-sdk/client-cloudtrail';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient, type S3ControlClientConfig } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { fromEnv, fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';
import { CollectionError } from './errors.js';
import { AuditRetryStrategy } from './retry.js';

/** Static credentials or a provider, as the SDK clients accept them. */
export type CredentialsInput = NonNullable<CloudTrailClientConfig['credentials']>;

/** Per-attempt time bounds of every AWS request (README "Time bounds" says how they were chosen). */
export interface HttpTimeouts {
  /** Establishing the TCP connection. */
  readonly connectMs: number;
  /**
   * Waiting for the response headers once the request is sent, and the longest silence allowed
   * while a response body streams in (a server that sends headers and then stalls).
   */
  readonly responseMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { connectMs: 5_000, responseMs: 20_000 };

export interface ClientSettings {
  readonly credentials: CredentialsInput;
  readonly endpointUrl?: string;
  readonly profile?: string;
  readonly maxAttempts: number;
  /** Default: {@link DEFAULT_HTTP_TIMEOUTS}. */
  readonly timeouts?: HttpTimeouts;
  /** Aborted when the run's --timeout deadline passes: every request still open is abandoned. */
  readonly deadline?: AbortSignal;
}

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

/**
 * A profile named on the command line must exist, as in the AWS CLI ("The config profile (x)
 * could not be found"): otherwise a typo would fall through to other credentials, or against an
 * emulator to dummy ones, and audit something nobody asked for.
 */
export async function assertProfileExists(profile: string): Promise<void> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  if (Object.hasOwn(configFile, profile) || Object.hasOwn(credentialsFile, profile)) {
    return;
  }
  const files = sharedConfigFiles();
  throw new CollectionError(
    `The profile "${profile}" given with --profile does not exist in ${files.config} ([profile ${profile}]) or ${files.credentials} ([${profile}]).`,
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
  const clientConfig = {
    requestHandler: {
      connectionTimeout: timeouts.connectMs,
      requestTimeout: timeouts.responseMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.responseMs,
    },
  };
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
  if (profile !== undefined) {
    await assertProfileExists(profile);
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

/** Region for global calls: AWS_REGION / the profile's region, else us-east-1. */
export async function resolveDefaultRegion(profile: string | undefined): Promise<string> {
  // The SDK's own region resolution reads AWS_REGION and the profile's `region`; reuse it.
  const probe = new STSClient(profile === undefined ? {} : { profile });
  try {
    const region = await probe.config.region();
    return region === '' ? 'us-east-1' : region;
  } catch {
    return 'us-east-1';
  } finally {
    probe.destroy();
  }
}

const ACCOUNT_HOST_PREFIX = /^\d{12}\./;

/**
 * S3 Control prefixes the host with the account id (`123456789012.s3-control…`). An emulator on
 * a fixed host cannot answer that name, so with an endpoint URL the prefix is removed just
 * before sending (MOTO_NOTES 13).
 */
export function stripAccountHostPrefix(client: S3ControlClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { hostname?: unknown } | undefined;
      if (request !== undefined && typeof request.hostname === 'string') {
        request.hostname = request.hostname.replace(ACCOUNT_HOST_PREFIX, '');
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'trailauditStripAccountHostPrefix' },
  );
}

interface Destroyable {
  destroy(): void;
}

/**
 * The SDK's Node handler with every request tied to the run's deadline: when it passes, requests
 * still open are aborted (an aborted request is not retried) instead of waiting out their timeouts.
 */
class DeadlineHttpHandler extends NodeHttpHandler {
  constructor(
    options: ConstructorParameters<typeof NodeHttpHandler>[0],
    private readonly deadline: AbortSignal | undefined,
  ) {
    super(options);
  }

  override handle(request: Parameters<NodeHttpHandler['handle']>[0], options: HttpHandlerOptions = {}): ReturnType<NodeHttpHandler['handle']> {
    return super.handle(request, this.deadline === undefined || options.abortSignal !== undefined ? options : { ...options, abortSignal: this.deadline });
  }
}

/**
 * The handler every client shares. `requestTimeout` bounds the wait for response headers (it
 * only throws with `throwOnRequestTimeout`; without it the SDK merely logs a warning), and
 * `socketTimeout` the silence while a body streams (a timeout after the headers would cut long
 * but healthy downloads, such as validate-logs' log files).
 */
export function createRequestHandler(
  agents: { readonly httpAgent: HttpAgent; readonly httpsAgent: HttpsAgent },
  timeouts: HttpTimeouts,
  deadline?: AbortSignal,
): NodeHttpHandler {
  return new DeadlineHttpHandler(
    {
      ...agents,
      connectionTimeout: timeouts.connectMs,
      requestTimeout: timeouts.responseMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.responseMs,
    },
    deadline,
  );
}

export class ClientFactory {
  private readonly cache = new Map<string, Destroyable>();
  /**
   * One connection pool for every client instead of one per client. Node pools sockets per
   * origin, so against AWS (a host per service and Region) nothing changes; against an endpoint
   * URL every client talks to the same origin and now reuses a warm connection instead of
   * opening its own (a 17-Region audit has 34 clients): on the medium bench account 301 requests
   * used 216 connections before, 32 after. No socket cap: the scheduler bounds requests in flight.
   */
  private readonly agents = {
    httpAgent: new HttpAgent({ keepAlive: true }),
    httpsAgent: new HttpsAgent({ keepAlive: true }),
  };
  private readonly requestHandler: NodeHttpHandler;

  constructor(private readonly settings: ClientSettings) {
    this.requestHandler = createRequestHandler(this.agents, settings.timeouts ?? DEFAULT_HTTP_TIMEOUTS, settings.deadline);
  }

  get endpointUrl(): string | undefined {
    return this.settings.endpointUrl;
  }

  private common(region: string) {
    const { credentials, endpointUrl, profile, maxAttempts } = this.settings;
    return {
      region,
      credentials,
      // Adaptive retries (client-side rate limiting) that give up at once on permanent errors.
      retryStrategy: new AuditRetryStrategy(maxAttempts),
      maxAttempts,
      requestHandler: this.requestHandler,
      ...(profile === undefined ? {} : { profile }),
      ...(endpointUrl === undefined ? {} : { endpoint: endpointUrl }),
    };
  }

  private cached<C extends Destroyable>(service: string, region: string, create: () => C): C {
    const key = `${service}/${region}`;
    const existing = this.cache.get(key);
    if (existing !== undefined) {
      return existing as C;
    }
    const client = create();
    this.cache.set(key, client);
    return client;
  }

  cloudTrail(region: string): CloudTrailClient {
    return this.cached('cloudtrail', region, () => new CloudTrailClient(this.common(region)));
  }

  sts(region: string): STSClient {
    return this.cached('sts', region, () => new STSClient(this.common(region)));
  }

  /**
   * Loaded on first use only: the EC2 client is by far the heaviest SDK package (about 0.45 s and
   * 80 MB to load) and is needed only to discover Regions when `--regions` is not given.
   */
  async ec2(region: string): Promise<EC2Client> {
    const { EC2Client: Client } = await import('@aws-sdk/client-ec2');
    return this.cached('ec2', region, () => new Client(this.common(region)));
  }

  s3(region: string): S3Client {
    return this.cached(
      's3',
      region,
      () =>
        new S3Client({
          ...this.common(region),
          // Emulators serve every bucket from one host: path-style addressing.
          forcePathStyle: this.settings.endpointUrl !== undefined,
          // A bucket call sent to the wrong region is re-sent to the region S3 names.
          followRegionRedirects: true,
        }),
    );
  }

  s3Control(region: string): S3ControlClient {
    return this.cached('s3control', region, () => createS3ControlClient(this.common(region), this.settings.endpointUrl));
  }

  destroy(): void {
    for (const client of this.cache.values()) {
      client.destroy();
    }
    this.cache.clear();
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }
}

/**
 * An S3 Control client that works against an emulator as well as AWS. With an endpoint URL the
 * endpoint rules would build `<account>.<host>`, which fails outright for an IP-literal host
 * (`123456789012.127.0.0.1` is not a valid URL), so the endpoint is pinned; the host-prefix
 * middleware covers any prefix added after endpoint resolution.
 */
export function createS3ControlClient(
  config: S3ControlClientConfig,
  endpointUrl: string | undefined,
): S3ControlClient {
  if (endpointUrl === undefined) {
    return new S3ControlClient(config);
  }
  const client = new S3ControlClient({
    ...config,
    endpoint: endpointUrl,
    endpointProvider: () => ({ url: new URL(endpointUrl) }),
  });
  stripAccountHostPrefix(client);
  return client;
}
