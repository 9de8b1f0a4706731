// Offers of dates to patients (issue 10) [rules §4.1]: each records whether it was reasonable (isReasonableOffer with
// the policy's notice) when made. Accepting a slot offer books it through the pathway's open booking item; declining
// a reasonable one is told to the pathway first (two declined raise a clinical review), then the offer is marked, so a
// repeated decline is answered 409 and counted once. Declining a short-notice offer has no consequence.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { clinics, communicationMethod, notes, offers, offerStatus, referrals, tasks } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import {
  communicationMethods, daysBetween, defaultAccessPolicy, isReasonableOffer, londonDate, offerStatuses, type TaskType,
} from '../../domain';
import { completeTaskUpdate, recordOfferDecisionUpdate } from '../../workflows';
import type { PathwayView } from '../../workflows/types';
import { onlyFor } from '../auth';
import { assertBreachConfirmed, assertWithinWardFormInterval, bookableSlot } from '../booking-checks';
import type { AppDeps, AppEnv } from '../context';
import { AppError, fromWorkflowFailure, invalid, isWorkflowRefusal, notFound } from '../errors';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listRoute, route, router, showRoute, signedIn } from '../openapi';
import { acceptOfferBody, declineOfferBody, offerBody } from '../schemas';

const str = z.string();
const strN = z.string().nullable();

export const offerRecord = z.object({
  id: str, referralId: str, slotId: strN, slotStart: strN, clinicName: strN, offeredDate: str, offeredOn: str,
  channel: z.enum(communicationMethods), reasonable: z.boolean(), noticeDays: z.number().int(),
  status: z.enum(offerStatuses), declineReason: strN, decidedAt: strN, decidedByName: strN, appointmentId: strN,
  createdAt: str, createdByName: strN,
}).openapi('Offer');
const declinedOffer = offerRecord.extend({
  reviewRaised: z.boolean().openapi({ description: 'This decline raised a clinical review (the policy\'s declined reasonable offers reached)' }),
}).openapi('DeclinedOffer');

const offerListSpec: ListSpec<Record<string, unknown>> = {
  resource: 'offers',
  select: sql`o.id, o.referral_id as "referralId", o.slot_id as "slotId", ${iso(sql`s.start`)} as "slotStart", c.name as "clinicName",
    o.offered_date::text as "offeredDate", o.offered_on::text as "offeredOn", o.channel, o.reasonable, o.notice_days as "noticeDays", o.status,
    n.body as "declineReason", ${iso(sql`o.decided_at`)} as "decidedAt", d.name as "decidedByName", o.appointment_id as "appointmentId",
    ${iso(sql`o.created_at`)} as "createdAt", cb.name as "createdByName"`,
  from: sql`offers o left join slots s on s.id = o.slot_id left join clinics c on c.id = s.clinic_id left join notes n on n.id = o.decline_note_id
    left join staff d on d.id = o.decided_by left join staff cb on cb.id = o.created_by`,
  filters: {
    id: { column: sql`o.id` }, referralId: { column: sql`o.referral_id` }, status: enumFilter(sql`o.status`, offerStatus.enumValues),
    channel: enumFilter(sql`o.channel`, communicationMethod.enumValues), reasonable: { column: sql`o.reasonable`, kind: 'bool' },
    offeredDate: { column: sql`o.offered_date`, kind: 'date' },
  },
  sorts: { id: sql`o.id`, createdAt: sql`o.created_at`, offeredDate: sql`o.offered_date`, offeredOn: sql`o.offered_on`, status: sql`o.status` },
  defaultSort: ['createdAt', 'DESC'],
  tieBreak: sql`o.id`,
};

const offerers = onlyFor(['officer', 'team_leader', 'admin'], 'record offers to patients');
const bookingItems: TaskType[] = ['book_new_appointment', 'book_follow_up', 'rebook_appointment'];
const decided = () => new AppError('OFFER_DECIDED', 'This offer has already been answered');
const ended = () => new AppError('PATHWAY_ENDED', 'This pathway has ended');

function offerReader(deps: AppDeps) {
  return async (id: string) => {
    const [row] = await queryRows<z.infer<typeof offerRecord>>(deps.db, sql`select ${offerListSpec.select} from ${offerListSpec.from} where o.id = ${id}`);
    if (!row) throw notFound('offer', id);
    return row;
  };
}

