#!/usr/bin/env -S npx tsx
// The local PAS on its own (issue 14): an MLLP listener that ACKs the HL7 feed and logs what it receives.
import { startLocalPas } from './lib/local-pas';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: npm run pas:local -- [--port 2575] [--control-port 2580]
Runs a local PAS: an MLLP listener on 127.0.0.1 that answers every HL7 v2 message with an ACK (AA), logs a line per
message (type and control id only) and keeps what it received. Point the worker at it with HL7_HOST=127.0.0.1 HL7_PORT=<port>.
Control API on the control port:
  GET  /__control/messages            what it received, with the answer each got
  POST /__control/rules               {"answer":"AE"|"AR"|"none","times":2,"event":"S12"}: the next matching messages get that
  POST /__control/ack-delay           {"ms":5000}: hold every ACK this long
  POST /__control/reset               forget everything
A message whose control id (MSH-10) it already accepted is answered AA again and not applied twice.`);
  process.exit(0);
}
const num = (flag: string, fallback: number) => {
  const i = args.indexOf(flag);
  const n = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 0 || n > 65535) { console.error(`${flag} must be a port number`); process.exit(2); }
  return n;
};
const pas = await startLocalPas({ port: num('--port', 2575), controlPort: num('--control-port', 2580), log: (line) => console.log(line) });
console.log(`Local PAS listening for MLLP on ${pas.host}:${pas.port}; control API at ${pas.controlUrl}/__control/messages. Ctrl-C stops it.`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void pas.stop().then(() => process.exit(0)));
