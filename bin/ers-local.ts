#!/usr/bin/env -S npx tsx
// npm run ers:local: the local NHS e-Referral Service on its own, for trying the adapter or pointing a worker at it.
import { parseArgs } from 'node:util';
import { localErsAppToken, localErsOdsCode, localErsUserToken, startLocalErs } from './lib/local-ers';

const help = `Usage: npm run ers:local -- [--port N] [--host H] [--referrals N] [--held N] [--release-every-ms N] [--release-batch N]

A local NHS e-Referral Service: the provider routes of the e-RS FHIR API (A008 worklists, A005, A006/A042
attachments, A007, A013, A014, A022, A028, A029, A038) under /referrals/FHIR, stateful, with e-RS's header
rules and errors, and /__control for tests (see docs/ers.md). Nothing leaves the machine.
Tokens it accepts:
  ${localErsUserToken}          (user-restricted: send ODS code and business function)
  ${localErsAppToken}   (application-restricted: read-only)

Options:
  --port N               port (default: a free one)
  --host H               listen address (default 127.0.0.1)
  --referrals N          demo referrals on the worklists at start (default 12)
  --held N               demo referrals held back and released over time (default 60)
  --release-every-ms N   release some held referrals this often (default 60000; 0: only by /__control/release)
  --release-batch N      how many each time (default 3)
  -h, --help             this help`;

const { values } = parseArgs({ options: {
  port: { type: 'string' }, host: { type: 'string' }, referrals: { type: 'string' }, held: { type: 'string' },
  'release-every-ms': { type: 'string' }, 'release-batch': { type: 'string' }, help: { type: 'boolean', short: 'h' },
} });
if (values.help) { console.log(help); process.exit(0); }
const num = (v: string | undefined, name: string, fallback?: number) => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) { console.error(`--${name} must be a whole number`); process.exit(2); }
  return n;
};
const releaseEveryMs = num(values['release-every-ms'], 'release-every-ms', 60_000)!;
const releaseBatch = num(values['release-batch'], 'release-batch', 3)!;
const held = num(values.held, 'held', 60)!;
const ers = await startLocalErs({
  port: num(values.port, 'port'), host: values.host, seed: { visible: num(values.referrals, 'referrals', 12)!, held },
  releaseEveryMs: releaseEveryMs || undefined, releaseBatch,
});
console.log(`Local e-Referral Service at ${ers.baseUrl}
  ERS_BASE_URL=${ers.baseUrl}
  ERS_ACCESS_TOKEN=${ers.userToken}
  ERS_ODS_CODE=${localErsOdsCode}
  ERS_BUSINESS_FUNCTION=SERVICE_PROVIDER_CLINICIAN
${releaseEveryMs && held ? `Releasing ${releaseBatch} demo referrals every ${Math.round(releaseEveryMs / 1000)} s (${held} held back).` : 'Demo referrals are released only through POST /__control/release.'}
Control: ${ers.origin}/__control (reset, referrals, release, errors, mode, requests). Ctrl-C to stop.`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void ers.stop().then(() => process.exit(0)));
