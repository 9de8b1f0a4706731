// The words patients (and referrers) get: every message composes on every channel and in every format, with
// exactly the personalisation it names, and no patient identifier ever goes into a message's fields.
import { describe, expect, it } from 'vitest';
import { commChannels, isValidNhsNumber, letterFormats, messageTemplates, type MessageTemplate } from '../../domain';
import {
  composeMessage, defaultTemplateIds, messageFields, messageTemplate, notifyTemplateId, notifyTemplates, placeholdersIn, templateKey,
  type MessageFields,
} from '../../domain/messages';

const example: Record<string, string> = {
  appointment_date: 'Tuesday 3 June 2026', appointment_time: '09:30', previous_date: 'Monday 2 June 2026', previous_time: '14:00',
  clinic: 'Eye clinic', site: 'North Hospital', booking_office_phone: '0300 123 4567', cancellation_reason: 'as you asked',
  referral_reference: 'ref_01J0000000', referral_date: '1 May 2026', specialty: 'Ophthalmology',
  return_reason: 'the referral letter was not attached', reply_by: '17 June 2026',
};
const fieldsFor = <T extends MessageTemplate>(t: T) =>
  Object.fromEntries(messageFields[t].map((f) => [f, example[f]])) as MessageFields<T>;

const cases = messageTemplates.flatMap((t) => commChannels.flatMap((ch) => letterFormats.map((f) => [t, ch, f] as const)));

describe('message words', () => {
  it.each(cases)('%s by %s (%s) composes, every placeholder filled', (template, channel, format) => {
    const { subject, body } = composeMessage(template, channel, fieldsFor(template), { format });
    expect(subject).not.toMatch(/\(\(|\)\)/);
    expect(body).not.toMatch(/\(\(|\)\)/);
    expect(body.length).toBeGreaterThan(40);
    if (channel === 'sms') expect(body.length).toBeLessThanOrEqual(306); // two text messages at most
  });

  it.each(messageTemplates)('%s uses every field it names and no other', (template) => {
    for (const channel of commChannels) {
      const t = messageTemplate(template, channel);
      const used = new Set([...placeholdersIn(t.subject), ...placeholdersIn(t.body)]);
      expect([...used].every((u) => (messageFields[template] as readonly string[]).includes(u))).toBe(true);
    }
    const everywhere = new Set(commChannels.flatMap((ch) => letterFormats.flatMap((f) => {
      const t = messageTemplate(template, ch, f);
      return [...placeholdersIn(t.subject), ...placeholdersIn(t.body)];
    })));
    expect([...everywhere].sort()).toEqual([...messageFields[template]].sort());
  });

  it('tells the patient when, where and how to change it', () => {
    const { body } = composeMessage('appointment_confirmation', 'letter', fieldsFor('appointment_confirmation'));
    for (const f of ['Tuesday 3 June 2026', '09:30', 'Eye clinic', 'North Hospital', '0300 123 4567']) expect(body).toContain(f);
    expect(body).toMatch(/bring/i);
    expect(composeMessage('referral_returned', 'email', fieldsFor('referral_returned')).body).toContain('the referral letter was not attached');
  });

  it('uses easy-read words for easy read, and the standard words for large print', () => {
    const f = fieldsFor('appointment_confirmation');
    const standard = composeMessage('appointment_confirmation', 'letter', f);
    expect(composeMessage('appointment_confirmation', 'letter', f, { format: 'large_print' })).toEqual(standard);
    expect(composeMessage('appointment_confirmation', 'letter', f, { format: 'easy_read' }).body).not.toBe(standard.body);
  });

  it('refuses to compose with a field missing, naming it', () => {
    const { clinic: _, ...rest } = fieldsFor('appointment_reminder');
    expect(() => composeMessage('appointment_reminder', 'sms', rest as MessageFields<'appointment_reminder'>)).toThrow('Missing personalisation: clinic');
  });

  it('asks for no patient identifier, and no example carries an NHS number', () => {
    for (const template of messageTemplates) {
      for (const f of messageFields[template]) expect(f).not.toMatch(/nhs|name|address|postcode|birth|dob|email|phone_number|mobile/);
    }
    for (const v of Object.values(example)) {
      for (const run of v.replace(/\s/g, '').match(/\d{10}/g) ?? []) expect(isValidNhsNumber(run)).toBe(false);
    }
  });
});

describe('Notify template ids', () => {
  it('has a distinct UUID for every SMS and email template and wording', () => {
    const keys = messageTemplates.flatMap((t) => (['sms', 'email'] as const).flatMap((ch) => [templateKey(t, ch), templateKey(t, ch, 'easy_read')]));
    expect(Object.keys(defaultTemplateIds).sort()).toEqual(keys.sort());
    const ids = Object.values(defaultTemplateIds);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('takes a trust\'s own ids over the fixed ones', () => {
    const own = '11111111-2222-4333-8444-555555555555';
    expect(notifyTemplateId('appointment_reminder', 'sms', 'standard', { 'appointment_reminder:sms': own })).toBe(own);
    expect(notifyTemplateId('appointment_reminder', 'sms', 'large_print')).toBe(defaultTemplateIds['appointment_reminder:sms']);
    expect(notifyTemplateId('appointment_reminder', 'email', 'easy_read')).toBe(defaultTemplateIds['appointment_reminder:email:easy_read']);
    expect(notifyTemplates({ 'appointment_reminder:sms': own }).find((t) => t.key === 'appointment_reminder:sms')?.id).toBe(own);
  });
});
