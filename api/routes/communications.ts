// The outbox as staff see it (issue 12): every letter, text and email, queued or sent, with what Notify said;
// one of them in full, and a letter as the PDF that was (or will be) posted.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../db/client';
import { commChannel, communicationStatus, letterFormat, messageRecipient, messageTemplate } from '../../db/schema';
import { letterPdf } from '../../activities/letters';
import { communicationLetter } from '../../activities/communication-letter';
import type { AppDeps, AppEnv } from '../context';
import { AppError, notFound } from '../errors';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { errors, idParams, json, listRoute, route, router, showRoute, signedIn } from '../openapi';
import { communicationDetail, communicationRecord } from '../records';

type Row = Record<string, unknown>;

export const communicationListSpec: ListSpec<Row> = {
  resource: 'communications',
  select: sql`m.id, m.patient_id as "patientId", m.referral_id as "referralId", m.appointment_id as "appointmentId", m.channel, m.template,
    m.status, m.notify_id as "notifyId", ${iso(sql`m.created_at`)} as "createdAt", ${iso(sql`m.sent_at`)} as "sentAt",
    ${iso(sql`m.delivered_at`)} as "deliveredAt", m.failure_reason as "failureReason",
    p.given_name || ' ' || p.family_name as "patientName", p.nhs_number as "nhsNumber", m.recipient, m.format, m.subject,
    ${iso(sql`m.send_after`)} as "sendAfter", m.attempts`,
  from: sql`communications m join patients p on p.id = m.patient_id`,
  filters: {
    id: { column: sql`m.id` },
    status: enumFilter(sql`m.status`, communicationStatus.enumValues),
    channel: enumFilter(sql`m.channel`, commChannel.enumValues),
    template: enumFilter(sql`m.template`, messageTemplate.enumValues),
    recipient: enumFilter(sql`m.recipient`, messageRecipient.enumValues),
    format: enumFilter(sql`m.format`, letterFormat.enumValues),
    patientId: { column: sql`m.patient_id` }, referralId: { column: sql`m.referral_id` }, appointmentId: { column: sql`m.appointment_id` },
    createdAt: { column: sql`m.created_at`, kind: 'timestamp' }, sendAfter: { column: sql`m.send_after`, kind: 'timestamp' },
  },
  // Names with or without the space, NHS numbers with or without theirs (whereFor strips spaces on both sides).
  search: [sql`p.given_name || ' ' || p.family_name`, sql`p.nhs_number`],
  sorts: {
    id: sql`m.id`, createdAt: sql`m.created_at`, sentAt: sql`m.sent_at`, deliveredAt: sql`m.delivered_at`, sendAfter: sql`m.send_after`,
    status: sql`m.status`, channel: sql`m.channel`, template: sql`m.template`, patientName: sql`p.family_name`,
  },
  defaultSort: ['createdAt', 'DESC'],
  tieBreak: sql`m.id`,
};

const channelWords = { sms: 'a text message', email: 'an email', letter: 'a letter' } as const;

async function communication(db: Database, id: string) {
  const { select, from } = communicationListSpec;
  const [row] = await queryRows<Row>(db, sql`select ${select}, m.body, m.personalisation from ${from} where m.id = ${id}`);
  if (!row) throw notFound('communication', id);
  return row;
}

export function communicationRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router()
    .openapi(listRoute('communications', 'List letters, texts and emails (the outbox)', communicationRecord), (c) =>
      listResource(c, db, communicationListSpec))
    .openapi(showRoute('communications', 'A letter, text or email with its words as sent', communicationDetail), async (c) =>
      c.json(await communication(db, c.req.valid('param').id)))
    .openapi(route({
      method: 'get', path: '/{id}/letter.pdf', tags: ['communications'], operationId: 'get_communication_letter',
      summary: 'A letter as the PDF posted (rendered again from its stored words, format and address)',
      request: { params: idParams('The communication id (comm_…)') },
      responses: {
        200: { description: 'The letter', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } },
        ...errors(...signedIn, 404),
      },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const letter = await communicationLetter(db, id);
      if (!letter) throw notFound('communication', id);
      if (letter.kind === 'not_a_letter') {
        throw new AppError('NOT_FOUND', `Communication ${id} is ${channelWords[letter.channel]}, not a letter: there is no PDF of it`);
      }
      const pdf = await letterPdf(letter.input);
      return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': 'application/pdf',
        // Shown in the browser's viewer; the name says what it is, never who it is to.
        'Content-Disposition': `inline; filename="letter-${id}.pdf"`,
        'Cache-Control': 'private, no-store',
      });
    });
}
