#!/usr/bin/env -S npx tsx
// npm run notify:local: the local GOV.UK Notify service on its own, for trying the API or a second worker.
import { parseArgs } from 'node:util';
import { localApiKey, localTestApiKey, startLocalNotify } from './lib/local-notify';

const help = `Usage: npm run notify:local -- [--port N] [--host H] [--rate-limit N] [--deliver-after-ms N]

A local GOV.UK Notify (the /v2 API the real notifications-node-client calls, and /__control for tests).
Nothing is sent anywhere. Keys it accepts:
  ${localApiKey}   (live type: statuses move on as they are read)
  ${localTestApiKey}   (test type: delivered at once)

Options:
  --port N               port (default: a free one)
  --host H               listen address (default 127.0.0.1)
  --rate-limit N         requests per key type per 60 s before 429 (default 3000)
  --deliver-after-ms N   deliver N ms after sending instead of on the next status read
  -h, --help             this help`;

const { values } = parseArgs({ options: {
  port: { type: 'string' }, host: { type: 'string' }, 'rate-limit': { type: 'string' }, 'deliver-after-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} });
if (values.help) { console.log(help); process.exit(0); }
const num = (v: string | undefined, name: string) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) { console.error(`--${name} must be a whole number`); process.exit(2); }
  return n;
};
const afterMs = num(values['deliver-after-ms'], 'deliver-after-ms');
const notify = await startLocalNotify({ port: num(values.port, 'port'), host: values.host, rateLimit: num(values['rate-limit'], 'rate-limit'),
  progression: afterMs === undefined ? 'on-read' : { afterMs } });
console.log(`Local GOV.UK Notify at ${notify.baseUrl}\n  NOTIFY_BASE_URL=${notify.baseUrl}\n  NOTIFY_API_KEY=${notify.apiKey}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void notify.stop().then(() => process.exit(0)));
