/**
 * A loopback proxy in front of moto that answers chosen requests with an AWS error instead of
 * forwarding them: moto never denies anything (test/MOTO_GAPS.md), and the built CLI, a child
 * process, cannot be given aws-sdk-client-mock. Everything else is forwarded untouched (the body
 * is read first, so that the decision can look at form-encoded Query requests such as STS's).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardTo } from './faultyEndpoint.js';

export interface AwsError {
  readonly status: number;
  /** A complete Query-protocol error document (`<ErrorResponse>…`). */
  readonly xml: string;
}

export interface DenyingProxy {
  readonly url: string;
  /** Requests answered with an error so far. */
  readonly denied: () => number;
  close(): Promise<void>;
}

/** STS's answer to an AssumeRole the role's trust policy does not allow. */
export function assumeRoleAccessDenied(roleArn: string): AwsError {
  return {
    status: 403,
    xml:
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
      `<Message>User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message>` +
      '</Error><RequestId>4d1a6f0e-0000-4000-8000-000000000000</RequestId></ErrorResponse>',
  };
}

export async function startDenyingProxy(upstream: string, deny: (request: IncomingMessage, body: string) => AwsError | null): Promise<DenyingProxy> {
  const target = new URL(upstream);
  let denied = 0;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const error = deny(incoming, body.toString('utf8'));
      if (error !== null) {
        denied += 1;
        outgoing.writeHead(error.status, { 'content-type': 'text/xml' });
        outgoing.end(error.xml);
        return;
      }
      forwardTo(target, incoming, outgoing).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    denied: () => denied,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    },
  };
}
