// Admitted care (issue 15) [rules §1.3, §1.4, §4.5, §6]: the admitted waiting list, decisions to admit, pre-op outcomes,
// theatre sessions and TCI offers, admission and a decision not to treat. Decisions go to the pathway as the
// admittedCare Update (workflows/pathway/admitted.ts), which writes the rows; theatre sessions are reference data, and a
// TCI offer is written here, holding its theatre minutes by a conditional update so a session is never overbooked.
import { requestForecastRecompute } from '../forecast-start';
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import { newId } from '../../db/ids';
import {
  admissionStatus, admissions, notes, referrals, specialties, staff, surgicalPriority, tciOfferStatus, tciOffers, theatreSessions,
} from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import {
  admissionStatuses, assessTciOffer, DEFAULT_ESTIMATED_MINUTES, intendedManagements, londonDate, preOpNotCleared, preOpOutcomes, preOpStatuses, PRE_OP_VALID_DAYS,
  surgicalPriorities, tciChannels, tciOfferStatuses, theatreSessionKinds,
} from '../../domain';
import { admittedCareUpdate } from '../../workflows';
import type { AdmittedCareCommand, AdmittedCareResult } from '../../workflows/types';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { AppError, fromWorkflowFailure, invalid, isWorkflowRefusal, notFound } from '../errors';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listRoute, route, router, showRoute, signedIn } from '../openapi';
import { isStorableDate } from '../../domain/plausibility';

const str = z.string();
const strN = z.string().nullable();
const day = (what: string) => z.string().refine(isStorableDate, `${what} must be a real date (YYYY-MM-DD)`);

// ---- Records -------------------------------------------------------------------------------------------------------

export const admissionRecord = z.object({
  id: str, referralId: str, patientName: str, specialtyCode: str, procedure: str,
  intendedManagement: z.enum(intendedManagements), surgicalPriority: z.enum(surgicalPriorities),
  consultantId: str, consultantName: str, decidedOn: str,
  targetDate: str.openapi({ description: 'The surgical-priority target date (P1a 24 h, P1b 72 h, P2 1 month, P3 3 months, P4 the RTT breach date)' }),
  breachDate: str.openapi({ description: 'The RTT breach date' }),
  status: z.enum(admissionStatuses), preOpRequired: z.boolean(),
  preOpStatus: z.enum(preOpStatuses).openapi({ description: "`expired`: fit, but valid only until before the trust's today" }), preOpValidUntil: strN,
  estimatedMinutes: z.number().int(), tciOfferId: strN, tciDate: strN, theatreSessionId: strN, ward: strN, standBy: z.boolean(),
  standByNoticeHours: z.number().int().nullable().openapi({ description: 'The least notice a stand-by patient needs, in hours' }),
  declinedReasonableOffers: z.number().int(), version: z.number().int(),
}).openapi('Admission');
type AdmissionRow = z.infer<typeof admissionRecord>;

/**
 * The admission record on the trust's `today` (pre-op "expired" is judged against it), for the admitted list, its CSV,
 * one admission and (with its own order) the stand-by list. Every column but the patient's name and the breach date is
 * the admission's own, so the total counts admissions alone unless the filter or search needs a join.
 */
