// The access policy: notice periods, booking targets, escalation ladders, partial-booking lead
// times and validation points, with national defaults (rules doc appendix A) that a trust can
// override, and the helpers that turn a policy and a pathway's dates into its deadlines.

import { addDays, daysBetween } from './dates';
import { addWorkingDays } from './trust-time';
import { isReferralPriority } from './priority';
import type { ReferralPriority, TaskType } from './model';

export type EscalationTarget = 'team_leader' | 'ops';

/** Every kind of work item a pathway raises (taskTypes); each has its own escalation ladder. */
export type WorkItemType = TaskType;
/** What a rung does: raise the item's priority and tell its holder; hand it to the team leaders; escalate capacity to ops. */
export type WorkItemEscalationAction = 'notify' | 'team_leader' | 'ops';
export type WorkItemEscalationStep = { readonly afterHours: number; readonly action: WorkItemEscalationAction };
export type EscalationStep = { readonly afterDays: number; readonly target: EscalationTarget };

export type AccessPolicy = {
  readonly booking: {
    /** Latest first appointment, days from referral received: 2WW 14 (USC first-seen aim that protects the FDS) [A legacy; N cancer alliances], urgent 28 [T local, issue 2], routine 126 [A RTT-Rec25 §10.1.7]. */
    readonly targetDays: Readonly<Record<ReferralPriority, number>>;
    /** Ladder for a referral not yet booked, days from referral received, in rising order [T local, issue 2]. */
    readonly escalations: Readonly<Record<ReferralPriority, readonly EscalationStep[]>>;
  };
  readonly cancellations: {
    /** Patient cancellations on one pathway before a clinician reviews it (never an automatic discharge) [rules §4.3; T LTHT, ENHT]. */
    readonly patientCancellationsBeforeReview: number;
  };
  readonly slots: {
    /** Slots are kept generated from each clinic's template this far ahead: 26 weeks [T local, issue 10]. */
    readonly horizonDays: number;
  };
  readonly offers: {
    /** An offer is reasonable with at least this much notice: 3 weeks [A RTT-Rec25 §13]; some trusts use 14 [T TGH]. */
    readonly reasonableNoticeDays: number;
    /** Declined reasonable offers before a clinical review (and possible active monitoring) [A RTT-Rec25 v4.0/v5.0, rules §1.4]. */
    readonly declinedOffersBeforeReview: number;
    /** The second offer falls within this many days of the first declined date [A RTT-Rec25 v4.0, rules §1.4, §6]. */
    readonly secondOfferWithinDays: number;
    /** A patient-requested delay longer than this needs a clinical review [A RTT-Rec25 v4.0, rules §1.4]. */
    readonly patientDelayReviewDays: number;
  };
  readonly activeMonitoring: {
    /** Patients on active monitoring are clinically reviewed this often: 12 weeks [A RTT-Rec25 v4.0, rules §1.4]. */
    readonly reviewEveryDays: number;
  };
  readonly thinkingTime: {
    /** Discuss with the patient if thinking time passes this without an agreed next step [A RTT-Rec25 §4.4.1.4]. */
    readonly checkInDays: number;
  };
  readonly cancelledOperations: {
    /** A non-clinical on-the-day cancellation is rebooked within this many days of the cancelled date [A Hansard 2003; NHS Constitution]. */
    readonly rebookWithinDays: number;
    /**
     * The rebook item's ladder, days from the cancelled date: the team leader at 14, half-way, while a new date can
     * still be found in the trust's own theatres; operations at 21, a week before the guarantee is lost, the least
     * time to buy capacity or arrange treatment elsewhere at the patient's choice [A Hansard 2003, rules §6; T/E local].
     */
    readonly escalateToLeaderAfterDays: number;
    readonly escalateToOpsAfterDays: number;
  };
  readonly cancer: {
    /** Urgent suspected cancer first seen: 14 days, the retired 2WW standard kept as a local aim [A legacy; CWT-2023]. */
    readonly uscFirstSeenDays: number;
    /** Faster Diagnosis Standard: told the diagnosis or all-clear within 28 days [A CWT12; PG2526]. */
    readonly fdsDays: number;
    /** Decision to treat (or ECAD) to treatment [A CWT-2023]. */
    readonly decisionToTreatDays: number;
    /** Referral received (or upgrade) to first definitive treatment [A CWT-2023]. */
    readonly referralToTreatmentDays: number;
  };
  readonly diagnostics: {
    /** DM01: diagnostic test within 6 weeks of the request [A DM01 guidance 2015, rules §3]. */
    readonly dm01Days: number;
  };
  readonly partialBooking: {
    /** Follow-ups due within this many days are booked before the patient leaves clinic [T SWBH15, BHSCT]. */
    readonly bookAtClinicWithinDays: number;
    /** The invitation to book goes out this many days before the due date [T SWBH15, BHSCT]. */
    readonly inviteDaysBeforeDue: number;
    /** The patient has this many days to respond to the invitation [T SWBH15, BHSCT]. */
    readonly responseWindowDays: number;
    /** Slots are searched within ± this many days of the requested date [T/N Hospital Admin Training, rules §4.6]. */
    readonly toleranceDays: number;
  };
  readonly workItems: {
    /** Ladder for an overdue work item, hours after it was due, in rising order [T local, issue 4]. */
    readonly escalations: Readonly<Record<WorkItemType, readonly WorkItemEscalationStep[]>>;
  };
  readonly interpreters: {
    /** An interpreter is booked this many working days before the appointment (sooner when booked at short notice) [T local, issue 12]. */
    readonly bookDaysBefore: number;
  };
  readonly validation: {
    /** Waiting-list validation at these weeks of wait [A/N VAL22]. */
    readonly atWeeks: readonly number[];
    /** …and then every this many weeks [A/N VAL22]. */
    readonly thenEveryWeeks: number;
  };
  readonly clinicChanges: {
    /** Notice needed to cancel or reduce a clinic [T CHFT]. */
    readonly cancellationNoticeDays: number;
    /**
     * A template version taking effect sooner than this needs a team leader's confirmation and is reported: 6 weeks
     * [T local, issue 10]; CHFT asks 8 weeks (56) with divisional approval, which a trust can set here.
     */
    readonly templateChangeNoticeDays: number;
  };
  readonly triage: {
    /** A consultant triages each referral within this many working days, then it is accepted [T CHFT]. */
    readonly turnaroundWorkingDays: number;
  };
  readonly outcomes: {
    /** Clinic outcomes are cashed up within this many hours of the clinic [T/N Hospital Admin Training]. */
    readonly cashUpHours: number;
  };
};

