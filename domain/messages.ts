// The words Access Desk sends (issue 12): every message × channel as a GOV.UK Notify style template with
// ((placeholders)). Letters are rendered here and sent as PDFs; SMS and email go by template id, so a Notify
// account holds these same words (the local Notify service is seeded with them). Never an NHS number,
// name or address in personalisation: a message says when and where, and the envelope or phone says who.
import type { CommChannel, LetterFormat, MessageTemplate } from './model';

/** The personalisation each message needs, by Notify placeholder name. */
export const messageFields = {
  appointment_confirmation: ['appointment_date', 'appointment_time', 'clinic', 'site', 'booking_office_phone'],
  appointment_reminder: ['appointment_date', 'appointment_time', 'clinic', 'site', 'booking_office_phone'],
  appointment_changed: ['previous_date', 'previous_time', 'appointment_date', 'appointment_time', 'clinic', 'site', 'booking_office_phone'],
  appointment_cancelled: ['appointment_date', 'appointment_time', 'clinic', 'cancellation_reason', 'booking_office_phone'],
  referral_returned: ['referral_reference', 'referral_date', 'specialty', 'return_reason', 'booking_office_phone'],
  partial_booking_invitation: ['specialty', 'reply_by', 'booking_office_phone'],
  follow_up_discharged: ['specialty', 'booking_office_phone'],
  pifu_discharged: ['specialty', 'booking_office_phone'],
} as const satisfies Record<MessageTemplate, readonly string[]>;

export type MessageFields<T extends MessageTemplate> = Record<(typeof messageFields)[T][number], string>;

/** Words as a template: a subject (email subject, letter heading; SMS has none at Notify) and a body. */
export type MessageWords = { subject: string; body: string };
type Wording = 'standard' | 'easy_read';

const bring = 'Please bring a list of the medicines you take, and your glasses or hearing aids if you use them.';
const change = 'If you cannot come, or want to change the time, call the booking office on ((booking_office_phone)) so we can offer the time to someone else.';
const easyChange = 'Cannot come? Call us on ((booking_office_phone)).\n\nWe can find you another time.';