export function admissionSpec(today: string): ListSpec<AdmissionRow> {
  // Pre-op as staff read it: a fit result past its validity is expired, by the API's today; the filter asks the same.
  const preOpShown = sql`(case when a.pre_op_status in ('fit', 'fit_with_conditions') and a.pre_op_valid_until < ${today}::date
    then 'expired' else a.pre_op_status::text end)`;
  return {
    resource: 'admissions',
    select: sql`a.id, a.referral_id as "referralId", (p.given_name || ' ' || p.family_name) as "patientName", a.specialty_code as "specialtyCode",
      a.procedure, a.intended_management as "intendedManagement", a.surgical_priority as "surgicalPriority", a.consultant_id as "consultantId",
      c.name as "consultantName", a.decided_on::text as "decidedOn", a.target_date::text as "targetDate", pw.breach_date::text as "breachDate",
      a.status, a.pre_op_required as "preOpRequired",
      ${preOpShown} as "preOpStatus",
      a.pre_op_valid_until::text as "preOpValidUntil", a.estimated_minutes as "estimatedMinutes", a.tci_offer_id as "tciOfferId",
      a.tci_date::text as "tciDate", a.theatre_session_id as "theatreSessionId", a.ward, a.stand_by as "standBy",
      a.stand_by_notice_hours as "standByNoticeHours", a.declined_reasonable_offers as "declinedReasonableOffers", a.version`,
    from: sql`admissions a join referrals r on r.id = a.referral_id join patients p on p.id = r.patient_id
      join pathways pw on pw.referral_id = a.referral_id join staff c on c.id = a.consultant_id`,
    // Each admission has its referral, patient, pathway and consultant (not-null keys; the pathway is made with the referral).
    count: { from: sql`admissions a`, joined: ['breachDate', 'q'] },
    filters: {
      id: { column: sql`a.id` }, referralId: { column: sql`a.referral_id` }, status: enumFilter(sql`a.status`, admissionStatus.enumValues),
      specialtyCode: { column: sql`a.specialty_code` }, surgicalPriority: enumFilter(sql`a.surgical_priority`, surgicalPriority.enumValues),
      standBy: { column: sql`a.stand_by`, kind: 'bool' }, preOpStatus: enumFilter(preOpShown, preOpStatuses),
      targetDate: { column: sql`a.target_date`, kind: 'date' }, breachDate: { column: sql`pw.breach_date`, kind: 'date' },
      tciDate: { column: sql`a.tci_date`, kind: 'date' }, procedure: { column: sql`a.procedure` },
    },
    search: [sql`p.family_name`, sql`a.procedure`],
    // The admitted PTL (issue 15): surgical priority, then RTT breach date (soonest first), then target date.
    sorts: {
      surgicalPriority: sql`a.surgical_priority`, targetDate: sql`a.target_date`, breachDate: sql`pw.breach_date`, decidedOn: sql`a.decided_on`,
      tciDate: sql`a.tci_date`, status: sql`a.status`, estimatedMinutes: sql`a.estimated_minutes`, procedure: sql`a.procedure`, id: sql`a.id`,
    },
    defaultSort: ['surgicalPriority', 'ASC'],
    tieBreak: { fixed: sql`pw.breach_date asc nulls last, a.target_date asc, a.id asc` },
  };
}

/** One admission record; `today` is the API's (deps.today()), the wall clock's London date only where no caller gives it. */
export async function readAdmission(db: Queryable, id: string, today: string = londonDate(Date.now())): Promise<AdmissionRow> {
  const spec = admissionSpec(today);
  const [row] = await queryRows<AdmissionRow>(db, sql`select ${spec.select} from ${spec.from} where a.id = ${id}`);
  if (!row) throw notFound('admission', id);
  return row;
}

export const theatreSessionRecord = z.object({
  id: str, listName: str, specialtyCode: str, surgeonId: str, surgeonName: str, date: str, session: z.enum(theatreSessionKinds),
  minutesAvailable: z.number().int(), minutesBooked: z.number().int(), minutesFree: z.number().int(),
}).openapi('TheatreSession');
export const theatreSessionSpec: ListSpec<z.infer<typeof theatreSessionRecord>> = {
  resource: 'theatre-sessions',
  select: sql`t.id, t.list_name as "listName", t.specialty_code as "specialtyCode", t.surgeon_id as "surgeonId", s.name as "surgeonName",
    t.date::text as "date", t.session, t.minutes_available as "minutesAvailable", t.minutes_booked as "minutesBooked",
    (t.minutes_available - t.minutes_booked) as "minutesFree"`,
  from: sql`theatre_sessions t join staff s on s.id = t.surgeon_id`,
  filters: {
    id: { column: sql`t.id` }, specialtyCode: { column: sql`t.specialty_code` }, surgeonId: { column: sql`t.surgeon_id` },
    date: { column: sql`t.date`, kind: 'date' }, minutesFree: { column: sql`(t.minutes_available - t.minutes_booked)`, kind: 'number' },
  },
  sorts: { date: sql`t.date`, listName: sql`t.list_name`, minutesFree: sql`(t.minutes_available - t.minutes_booked)`, id: sql`t.id` },
  defaultSort: ['date', 'ASC'],
  tieBreak: sql`t.session, t.id`,
};