/** Any part of a policy; arrays (ladders, validation weeks) are replaced whole, not merged. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** National defaults from the rules doc's appendix A; frozen, so no caller can change them for everyone. */
export const defaultAccessPolicy: AccessPolicy = deepFreeze({
  booking: {
    targetDays: { two_week_wait: 14, urgent: 28, routine: 126 },
    escalations: {
      two_week_wait: [
        { afterDays: 3, target: 'team_leader' },
        { afterDays: 7, target: 'ops' },
      ],
      urgent: [
        { afterDays: 14, target: 'team_leader' },
        { afterDays: 28, target: 'ops' },
      ],
      routine: [
        { afterDays: 84, target: 'team_leader' },
        { afterDays: 112, target: 'ops' },
      ],
    },
  },
  cancellations: { patientCancellationsBeforeReview: 2 },
  slots: { horizonDays: 182 },
  offers: {
    reasonableNoticeDays: 21,
    declinedOffersBeforeReview: 2,
    secondOfferWithinDays: 42,
    patientDelayReviewDays: 42,
  },
  activeMonitoring: { reviewEveryDays: 84 },
  thinkingTime: { checkInDays: 14 },
  cancelledOperations: { rebookWithinDays: 28, escalateToLeaderAfterDays: 14, escalateToOpsAfterDays: 21 },
  cancer: { uscFirstSeenDays: 14, fdsDays: 28, decisionToTreatDays: 31, referralToTreatmentDays: 62 },
  diagnostics: { dm01Days: 42 },
  partialBooking: { bookAtClinicWithinDays: 42, inviteDaysBeforeDue: 42, responseWindowDays: 14, toleranceDays: 14 },
  workItems: {
    escalations: {
      triage_referral: [{ afterHours: 0, action: 'notify' }, { afterHours: 48, action: 'team_leader' }, { afterHours: 120, action: 'ops' }],
      book_new_appointment: [{ afterHours: 0, action: 'notify' }, { afterHours: 48, action: 'team_leader' }, { afterHours: 120, action: 'ops' }],
      book_follow_up: [{ afterHours: 0, action: 'notify' }, { afterHours: 72, action: 'team_leader' }, { afterHours: 168, action: 'ops' }],
      // Outcomes are cashed up within 48 hours of the clinic [T/N rules §8].
      record_attendance: [{ afterHours: 48, action: 'notify' }, { afterHours: 96, action: 'team_leader' }],
      dna_review: [{ afterHours: 0, action: 'notify' }, { afterHours: 72, action: 'team_leader' }],
      escalation_review: [{ afterHours: 24, action: 'notify' }, { afterHours: 72, action: 'ops' }],
      capacity_escalation: [{ afterHours: 24, action: 'notify' }],
      // Validation and active-monitoring reviews are planned work: a week's grace, then the team leader.
      validate_pathway: [{ afterHours: 0, action: 'notify' }, { afterHours: 168, action: 'team_leader' }],
      active_monitoring_review: [{ afterHours: 0, action: 'notify' }, { afterHours: 168, action: 'team_leader' }],
      // A hospital cancellation keeps the original book-by date: overdue is overdue at once (issue 10).
      rebook_appointment: [{ afterHours: 0, action: 'notify' }, { afterHours: 48, action: 'team_leader' }, { afterHours: 120, action: 'ops' }],
      clinical_review: [{ afterHours: 0, action: 'notify' }, { afterHours: 72, action: 'team_leader' }],
      // Issue 12: an interpreter must be in place before the appointment; a patient we cannot reach is chased.
      book_interpreter: [{ afterHours: 0, action: 'notify' }, { afterHours: 48, action: 'team_leader' }],
      contact_patient: [{ afterHours: 0, action: 'notify' }, { afterHours: 72, action: 'team_leader' }],
      // Issue 14: the patient was promised contact by the e-RS date; an unworked slot issue goes to the leaders next day.
      resolve_slot_issue: [{ afterHours: 0, action: 'notify' }, { afterHours: 24, action: 'team_leader' }],
      // Issue 15: admitted booking. The pathway's own surgical-priority ladder (domain/admitted.ts) watches the target date.
      book_pre_op: [{ afterHours: 0, action: 'notify' }, { afterHours: 72, action: 'team_leader' }],
      pre_op_review: [{ afterHours: 0, action: 'notify' }, { afterHours: 72, action: 'team_leader' }],
      book_tci: [{ afterHours: 0, action: 'notify' }, { afterHours: 72, action: 'team_leader' }, { afterHours: 168, action: 'ops' }],
      tci_clinical_review: [{ afterHours: 0, action: 'notify' }, { afterHours: 72, action: 'team_leader' }],
      rebook_cancelled_operation: [{ afterHours: 0, action: 'notify' }, { afterHours: 48, action: 'team_leader' }, { afterHours: 120, action: 'ops' }],
      offer_stand_by: [{ afterHours: 0, action: 'notify' }],
      bed_management: [{ afterHours: 0, action: 'notify' }, { afterHours: 24, action: 'team_leader' }],
      // Issue 16: a follow-up at or near its LCAD: the clinician's decision is due at once, a leader told after 3 days.
      partial_booking_review: [{ afterHours: 0, action: 'notify' }, { afterHours: 72, action: 'team_leader' }],
    },
  },
  interpreters: { bookDaysBefore: 5 },
  validation: { atWeeks: [12, 26, 52], thenEveryWeeks: 12 },
  clinicChanges: { cancellationNoticeDays: 42, templateChangeNoticeDays: 42 },
  triage: { turnaroundWorkingDays: 3 },
  outcomes: { cashUpHours: 48 },
} satisfies AccessPolicy);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Walks the base so a misspelt setting is refused rather than silently ignored.
function mergeSetting(base: unknown, override: unknown, path: string): unknown {
  if (override === undefined) return base;
  if (isRecord(base)) {
    if (!isRecord(override)) throw new RangeError(`Access policy ${path} must be an object`);
    for (const key of Object.keys(override)) {
      if (!Object.hasOwn(base, key)) throw new RangeError(`Access policy has no setting ${path}.${key}`);
    }
    return Object.fromEntries(Object.keys(base).map((key) => [key, mergeSetting(base[key], override[key], `${path}.${key}`)]));
  }
  if (Array.isArray(base)) {
    if (!Array.isArray(override)) throw new RangeError(`Access policy ${path} must be a list`);
    return override.map((item: unknown) => (isRecord(item) ? { ...item } : item));
  }
  if (typeof override !== typeof base) throw new RangeError(`Access policy ${path} must be a ${typeof base}`);
  return override;
}

