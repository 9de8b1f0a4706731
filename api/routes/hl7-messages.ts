// The PAS feed's messages (issue 14). Ops and admins list them (the console's PAS messages screen) with what became of
// each; no patient details, only the referral and appointment they concern. After the PAS refuses a message (AR), ops
// put the cause right and either send it again (same control id) or set it aside (the PAS was corrected by hand).
// Either frees the patient's later messages, which wait behind it. Only a rejected message can be either; the update
// is conditional, so of two people acting at once one is told it has already been dealt with.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { writeAudit } from '../../activities/audit';
import { hl7Messages } from '../../db/schema';
import { hl7ControlId } from '../../domain/hl7';
import { hl7Events, hl7Statuses, type Role } from '../../domain/model';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { AppError, notFound } from '../errors';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listRoute, route, router, signedIn } from '../openapi';

/** Who deals with the PAS feed: ops (told of a rejection) and admins. */
export const pasFeedEditors: Role[] = ['ops', 'admin'];

const hl7MessageState = z.object({
  id: z.string(), controlId: z.string().describe('MSH-10'), event: z.string(), status: z.enum(hl7Statuses),
  lastAck: z.string().nullable(), lastError: z.string().nullable(),
}).openapi('Hl7MessageState');

/** A message as the PAS messages screen lists it: its type, what became of it and why; never the patient's details. */
export const hl7MessageRecord = z.object({
  id: z.string().openapi({ example: 'hl7_01jd3k…' }),
  controlId: z.string().openapi({ description: 'MSH-10, the same on every resend', example: 'AD0000000042' }),
  event: z.enum(hl7Events).openapi({ description: 'S12 booked, S14 moved, S15 cancelled (SIU); A08 patient details changed (ADT)' }),
  status: z.enum(hl7Statuses),
  attempts: z.number().int().openapi({ description: 'Times sent so far' }),
  lastAck: z.string().nullable().openapi({ description: 'MSA-1 of the last ACK (AA, AE, AR), null before any' }),
  lastError: z.string().nullable().openapi({ description: "The PAS's words, why no ACK came, or why it was set aside" }),
  referralId: z.string().nullable().openapi({ description: 'The referral an appointment message concerns (null for ADT^A08)' }),
  appointmentId: z.string().nullable(),
  createdAt: z.string().openapi({ format: 'date-time', description: 'When the change was made' }),
  sendAfter: z.string().openapi({ format: 'date-time', description: 'Not sent again before this (back-off)' }),
  sentAt: z.string().nullable().openapi({ format: 'date-time', description: 'The last attempt' }),
  acknowledgedAt: z.string().nullable().openapi({ format: 'date-time' }),
  updatedAt: z.string().openapi({ format: 'date-time' }),
}).openapi('Hl7Message');
export type Hl7MessageRecord = z.infer<typeof hl7MessageRecord>;

const listSpec: ListSpec<Record<string, unknown>> = {
  resource: 'hl7-messages',
  select: sql`m.id, 'AD' || lpad(m.control_number::text, 10, '0') as "controlId", m.event, m.status, m.attempts, m.last_ack as "lastAck",
    m.last_error as "lastError", m.content->'appointment'->>'referralId' as "referralId", m.appointment_id as "appointmentId",
    ${iso(sql`m.created_at`)} as "createdAt", ${iso(sql`m.send_after`)} as "sendAfter", ${iso(sql`m.sent_at`)} as "sentAt",
    ${iso(sql`m.acknowledged_at`)} as "acknowledgedAt", ${iso(sql`m.updated_at`)} as "updatedAt"`,
  from: sql`hl7_messages m`,
  filters: {
    id: { column: sql`m.id` },
    status: enumFilter(sql`m.status`, hl7Statuses),
    event: enumFilter(sql`m.event`, hl7Events),
    referralId: { column: sql`(m.content->'appointment'->>'referralId')` },
    appointmentId: { column: sql`m.appointment_id` },
  },
  sorts: { createdAt: sql`m.created_at`, updatedAt: sql`m.updated_at`, attempts: sql`m.attempts`, status: sql`m.status`, event: sql`m.event` },
  defaultSort: ['createdAt', 'DESC'],
  tieBreak: sql`m.control_number`,
};
const setAsideBody = z.object({ reason: z.string().trim().min(3, 'say how the PAS was put right') }).openapi('SetAsidePasMessage');