const words: Record<MessageTemplate, Record<CommChannel, Record<Wording, MessageWords>>> = {
  appointment_confirmation: {
    letter: {
      standard: { subject: 'Your hospital appointment', body: `Your appointment is on ((appointment_date)) at ((appointment_time)) at ((clinic)), ((site)).\n\n${bring}\n\n${change}` },
      easy_read: { subject: 'Your hospital appointment', body: 'You have a hospital appointment.\n\nDay: ((appointment_date))\n\nTime: ((appointment_time))\n\nPlace: ((clinic)), ((site))\n\nPlease bring your medicines list.\n\n' + easyChange },
    },
    sms: {
      standard: { subject: 'Appointment confirmation', body: 'Your hospital appointment is on ((appointment_date)) at ((appointment_time)), ((clinic)), ((site)). To change it call ((booking_office_phone)).' },
      easy_read: { subject: 'Appointment confirmation', body: 'Hospital appointment: ((appointment_date)) at ((appointment_time)). Place: ((clinic)), ((site)). Cannot come? Call ((booking_office_phone)).' },
    },
    email: {
      standard: { subject: 'Your hospital appointment on ((appointment_date))', body: `Your appointment is on ((appointment_date)) at ((appointment_time)) at ((clinic)), ((site)).\n\n${bring}\n\n${change}` },
      easy_read: { subject: 'Your hospital appointment', body: 'You have a hospital appointment.\n\nDay: ((appointment_date))\n\nTime: ((appointment_time))\n\nPlace: ((clinic)), ((site))\n\n' + easyChange },
    },
  },
  appointment_reminder: {
    letter: {
      standard: { subject: 'A reminder of your hospital appointment', body: `This is a reminder that your appointment is on ((appointment_date)) at ((appointment_time)) at ((clinic)), ((site)).\n\n${bring}\n\n${change}` },
      easy_read: { subject: 'Your appointment is soon', body: 'Your hospital appointment is soon.\n\nDay: ((appointment_date))\n\nTime: ((appointment_time))\n\nPlace: ((clinic)), ((site))\n\n' + easyChange },
    },
    sms: {
      standard: { subject: 'Appointment reminder', body: 'Reminder: your hospital appointment is on ((appointment_date)) at ((appointment_time)), ((clinic)), ((site)). Cannot come? Call ((booking_office_phone)).' },
      easy_read: { subject: 'Appointment reminder', body: 'Your hospital appointment is soon: ((appointment_date)) at ((appointment_time)), ((clinic)). Cannot come? Call ((booking_office_phone)).' },
    },
    email: {
      standard: { subject: 'Reminder: your hospital appointment on ((appointment_date))', body: `This is a reminder that your appointment is on ((appointment_date)) at ((appointment_time)) at ((clinic)), ((site)).\n\n${bring}\n\n${change}` },
      easy_read: { subject: 'Your appointment is soon', body: 'Your hospital appointment is soon.\n\nDay: ((appointment_date))\n\nTime: ((appointment_time))\n\nPlace: ((clinic)), ((site))\n\n' + easyChange },
    },
  },
  appointment_changed: {
    letter: {
      standard: { subject: 'Your hospital appointment has moved', body: `Your appointment on ((previous_date)) at ((previous_time)) has moved. It is now on ((appointment_date)) at ((appointment_time)) at ((clinic)), ((site)).\n\n${bring}\n\n${change}` },
      easy_read: { subject: 'Your appointment has moved', body: 'Your hospital appointment has changed.\n\nThe new day is ((appointment_date)).\n\nThe new time is ((appointment_time)).\n\nPlace: ((clinic)), ((site))\n\nDo not come on ((previous_date)).\n\n' + easyChange },
    },
    sms: {
      standard: { subject: 'Appointment moved', body: 'Your hospital appointment on ((previous_date)) has moved to ((appointment_date)) at ((appointment_time)), ((clinic)), ((site)). To change it call ((booking_office_phone)).' },
      easy_read: { subject: 'Appointment moved', body: 'Your hospital appointment has changed. New day: ((appointment_date)) at ((appointment_time)), ((clinic)). Cannot come? Call ((booking_office_phone)).' },
    },
    email: {
      standard: { subject: 'Your hospital appointment has moved to ((appointment_date))', body: `Your appointment on ((previous_date)) at ((previous_time)) has moved. It is now on ((appointment_date)) at ((appointment_time)) at ((clinic)), ((site)).\n\n${bring}\n\n${change}` },
      easy_read: { subject: 'Your appointment has moved', body: 'Your hospital appointment has changed.\n\nThe new day is ((appointment_date)).\n\nThe new time is ((appointment_time)).\n\nPlace: ((clinic)), ((site))\n\n' + easyChange },
    },
  },
  appointment_cancelled: {
    letter: {
      standard: { subject: 'Your hospital appointment is cancelled', body: 'Your appointment on ((appointment_date)) at ((appointment_time)) at ((clinic)) has been cancelled ((cancellation_reason)).\n\nWe will be in touch to arrange a new one. If you have questions, call the booking office on ((booking_office_phone)).' },
      easy_read: { subject: 'Your appointment is cancelled', body: 'Your hospital appointment on ((appointment_date)) is cancelled.\n\nDo not come to the hospital on that day.\n\nWe will tell you your new appointment.\n\nQuestions? Call us on ((booking_office_phone)).' },
    },
    sms: {
      standard: { subject: 'Appointment cancelled', body: 'Your hospital appointment on ((appointment_date)) at ((appointment_time)), ((clinic)) has been cancelled ((cancellation_reason)). We will be in touch. Questions: ((booking_office_phone)).' },
      easy_read: { subject: 'Appointment cancelled', body: 'Your hospital appointment on ((appointment_date)) is cancelled. Do not come. We will tell you a new time. Questions? Call ((booking_office_phone)).' },
    },
    email: {
      standard: { subject: 'Your hospital appointment on ((appointment_date)) is cancelled', body: 'Your appointment on ((appointment_date)) at ((appointment_time)) at ((clinic)) has been cancelled ((cancellation_reason)).\n\nWe will be in touch to arrange a new one. If you have questions, call the booking office on ((booking_office_phone)).' },
      easy_read: { subject: 'Your appointment is cancelled', body: 'Your hospital appointment on ((appointment_date)) is cancelled.\n\nDo not come to the hospital on that day.\n\nWe will tell you your new appointment.\n\nQuestions? Call us on ((booking_office_phone)).' },
    },
  },
  referral_returned: {
    letter: {
      standard: { subject: 'Referral returned: ((referral_reference))', body: 'We have returned your ((specialty)) referral of ((referral_date)) (our reference ((referral_reference))) without booking an appointment.\n\nWhy: ((return_reason))\n\nPlease review it and refer again if it is still needed. To discuss it, call the booking office on ((booking_office_phone)).' },
      easy_read: { subject: 'Referral returned: ((referral_reference))', body: 'We have returned your ((specialty)) referral of ((referral_date)).\n\nOur reference: ((referral_reference))\n\nWhy: ((return_reason))\n\nPlease refer again if it is still needed. Questions? Call ((booking_office_phone)).' },
    },
    sms: {
      standard: { subject: 'Referral returned', body: 'Your ((specialty)) referral of ((referral_date)) (ref ((referral_reference))) has been returned: ((return_reason)). Booking office: ((booking_office_phone)).' },
      easy_read: { subject: 'Referral returned', body: 'Your ((specialty)) referral (ref ((referral_reference))) was returned: ((return_reason)). Questions? Call ((booking_office_phone)).' },
    },
    email: {
      standard: { subject: 'Referral returned: ((referral_reference))', body: 'We have returned your ((specialty)) referral of ((referral_date)) (our reference ((referral_reference))) without booking an appointment.\n\nWhy: ((return_reason))\n\nPlease review it and refer again if it is still needed. To discuss it, call the booking office on ((booking_office_phone)).' },
      easy_read: { subject: 'Referral returned: ((referral_reference))', body: 'We have returned your ((specialty)) referral of ((referral_date)).\n\nOur reference: ((referral_reference))\n\nWhy: ((return_reason))\n\nPlease refer again if it is still needed. Questions? Call ((booking_office_phone)).' },
    },
  },
  partial_booking_invitation: {
    letter: {
      standard: { subject: 'Please contact us to book your appointment', body: 'You have been referred to our ((specialty)) service. Please call the booking office on ((booking_office_phone)) by ((reply_by)) to choose a date and time that suits you.\n\nIf we do not hear from you by then, we will let the person who referred you know.' },
      easy_read: { subject: 'Please call us to book', body: 'You need a hospital appointment for ((specialty)).\n\nPlease call us on ((booking_office_phone)).\n\nCall us before ((reply_by)).\n\nWe will find a day and time that is good for you.' },
    },
    sms: {
      standard: { subject: 'Please book your appointment', body: 'You have been referred to our ((specialty)) service. Please call ((booking_office_phone)) by ((reply_by)) to book a date and time.' },
      easy_read: { subject: 'Please book your appointment', body: 'You need a hospital appointment for ((specialty)). Please call us on ((booking_office_phone)) before ((reply_by)).' },
    },
    email: {
      standard: { subject: 'Please contact us to book your ((specialty)) appointment', body: 'You have been referred to our ((specialty)) service. Please call the booking office on ((booking_office_phone)) by ((reply_by)) to choose a date and time that suits you.\n\nIf we do not hear from you by then, we will let the person who referred you know.' },
      easy_read: { subject: 'Please call us to book', body: 'You need a hospital appointment for ((specialty)).\n\nPlease call us on ((booking_office_phone)).\n\nCall us before ((reply_by)).\n\nWe will find a day and time that is good for you.' },
    },
  },
  follow_up_discharged: {
    letter: {
      standard: { subject: 'Your ((specialty)) follow-up', body: 'We invited you to book a ((specialty)) follow-up appointment and did not hear from you. Your clinician has reviewed your care and discharged you to your GP, who has been told.\n\nIf your symptoms change, please see your GP, who can refer you again. If you think this is a mistake, call the booking office on ((booking_office_phone)).' },
      easy_read: { subject: 'Your ((specialty)) follow-up', body: 'We asked you to book a ((specialty)) appointment.\n\nWe did not hear from you.\n\nYour doctor at the hospital has sent you back to your GP.\n\nIf you feel worse, see your GP.\n\nQuestions? Call us on ((booking_office_phone)).' },
    },
    sms: {
      standard: { subject: 'Follow-up discharged', body: 'We did not hear from you about your ((specialty)) follow-up, so your clinician has discharged you to your GP. Questions: ((booking_office_phone)).' },
      easy_read: { subject: 'Follow-up discharged', body: 'We did not hear from you about your ((specialty)) appointment. Your GP will look after you now. Questions? Call ((booking_office_phone)).' },
    },
    email: {
      standard: { subject: 'Your ((specialty)) follow-up', body: 'We invited you to book a ((specialty)) follow-up appointment and did not hear from you. Your clinician has reviewed your care and discharged you to your GP, who has been told.\n\nIf your symptoms change, please see your GP. If you think this is a mistake, call the booking office on ((booking_office_phone)).' },
      easy_read: { subject: 'Your ((specialty)) follow-up', body: 'We asked you to book a ((specialty)) appointment.\n\nWe did not hear from you.\n\nYour GP will look after you now.\n\nQuestions? Call us on ((booking_office_phone)).' },
    },
  },
  // Patient-initiated follow-up: the patient could ask to be seen and did not, so nobody "invited" them.
  pifu_discharged: {
    letter: {
      standard: { subject: 'Your ((specialty)) follow-up has ended', body: 'When we last saw you in our ((specialty)) clinic, we agreed that you would contact us if you needed to be seen again. That time has now ended and we have not heard from you, so you have been discharged to your GP, who has been told.\n\nIf your symptoms come back or change, please see your GP, who can refer you again. If you think this is a mistake, call the booking office on ((booking_office_phone)).' },
      easy_read: { subject: 'Your ((specialty)) follow-up has ended', body: 'We said you could call us if you needed to see us again about ((specialty)).\n\nYou did not call, and that time has ended.\n\nYour GP will look after you now.\n\nIf you feel worse, see your GP.\n\nQuestions? Call us on ((booking_office_phone)).' },
    },
    sms: {
      standard: { subject: 'Follow-up ended', body: 'Your time to ask for a ((specialty)) follow-up has ended, so you have been discharged to your GP. Questions: ((booking_office_phone)).' },
      easy_read: { subject: 'Follow-up ended', body: 'Your time to ask to see us about ((specialty)) has ended. Your GP will look after you now. Questions? Call ((booking_office_phone)).' },
    },
    email: {
      standard: { subject: 'Your ((specialty)) follow-up has ended', body: 'When we last saw you in our ((specialty)) clinic, we agreed that you would contact us if you needed to be seen again. That time has now ended and we have not heard from you, so you have been discharged to your GP, who has been told.\n\nIf your symptoms come back or change, please see your GP. If you think this is a mistake, call the booking office on ((booking_office_phone)).' },
      easy_read: { subject: 'Your ((specialty)) follow-up has ended', body: 'We said you could call us if you needed to see us again about ((specialty)).\n\nYou did not call, and that time has ended.\n\nYour GP will look after you now.\n\nQuestions? Call us on ((booking_office_phone)).' },
    },
  },
};