export const tciOfferRecord = z.object({
  id: str, admissionId: str, referralId: str, admissionDate: str, theatreSessionId: strN, ward: str, offeredOn: str,
  channel: z.enum(tciChannels), noticeDays: z.number().int(),
  reasonable: z.boolean().openapi({ description: "At least 21 days' notice, and a second offer within 6 weeks of the first declined date" }),
  status: z.enum(tciOfferStatuses), declineReason: strN,
}).openapi('TciOffer');
const tciOfferSpec: ListSpec<z.infer<typeof tciOfferRecord>> = {
  resource: 'tci-offers',
  select: sql`o.id, o.admission_id as "admissionId", o.referral_id as "referralId", o.admission_date::text as "admissionDate",
    o.theatre_session_id as "theatreSessionId", o.ward, o.offered_on::text as "offeredOn", o.channel, o.notice_days as "noticeDays",
    o.reasonable, o.status, o.decline_reason as "declineReason"`,
  from: sql`tci_offers o`,
  filters: {
    id: { column: sql`o.id` }, admissionId: { column: sql`o.admission_id` }, referralId: { column: sql`o.referral_id` },
    status: enumFilter(sql`o.status`, tciOfferStatus.enumValues), admissionDate: { column: sql`o.admission_date`, kind: 'date' },
  },
  sorts: { admissionDate: sql`o.admission_date`, offeredOn: sql`o.offered_on`, createdAt: sql`o.created_at`, id: sql`o.id` },
  defaultSort: ['createdAt', 'DESC'],
  tieBreak: sql`o.id`,
};

// ---- Bodies --------------------------------------------------------------------------------------------------------

export const decisionToAdmitBody = z.object({
  procedure: z.string().trim().min(1, 'say which procedure').max(200),
  intendedManagement: z.enum(intendedManagements),
  surgicalPriority: z.enum(surgicalPriorities),
  consultantId: z.string().trim().min(1).max(100),
  preOpRequired: z.boolean(),
  note: z.string().trim().max(2000).optional(),
  estimatedMinutes: z.number().int().min(5).max(24 * 60).optional().openapi({ description: `Theatre minutes; ${DEFAULT_ESTIMATED_MINUTES} when not given` }),
  decidedOn: day('decidedOn').optional().openapi({ description: 'Today when not given' }),
}).openapi('DecisionToAdmit');
export const preOpOutcomeBody = z.object({
  assessedOn: day('assessedOn'),
  outcome: z.enum(preOpOutcomes),
  conditions: z.string().trim().min(1).max(2000).optional(),
}).refine((b) => b.outcome === 'fit_with_conditions' || b.conditions === undefined, { path: ['conditions'], message: 'only with fit_with_conditions' })
  .openapi('PreOpOutcome');
export const theatreSessionBody = z.object({
  listName: z.string().trim().min(1).max(200),
  specialtyCode: z.string().trim().min(1).max(10),
  surgeonId: z.string().trim().min(1).max(100),
  date: day('date'),
  session: z.enum(theatreSessionKinds),
  minutesAvailable: z.number().int().min(15).max(24 * 60),
}).openapi('NewTheatreSession');
export const tciOfferBody = z.object({
  admissionDate: day('admissionDate'),
  theatreSessionId: z.string().trim().min(1).max(100).optional(),
  ward: z.string().trim().min(1, 'say which ward').max(100),
  offeredOn: day('offeredOn'),
  channel: z.enum(tciChannels),
}).openapi('NewTciOffer');
export const tciDeclineBody = z.object({ reason: z.string().trim().min(1, 'say why the patient declined').max(2000) }).openapi('TciDecline');
export const admitBody = z.object({
  admittedOn: day('admittedOn'),
  procedureDone: z.boolean().optional().openapi({ description: 'Default true' }),
  diagnosticOnly: z.boolean().optional().openapi({ description: 'Default false' }),
}).openapi('Admit');
export const notTreatedBody = z.object({ decidedOn: day('decidedOn'), note: z.string().trim().min(1, 'say why').max(2000) }).openapi('DecisionNotToTreat');

