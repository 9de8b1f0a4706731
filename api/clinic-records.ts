// Clinics, their versioned templates and the week's calendar (issue 10), as the API accepts and answers them:
// the OpenAPI document's schemas and the console's types (import the types only). Pure: no node:*, no db.
import { z } from '@hono/zod-openapi';
import { clinicSessions, sessionChangeKinds, sessionChangeStatuses, slotTypes } from '../domain/model';
import { isStorableDate } from '../domain/plausibility';

const str = z.string();
const strN = z.string().nullable();
const int = z.number().int();
const slotType = z.enum(slotTypes);
const isoDate = z.string({ error: 'is required' }).refine((v) => isStorableDate(v), 'must be a real date written YYYY-MM-DD');

// A schema's own `error` answers every issue without a message of its own: each check says what is wrong.
const text = (max: number) => z.string({ error: 'is required' }).trim().min(1, 'is required').max(max, `at most ${max} characters`);
const whole = () => z.number({ error: 'is required' }).int('must be a whole number');
const slotTypeList = z.array(slotType).min(1, 'choose at least one slot type')
  .refine((v) => new Set(v).size === v.length, 'lists a slot type twice');

export const createClinicBody = z.object({
  name: text(200),
  specialtyCode: text(10),
  clinicianName: text(200),
  site: text(200),
  slotTypes: slotTypeList,
  active: z.boolean().optional(),
});
export const changeClinicBody = z.object({
  name: text(200).optional(),
  clinicianName: text(200).optional(),
  site: text(200).optional(),
  slotTypes: slotTypeList.optional(),
  active: z.boolean().optional(),
});

export const templateSession = z.object({
  weekday: whole().min(1, '1 is Monday').max(7, '7 is Sunday'),
  startTime: z.string({ error: 'is required' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM (London time)'),
  slotMinutes: whole().min(5, 'at least 5 minutes').max(240, 'at most 240 minutes'),
  slotType,
  slotCount: whole().min(1, 'at least one slot').max(100, 'at most 100 slots'),
});
export const createTemplateBody = z.object({
  effectiveFrom: isoDate.openapi({ description: 'The first date the template applies (London); today or later' }),
  sessions: z.array(templateSession, { error: 'is required: the week\'s sessions (an empty list for none)' }).max(70, 'at most 70 sessions a week')
    .openapi({ description: "The week's sessions; none means the clinic holds no sessions from effectiveFrom" }),
  confirmShortNotice: z.boolean().optional()
    .openapi({ description: 'A team leader confirms a change inside the notice period (6 weeks); it is recorded and reported' }),
});
export const calendarQuery = z.object({
  week: isoDate.refine((v) => v >= '1900-01-01' && v <= '2999-12-31', 'must be a date between 1900 and 2999').optional().openapi({ description: 'Any date in the week (Monday to Sunday); this week when left out', example: '2026-12-07' }),
});

export const reconciliationRecord = z.object({
  slotsAdded: int, slotsUpdated: int.openapi({ description: 'Free slots whose type or length changed' }),
  slotsRemoved: int.openapi({ description: 'Free slots taken out (deleted, or blocked where an old appointment or offer names them)' }),
  bookedSlotsKept: int.openapi({ description: 'Booked slots the template no longer has: never touched; proposed as session reductions' }),
  proposedChangeIds: z.array(str).openapi({ description: 'Session changes (status proposed) waiting for a team leader' }),
}).openapi('Reconciliation');

export const templateVersionRecord = z.object({
  id: str, clinicId: str, version: int, effectiveFrom: str,
  effectiveTo: strN.openapi({ description: 'The last day in force: the day before the next version; null when open-ended' }),
  current: z.boolean().openapi({ description: 'In force today' }),
  withinNotice: z.boolean().openapi({ description: 'Made inside the notice period, confirmed by a team leader' }),
  confirmedByName: strN, createdByName: strN, createdAt: str,
  sessions: z.array(templateSession),
  reconciliation: reconciliationRecord.nullable(),
}).openapi('TemplateVersion');

const utilisation = { total: int, free: int, booked: int, blocked: int };
export const clinicCalendar = z.object({
  clinicId: str, clinicName: str, weekStart: str.openapi({ description: 'The Monday' }),
  days: z.array(z.object({
    date: str,
    sessions: z.array(z.object({
      session: z.enum(clinicSessions), start: strN, end: strN, ...utilisation,
      byType: z.array(z.object({ slotType, ...utilisation })),
      changes: z.array(z.object({ id: str, kind: z.enum(sessionChangeKinds), status: z.enum(sessionChangeStatuses) })),
    })),
  })),
}).openapi('ClinicCalendar');

export type CreateClinicRequest = z.input<typeof createClinicBody>;
export type ChangeClinicRequest = z.input<typeof changeClinicBody>;
export type TemplateSession = z.infer<typeof templateSession>;
export type CreateTemplateRequest = z.input<typeof createTemplateBody>;
export type Reconciliation = z.infer<typeof reconciliationRecord>;
export type TemplateVersion = z.infer<typeof templateVersionRecord>;
export type ClinicCalendar = z.infer<typeof clinicCalendar>;