/** What a cancellation letter says after "has been cancelled". */
export const cancellationReason = (by: 'patient' | 'hospital') =>
  by === 'patient' ? 'as you asked' : 'because the clinic can no longer see you at that time. We are sorry';

const wordingOf = (format: LetterFormat): Wording => (format === 'easy_read' ? 'easy_read' : 'standard');

/** The template (placeholders unfilled), as a Notify account holds it. */
export function messageTemplate(template: MessageTemplate, channel: CommChannel, format: LetterFormat = 'standard'): MessageWords {
  return words[template][channel][wordingOf(format)];
}

export const placeholdersIn = (text: string) => [...new Set([...text.matchAll(/\(\(([^()]+)\)\)/g)].map((m) => m[1]))];

/** Fills ((placeholders)) as Notify does; a missing one is an error naming it (Notify's words). */
export function fillPlaceholders(text: string, personalisation: Record<string, string>): string {
  const missing = placeholdersIn(text).filter((p) => personalisation[p] === undefined);
  if (missing.length > 0) throw new Error(`Missing personalisation: ${missing.join(', ')}`);
  return text.replace(/\(\(([^()]+)\)\)/g, (_, name: string) => personalisation[name]);
}

/** A message's words for one patient (or referrer): subject and body with every placeholder filled. */
export function composeMessage<T extends MessageTemplate>(template: T, channel: CommChannel, fields: MessageFields<T>,
  opts: { format?: LetterFormat } = {}): MessageWords {
  const t = messageTemplate(template, channel, opts.format);
  const personalisation = fields as Record<string, string>;
  return { subject: fillPlaceholders(t.subject, personalisation), body: fillPlaceholders(t.body, personalisation) };
}