// ---- Routes --------------------------------------------------------------------------------------------------------

const bookers = onlyFor(['officer', 'team_leader', 'admin'], 'offer and record admission dates');
const clinicians = onlyFor(['clinician', 'team_leader', 'admin'], 'decide to admit or not to treat');
const recorders = onlyFor(['officer', 'team_leader', 'clinician', 'admin'], 'record pre-operative assessments and admissions');
const managers = onlyFor(['team_leader', 'admin'], 'manage theatre sessions');
const ended = () => new AppError('PATHWAY_ENDED', 'This pathway has ended');
const refusals = [404, 409, 422, 503];

type Deps = AppDeps & { today: () => string };

function readers(deps: Deps) {
  const one = <R>(spec: ListSpec<R>, alias: string, what: string) => async (id: string): Promise<R> => {
    const [row] = await queryRows<R>(deps.db, sql`select ${spec.select} from ${spec.from} where ${sql.raw(alias)}.id = ${id}`);
    if (!row) throw notFound(what, id);
    return row;
  };
  return {
    admission: (id: string) => readAdmission(deps.db, id, deps.today()),
    session: one(theatreSessionSpec, 't', 'theatre session'),
    offer: one(tciOfferSpec, 'o', 'TCI offer'),
  };
}

/** Sends one admitted-care decision to the referral's pathway; a refusal comes back with its code and field. */
export async function tellPathway(deps: AppDeps, workflowId: string, cmd: AdmittedCareCommand, updateId?: string): Promise<AdmittedCareResult> {
  try {
    return await deps.temporal.client.workflow.getHandle(workflowId).executeUpdate(admittedCareUpdate, { args: [cmd], ...(updateId ? { updateId } : {}) });
  } catch (err) {
    throw fromWorkflowFailure(err, ended);
  }
}

/** A note's text kept in `notes` (it can name the patient), its id for the pathway; thrown away if the pathway refuses. */
export async function withNote<T>(deps: AppDeps, referralId: string, authorId: string, text: string | undefined, run: (noteId?: string) => Promise<T>): Promise<T> {
  if (!text) return run(undefined);
  const noteId = newId('note');
  await deps.db.insert(notes).values({ id: noteId, referralId, authorId, body: text });
  try {
    return await run(noteId);
  } catch (err) {
    if (isWorkflowRefusal(err) || err instanceof AppError) {
      await deps.db.delete(notes).where(and(eq(notes.id, noteId), eq(notes.authorId, authorId))).catch(() => undefined);
    }
    throw err;
  }
}

async function referralOf(deps: AppDeps, id: string) {
  const [row] = await deps.db.select({ id: referrals.id, workflowId: referrals.workflowId, specialtyCode: referrals.specialtyCode })
    .from(referrals).where(eq(referrals.id, id));
  if (!row) throw notFound('referral', id);
  return row;
}

