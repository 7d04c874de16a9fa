/**
 * A tiny Security Hub (restJson1) and STS on 127.0.0.1 for what moto cannot do: throttle, and be
 * timed at the wire. GetFindings answers `pages` empty pages; BatchImportFindings takes every
 * finding unless `throttle(n)` says the n-th import (1-based) gets HTTP 429
 * TooManyRequestsException; anything else is STS's GetCallerIdentity. Each Security Hub request's
 * arrival time is recorded; answers can be held back up to `delayMs` (random).
 */
import { createServer, type Server } from 'node:http';
import { callerIdentityXml } from './callerIdentity.js';
import { listenOnLoopback } from './loopbackServer.js';

export interface Arrival {
  readonly operation: 'GetFindings' | 'BatchImportFindings';
  readonly at: number;
}

export interface FakeSecurityHub {
  readonly url: string;
  readonly arrivals: readonly Arrival[];
  /** BatchImportFindings requests received, throttled ones included. */
  readonly importRequests: () => number;
  close(): Promise<void>;
}

export interface FakeSecurityHubOptions {
  readonly accountId: string;
  readonly pages?: number;
  readonly throttle?: (importNumber: number) => boolean;
  readonly delayMs?: number;
}

export async function startFakeSecurityHub(options: FakeSecurityHubOptions): Promise<FakeSecurityHub> {
  const { accountId, pages = 1, throttle = () => false, delayMs = 0 } = options;
  const arrivals: Arrival[] = [];
  let imports = 0;
  const answer = (url: string | undefined, body: string): { status: number; type: string; text: string; errorType?: string } => {
    if (url === '/findings/import') {
      imports += 1;
      if (throttle(imports)) {
        return { status: 429, type: 'application/json', text: JSON.stringify({ Message: 'Rate exceeded' }), errorType: 'TooManyRequestsException' };
      }
      const findings = (JSON.parse(body) as { Findings: unknown[] }).Findings;
      return { status: 200, type: 'application/json', text: JSON.stringify({ FailedCount: 0, SuccessCount: findings.length, FailedFindings: [] }) };
    }
    if (url === '/findings') {
      const token = (JSON.parse(body) as { NextToken?: string }).NextToken;
      const page = token === undefined ? 1 : Number(token) + 1;
      return { status: 200, type: 'application/json', text: JSON.stringify({ Findings: [], ...(page < pages ? { NextToken: String(page) } : {}) }) };
    }
    return { status: 200, type: 'text/xml', text: callerIdentityXml(accountId) };
  };
  const server: Server = createServer((request, response) => {
    const at = performance.now();
    if (request.url?.startsWith('/findings') === true) {
      arrivals.push({ operation: request.url === '/findings/import' ? 'BatchImportFindings' : 'GetFindings', at });
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      setTimeout(() => {
        const { status, type, text, errorType } = answer(request.url, Buffer.concat(chunks).toString());
        response.statusCode = status;
        response.setHeader('content-type', type);
        if (errorType !== undefined) {
          response.setHeader('x-amzn-errortype', errorType);
        }
        response.end(text);
      }, Math.random() * delayMs);
    });
  });
  return { ...(await listenOnLoopback(server)), arrivals, importRequests: () => imports };
}
