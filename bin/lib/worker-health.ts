// The worker's own health endpoint (WORKER_HEALTH_PORT): an orchestrator's probe of a process that serves no HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { State } from '@temporalio/worker';

/**
 * GET /health: 200 while the worker polls its task queue, 503 while it starts, drains or has failed (the body says which);
 * anything else 404. Resolves once listening.
 */
export function serveWorkerHealth(opts: { port: number; host: string; state: () => State; taskQueue: string }): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/health') {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'Only GET /health is served here' }));
      return;
    }
    const worker = opts.state();
    const up = worker === 'RUNNING';
    res.writeHead(up ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      .end(JSON.stringify({ status: up ? 'ok' : 'down', worker, taskQueue: opts.taskQueue }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}