function checkDays(value: unknown, path: string, min = 0): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`Access policy ${path} must be a whole number from ${min}, got ${JSON.stringify(value)}`);
  }
}

function checkRising(values: readonly number[], path: string): void {
  values.forEach((value, i) => {
    if (i > 0 && value <= values[i - 1]) throw new RangeError(`Access policy ${path} must rise: ${values.join(', ')}`);
  });
}

// Every setting is a whole number of days (or weeks, hours) from 0, with a few stronger limits
// where a zero would make no sense or loop forever.
function checkPolicy(policy: AccessPolicy): AccessPolicy {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') checkDays(value, path);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (isRecord(value)) for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`);
  };
  walk(policy, 'policy');

  for (const priority of Object.keys(policy.booking.escalations) as ReferralPriority[]) {
    const path = `policy.booking.escalations.${priority}`;
    const ladder = policy.booking.escalations[priority];
    ladder.forEach((step, i) => {
      if (!isRecord(step) || (step.target !== 'team_leader' && step.target !== 'ops')) {
        throw new RangeError(`Access policy ${path}[${i}] must be { afterDays, target: 'team_leader' | 'ops' }`);
      }
      checkDays(step.afterDays, `${path}[${i}].afterDays`);
    });
    checkRising(ladder.map((step) => step.afterDays), path);
  }
  for (const type of Object.keys(policy.workItems.escalations) as WorkItemType[]) {
    const path = `policy.workItems.escalations.${type}`;
    const ladder = policy.workItems.escalations[type];
    ladder.forEach((step, i) => {
      if (!isRecord(step) || !['notify', 'team_leader', 'ops'].includes(step.action as string)) {
        throw new RangeError(`Access policy ${path}[${i}] must be { afterHours, action: 'notify' | 'team_leader' | 'ops' }`);
      }
    });
    checkRising(ladder.map((step) => step.afterHours), path);
  }
  policy.validation.atWeeks.forEach((week, i) => checkDays(week, `policy.validation.atWeeks[${i}]`, 1));
  checkRising(policy.validation.atWeeks, 'policy.validation.atWeeks');
  checkDays(policy.validation.thenEveryWeeks, 'policy.validation.thenEveryWeeks', 1);
  checkDays(policy.offers.declinedOffersBeforeReview, 'policy.offers.declinedOffersBeforeReview', 1);
  return policy;
}

