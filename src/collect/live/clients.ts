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
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient, type S3ControlClientConfig } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { createRequestHandler, DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from './requestHandler.js';
import { AuditRetryStrategy } from './retry.js';

import { assertSharedConfigFilesReadable, type CredentialsInput } from './credentials.js';

export type { CredentialsInput };

export interface ClientSettings {
  readonly credentials: CredentialsInput;
  readonly endpointUrl?: string;
  readonly profile?: string;
  readonly maxAttempts: number;
  /** Default: {@link DEFAULT_HTTP_TIMEOUTS}. */
  readonly timeouts?: HttpTimeouts;
  /** Aborted when the run stops (its --timeout, an unreadable identity): open requests are abandoned. */
  readonly deadline?: AbortSignal;
  /**
   * Connection pools to use instead of the factory's own (an organization audit: every account's
   * factory talks to the same endpoints); the caller destroys them.
   */
  readonly agents?: ConnectionPools;
}

export interface ConnectionPools {
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
}

/** One keep-alive pool per protocol; no socket cap: the scheduler bounds requests in flight. */
export function createConnectionPools(): ConnectionPools {
  return { httpAgent: new HttpAgent({ keepAlive: true }), httpsAgent: new HttpsAgent({ keepAlive: true }) };
}

/** Region for global calls: AWS_REGION / the profile's region, else us-east-1. */
export async function resolveDefaultRegion(profile: string | undefined): Promise<string> {
  assertSharedConfigFilesReadable();
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

export class ClientFactory {
  private readonly cache = new Map<string, Destroyable>();
  /**
   * One connection pool for every client instead of one per client. Node pools sockets per
   * origin, so against AWS (a host per service and Region) nothing changes; against an endpoint
   * URL every client talks to the same origin and now reuses a warm connection instead of
   * opening its own (a 17-Region audit has 34 clients): on the medium bench account 301 requests
   * used 216 connections before, 32 after. No socket cap: the scheduler bounds requests in flight.
   */
  private readonly agents: ConnectionPools;
  private readonly ownsAgents: boolean;
  private readonly requestHandler: NodeHttpHandler;

  constructor(private readonly settings: ClientSettings) {
    this.ownsAgents = settings.agents === undefined;
    this.agents = settings.agents ?? createConnectionPools();
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

  /*
   * The clients of the monitoring and trail-health kinds are loaded on first use too: an audit
   * whose enabled checks need none of them (CloudTrail.1–10 only) pays nothing for them.
   */
  async logs(region: string): Promise<CloudWatchLogsClient> {
    const { CloudWatchLogsClient: Client } = await import('@aws-sdk/client-cloudwatch-logs');
    return this.cached('logs', region, () => new Client(this.common(region)));
  }

  async cloudWatch(region: string): Promise<CloudWatchClient> {
    const { CloudWatchClient: Client } = await import('@aws-sdk/client-cloudwatch');
    return this.cached('cloudwatch', region, () => new Client(this.common(region)));
  }

  async sns(region: string): Promise<SNSClient> {
    const { SNSClient: Client } = await import('@aws-sdk/client-sns');
    return this.cached('sns', region, () => new Client(this.common(region)));
  }

  async kms(region: string): Promise<KMSClient> {
    const { KMSClient: Client } = await import('@aws-sdk/client-kms');
    return this.cached('kms', region, () => new Client(this.common(region)));
  }

  async securityHub(region: string): Promise<SecurityHubClient> {
    const { SecurityHubClient: Client } = await import('@aws-sdk/client-securityhub');
    return this.cached('securityhub', region, () => new Client(this.common(region)));
  }

  /** Organization audits only (account discovery), so loaded on first use. */
  async organizations(region: string): Promise<OrganizationsClient> {
    const { OrganizationsClient: Client } = await import('@aws-sdk/client-organizations');
    return this.cached('organizations', region, () => new Client(this.common(region)));
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

  /**
   * Release the clients. With shared pools (an organization audit) they are only forgotten, not
   * destroyed: an SDK client's destroy() destroys its request handler's agents, which would close
   * the sockets of every other account's requests in flight. Forgotten clients are garbage.
   */
  destroy(): void {
    if (this.ownsAgents) {
      for (const client of this.cache.values()) {
        client.destroy();
      }
      this.agents.httpAgent.destroy();
      this.agents.httpsAgent.destroy();
    }
    this.cache.clear();
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
