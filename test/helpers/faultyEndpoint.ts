/**
 * Endpoints that misbehave the way a dead or hostile AWS endpoint does, on 127.0.0.1: one that
 * accepts connections and never says anything, one that sends response headers and then stalls
 * the body, one that answers garbage, one that sends its body a byte every 200 ms for ever (never
 * silent long enough for a response timeout). Moto cannot do any of these.
 */
import { createServer as createHttpServer, request as httpRequest, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';

export type Fault = 'silent' | 'headers-then-stall' | 'garbage' | 'trickle';

export interface FaultyEndpoint {
  readonly url: string;
  /** Requests (or bare connections, for `silent`) received so far. */
  readonly hits: () => number;
  close(): Promise<void>;
}

export async function startFaultyEndpoint(fault: Fault): Promise<FaultyEndpoint> {
  let hits = 0;
  const server =
    fault === 'silent'
      ? createServer(() => {
          hits += 1;
        })
      : createHttpServer((request, response) => {
          hits += 1;
          request.resume();
          if (fault === 'garbage') {
            response.writeHead(200, { 'content-type': 'text/xml' });
            response.end('\u0000\u0001 this is not XML }{');
            return;
          }
          // Promise a body and never finish it.
          response.writeHead(200, { 'content-type': 'text/xml', 'content-length': '100000' });
          response.write('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
          if (fault === 'trickle') {
            const drip = setInterval(() => {
              response.write(' ');
            }, 200);
            response.on('close', () => {
              clearInterval(drip);
            });
          }
        });
  return listenTracked(server, () => hits);
}

/** A loopback port nothing listens on (connections are refused). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return address.port;
}

/**
 * A proxy to a real endpoint (moto) that forwards every request except those `stall` picks,
 * which it accepts and never answers: one dead operation in an otherwise healthy account.
 */
export async function startStallingProxy(upstream: string, stall: (request: IncomingMessage) => boolean): Promise<FaultyEndpoint> {
  const target = new URL(upstream);
  let hits = 0;
  const server = createHttpServer((incoming, outgoing) => {
    if (stall(incoming)) {
      hits += 1;
      incoming.resume();
      return;
    }
    incoming.pipe(forwardTo(target, incoming, outgoing));
  });
  return listenTracked(server, () => hits);
}

/** Listens on a free loopback port; `close` also drops connections the server left hanging. */
async function listenTracked(server: Server, hits: () => number): Promise<FaultyEndpoint> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return {
    url: `http://127.0.0.1:${address.port}`,
    hits,
    close: async () => {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    },
  };
}

/**
 * The upstream request for a proxied one (its body still to be written or piped in): the answer
 * goes back to the client as it comes; an upstream failure drops the client's connection.
 */
export function forwardTo(target: URL, incoming: IncomingMessage, outgoing: ServerResponse): ClientRequest {
  const proxied = httpRequest(
    { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
    (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(outgoing);
    },
  );
  proxied.on('error', () => outgoing.destroy());
  return proxied;
}
