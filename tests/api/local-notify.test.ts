// The local GOV.UK Notify service, called by the real notifications-node-client and by Access Desk's gateway:
// what is sent reads back, keys and clocks are refused as Notify refuses them, and each failure maps to what
// the outbox sender does next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyClient } from 'notifications-node-client';
import { PDFDocument } from 'pdf-lib';
import { sign } from 'hono/jwt';
import { localServiceId, parseApiKey, startLocalNotify, type LocalNotify } from '../../bin/lib/local-notify';
import { createNotifyGateway, NotifyError } from '../../activities/notify-gateway';
import { composeMessage, notifyTemplateId } from '../../domain/messages';
import { notifyControl, simulatorRecipients } from '../support/notify';

const fields = {
  appointment_date: 'Tuesday 3 June 2026', appointment_time: '09:30', clinic: 'Eye clinic', site: 'North Hospital', booking_office_phone: '0300 123 4567',
};
const confirmationSms = notifyTemplateId('appointment_confirmation', 'sms');
const confirmationEmail = notifyTemplateId('appointment_confirmation', 'email');

/** The body of a rejected client call, as Notify's clients see it. */
async function refusal(p: Promise<unknown>) {
  const err = await p.then(() => { throw new Error('expected a refusal'); }, (e: { response?: { status: number; data: unknown } }) => e);
  return { status: err.response?.status, data: err.response?.data };
}

async function gatewayError(p: Promise<unknown>) {
  const err = await p.then(() => { throw new Error('expected a NotifyError'); }, (e: unknown) => e);
  expect(err).toBeInstanceOf(NotifyError);
  return err as NotifyError;
}

const pdf = async () => {
  const doc = await PDFDocument.create();
  doc.addPage([595.28, 841.89]).drawText('A letter');
  return Buffer.from(await doc.save());
};

let notify: LocalNotify;
let client: NotifyClient;
const control = () => notifyControl(notify.baseUrl);

beforeAll(async () => {
  notify = await startLocalNotify();
  client = new NotifyClient(notify.baseUrl, notify.apiKey);
});
afterAll(() => notify?.stop());

describe('sending and reading back with the real client', () => {
  it('sends a text with our template words and reads it back as it moves from created to delivered', async () => {
    const { data } = await client.sendSms(confirmationSms, '07700 900123', { personalisation: fields, reference: 'comm_sms1' });
    expect(data.content.body).toBe(composeMessage('appointment_confirmation', 'sms', fields).body);
    expect(data.reference).toBe('comm_sms1');
    const reads = [];
    for (let i = 0; i < 3; i++) reads.push((await client.getNotificationById(data.id)).data);
    expect(reads.map((n) => n.status)).toEqual(['sending', 'delivered', 'delivered']);
    expect(reads[2]).toMatchObject({ type: 'sms', phone_number: '+447700900123', reference: 'comm_sms1' });
    expect(reads[2].sent_at).not.toBeNull();
  });

  it('sends an email with its subject filled in', async () => {
    const { data } = await client.sendEmail(confirmationEmail, 'patient@example.com', { personalisation: fields, reference: 'comm_email1' });
    const ours = composeMessage('appointment_confirmation', 'email', fields);
    expect(data.content).toMatchObject({ subject: ours.subject, body: ours.body });
    expect((await client.getNotificationById(data.id)).data).toMatchObject({ type: 'email', email_address: 'patient@example.com', subject: ours.subject });
  });

  it('takes a precompiled letter and refuses one that is not a PDF', async () => {
    const { data } = await client.sendPrecompiledLetter('comm_letter1', await pdf(), 'first');
    expect(data).toMatchObject({ reference: 'comm_letter1', postage: 'first' });
    expect((await client.getNotificationById(data.id)).data).toMatchObject({ type: 'letter', status: 'received' });
    expect(await refusal(client.sendPrecompiledLetter('comm_letter2', Buffer.from('not a pdf')))).toEqual({
      status: 400, data: { status_code: 400, errors: [{ error: 'ValidationError', message: 'Letter content is not a valid PDF' }] },
    });
  });

  it('lists by reference, newest first, and by type', async () => {
    const first = (await client.sendSms(confirmationSms, '07700900124', { personalisation: fields, reference: 'comm_listed' })).data;
    const second = (await client.sendSms(confirmationSms, '07700900124', { personalisation: fields, reference: 'comm_listed' })).data;
    const listed = (await client.getNotifications(undefined, undefined, 'comm_listed')).data;
    expect(listed.notifications.map((n) => n.id)).toEqual([second.id, first.id]);
    expect((await client.getNotifications('letter')).data.notifications.every((n) => n.type === 'letter')).toBe(true);
    expect((await client.getNotifications(undefined, undefined, 'comm_nothing')).data.notifications).toEqual([]);
  });

  it('serves the templates it holds, and previews them', async () => {
    const template = (await client.getTemplateById(confirmationSms)).data;
    expect(template).toMatchObject({ id: confirmationSms, type: 'sms' });
    expect((await client.getAllTemplates('email')).data.templates.every((t) => t.type === 'email')).toBe(true);
    const preview = (await client.previewTemplateById(confirmationSms, fields)).data;
    expect(preview.body).toBe(composeMessage('appointment_confirmation', 'sms', fields).body);
  });

  it('fails the simulator recipients; a test key delivers at once', async () => {
    const perm = (await client.sendSms(confirmationSms, simulatorRecipients.permanentFailurePhone, { personalisation: fields, reference: 'comm_perm' })).data;
    await client.getNotificationById(perm.id);
    expect((await client.getNotificationById(perm.id)).data.status).toBe('permanent-failure');
    const testClient = new NotifyClient(notify.baseUrl, notify.testApiKey);
    const sent = (await testClient.sendEmail(confirmationEmail, 'someone@example.com', { personalisation: fields, reference: 'comm_testkey' })).data;
    expect((await testClient.getNotificationById(sent.id)).data.status).toBe('delivered');
    expect((await control().received()).find((n) => n.id === sent.id)).toMatchObject({ keyType: 'test', reference: 'comm_testkey' });
  });
});

