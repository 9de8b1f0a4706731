// Issue 16: the partial booking list [rules §4.6–4.7] and the follow-up backlog. The list is read from Postgres (the
// pathway writes each entry through its activities); booking from it is an Update on the pathway, which checks the
// entry is still open, the slot within ±2 weeks of the due date and not after the LCAD, and answers the invitation.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq, sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { partialBookingEntries, partialBookingStatus, referrals } from '../../db/schema';
import { defaultAccessPolicy, lcadBandLabels, lcadBands, partialBookingStatuses, toldAtBookingMethods } from '../../domain';
import { partialBookingStatusLabels } from '../../domain/labels';
import { bookFromListUpdate, escalatePartialBookingUpdate } from '../../workflows';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { labelOf, listCsv, type CsvColumn } from '../csv';
import { AppError, fromWorkflowFailure, notFound } from '../errors';
import { enumFilter, listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listQuery, listRoute, route, router, signedIn } from '../openapi';

type Row = Record<string, unknown>;
type Deps = AppDeps & { today: () => string };
const str = z.string();
const strN = z.string().nullable();

/** The list's record: exactly the issue 16 contract. */
export const partialBookingRecord = z.object({
  id: str, referralId: str, patientName: str, specialtyCode: str, clinicianName: strN, dueDate: str, lcad: str,
  status: z.enum(partialBookingStatuses), invitedOn: strN,
}).openapi('PartialBookingEntry');

// Due date first (who is due soonest), then LCAD, then the entry: the order the list is worked in.
export const partialBookingSpec: ListSpec<Row> = {
  resource: 'partial-booking',
  select: sql`e.id, e.referral_id as "referralId", p.given_name || ' ' || p.family_name as "patientName", e.specialty_code as "specialtyCode",
    cl.clinician_name as "clinicianName", e.due_date::text as "dueDate", e.lcad::text as "lcad", e.status, e.invited_on::text as "invitedOn"`,
  from: sql`partial_booking_entries e join patients p on p.id = e.patient_id left join clinics cl on cl.id = e.clinic_id`,
  filters: {
    id: { column: sql`e.id` }, referralId: { column: sql`e.referral_id` }, specialtyCode: { column: sql`e.specialty_code` },
    clinicianName: { column: sql`cl.clinician_name` }, status: enumFilter(sql`e.status`, partialBookingStatus.enumValues),
    dueDate: { column: sql`e.due_date`, kind: 'date' }, lcad: { column: sql`e.lcad`, kind: 'date' },
  },
  custom: {
    // Still to be booked or decided (the list's default view in the console).
    open: (v) => (v === true || v === 'true' ? sql`e.status in ('waiting', 'invited', 'chased', 'in_review')` : sql`true`),
  },
  search: [sql`p.family_name`, sql`p.given_name`],
  sorts: {
    id: sql`e.id`, dueDate: sql`e.due_date`, lcad: sql`e.lcad`, status: sql`e.status`, invitedOn: sql`e.invited_on`,
    specialtyCode: sql`e.specialty_code`, clinicianName: sql`cl.clinician_name`, patientName: sql`p.family_name`,
  },
  defaultSort: ['dueDate', 'ASC'],
  tieBreak: sql`e.lcad, e.id`,
};

export const partialBookingCsv: CsvColumn<Row>[] = [
  { header: 'Patient', value: (r) => r.patientName, freeText: true },
  { header: 'Specialty code', value: (r) => r.specialtyCode },
  { header: 'Clinician', value: (r) => r.clinicianName, freeText: true },
  { header: 'Due date', value: (r) => r.dueDate },
  { header: 'LCAD', value: (r) => r.lcad },
  { header: 'Status', value: (r) => labelOf(partialBookingStatusLabels)(r.status) },
  { header: 'Invited on', value: (r) => r.invitedOn },
  { header: 'Entry id', value: (r) => r.id },
  { header: 'Referral id', value: (r) => r.referralId },
];

/** Where an overdue follow-up waits: on the partial booking list, as a booking item, or as a ward form not yet booked. */
export const backlogSources = ['partial_booking', 'booking_item', 'ward_form'] as const;

