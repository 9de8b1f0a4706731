// The Temporal settings for a real cluster: each wrong one is named at start-up, and good ones become the SDK's options.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configKeys, loadConfig } from '../../bin/lib/config';
import { assertTemporalSettings, checkTemporalSettings, temporalConnectionOptions } from '../../bin/lib/temporal-connection';

const dir = mkdtempSync(path.join(tmpdir(), 'temporal-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => { const f = path.join(dir, name); writeFileSync(f, text); return f; };
const cert = file('client.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const key = file('client.key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n');
const notPem = file('notes.txt', 'hello');
const temporal = (env: Record<string, string>) => loadConfig({ TEMPORAL_ADDRESS: 'temporal.trust.nhs.uk:7233', ...env }).temporal;

describe('Temporal connection settings', () => {
  it('are all settings the app reads', () => {
    for (const k of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA', 'TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_API_KEY']) {
      expect(configKeys).toContain(k);
    }
  });

  it('connects without TLS when nothing asks for it', () => {
    const t = temporal({});
    expect(checkTemporalSettings(t)).toEqual([]);
    expect(temporalConnectionOptions(t)).toEqual({ address: 'temporal.trust.nhs.uk:7233' });
  });

  it('reads the client certificate, key and CA for mutual TLS, with the server name', () => {
    const t = temporal({ TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca, TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' });
    expect(checkTemporalSettings(t)).toEqual([]);
    const options = temporalConnectionOptions(t);
    expect(options.address).toBe('temporal.trust.nhs.uk:7233');
    expect(Buffer.from(options.tls!.clientCertPair!.crt).toString()).toContain('MIIB');
    expect(Buffer.from(options.tls!.clientCertPair!.key).toString()).toContain('MIIE');
    expect(Buffer.from(options.tls!.serverRootCACertificate!).toString()).toContain('MIIC');
    expect(options.tls!.serverNameOverride).toBe('temporal.internal');
    expect(options.apiKey).toBeUndefined();
  });

  it('uses TLS with the API key for Temporal Cloud', () => {
    const options = temporalConnectionOptions(temporal({ TEMPORAL_API_KEY: 'cloud-key', TEMPORAL_NAMESPACE: 'trust.a1b2c' }));
    expect(options).toEqual({ address: 'temporal.trust.nhs.uk:7233', tls: {}, apiKey: 'cloud-key' });
  });

  it.each([
    [{ TEMPORAL_TLS_CERT: cert }, /^TEMPORAL_TLS_KEY: required when TEMPORAL_TLS_CERT is set/],
    [{ TEMPORAL_TLS_KEY: key }, /^TEMPORAL_TLS_CERT: required when TEMPORAL_TLS_KEY is set/],
    [{ TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: path.join(dir, 'missing.key') }, /^TEMPORAL_TLS_KEY: cannot read .*missing\.key \(ENOENT\)/],
    [{ TEMPORAL_TLS_CA: dir }, /^TEMPORAL_TLS_CA: cannot read .* \(EISDIR\)/],
    [{ TEMPORAL_TLS_CA: notPem }, /^TEMPORAL_TLS_CA: .*notes\.txt is not a PEM certificate/],
    [{ TEMPORAL_TLS_CERT: key, TEMPORAL_TLS_KEY: key }, /^TEMPORAL_TLS_CERT: .*client\.key is not a PEM certificate/],
    [{ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key }, /^TEMPORAL_API_KEY: set either an API key or a client certificate/],
  ])('names the wrong setting: %j', (env, problem) => {
    const problems = checkTemporalSettings(temporal(env as Record<string, string>));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
    expect(() => assertTemporalSettings(temporal(env as Record<string, string>))).toThrow(/^Temporal connection settings are not valid:\n {2}TEMPORAL_/);
  });

  it('names an unreadable file (no permission)', () => {
    if (process.getuid?.() === 0) return; // root reads any file
    const locked = file('locked.key', '-----BEGIN PRIVATE KEY-----\n');
    chmodSync(locked, 0o000);
    expect(checkTemporalSettings(temporal({ TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: locked }))).toEqual([expect.stringMatching(/^TEMPORAL_TLS_KEY: cannot read .* \(EACCES\)/)]);
  });

  it('needs an address for TLS or an API key (npm start\'s own dev server takes neither)', () => {
    const t = loadConfig({ TEMPORAL_API_KEY: 'k' }).temporal;
    expect(checkTemporalSettings(t)).toEqual([expect.stringMatching(/^TEMPORAL_ADDRESS: required/)]);
  });

  it('refuses an empty namespace', () => {
    expect(() => loadConfig({ TEMPORAL_NAMESPACE: '' })).toThrow(/TEMPORAL_NAMESPACE/);
  });
});