/** POST /api/referrals/:id/offers. */
export function referralOfferRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const read = offerReader(deps);
  return router().openapi(route({
    method: 'post', path: '/{id}/offers', tags: ['offers'], operationId: 'record_offer',
    summary: 'Record a date offered to the patient (a slot, or a date), and whether it was reasonable',
    description: `Reasonable: at least ${defaultAccessPolicy.offers.reasonableNoticeDays} days' notice (the access policy). `
      + 'Exactly one of `slotId` and `date` (400 naming `slotId` otherwise); 422 SLOT_IN_PAST or SLOT_NOT_FREE for a slot that cannot be booked.',
    middleware: offerers,
    request: { params: idParams("The referral's id"), body: body(offerBody) },
    responses: { 201: json('The offer', offerRecord), ...errors(...signedIn, 404, 422) },
  }), async (c) => {
    const me = c.get('staff');
    const referralId = c.req.valid('param').id;
    const given = c.req.valid('json');
    const [referral] = await db.select({ id: referrals.id, specialtyCode: referrals.specialtyCode }).from(referrals).where(eq(referrals.id, referralId));
    if (!referral) throw notFound('referral', referralId);
    const today = deps.today();
    if (given.offeredOn > today) throw invalid('offeredOn', `must not be in the future (today is ${today})`);
    let offeredDate = given.date!;
    if (given.slotId) {
      const slot = await bookableSlot(db, given.slotId, (deps.now ?? Date.now)());
      const [clinic] = await db.select({ specialtyCode: clinics.specialtyCode, name: clinics.name }).from(clinics).where(eq(clinics.id, slot.clinicId));
      if (clinic.specialtyCode !== referral.specialtyCode) {
        throw new AppError('SLOT_WRONG_SPECIALTY', `${clinic.name} is not a ${referral.specialtyCode} clinic`, { slotId: 'another specialty\'s clinic' });
      }
      offeredDate = londonDate(slot.start.getTime());
    }
    if (offeredDate < given.offeredOn) throw invalid(given.slotId ? 'slotId' : 'date', 'must not be before the day it was offered');
    const noticeDays = defaultAccessPolicy.offers.reasonableNoticeDays;
    const row = {
      id: newId('offer'), referralId, slotId: given.slotId ?? null, offeredDate, offeredOn: given.offeredOn, channel: given.channel,
      reasonable: isReasonableOffer({ offeredOn: given.offeredOn, appointmentDate: offeredDate, noticeDays }),
      noticeDays: daysBetween(given.offeredOn, offeredDate), createdBy: me.id,
    };
    await db.transaction(async (tx) => {
      await tx.insert(offers).values(row);
      await writeAudit(tx, { actorId: me.id, action: 'offer.recorded', entityType: 'offer', entityId: row.id,
        after: { referralId, slotId: row.slotId, offeredDate, offeredOn: row.offeredOn, reasonable: row.reasonable, noticeDays: row.noticeDays } });
    });
    return c.json(await read(row.id), 201);
  });
}