/** The backlog's row: open follow-ups past their due date, counted by specialty, clinician and how far past the LCAD. */
export const backlogRecord = z.object({
  id: str.openapi({ description: 'specialtyCode|clinicianName|band' }), specialtyCode: str, specialtyName: str, clinicianName: strN,
  band: z.enum(lcadBands), followUps: z.number().int(), oldestDueDate: str, mostDaysPastLcad: z.number().int(),
  onPartialBookingList: z.number().int().openapi({ description: 'Of followUps: entries on the partial booking list' }),
  bookingItems: z.number().int().openapi({ description: 'Of followUps: open book_follow_up items past their book-by date (not a ward form\'s)' }),
  wardForms: z.number().int().openapi({ description: "Of followUps: ward forms' follow-ups not booked by the date the ward asked for" }),
}).openapi('FollowUpBacklogRow');

/** The LCAD band of `past` days past the LCAD (domain lcadBand). */
export const lcadBandSql = (past: SQL) => sql`case when ${past} <= 0 then 'not_past_lcad' when ${past} <= 28 then 'up_to_4_weeks'
  when ${past} <= 84 then '4_to_12_weeks' else 'over_12_weeks' end`;

const openEntry = sql`('waiting', 'invited', 'chased', 'in_review')`;
const { toleranceDays } = defaultAccessPolicy.partialBooking;

/**
 * Every follow-up still unbooked past its due date on `today`, with its days past the LCAD, band and source: what the
 * backlog groups. One row per follow-up: an entry on the list (the clinician's "book anyway" item is the entry's, not
 * counted again), or an open book_follow_up item due by its `bookBy` with the LCAD its tolerance later (as followUpPlan
 * sets one without lcadWeeks), or a ward form's follow-up (its item, or the clinician's review when the interval could
 * not be met) whose due date and LCAD are both the date the ward asked for: nothing later without the clinician.
 */
export const overdueFollowUps = (today: string) => sql`(select e.specialty_code, s.name as specialty_name, cl.clinician_name, e.due_date,
    x.past, ${lcadBandSql(sql`x.past`)} as band, 'partial_booking' as source
  from partial_booking_entries e join specialties s on s.code = e.specialty_code left join clinics cl on cl.id = e.clinic_id
    cross join lateral (select ${today}::date - e.lcad as past) x
  where e.status in ${openEntry} and e.due_date < ${today}::date
  union all
  select r.specialty_code, s.name, coalesce(cl.clinician_name, ws.name), f.due, x.past, ${lcadBandSql(sql`x.past`)}, f.source
  from tasks t join referrals r on r.id = t.referral_id join specialties s on s.code = r.specialty_code
    left join ward_forms w on w.referral_id = t.referral_id and not exists (select 1 from appointments a where a.referral_id = t.referral_id and a.state = 'attended')
    left join staff ws on ws.id = w.clinician_id
    left join clinics cl on cl.id = coalesce(t.payload->>'clinicId', case when w.id is null then r.clinic_id end)
    cross join lateral (select case when t.type = 'clinical_review' then w.book_by else (t.payload->>'bookBy')::date end as due,
      case when w.id is not null then 'ward_form' else 'booking_item' end as source) f
    cross join lateral (select ${today}::date - case when t.type = 'clinical_review' or t.payload ? 'wardFormId' then f.due else f.due + ${toleranceDays}::int end as past) x
  where t.status in ('open', 'claimed')
    and (t.type = 'book_follow_up' or (t.type = 'clinical_review' and t.payload->>'reason' = 'ward_form_interval' and w.id is not null))
    and f.due < ${today}::date
    and not exists (select 1 from partial_booking_entries e2 where e2.referral_id = t.referral_id and e2.status in ${openEntry}))`;

