// The API client the demo loader polls with: a read whose connection is dropped before any answer (a busy server
// closing a kept-alive connection as it is reused) is asked again; a write never is (it may have been done).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessDeskClient } from '../../bin/lib/api-client';

let server: Server;
let baseUrl = '';
const seen: string[] = [];
let dropNext = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    if (dropNext > 0) { dropNext -= 1; req.socket.destroy(); return; }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('AccessDeskClient on a dropped connection', () => {
  it('asks a read again (twice at most) and never repeats a write', async () => {
    const client = new AccessDeskClient(baseUrl);
    seen.length = 0;
    dropNext = 2;
    await expect(client.get('/api/tasks')).resolves.toEqual({ ok: true });
    expect(seen).toEqual(['GET /api/tasks', 'GET /api/tasks', 'GET /api/tasks']);

    seen.length = 0;
    dropNext = 3;
    await expect(client.get('/api/tasks')).rejects.toThrow(/fetch failed/);
    expect(seen).toHaveLength(3);

    seen.length = 0;
    dropNext = 1;
    await expect(client.post('/api/tasks/t1/complete', {})).rejects.toThrow(/fetch failed/);
    expect(seen).toEqual(['POST /api/tasks/t1/complete']);
    dropNext = 0;
  });
});