/**
 * A trust's policy: the defaults (or `base`) with `overrides` laid over them. Unknown settings,
 * wrong types, negative or fractional days and unordered ladders are refused with a RangeError.
 */
export function mergeAccessPolicy(overrides: DeepPartial<AccessPolicy>, base: AccessPolicy = defaultAccessPolicy): AccessPolicy {
  const merged = mergeSetting(base, overrides, 'policy') as AccessPolicy;
  return deepFreeze(checkPolicy(merged));
}

function requirePriority(priority: ReferralPriority): ReferralPriority {
  if (!isReferralPriority(priority)) throw new RangeError(`Unknown referral priority: ${JSON.stringify(priority)}`);
  return priority;
}

/** Latest date for the first appointment, by priority (2WW +14, urgent +28, routine +126 by default). */
export function bookingTargetDate(receivedDate: string, priority: ReferralPriority, policy: AccessPolicy = defaultAccessPolicy): string {
  return addDays(receivedDate, policy.booking.targetDays[requirePriority(priority)]);
}

export type EscalationRung = { level: number; date: string; afterDays: number; target: EscalationTarget };

/** The escalation ladder for a referral not yet booked: level 1 first, dated receivedDate + afterDays. */
export function bookingEscalations(
  receivedDate: string,
  priority: ReferralPriority,
  policy: AccessPolicy = defaultAccessPolicy,
): EscalationRung[] {
  return policy.booking.escalations[requirePriority(priority)].map((step, i) => ({
    level: i + 1,
    date: addDays(receivedDate, step.afterDays),
    afterDays: step.afterDays,
    target: step.target,
  }));
}

