/**
 * Mocha helper: one real moto_server per test file (started in `before`, stopped by PID in `after`),
 * wiped between tests with `reset()`.
 */
import { startMoto, type MotoServer } from './server.js';

export interface MotoHandle {
  readonly endpoint: string;
  readonly server: MotoServer;
}

export function useMoto(options: { resetEachTest?: boolean } = {}): MotoHandle {
  let server: MotoServer | null = null;
  before(async function () {
    this.timeout(30_000);
    server = await startMoto();
  });
  if (options.resetEachTest ?? true) {
    beforeEach(async () => {
      await server?.reset();
    });
  }
  after(async () => {
    await server?.stop();
    server = null;
  });
  return {
    get endpoint() {
      if (server === null) {
        throw new Error('moto_server is not running (useMoto() must be called inside describe)');
      }
      return server.endpoint;
    },
    get server() {
      if (server === null) {
        throw new Error('moto_server is not running');
      }
      return server;
    },
  };
}