describe('refusals in Notify\'s words', () => {
  it('refuses a key it does not know', async () => {
    const stranger = `live-${localServiceId}-00000000-0000-4000-8000-000000000000`;
    expect(await refusal(new NotifyClient(notify.baseUrl, stranger).getNotifications())).toEqual({
      status: 403, data: { status_code: 403, errors: [{ error: 'AuthError', message: 'Invalid token: API key not found' }] },
    });
  });

  it('refuses a token issued more than 30 s away from its clock, and takes one within it', async () => {
    const { serviceId, secret } = parseApiKey(notify.apiKey);
    const call = async (iatOffset: number) => {
      const token = await sign({ iss: serviceId, iat: Math.round(Date.now() / 1000) + iatOffset }, secret, 'HS256');
      const res = await fetch(`${notify.baseUrl}/v2/notifications`, { headers: { Authorization: `Bearer ${token}` } });
      return { status: res.status, data: await res.json() };
    };
    const skewed = { status: 403, data: { status_code: 403, errors: [{ error: 'AuthError', message: 'Error: Your system clock must be accurate to within 30 seconds' }] } };
    expect(await call(-45)).toEqual(skewed);
    expect(await call(45)).toEqual(skewed);
    expect((await call(-10)).status).toBe(200);
    // The real client against a server whose clock is a minute ahead.
    const ahead = await startLocalNotify({ now: () => Date.now() + 60_000 });
    try {
      expect(await refusal(new NotifyClient(ahead.baseUrl, ahead.apiKey).getNotifications())).toEqual(skewed);
    } finally { await ahead.stop(); }
  });

  it('names missing personalisation', async () => {
    const { appointment_time: _, clinic: __, ...partial } = fields;
    expect(await refusal(client.sendSms(confirmationSms, '07700900123', { personalisation: partial, reference: 'comm_missing' }))).toEqual({
      status: 400, data: { status_code: 400, errors: [{ error: 'BadRequestError', message: 'Missing personalisation: appointment_time, clinic' }] },
    });
  });

  it('refuses a number that is not a UK mobile and an address that is not an email', async () => {
    expect((await refusal(client.sendSms(confirmationSms, '0113 496 0000', { personalisation: fields }))).data)
      .toMatchObject({ errors: [{ error: 'ValidationError' }] });
    expect((await refusal(client.sendEmail(confirmationEmail, 'not-an-address', { personalisation: fields }))).data)
      .toMatchObject({ errors: [{ error: 'ValidationError' }] });
  });

  it('limits requests per window with 429 RateLimitError, then lets them through again', async () => {
    const limited = await startLocalNotify({ rateLimit: 2, rateWindowMs: 1000 });
    try {
      const c = new NotifyClient(limited.baseUrl, limited.apiKey);
      await c.getNotifications();
      await c.getNotifications();
      const refused = await refusal(c.getNotifications());
      expect(refused).toMatchObject({ status: 429, data: { errors: [{ error: 'RateLimitError' }] } });
      let through = false;
      for (let i = 0; i < 40 && !through; i++) {
        through = await c.getNotifications().then(() => true, () => false);
        if (!through) await new Promise((r) => setTimeout(r, 100));
      }
      expect(through).toBe(true);
    } finally { await limited.stop(); }
  });
});