/** GET /api/offers, GET /api/offers/:id, POST /api/offers/:id/accept and /decline. */
export function offerRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const read = offerReader(deps);
  const load = async (id: string) => {
    const [row] = await db.select({ offer: offers, workflowId: referrals.workflowId, referralState: referrals.state })
      .from(offers).innerJoin(referrals, eq(referrals.id, offers.referralId)).where(eq(offers.id, id));
    if (!row) throw notFound('offer', id);
    if (row.offer.status !== 'offered') throw decided();
    return row;
  };
  /** Marks the offer answered only while it is still open: of two answers at once, the second is refused. */
  const mark = async (id: string, actorId: string, change: Partial<typeof offers.$inferInsert> & { status: 'accepted' | 'declined' }) =>
    db.transaction(async (tx) => {
      const done = await tx.update(offers).set({ ...change, decidedAt: new Date(), decidedBy: actorId })
        .where(and(eq(offers.id, id), eq(offers.status, 'offered'))).returning({ id: offers.id });
      if (!done.length) return false;
      await writeAudit(tx, { actorId, action: `offer.${change.status}`, entityType: 'offer', entityId: id, before: { status: 'offered' }, after: change });
      return true;
    });
  const refusals = [404, 409, 422, 503];
  return router()
    .openapi(listRoute('offers', 'List offers (filter by referralId, status)', offerRecord), (c) => listResource(c, db, offerListSpec))
    .openapi(showRoute('offers', 'An offer', offerRecord), async (c) => c.json(await read(c.req.valid('param').id)))
    .openapi(route({
      method: 'post', path: '/{id}/accept', tags: ['offers'], operationId: 'accept_offer',
      summary: "The patient accepts: a slot offer is booked through the pathway's open booking item",
      description: '409 SLOT_TAKEN if the slot has gone; 409 OFFER_DECIDED if already answered; 422 RULE_REFUSED when the pathway has nothing to book; '
        + "422 PAST_BREACH_NEEDS_LEADER for a slot after the patient's breach date unless a team leader confirms it; "
        + "422 AFTER_WARD_FORM_INTERVAL for a ward form's follow-up after the date the ward asked for (send it to the clinician).",
      middleware: offerers,
      request: { params: idParams("The offer's id"), body: body(acceptOfferBody) },
      responses: { 200: json('The offer, accepted', offerRecord), ...errors(...signedIn, ...refusals) },
    }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const { communicatedBy, confirmPastBreach } = c.req.valid('json');
      const { offer, workflowId } = await load(id);
      let appointmentId: string | null = null;
      if (offer.slotId) {
        const [item] = await db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.referralId, offer.referralId),
          inArray(tasks.type, bookingItems), inArray(tasks.status, ['open', 'claimed'])));
        if (!item) throw new AppError('RULE_REFUSED', 'This pathway has nothing to book just now (no open booking item)');
        const slot = await bookableSlot(db, offer.slotId, (deps.now ?? Date.now)());
        await assertBreachConfirmed(db, me, offer.referralId, slot.start, confirmPastBreach);
        await assertWithinWardFormInterval(db, item.id, slot.start);
        let view: PathwayView;
        try {
          view = await deps.temporal.client.workflow.getHandle(workflowId).executeUpdate(completeTaskUpdate, {
            args: [{ taskId: item.id, actorId: me.id, outcome: { slotId: offer.slotId, ...(communicatedBy ? { communicatedBy } : {}) } }],
          });
        } catch (err) {
          throw fromWorkflowFailure(err, ended);
        }
        appointmentId = view.appointmentId;
      }
      if (!(await mark(id, me.id, { status: 'accepted', appointmentId }))) throw decided();
      return c.json(await read(id));
    })
    .openapi(route({
      method: 'post', path: '/{id}/decline', tags: ['offers'], operationId: 'decline_offer',
      summary: 'The patient declines; two declined reasonable offers raise a clinical review',
      description: `At ${defaultAccessPolicy.offers.declinedOffersBeforeReview} declined reasonable offers the pathway's booking item gives way to a `
        + 'clinical review (`reviewRaised`). Declining a short-notice offer has no consequence. 409 OFFER_DECIDED if already answered.',
      middleware: offerers,
      request: { params: idParams("The offer's id"), body: body(declineOfferBody) },
      responses: { 200: json('The offer, declined', declinedOffer), ...errors(...signedIn, ...refusals) },
    }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const { reason } = c.req.valid('json');
      const { offer, workflowId, referralState } = await load(id);
      const noteId = newId('note');
      await db.insert(notes).values({ id: noteId, referralId: offer.referralId, authorId: me.id, body: reason });
      const discard = () => db.delete(notes).where(and(eq(notes.id, noteId), eq(notes.authorId, me.id)))
        .catch((e: unknown) => deps.logger.warn('could not discard refused note', { offerId: id, error: e instanceof Error ? e.message : String(e) }));
      let reviewRaised = false;
      if (offer.reasonable) {
        // The pathway first, under an Update id of the offer: a repeated decline is the same Update and counts once.
        try {
          const view = await deps.temporal.client.workflow.getHandle(workflowId).executeUpdate(recordOfferDecisionUpdate, {
            updateId: `offer-decline-${id}`,
            args: [{ offerId: id, decision: 'declined', reasonable: true, actorId: me.id, noteId }],
          });
          reviewRaised = view.stage === 'awaiting_clinical_review' && referralState !== 'awaiting_clinical_review';
        } catch (err) {
          if (isWorkflowRefusal(err)) await discard();
          throw fromWorkflowFailure(err, ended);
        }
      }
      if (!(await mark(id, me.id, { status: 'declined', declineNoteId: noteId }))) {
        await discard();
        throw decided();
      }
      return c.json({ ...(await read(id)), reviewRaised });
    });
}
