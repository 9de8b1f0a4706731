// How every process connects to Temporal: the address and namespace, mutual TLS (a self-hosted cluster) or an API key
// (Temporal Cloud). One place, used by the API, the worker and the bins, so they cannot disagree.
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Config } from './config';

/** What both Connection (client) and NativeConnection (worker) take. */
export type TemporalConnectionOptions = { address: string; tls?: TLSConfig; apiKey?: string };

type TemporalSettings = Pick<Config['temporal'], 'address' | 'tls' | 'apiKey'>;

/**
 * What is wrong with the Temporal settings, one line per setting named as in the environment; empty when they are usable.
 * Files are read here, so an unreadable or empty one is reported at start-up rather than as a TLS failure later.
 */
export function checkTemporalSettings(t: TemporalSettings): string[] {
  const problems: string[] = [];
  const { cert, key, ca, serverName } = t.tls;
  if (cert && !key) problems.push('TEMPORAL_TLS_KEY: required when TEMPORAL_TLS_CERT is set (the client certificate needs its private key)');
  if (key && !cert) problems.push('TEMPORAL_TLS_CERT: required when TEMPORAL_TLS_KEY is set (the private key needs its client certificate)');
  for (const [name, file, kind] of [['TEMPORAL_TLS_CERT', cert, 'CERTIFICATE'], ['TEMPORAL_TLS_KEY', key, 'PRIVATE KEY'], ['TEMPORAL_TLS_CA', ca, 'CERTIFICATE']] as const) {
    if (!file) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      problems.push(`${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      continue;
    }
    if (!text.includes(`-----BEGIN `) || !text.includes(kind)) problems.push(`${name}: ${file} is not a PEM ${kind.toLowerCase()}`);
  }
  if (t.apiKey && (cert || key)) problems.push('TEMPORAL_API_KEY: set either an API key or a client certificate (TEMPORAL_TLS_CERT/KEY), not both');
  if (!t.address && (cert || key || ca || serverName || t.apiKey)) problems.push('TEMPORAL_ADDRESS: required with the TEMPORAL_TLS_* or TEMPORAL_API_KEY settings (npm start\'s own dev server takes neither)');
  return problems;
}

/** Throws naming every wrong setting; the entry points print the message and exit 2. */
export function assertTemporalSettings(t: TemporalSettings) {
  const problems = checkTemporalSettings(t);
  if (problems.length) throw new Error(`Temporal connection settings are not valid:\n  ${problems.join('\n  ')}`);
}

/** The connection options for an address (the configured one, or npm start's own dev server): TLS whenever any TLS setting or an API key is given. */
export function temporalConnectionOptions(t: TemporalSettings, address = t.address): TemporalConnectionOptions {
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set');
  const { cert, key, ca, serverName } = t.tls;
  const secure = !!(cert || key || ca || serverName || t.apiKey);
  if (!secure) return { address };
  const tls: TLSConfig = {};
  if (cert && key) tls.clientCertPair = { crt: readFileSync(cert), key: readFileSync(key) };
  if (ca) tls.serverRootCACertificate = readFileSync(ca);
  if (serverName) tls.serverNameOverride = serverName;
  return { address, tls, ...(t.apiKey ? { apiKey: t.apiKey } : {}) };
}