/**
 * Partial booking for a follow-up due on `dueDate` [T SWBH15, BHSCT]: invite 42 days before, the
 * patient responds within 14 days, and a slot is found within ±14 days of the due date.
 */
export function partialBookingDates(
  dueDate: string,
  policy: AccessPolicy = defaultAccessPolicy,
): { inviteOn: string; respondBy: string; earliest: string; latest: string } {
  const { inviteDaysBeforeDue, responseWindowDays, toleranceDays } = policy.partialBooking;
  const inviteOn = addDays(dueDate, -inviteDaysBeforeDue);
  return {
    inviteOn,
    respondBy: addDays(inviteOn, responseWindowDays),
    earliest: addDays(dueDate, -toleranceDays),
    latest: addDays(dueDate, toleranceDays),
  };
}

/** A follow-up due this soon after clinic is booked before the patient leaves, not partially booked [T SWBH15]. */
export function bookBeforeLeavingClinic(clinicDate: string, dueDate: string, policy: AccessPolicy = defaultAccessPolicy): boolean {
  return daysBetween(clinicDate, dueDate) <= policy.partialBooking.bookAtClinicWithinDays;
}

/** Validation points reached by `asOf`: 12, 26, 52 weeks of wait, then every 12 weeks [A/N VAL22]. */
export function validationDates(clockStart: string, asOf: string, policy: AccessPolicy = defaultAccessPolicy): string[] {
  const { atWeeks, thenEveryWeeks } = policy.validation;
  if (!(thenEveryWeeks >= 1)) throw new RangeError('Access policy validation.thenEveryWeeks must be at least 1');
  const waited = daysBetween(clockStart, asOf);
  const weeks = atWeeks.filter((week) => week * 7 <= waited);
  for (let week = (atWeeks.at(-1) ?? 0) + thenEveryWeeks; week * 7 <= waited; week += thenEveryWeeks) weeks.push(week);
  return weeks.map((week) => addDays(clockStart, week * 7));
}

/** The first validation point strictly after `after` (a pathway's next validation work item) [A/N VAL22]. */
export function nextValidationDate(clockStart: string, after: string, policy: AccessPolicy = defaultAccessPolicy): string {
  const { atWeeks, thenEveryWeeks } = policy.validation;
  if (!(thenEveryWeeks >= 1)) throw new RangeError('Access policy validation.thenEveryWeeks must be at least 1');
  const waited = daysBetween(clockStart, after);
  const fixed = atWeeks.find((week) => week * 7 > waited);
  if (fixed !== undefined) return addDays(clockStart, fixed * 7);
  const last = atWeeks.at(-1) ?? 0;
  const steps = Math.max(1, Math.floor((waited - last * 7) / (thenEveryWeeks * 7)) + 1);
  return addDays(clockStart, (last + steps * thenEveryWeeks) * 7);
}

/**
 * A follow-up still unbooked is validated `thenEveryWeeks` (12) past its due date and every `thenEveryWeeks` after
 * [rules §4.6]: the first such point after `after` (never the due date itself).
 */
export function followUpValidationDate(dueDate: string, after: string, policy: AccessPolicy = defaultAccessPolicy): string {
  const { thenEveryWeeks } = policy.validation;
  if (!(thenEveryWeeks >= 1)) throw new RangeError('Access policy validation.thenEveryWeeks must be at least 1');
  const past = Math.max(0, daysBetween(dueDate, after));
  return addDays(dueDate, (Math.floor(past / (thenEveryWeeks * 7)) + 1) * thenEveryWeeks * 7);
}

/**
 * An offer made on `offeredOn` for `appointmentDate` is reasonable with at least `noticeDays`
 * notice (3 weeks [A RTT-Rec25 §13]). Declining a short-notice offer has no consequence [T LTHT].
 */
