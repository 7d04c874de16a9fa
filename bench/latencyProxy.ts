/**
 * A loopback reverse proxy that delays every request by a fixed time before forwarding it to
 * moto, to model the round trip to a real AWS endpoint. moto answers in a few milliseconds, so
 * without it the benchmark cannot tell a collector with a three-round-trip critical path from
 * one that serialises its calls.
 *
 * Method, path, query, headers (Host included) and body are forwarded untouched, so SigV4,
 * S3 path-style requests and the JSON protocols all work through it.
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LatencyProxy {
  /** `http://127.0.0.1:PORT`, to use as `--endpoint-url`. */
  readonly endpoint: string;
  readonly port: number;
  readonly delayMs: number;
  /** Requests forwarded so far. */
  readonly requests: number;
  close(): Promise<void>;
}

export interface LatencyProxyOptions {
  /**
   * Called as each request arrives (before the delay), e.g. to count requests on the wire; with
   * `readBodies`, once its body is in, with the body.
   */
  readonly onRequest?: (request: IncomingMessage, body?: Buffer) => void;
  /**
   * Read each request's body before the delay and hand it to `onRequest`: the query protocols
   * (STS) name their action only in the body, and an organization audit makes two STS calls
   * (AssumeRole, GetCallerIdentity) the headers cannot tell apart. Audit requests are small.
   */
  readonly readBodies?: boolean;
}

/** RFC 9110 §7.6.1: a proxy must not forward these, nor any header the Connection header names. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Without this, moto's `Connection: close` (it speaks HTTP/1.0-style, one request per
 * connection) reached the CLI, which then opened a new connection for every request, as it would
 * never do against AWS, whose endpoints keep connections alive.
 */
export function endToEndHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set((headers.connection ?? '').split(',').map((name) => name.trim().toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)));
}

export async function startLatencyProxy(target: string, delayMs: number, options: LatencyProxyOptions = {}): Promise<LatencyProxy> {
  const upstream = new URL(target);
  if (upstream.protocol !== 'http:') {
    throw new Error(`latency proxy forwards to http:// only, not ${target}`);
  }
  // Keep-alive to moto so the proxy adds the configured delay and not a TCP handshake on top.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let requests = 0;

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, body?: Buffer): void => {
    requests += 1;
    const proxied = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: endToEndHeaders(incoming.headers),
        agent,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.statusMessage, endToEndHeaders(response.headers));
        response.pipe(outgoing);
      },
    );
    proxied.on('error', (error) => {
      if (!outgoing.headersSent) {
        outgoing.writeHead(502, { 'content-type': 'text/plain' });
      }
      outgoing.end(`latency proxy: ${error.message}`);
    });
    if (body === undefined) {
      incoming.pipe(proxied);
    } else {
      proxied.end(body);
    }
  };

  const server = createServer((incoming, outgoing) => {
    if (options.readBodies === true) {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('end', () => {
        const body = Buffer.concat(chunks);
        options.onRequest?.(incoming, body);
        if (delayMs === 0) {
          forward(incoming, outgoing, body);
          return;
        }
        setTimeout(() => {
          forward(incoming, outgoing, body);
        }, delayMs);
      });
      return;
    }
    options.onRequest?.(incoming);
    if (delayMs === 0) {
      // No timer hop at all, so a 0 ms proxy costs as little as it can.
      forward(incoming, outgoing);
      return;
    }
    // The body stays buffered in the socket while the request waits, then streams upstream.
    incoming.pause();
    setTimeout(() => {
      forward(incoming, outgoing);
    }, delayMs);
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    delayMs,
    get requests() {
      return requests;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) {
            resolve();
          } else {
            reject(error);
          }
        });
      });
      agent.destroy();
    },
  };
}
