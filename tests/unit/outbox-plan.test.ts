// Who gets which message by which channel and when (issue 12): the rule the outbox writes and the sender share.
import { describe, expect, it } from 'vitest';
import {
  electronicChannels, letterFormatFor, messageContact, noticeChannels, outcomeOfNotifyStatus, reminderPlan, sendBackoffMs, ukMobile,
  type MessagePatient,
} from '../../domain/outbox-plan';

const DAY = 86_400_000;
const patient = (p: Partial<MessagePatient>): MessagePatient => ({ phone: null, email: null, channels: ['letter'], aisNeeds: [], carer: null, ...p });

describe('notice channels', () => {
  it.each([
    ['letters only', patient({}), ['letter']],
    ['text and letter', patient({ channels: ['sms', 'letter'], phone: '07700 900123' }), ['sms', 'letter']],
    ['text only, with a mobile', patient({ channels: ['sms'], phone: '+44 7700 900123' }), ['sms']],
    ['text only, but a landline: a letter instead', patient({ channels: ['sms'], phone: '0151 496 0000' }), ['letter']],
    ['email only, no address held: a letter instead', patient({ channels: ['email'] }), ['letter']],
    ['email and text', patient({ channels: ['email', 'sms'], phone: '07700900123', email: 'a@example.com' }), ['email', 'sms']],
  ] as const)('%s', (_, p, expected) => expect(noticeChannels(p)).toEqual(expected));

  it('sends the texts and emails to a carer who is the contact', () => {
    const p = patient({ channels: ['sms'], phone: '07700900111', carer: { name: 'Sam', phone: '07700900222', email: null } });
    expect(messageContact(p)).toEqual({ recipient: 'carer', phone: '07700900222', email: null });
    expect(electronicChannels(p)).toEqual(['sms']);
  });
});

describe('reminders', () => {
  const start = Date.parse('2026-12-15T09:30:00Z');
  it('by text 7 and 2 days before', () => {
    const plan = reminderPlan(patient({ channels: ['sms'], phone: '07700900123' }), start, start - 10 * DAY);
    expect(plan.map((r) => [r.channel, r.daysBefore, r.sendAfter.getTime()])).toEqual([['sms', 7, start - 7 * DAY], ['sms', 2, start - 2 * DAY]]);
  });
  it('by letter 7 days before only, when nothing else reaches the patient', () => {
    expect(reminderPlan(patient({}), start, start - 10 * DAY).map((r) => [r.channel, r.daysBefore])).toEqual([['letter', 7]]);
  });
  it('none already past when booked', () => {
    expect(reminderPlan(patient({ channels: ['sms'], phone: '07700900123' }), start, start - 3 * DAY).map((r) => r.daysBefore)).toEqual([2]);
  });
});

it('formats letters for easy read before large print', () => {
  expect(letterFormatFor([])).toBe('standard');
  expect(letterFormatFor(['large_print'])).toBe('large_print');
  expect(letterFormatFor(['large_print', 'easy_read'])).toBe('easy_read');
});

it('backs off exponentially to an hour, or longer when Notify asks', () => {
  expect([1, 2, 3, 7, 20].map((n) => sendBackoffMs(n))).toEqual([60_000, 120_000, 240_000, 3_600_000, 3_600_000]);
  expect(sendBackoffMs(1, 300_000)).toBe(300_000);
});

it('reads Notify statuses as the outbox records them', () => {
  expect(['delivered', 'received', 'permanent-failure', 'temporary-failure', 'technical-failure', 'sending', 'accepted'].map(outcomeOfNotifyStatus))
    .toEqual(['delivered', 'delivered', 'permanent_failure', 'technical_failure', 'technical_failure', null, null]);
  expect(ukMobile('0044 7700 900123')).toBe('07700900123');
});