/** The backlog on a day: every follow-up past its due date, in bands of how far past its LCAD [rules §4.7]. */
export function backlogSpec(today: string): ListSpec<Row> {
  return {
    resource: 'follow-up-backlog',
    select: sql`b.id, b.specialty_code as "specialtyCode", b.specialty_name as "specialtyName", b.clinician_name as "clinicianName", b.band,
      b.follow_ups::int as "followUps", b.oldest_due::text as "oldestDueDate", b.most_past::int as "mostDaysPastLcad",
      b.on_list::int as "onPartialBookingList", b.items::int as "bookingItems", b.ward::int as "wardForms"`,
    from: sql`(select o.specialty_code || '|' || coalesce(o.clinician_name, '') || '|' || o.band as id, o.specialty_code, o.specialty_name,
        o.clinician_name, o.band, count(*) as follow_ups, min(o.due_date) as oldest_due, greatest(max(o.past), 0) as most_past,
        count(*) filter (where o.source = 'partial_booking') as on_list, count(*) filter (where o.source = 'booking_item') as items,
        count(*) filter (where o.source = 'ward_form') as ward
      from ${overdueFollowUps(today)} o group by o.specialty_code, o.specialty_name, o.clinician_name, o.band) b`,
    filters: {
      specialtyCode: { column: sql`b.specialty_code` }, clinicianName: { column: sql`b.clinician_name` }, band: enumFilter(sql`b.band`, lcadBands),
    },
    sorts: {
      mostDaysPastLcad: sql`b.most_past`, followUps: sql`b.follow_ups`, specialtyCode: sql`b.specialty_code`, clinicianName: sql`b.clinician_name`,
      band: sql`array_position(array['not_past_lcad', 'up_to_4_weeks', '4_to_12_weeks', 'over_12_weeks'], b.band)`, oldestDueDate: sql`b.oldest_due`,
    },
    defaultSort: ['mostDaysPastLcad', 'DESC'],
    tieBreak: { fixed: sql`b.follow_ups desc, b.id asc` },
  };
}

export const backlogCsv: CsvColumn<Row>[] = [
  { header: 'Specialty', value: (r) => r.specialtyName, freeText: true },
  { header: 'Specialty code', value: (r) => r.specialtyCode },
  { header: 'Clinician', value: (r) => r.clinicianName, freeText: true },
  { header: 'Past LCAD', value: (r) => labelOf(lcadBandLabels)(r.band) },
  { header: 'Follow-ups', value: (r) => r.followUps },
  { header: 'Oldest due date', value: (r) => r.oldestDueDate },
  { header: 'Most days past LCAD', value: (r) => r.mostDaysPastLcad },
  { header: 'On partial booking list', value: (r) => r.onPartialBookingList },
  { header: 'Booking items', value: (r) => r.bookingItems },
  { header: 'Ward forms', value: (r) => r.wardForms },
];

export const bookFromListBody = z.object({
  slotId: z.string().trim().min(1, 'choose a slot'),
  communicatedBy: z.enum(toldAtBookingMethods, { error: 'phone or in_person: how the patient was told as it was booked' }).optional(),
}).strict().openapi('BookFromPartialBooking');

const csvResponses = { 200: { description: 'CSV, one line per row', content: { 'text/csv': { schema: z.string() } } }, ...errors(...signedIn) };
const bookers = onlyFor(['officer', 'team_leader', 'admin'], 'book follow-ups');

