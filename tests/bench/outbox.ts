#!/usr/bin/env -S npx tsx
// The outbox benchmark (issue 12): texts delivered per second through the outbox sender (claim, commit, send by
// the real notifications-node-client, record) to the local Notify service, beside the bare client sending the
// same number of texts to the same service in the same run: the ratio is what the outbox's bookkeeping costs.
// It only measures and prints, and appends what it printed to docs/benchmarks.md.
import os from 'node:os';
import { appendFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { NotifyClient } from 'notifications-node-client';
import { createNotifyGateway } from '../../activities/notify-gateway';
import { deliverDueCommunications } from '../../activities/communications';
import { startLocalNotify } from '../../bin/lib/local-notify';
import { newId } from '../../db/ids';
import { communications, patients } from '../../db/schema';
import { composeMessage, notifyTemplateId } from '../../domain';
import { prepareDatabase } from '../../bin/lib/system';
import { createTestDatabase } from '../support/database';
import { loopbackPostgresUrl } from './support';

const help = `Usage: npm run bench:outbox -- [--messages N] [--batch N] [--no-record]

On a fresh database on the local Postgres (loopback only) and a local Notify service, in the same run:
  outbox  N queued texts delivered by rounds of the outbox sender (deliverDueCommunications, batches of --batch)
  bare    N texts sent by notifications-node-client's sendSms, one after another, to the same service
Both send one message at a time, as the sender does. The database is dropped at the end.

Options:
  --messages N  texts (default 1000)
  --batch N     rows per round (default 50, the loop's)
  --no-record   print only; do not append to docs/benchmarks.md
  -h, --help    this help`;

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' }, batch: { type: 'string', default: '50' },
    'no-record': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) { console.log(help); process.exit(0); }
const count = Math.min(20_000, Math.max(10, Number(args.messages)));
const batch = Math.min(500, Math.max(1, Number(args.batch)));
loopbackPostgresUrl();

const fields = { appointment_date: 'Tuesday 3 June 2026', appointment_time: '09:30', clinic: 'Eye clinic', site: 'North Hospital', booking_office_phone: '0300 123 4567' };
const db = await createTestDatabase('postgres');
// Notify's own limit is 3,000 a minute; the local service is told not to count, so both runs see the service itself.
const notify = await startLocalNotify({ rateLimit: 1_000_000 });
try {
  await prepareDatabase(db);
  const patientId = newId('pat');
  await db.db.insert(patients).values({ id: patientId, nhsNumber: '9999999999', givenName: 'Bench', familyName: 'Patient', dateOfBirth: '1970-01-01', phone: '07700900123', channels: ['sms'] });
  const words = composeMessage('appointment_confirmation', 'sms', fields);
  for (let i = 0; i < count; i += 1000) {
    await db.db.insert(communications).values(Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
      id: newId('comm'), commKey: `bench:${i + j}`, patientId, channel: 'sms' as const, template: 'appointment_confirmation' as const,
      personalisation: fields, subject: words.subject, body: words.body,
    })));
  }
  const deps = { gateway: createNotifyGateway({ baseUrl: notify.baseUrl, apiKey: notify.apiKey }), templates: {} };

  let t = performance.now();
  let sent = 0;
  for (;;) {
    const round = await deliverDueCommunications(db.db, deps, { asOf: new Date().toISOString(), limit: batch });
    sent += round.sent;
    if (round.claimed === 0) break;
  }
  const outboxMs = performance.now() - t;
  if (sent !== count) throw new Error(`the outbox sent ${sent} of ${count}`);

  const client = new NotifyClient(notify.baseUrl, notify.apiKey);
  const templateId = notifyTemplateId('appointment_confirmation', 'sms');
  t = performance.now();
  for (let i = 0; i < count; i += 1) await client.sendSms(templateId, '07700900123', { personalisation: fields, reference: `bare-${i}` });
  const bareMs = performance.now() - t;

  const perSecond = (ms: number) => Math.round((count / ms) * 1000);
  const commit = (() => { try { return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim(); } catch { return 'unknown'; } })();
  const lines = [
    '',
    `### Outbox throughput (${new Date().toISOString().slice(0, 10)}, ${commit}, ${os.cpus().length} cores)`,
    '',
    `${count.toLocaleString('en-GB')} texts to the local Notify service, one at a time, rounds of ${batch}:`,
    '',
    '| path | texts/s | total |',
    '|---|---|---|',
    `| outbox sender (claim, commit, send, record) | ${perSecond(outboxMs)} | ${(outboxMs / 1000).toFixed(2)} s |`,
    `| bare notifications-node-client sendSms | ${perSecond(bareMs)} | ${(bareMs / 1000).toFixed(2)} s |`,
    '',
    `Ratio outbox / bare: ${(bareMs / outboxMs).toFixed(2)}.`,
  ];
  console.log(lines.join('\n'));
  if (!args['no-record']) appendFileSync(new URL('../../docs/benchmarks.md', import.meta.url), `${lines.join('\n')}\n`);
} finally {
  await notify.stop();
  await db.drop();
}