/** POST /api/referrals/:id/decision-to-admit and /tci-offers. */
export function referralAdmittedRoutes(deps: Deps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const read = readers(deps);
  return router()
    .openapi(route({
      method: 'post', path: '/{id}/decision-to-admit', tags: ['admissions'], operationId: 'decide_to_admit',
      summary: 'A decision to admit: the patient joins the admitted waiting list (the RTT clock keeps running)',
      description: 'Opens a `book_pre_op` item (or `book_tci` when no pre-op is needed) and sets the surgical-priority target date. '
        + '409 ALREADY_LISTED when already on the list for this referral; 422 STOP_NEEDS_RUNNING_CLOCK on a stopped clock; 400 naming the field otherwise.',
      middleware: clinicians,
      request: { params: idParams("The referral's id"), body: body(decisionToAdmitBody) },
      responses: { 201: json('The admitted waiting-list entry', admissionRecord), ...errors(...signedIn, ...refusals) },
    }), async (c) => {
      const me = c.get('staff');
      const referral = await referralOf(deps, c.req.valid('param').id);
      const given = c.req.valid('json');
      const today = deps.today();
      const decidedOn = given.decidedOn ?? today;
      if (decidedOn > today) throw invalid('decidedOn', `must not be in the future (today is ${today})`);
      const [consultant] = await db.select({ role: staff.role, active: staff.active }).from(staff).where(eq(staff.id, given.consultantId));
      if (!consultant || !consultant.active || consultant.role !== 'clinician') throw invalid('consultantId', 'must be an active clinician');
      const result = await withNote(deps, referral.id, me.id, given.note, (noteId) => tellPathway(deps, referral.workflowId, {
        kind: 'decide_to_admit', actorId: me.id, decidedOn, procedure: given.procedure, intendedManagement: given.intendedManagement,
        surgicalPriority: given.surgicalPriority, consultantId: given.consultantId, preOpRequired: given.preOpRequired,
        estimatedMinutes: given.estimatedMinutes ?? DEFAULT_ESTIMATED_MINUTES, ...(noteId ? { noteId } : {}),
      }));
      return c.json(await read.admission(result.admissionId!), 201);
    })
    .openapi(route({
      method: 'post', path: '/{id}/tci-offers', tags: ['tci-offers'], operationId: 'offer_tci',
      summary: "Offer a TCI (to come in) date, optionally in a theatre session: reasonable with at least 21 days' notice",
      description: "Books the admission's estimated minutes into the session at once (held until declined): 409 SESSION_FULL naming the session "
        + 'when it has too few minutes left; 409 TCI_OFFER_OPEN while another offer waits for an answer; 409 PRE_OP_NOT_CLEARED (`errors.admissionDate`) '
        + 'when pre-op is required and not cleared for that date (not done, unfit, or expired by then); 422 SESSION_MISMATCH for a session of '
        + 'another specialty or date; 422 NOT_ON_ADMITTED_LIST when the referral has no waiting entry.',
      middleware: bookers,
      request: { params: idParams("The referral's id"), body: body(tciOfferBody) },
      responses: { 201: json('The offer', tciOfferRecord), ...errors(...signedIn, ...refusals) },
    }), async (c) => {
      const me = c.get('staff');
      const referral = await referralOf(deps, c.req.valid('param').id);
      const given = c.req.valid('json');
      const today = deps.today();
      if (given.offeredOn > today) throw invalid('offeredOn', `must not be in the future (today is ${today})`);
      if (given.admissionDate < given.offeredOn) throw invalid('admissionDate', 'must not be before the day it was offered');
      const id = newId('tci');
      await db.transaction(async (tx) => {
        const [entry] = await tx.select().from(admissions)
          .where(and(eq(admissions.referralId, referral.id), sql`${admissions.status} in ('waiting', 'tci_booked', 'cancelled')`)).for('update');
        if (!entry || entry.status === 'tci_booked') {
          throw new AppError('NOT_ON_ADMITTED_LIST', entry ? 'This patient already has a TCI date booked' : 'This referral has no entry waiting on the admitted list');
        }
        const [open] = await tx.select({ id: tciOffers.id }).from(tciOffers).where(and(eq(tciOffers.admissionId, entry.id), eq(tciOffers.status, 'offered')));
        if (open) throw new AppError('TCI_OFFER_OPEN', `TCI offer ${open.id} is still waiting for the patient's answer`);
        // Pre-op must clear the patient for the admission date itself (the assessment must still be valid that day).
        const notCleared = preOpNotCleared(entry, given.admissionDate);
        if (notCleared) throw new AppError('PRE_OP_NOT_CLEARED', notCleared, { admissionDate: notCleared });
        // The first declined reasonable offer's date: a second offer must fall within 6 weeks of it to count.
        const [first] = await tx.select({ date: tciOffers.admissionDate }).from(tciOffers)
          .where(and(eq(tciOffers.admissionId, entry.id), eq(tciOffers.status, 'declined'), eq(tciOffers.reasonable, true)))
          .orderBy(tciOffers.createdAt).limit(1);
        const assessed = assessTciOffer(given, entry.declinedReasonableOffers > 0 ? first?.date ?? null : null);
        let minutesHeld = 0;
        if (given.theatreSessionId) {
          const [session] = await tx.select().from(theatreSessions).where(eq(theatreSessions.id, given.theatreSessionId));
          if (!session) throw new AppError('NOT_FOUND', `No theatre session with id ${given.theatreSessionId}`, { theatreSessionId: 'no such session' });
          if (session.specialtyCode !== entry.specialtyCode || session.date !== given.admissionDate) {
            throw new AppError('SESSION_MISMATCH', `${session.listName} on ${session.date} is not a ${entry.specialtyCode} list on ${given.admissionDate}`,
              { theatreSessionId: 'another specialty or date' });
          }
          // The conditional update is the lock: of two offers into the last minutes, exactly one gets them.
          const held = await tx.update(theatreSessions).set({ minutesBooked: sql`${theatreSessions.minutesBooked} + ${entry.estimatedMinutes}`, updatedAt: new Date() })
            .where(and(eq(theatreSessions.id, session.id), sql`${theatreSessions.minutesBooked} + ${entry.estimatedMinutes} <= ${theatreSessions.minutesAvailable}`))
            .returning({ id: theatreSessions.id });
          if (!held.length) {
            throw new AppError('SESSION_FULL', `${session.listName} on ${session.date} has fewer than ${entry.estimatedMinutes} minutes free`,
              { theatreSessionId: `${session.listName} (${session.date}) is full` });
          }
          minutesHeld = entry.estimatedMinutes;
        }
        await tx.insert(tciOffers).values({
          id, admissionId: entry.id, referralId: referral.id, admissionDate: given.admissionDate, theatreSessionId: given.theatreSessionId ?? null,
          minutesHeld, ward: given.ward, offeredOn: given.offeredOn, channel: given.channel, noticeDays: assessed.noticeDays,
          reasonable: assessed.reasonable, createdBy: me.id,
        });
        await writeAudit(tx, { actorId: me.id, action: 'tci_offer.offered', entityType: 'tci_offer', entityId: id,
          after: { admissionId: entry.id, admissionDate: given.admissionDate, theatreSessionId: given.theatreSessionId ?? null, reasonable: assessed.reasonable, noticeDays: assessed.noticeDays } });
      }).catch((err: unknown) => {
        // Two offers for one admission at once: the partial unique index lets one in.
        if ((err as { code?: string }).code === '23505') throw new AppError('TCI_OFFER_OPEN', "Another TCI offer is waiting for the patient's answer");
        throw err;
      });
      return c.json(await read.offer(id), 201);
    });
}