/** Mounted at /api/partial-booking: the list, one entry, booking from it. */
export function partialBookingRoutes(deps: Deps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const readEntry = async (id: string) => {
    const [row] = await queryRows<Row>(db, sql`select ${partialBookingSpec.select} from ${partialBookingSpec.from} where e.id = ${id}`);
    if (!row) throw notFound('partial booking entry', id);
    return row as z.infer<typeof partialBookingRecord>;
  };
  const workflowOf = async (id: string) => {
    const [entry] = await db.select({ workflowId: referrals.workflowId }).from(partialBookingEntries)
      .innerJoin(referrals, eq(referrals.id, partialBookingEntries.referralId)).where(eq(partialBookingEntries.id, id));
    if (!entry) throw notFound('partial booking entry', id);
    return entry.workflowId;
  };
  return router()
    .openapi(listRoute('partial-booking', 'The partial booking list: follow-ups due beyond the booking horizon (filter status, specialtyCode, clinicianName, open)',
      partialBookingRecord), (c) => listResource(c, db, partialBookingSpec))
    .openapi(route({
      method: 'get', path: '/{id}', tags: ['partial-booking'], operationId: 'get_partial_booking_entry',
      summary: 'One entry of the partial booking list',
      request: { params: idParams("The entry's id") },
      responses: { 200: json('The entry', partialBookingRecord), ...errors(...signedIn, 404) },
    }), async (c) => c.json(await readEntry(c.req.valid('param').id)))
    .openapi(route({
      method: 'post', path: '/{id}/book', tags: ['partial-booking'], operationId: 'book_from_partial_booking',
      summary: 'Book the follow-up into a slot (the patient answered the invitation)',
      description: 'A follow-up slot of the clinic the patient was seen in, within two weeks either side of the due date: 422 OUTSIDE_TOLERANCE '
        + 'otherwise, and 422 PAST_LCAD for a date after the latest clinically appropriate date (the clinician decides then). '
        + '409 PARTIAL_BOOKING_NOT_OPEN once the entry is booked, discharged or with the clinician. The same entry and slot sent again gets '
        + 'the first answer (booked once, or the same refusal): choose another slot to try again.',
      middleware: bookers,
      request: { params: idParams("The entry's id"), body: body(bookFromListBody) },
      responses: { 200: json('The entry, booked', partialBookingRecord), ...errors(...signedIn, 404, 409, 422, 503) },
    }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const { slotId, communicatedBy } = c.req.valid('json');
      const workflowId = await workflowOf(id);
      try {
        // One update per entry and slot: a retried request gets the first answer, never a second booking.
        await deps.temporal.client.workflow.getHandle(workflowId).executeUpdate(bookFromListUpdate, {
          args: [{ entryId: id, slotId, actorId: me.id, ...(communicatedBy ? { communicatedBy } : {}) }], updateId: `book-from-list-${id}-${slotId}`,
        });
      } catch (err) {
        throw fromWorkflowFailure(err, () => new AppError('PARTIAL_BOOKING_NOT_OPEN', 'This pathway has ended', { slotId: 'the pathway has ended' }));
      }
      return c.json(await readEntry(id));
    })
    .openapi(route({
      method: 'post', path: '/{id}/escalate', tags: ['partial-booking'], operationId: 'escalate_partial_booking',
      summary: 'No slot can be found by the latest clinically appropriate date: ask the clinician to decide',
      description: 'Raises a partial_booking_review item (book anyway, extend, discharge) and puts the entry with the clinician. '
        + '409 PARTIAL_BOOKING_NOT_OPEN once it is booked, discharged or already with them.',
      middleware: bookers,
      request: { params: idParams("The entry's id") },
      responses: { 200: json('The entry, with the clinician', partialBookingRecord), ...errors(...signedIn, 404, 409, 503) },
    }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const workflowId = await workflowOf(id);
      try {
        await deps.temporal.client.workflow.getHandle(workflowId).executeUpdate(escalatePartialBookingUpdate, {
          args: [{ entryId: id, actorId: me.id }], updateId: `escalate-partial-booking-${id}`,
        });
      } catch (err) {
        throw fromWorkflowFailure(err, () => new AppError('PARTIAL_BOOKING_NOT_OPEN', 'This pathway has ended'));
      }
      return c.json(await readEntry(id));
    });
}

/** Mounted at /api/follow-up-backlog. */
export function followUpBacklogRoutes(deps: Deps): OpenAPIHono<AppEnv> {
  return router().openapi(
    listRoute('follow-up-backlog', 'Follow-ups past their due date by specialty, clinician and how far past the LCAD (filter specialtyCode, clinicianName, band)',
      backlogRecord),
    (c) => listResource(c, deps.db, backlogSpec(deps.today())),
  );
}

/** Mounted at /api: GET /api/partial-booking.csv and /api/follow-up-backlog.csv. */
export function partialBookingExportRoutes(deps: Deps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const file = (name: string) => `${name}-${deps.today()}.csv`;
  return router()
    .openapi(route({
      method: 'get', path: '/partial-booking.csv', tags: ['exports'], operationId: 'export_partial_booking',
      summary: "The partial booking list as CSV (the list's filters and order, every row)",
      description: `Header: ${partialBookingCsv.map((col) => col.header).join(', ')}.`,
      request: { query: listQuery }, responses: csvResponses,
    }), (c) => listCsv(c, db, partialBookingSpec, partialBookingCsv, { filename: file('partial-booking') }))
    .openapi(route({
      method: 'get', path: '/follow-up-backlog.csv', tags: ['exports'], operationId: 'export_follow_up_backlog',
      summary: "The follow-up backlog as CSV (the view's filters and order, every row)",
      description: `Header: ${backlogCsv.map((col) => col.header).join(', ')}.`,
      request: { query: listQuery }, responses: csvResponses,
    }), (c) => listCsv(c, db, backlogSpec(deps.today()), backlogCsv, { filename: file('follow-up-backlog') }));
}