export function isReasonableOffer({
  offeredOn,
  appointmentDate,
  noticeDays = defaultAccessPolicy.offers.reasonableNoticeDays,
}: {
  offeredOn: string;
  appointmentDate: string;
  noticeDays?: number;
}): boolean {
  return daysBetween(offeredOn, appointmentDate) >= noticeDays;
}

/** After this many declined reasonable offers a clinician reviews the pathway [A RTT-Rec25 v4.0]. */
export function needsReviewAfterDeclinedOffers(declinedReasonableOffers: number, policy: AccessPolicy = defaultAccessPolicy): boolean {
  return declinedReasonableOffers >= policy.offers.declinedOffersBeforeReview;
}

/** Latest date for the second offer after the first offered date was declined [A RTT-Rec25 v4.0]. */
export function secondOfferLatestDate(firstDeclinedDate: string, policy: AccessPolicy = defaultAccessPolicy): string {
  return addDays(firstDeclinedDate, policy.offers.secondOfferWithinDays);
}

/** A patient asking to wait longer than 6 weeks needs a clinical review [A RTT-Rec25 v4.0]. */
export function patientDelayNeedsReview(requestedDelayDays: number, policy: AccessPolicy = defaultAccessPolicy): boolean {
  return requestedDelayDays > policy.offers.patientDelayReviewDays;
}

/** Next clinical review of a patient on active monitoring, from its start or the last review [A RTT-Rec25 v4.0]. */
export function activeMonitoringReviewDate(fromDate: string, policy: AccessPolicy = defaultAccessPolicy): string {
  return addDays(fromDate, policy.activeMonitoring.reviewEveryDays);
}

/** When to talk to a patient taking thinking time with no agreed next step [A RTT-Rec25 §4.4.1.4]. */
export function thinkingTimeCheckInDate(fromDate: string, policy: AccessPolicy = defaultAccessPolicy): string {
  return addDays(fromDate, policy.thinkingTime.checkInDays);
}

/** Latest new date for an operation cancelled on the day for non-clinical reasons [A Hansard 2003]. */
export function cancelledOperationRebookBy(cancelledDate: string, policy: AccessPolicy = defaultAccessPolicy): string {
  return addDays(cancelledDate, policy.cancelledOperations.rebookWithinDays);
}

/** Date by which a referral must be triaged, counting working days only (shipped bank holidays unless given) [T CHFT]. */
export function triageDueDate(
  receivedDate: string,
  bankHolidays?: Iterable<string>,
  policy: AccessPolicy = defaultAccessPolicy,
): string {
  return addWorkingDays(receivedDate, policy.triage.turnaroundWorkingDays, bankHolidays);
}

/** Whether a clinic cancellation (42 days [T CHFT]) or template change (42 days [T local, issue 10]) was asked for with enough notice. */
export function hasClinicChangeNotice(
  { requestedOn, sessionDate, change }: { requestedOn: string; sessionDate: string; change: 'cancellation' | 'template' },
  policy: AccessPolicy = defaultAccessPolicy,
): boolean {
  const { cancellationNoticeDays, templateChangeNoticeDays } = policy.clinicChanges;
  return daysBetween(requestedOn, sessionDate) >= (change === 'template' ? templateChangeNoticeDays : cancellationNoticeDays);
}

export type WorkItemEscalationRung = { level: number; at: string; afterHours: number; action: WorkItemEscalationAction };

/** The ladder of an overdue work item: level 1 first, at dueAt (an ISO instant) + afterHours. */
export function workItemEscalations(type: WorkItemType, dueAt: string, policy: AccessPolicy = defaultAccessPolicy): WorkItemEscalationRung[] {
  const ladder = policy.workItems.escalations[type];
  if (!ladder) throw new RangeError(`Unknown work item type: ${JSON.stringify(type)}`);
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) throw new RangeError(`dueAt must be an ISO date-time, got ${JSON.stringify(dueAt)}`);
  return ladder.map((step, i) => ({
    level: i + 1,
    at: new Date(due + step.afterHours * 3_600_000).toISOString(),
    afterHours: step.afterHours,
    action: step.action,
  }));
}