/** GET /api/admissions, /:id; POST /:id/pre-op-outcome, /:id/admit, /:id/decision-not-to-treat. */
export function admissionRoutes(deps: Deps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const read = readers(deps);
  const load = async (id: string) => {
    const [row] = await db.select({ id: admissions.id, referralId: admissions.referralId, workflowId: referrals.workflowId })
      .from(admissions).innerJoin(referrals, eq(referrals.id, admissions.referralId)).where(eq(admissions.id, id));
    if (!row) throw notFound('admission', id);
    return row;
  };
  const notFuture = (field: string, date: string) => {
    const today = deps.today();
    if (date > today) throw invalid(field, `must not be in the future (today is ${today})`);
  };
  return router()
    .openapi(listRoute('admissions', 'The admitted waiting list (filter by referralId, status, specialtyCode, surgicalPriority, standBy)', admissionRecord),
      (c) => listResource(c, db, admissionSpec(deps.today())))
    .openapi(showRoute('admissions', 'An admitted waiting-list entry', admissionRecord), async (c) => c.json(await read.admission(c.req.valid('param').id)))
    .openapi(route({
      method: 'post', path: '/{id}/pre-op-outcome', tags: ['admissions'], operationId: 'record_pre_op_outcome',
      summary: `Record the pre-operative assessment's outcome (valid ${PRE_OP_VALID_DAYS} days): fit opens TCI booking; unfit, a clinician's review`,
      middleware: recorders,
      request: { params: idParams("The admission's id"), body: body(preOpOutcomeBody) },
      responses: { 200: json('The admission', admissionRecord), ...errors(...signedIn, ...refusals) },
    }), async (c) => {
      const me = c.get('staff');
      const entry = await load(c.req.valid('param').id);
      const given = c.req.valid('json');
      notFuture('assessedOn', given.assessedOn);
      await withNote(deps, entry.referralId, me.id, given.conditions, (conditionsNoteId) => tellPathway(deps, entry.workflowId, {
        kind: 'pre_op_outcome', actorId: me.id, admissionId: entry.id, assessedOn: given.assessedOn, outcome: given.outcome,
        ...(conditionsNoteId ? { conditionsNoteId } : {}),
      }));
      return c.json(await read.admission(entry.id));
    })
    .openapi(route({
      method: 'post', path: '/{id}/admit', tags: ['admissions'], operationId: 'admit',
      summary: 'Record the admission: the RTT clock stops (30) on the admission date only when the procedure is done and not for diagnostics only',
      description: 'Not done, or diagnostic only: the clock runs on and a new TCI is booked. 422 NOT_ON_ADMITTED_LIST when no longer waiting; '
        + '409 PRE_OP_NOT_CLEARED (`errors.admittedOn`) when pre-op is required and not cleared on that date.',
      middleware: recorders,
      request: { params: idParams("The admission's id"), body: body(admitBody) },
      responses: { 200: json('The admission', admissionRecord), ...errors(...signedIn, ...refusals) },
    }), async (c) => {
      const me = c.get('staff');
      const entry = await load(c.req.valid('param').id);
      const given = c.req.valid('json');
      notFuture('admittedOn', given.admittedOn);
      const [preOp] = await db.select({ preOpRequired: admissions.preOpRequired, preOpStatus: admissions.preOpStatus, preOpValidUntil: admissions.preOpValidUntil })
        .from(admissions).where(eq(admissions.id, entry.id));
      const notCleared = preOp ? preOpNotCleared(preOp, given.admittedOn) : null;
      if (notCleared) throw new AppError('PRE_OP_NOT_CLEARED', notCleared, { admittedOn: notCleared });
      await tellPathway(deps, entry.workflowId, {
        kind: 'admit', actorId: me.id, admissionId: entry.id, admittedOn: given.admittedOn,
        procedureDone: given.procedureDone ?? true, diagnosticOnly: given.diagnosticOnly ?? false,
      }, `admit-${entry.id}-${given.admittedOn}`);
      return c.json(await read.admission(entry.id));
    })
    .openapi(route({
      method: 'post', path: '/{id}/decision-not-to-treat', tags: ['admissions'], operationId: 'decide_not_to_treat',
      summary: 'A decision not to treat (after admission or while listed): the pathway ends with 34',
      middleware: clinicians,
      request: { params: idParams("The admission's id"), body: body(notTreatedBody) },
      responses: { 200: json('The admission', admissionRecord), ...errors(...signedIn, ...refusals) },
    }), async (c) => {
      const me = c.get('staff');
      const entry = await load(c.req.valid('param').id);
      const given = c.req.valid('json');
      notFuture('decidedOn', given.decidedOn);
      await withNote(deps, entry.referralId, me.id, given.note, (noteId) => tellPathway(deps, entry.workflowId, {
        kind: 'not_treated', actorId: me.id, admissionId: entry.id, decidedOn: given.decidedOn, ...(noteId ? { noteId } : {}),
      }));
      return c.json(await read.admission(entry.id));
    });
}

