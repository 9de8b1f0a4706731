// Notify's settings: a base URL needs a key, a key must look like Notify's, and a trust's template ids must
// name messages Access Desk sends.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bin/lib/config';
import { localApiKey } from '../../bin/lib/local-notify';

const own = '11111111-2222-4333-8444-555555555555';

describe('Notify configuration', () => {
  it('is unset by default (npm start then runs the local service)', () => {
    expect(loadConfig({}).notify).toEqual({ baseUrl: undefined, apiKey: undefined, templates: {} });
  });

  it('reads an account: base URL, key and template ids', () => {
    const { notify } = loadConfig({ NOTIFY_BASE_URL: 'https://api.notifications.service.gov.uk', NOTIFY_API_KEY: localApiKey,
      NOTIFY_TEMPLATES: JSON.stringify({ 'appointment_reminder:sms': own }) });
    expect(notify).toEqual({ baseUrl: 'https://api.notifications.service.gov.uk', apiKey: localApiKey, templates: { 'appointment_reminder:sms': own } });
  });

  it('refuses a base URL without a key, a key of the wrong shape, and template ids it cannot use', () => {
    expect(() => loadConfig({ NOTIFY_BASE_URL: 'https://api.notifications.service.gov.uk' })).toThrow(/NOTIFY_API_KEY: required/);
    expect(() => loadConfig({ NOTIFY_API_KEY: 'abc' })).toThrow(/NOTIFY_API_KEY: must be a Notify API key/);
    expect(() => loadConfig({ NOTIFY_TEMPLATES: '{' })).toThrow(/NOTIFY_TEMPLATES: must be JSON/);
    expect(() => loadConfig({ NOTIFY_TEMPLATES: JSON.stringify({ 'appointment_reminder:fax': own }) })).toThrow(/NOTIFY_TEMPLATES.*not a message template key/);
    expect(() => loadConfig({ NOTIFY_TEMPLATES: JSON.stringify({ 'appointment_reminder:sms': 'x' }) })).toThrow(/NOTIFY_TEMPLATES\.appointment_reminder:sms/);
  });
});