describe('the gateway', () => {
  const gateway = () => createNotifyGateway({ baseUrl: notify.baseUrl, apiKey: notify.apiKey });
  const sms = (reference: string, personalisation: Record<string, string> = fields) =>
    ({ channel: 'sms' as const, templateId: confirmationSms, phoneNumber: '07700900125', personalisation, reference });

  it('sends each channel, finds a message by its reference and reads its status', async () => {
    const g = gateway();
    const { notifyId } = await g.send(sms('comm_gw1'));
    await g.send({ channel: 'email', templateId: confirmationEmail, emailAddress: 'p@example.com', personalisation: fields, reference: 'comm_gw2' });
    await g.send({ channel: 'letter', pdf: new Uint8Array(await pdf()), reference: 'comm_gw3' });
    expect(await g.findByReference('comm_gw1')).toEqual({ notifyId, status: expect.any(String) });
    expect(await g.findByReference('comm_never')).toBeNull();
    expect(await g.status(notifyId)).toMatchObject({ status: 'delivered', sentAt: expect.any(String), completedAt: expect.any(String) });
    expect((await control().received()).filter((n) => n.reference?.startsWith('comm_gw')).map((n) => n.type)).toEqual(['sms', 'email', 'letter']);
  });

  it('says a 400 is permanent', async () => {
    const err = await gatewayError(gateway().send(sms('comm_gw_bad', {})));
    expect(err).toMatchObject({ kind: 'permanent', statusCode: 400, errorType: 'BadRequestError' });
    // Nothing of the request (recipient, token) rides along into logs or Temporal history.
    expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).not.toMatch(/07700900125|Bearer/);
    expect(err.cause).toBeUndefined();
  });

  it('says a 403 is the key', async () => {
    const wrong = createNotifyGateway({ baseUrl: notify.baseUrl, apiKey: `live-${localServiceId}-11111111-1111-4111-8111-111111111111` });
    expect(await gatewayError(wrong.findByReference('comm_x'))).toMatchObject({ kind: 'auth', statusCode: 403, errorType: 'AuthError' });
  });

  it('says a 429 is retryable, with Notify\'s Retry-After', async () => {
    await control().rateLimit({ limited: true });
    try {
      const err = await gatewayError(gateway().send(sms('comm_gw_429')));
      expect(err).toMatchObject({ kind: 'retryable', statusCode: 429, errorType: 'RateLimitError' });
      expect(err.retryAfterMs).toBeGreaterThan(0);
    } finally { await control().rateLimit({ limited: false }); }
  });

  it('says a 500 and an unreachable Notify are retryable', async () => {
    await control().failNext(1);
    expect(await gatewayError(gateway().send(sms('comm_gw_500')))).toMatchObject({ kind: 'retryable', statusCode: 500, errorType: 'Exception' });
    expect((await control().received()).some((n) => n.reference === 'comm_gw_500')).toBe(false);
    const gone = await startLocalNotify();
    await gone.stop();
    const unreachable = createNotifyGateway({ baseUrl: gone.baseUrl, apiKey: gone.apiKey });
    expect(await gatewayError(unreachable.status('00000000-0000-4000-8000-000000000000'))).toMatchObject({ kind: 'retryable', statusCode: null });
  });

  it('lets a test set a status, and forgets everything on reset', async () => {
    const { notifyId } = await gateway().send(sms('comm_gw_set'));
    await control().setStatus(notifyId, 'technical-failure');
    expect((await gateway().status(notifyId)).status).toBe('technical-failure');
    await control().reset();
    expect(await control().received()).toEqual([]);
  });
});