/** GET /api/theatre-sessions, /:id; POST /api/theatre-sessions. */
export function theatreSessionRoutes(deps: Deps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const read = readers(deps);
  return router()
    .openapi(listRoute('theatre-sessions', 'Theatre sessions with their free minutes (filter by specialtyCode, date_gte, date_lte, surgeonId)', theatreSessionRecord),
      (c) => listResource(c, db, theatreSessionSpec))
    .openapi(showRoute('theatre-sessions', 'A theatre session', theatreSessionRecord), async (c) => c.json(await read.session(c.req.valid('param').id)))
    .openapi(route({
      method: 'post', path: '/', tags: ['theatre-sessions'], operationId: 'create_theatre_session',
      summary: 'Add a theatre session (a list, its surgeon, date and minutes) that TCIs book into',
      middleware: managers,
      request: { body: body(theatreSessionBody) },
      responses: { 201: json('The theatre session', theatreSessionRecord), ...errors(...signedIn, 422) },
    }), async (c) => {
      const me = c.get('staff');
      const given = c.req.valid('json');
      const [specialty] = await db.select({ code: specialties.code }).from(specialties).where(eq(specialties.code, given.specialtyCode));
      if (!specialty) throw invalid('specialtyCode', 'is not a specialty of this trust');
      const [surgeon] = await db.select({ role: staff.role, active: staff.active }).from(staff).where(eq(staff.id, given.surgeonId));
      if (!surgeon || !surgeon.active || surgeon.role !== 'clinician') throw invalid('surgeonId', 'must be an active clinician');
      const id = newId('ths');
      await db.transaction(async (tx) => {
        await tx.insert(theatreSessions).values({ id, ...given, createdBy: me.id });
        await writeAudit(tx, { actorId: me.id, action: 'theatre_session.created', entityType: 'theatre_session', entityId: id, after: given });
      });
      await requestForecastRecompute(deps.temporal, id, c.get('logger')); // issue 17: capacity changed
      return c.json(await read.session(id), 201);
    });
}