export function hl7MessageRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const act = async (id: string, actorId: string, to: 'queued' | 'set_aside', reason?: string) => db.transaction(async (tx) => {
    const [before] = await tx.select().from(hl7Messages).where(eq(hl7Messages.id, id)).for('update');
    if (!before) throw notFound('PAS message', id);
    if (before.status !== 'rejected') {
      throw new AppError('PAS_MESSAGE_NOT_REJECTED', `This PAS message is ${before.status.replace('_', ' ')}, not rejected: there is nothing to do`);
    }
    const now = new Date();
    const [after] = await tx.update(hl7Messages).set(to === 'queued'
      ? { status: 'queued', sendAfter: now, updatedAt: now }
      : { status: 'set_aside', lastError: `set aside: ${reason}`, updatedAt: now })
      .where(and(eq(hl7Messages.id, id), eq(hl7Messages.status, 'rejected'))).returning();
    const controlId = hl7ControlId(before.controlNumber);
    await writeAudit(tx, { actorId, action: to === 'queued' ? 'hl7_message.resent' : 'hl7_message.set_aside', entityType: 'hl7_message', entityId: id,
      before: { status: 'rejected', lastError: before.lastError }, after: { status: after.status, controlId, event: before.event, ...(reason ? { reason } : {}) } });
    return { id, controlId, event: after.event, status: after.status, lastAck: after.lastAck, lastError: after.lastError };
  });
  const see = onlyFor(pasFeedEditors, 'see PAS messages');
  return router()
    .openapi({ ...listRoute('hl7-messages', 'List the PAS feed\'s messages, newest first, with their status (ops, admins); no patient details', hl7MessageRecord, see), tags: ['pas-feed'] },
      (c) => listResource(c, db, listSpec))
    .openapi(route({
      method: 'get', path: '/{id}', tags: ['pas-feed'], operationId: 'get_pas_message',
      summary: 'One PAS message with its status, attempts and the PAS\'s last answer (ops, admins)',
      middleware: see, request: { params: idParams('The message id (hl7_…)') },
      responses: { 200: json('The message', hl7MessageRecord), ...errors(...signedIn, 404) },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const [row] = await queryRows(db, sql`select ${listSpec.select} from ${listSpec.from} where m.id = ${id}`);
      if (!row) throw notFound('PAS message', id);
      return c.json(row);
    })
    .openapi(route({
      method: 'post', path: '/{id}/resend', tags: ['pas-feed'], operationId: 'resend_pas_message',
      summary: 'Send a message the PAS rejected again, once the cause is put right (ops, admins)',
      middleware: onlyFor(pasFeedEditors, 'resend a PAS message'),
      request: { params: idParams('The message id (hl7_…)') },
      responses: { 200: json('The message, queued to go again', hl7MessageState), ...errors(...signedIn, 404, 409) },
    }), async (c) => c.json(await act(c.req.valid('param').id, c.get('staff').id, 'queued')))
    .openapi(route({
      method: 'post', path: '/{id}/set-aside', tags: ['pas-feed'], operationId: 'set_aside_pas_message',
      summary: "Set aside a message the PAS rejected (the PAS was put right by hand), letting the patient's later messages go (ops, admins)",
      middleware: onlyFor(pasFeedEditors, 'set aside a PAS message'),
      request: { params: idParams('The message id (hl7_…)'), body: body(setAsideBody) },
      responses: { 200: json('The message, set aside', hl7MessageState), ...errors(...signedIn, 404, 409) },
    }), async (c) => c.json(await act(c.req.valid('param').id, c.get('staff').id, 'set_aside', c.req.valid('json').reason)));
}