/** A Notify template's key: `appointment_reminder:sms`, or `…:sms:easy_read` for easy-read words. */
export const templateKey = (template: MessageTemplate, channel: Exclude<CommChannel, 'letter'>, format: LetterFormat = 'standard') =>
  `${template}:${channel}${wordingOf(format) === 'easy_read' ? ':easy_read' : ''}`;

/**
 * Template ids for SMS and email, fixed so the local Notify service and a fresh install agree. A real Notify
 * account has its own ids: NOTIFY_TEMPLATES maps any of these keys to that account's id.
 */
export const defaultTemplateIds: Record<string, string> = {
  'appointment_confirmation:sms': '8be34244-fe1e-4847-876c-8b91ffa6f0db',
  'appointment_confirmation:sms:easy_read': '16011a3f-2015-4cda-adaa-4faa89f96149',
  'appointment_confirmation:email': '462218a3-60b8-4c6a-827d-8273e6059550',
  'appointment_confirmation:email:easy_read': 'ebf59632-c8f1-4048-a932-8480593cd600',
  'appointment_reminder:sms': '70ff7a20-6771-4168-a4c5-9f4de33b8134',
  'appointment_reminder:sms:easy_read': '66320796-c3c7-4d0d-9129-1e9ee28384fb',
  'appointment_reminder:email': 'adac6a02-dcc0-4f2d-9f21-4dd35965111f',
  'appointment_reminder:email:easy_read': '4605f4e0-c425-412f-a093-327a32b98cc7',
  'appointment_changed:sms': '317ea34a-9bc2-4e44-8b8b-6bfa4d346b73',
  'appointment_changed:sms:easy_read': '06204b15-348f-40c6-a338-5d9c7f9701d5',
  'appointment_changed:email': '4600a8f9-a3b8-4f2d-bea5-6d1635cd6d9e',
  'appointment_changed:email:easy_read': '6a7cf3b8-fe91-4c3f-81ee-a911cd56179b',
  'appointment_cancelled:sms': '819ccbb3-b870-48af-966b-31e9e4128ac1',
  'appointment_cancelled:sms:easy_read': 'b4f2dbaa-f42d-449f-8570-bf47bcaa0c4a',
  'appointment_cancelled:email': '3e5329b1-6f95-4d28-b1be-a35ffdad5649',
  'appointment_cancelled:email:easy_read': '77b7e3a2-cb8d-46e6-b2cd-858fb617fbad',
  'referral_returned:sms': '635bdc9d-9ca2-4f4f-a1e8-e4a19b6dcf94',
  'referral_returned:sms:easy_read': 'abf5c423-9b4a-444d-94b7-379ddd7007eb',
  'referral_returned:email': '297dfae2-db12-4535-b68a-0489723b1b39',
  'referral_returned:email:easy_read': '02b29405-0338-45ec-a7cc-f0b5cfb209c7',
  'partial_booking_invitation:sms': '8ba065ea-41ea-4c3d-96ce-ac77521546ea',
  'partial_booking_invitation:sms:easy_read': 'a94a35cc-e4e9-4e08-a21d-16ffc29a6015',
  'partial_booking_invitation:email': '6f5e75e5-e6c5-429b-9f3e-9b5578b35b43',
  'partial_booking_invitation:email:easy_read': '80867cb5-8605-4883-8759-c1880f713ab9',
  'follow_up_discharged:sms': '3c1f7a52-5b0e-4d8e-9a3f-0e6b2d4c7a11',
  'follow_up_discharged:sms:easy_read': '7d2e9b43-1a6c-4f5d-8b2e-4c9a0f3e6b22',
  'follow_up_discharged:email': 'a4b8c2d6-3e7f-4a1b-9c5d-2e6f8a0b4c33',
  'follow_up_discharged:email:easy_read': 'e5f9a3b7-4c8d-4b2e-8d6f-3a7b9c1d5e44',
  'pifu_discharged:sms': '0b6f2c1e-8d4a-4e37-9a15-6c2d7e9f1a55',
  'pifu_discharged:sms:easy_read': '5a9d3e7c-2b1f-4c86-8e40-9f3b6a2d7c66',
  'pifu_discharged:email': 'c2e7a4f9-6d3b-4a18-b5c9-1e8f4d7a2b77',
  'pifu_discharged:email:easy_read': '9f1b5d3a-7e2c-4b69-a4d8-5c6e2f9b3a88',
};

/** The Notify template id to send a message by: an override from NOTIFY_TEMPLATES, else the fixed id. */
export function notifyTemplateId(template: MessageTemplate, channel: Exclude<CommChannel, 'letter'>, format: LetterFormat = 'standard',
  overrides: Record<string, string> = {}): string {
  const key = templateKey(template, channel, format);
  return overrides[key] ?? defaultTemplateIds[key];
}

/** Every SMS and email template with its id, its words and its type: what a Notify account (or the local one) holds. */
export function notifyTemplates(overrides: Record<string, string> = {}) {
  return Object.keys(defaultTemplateIds).map((key) => {
    const [template, channel, wording] = key.split(':') as [MessageTemplate, 'sms' | 'email', Wording | undefined];
    const format: LetterFormat = wording === 'easy_read' ? 'easy_read' : 'standard';
    const t = messageTemplate(template, channel, format);
    return { id: overrides[key] ?? defaultTemplateIds[key], key, name: key, type: channel, subject: channel === 'email' ? t.subject : null, body: t.body };
  });
}