/** GET /api/tci-offers, /:id; POST /:id/accept, /:id/decline. */
export function tciOfferRoutes(deps: Deps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const read = readers(deps);
  const load = async (id: string) => {
    const [row] = await db.select({ offer: tciOffers, workflowId: referrals.workflowId })
      .from(tciOffers).innerJoin(referrals, eq(referrals.id, tciOffers.referralId)).where(eq(tciOffers.id, id));
    if (!row) throw notFound('TCI offer', id);
    if (row.offer.status !== 'offered') throw new AppError('OFFER_DECIDED', 'This TCI offer has already been answered');
    return row;
  };
  const answer = (id: string, o: typeof tciOffers.$inferSelect) => ({
    kind: 'tci_decision' as const, admissionId: o.admissionId, offerId: id, reasonable: o.reasonable, admissionDate: o.admissionDate,
    theatreSessionId: o.theatreSessionId, ward: o.ward, answeredOn: deps.today(),
  });
  return router()
    .openapi(listRoute('tci-offers', 'TCI offers (filter by admissionId, referralId, status)', tciOfferRecord), (c) => listResource(c, db, tciOfferSpec))
    .openapi(showRoute('tci-offers', 'A TCI offer', tciOfferRecord), async (c) => c.json(await read.offer(c.req.valid('param').id)))
    .openapi(route({
      method: 'post', path: '/{id}/accept', tags: ['tci-offers'], operationId: 'accept_tci',
      summary: 'The patient accepts the TCI date: the admission is booked and the book_tci item closes',
      middleware: bookers,
      request: { params: idParams("The offer's id") },
      responses: { 200: json('The offer, accepted', tciOfferRecord), ...errors(...signedIn, ...refusals) },
    }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const { offer, workflowId } = await load(id);
      await tellPathway(deps, workflowId, { ...answer(id, offer), actorId: me.id, decision: 'accepted' }, `tci-accept-${id}`);
      return c.json(await read.offer(id));
    })
    .openapi(route({
      method: 'post', path: '/{id}/decline', tags: ['tci-offers'], operationId: 'decline_tci',
      summary: 'The patient declines the TCI date; two declined reasonable dates raise a tci_clinical_review item',
      description: "A short-notice date may be declined with no effect. The theatre minutes it held are freed.",
      middleware: bookers,
      request: { params: idParams("The offer's id"), body: body(tciDeclineBody) },
      responses: { 200: json('The offer, declined', tciOfferRecord.extend({ reviewRaised: z.boolean() })), ...errors(...signedIn, ...refusals) },
    }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const { reason } = c.req.valid('json');
      const { offer, workflowId } = await load(id);
      const result = await withNote(deps, offer.referralId, me.id, reason, (reasonNoteId) => tellPathway(deps, workflowId, {
        ...answer(id, offer), actorId: me.id, decision: 'declined', ...(reasonNoteId ? { reasonNoteId } : {}),
      }, `tci-decline-${id}`));
      return c.json({ ...(await read.offer(id)), reviewRaised: result.tciReviewRaised ?? false });
    });
}
