// e-RS rules (issue 14): how a referral from the e-Referral Service becomes ours, and what goes back. Pure: dates and
// instants are passed in, nothing is read.
import type { ErsPriority, ErsReferral, ErsWorklist } from './ers';
import type { ReferralPriority } from './model';
import { addWorkingDays, endOfWorkingDay, londonDate, workingDayFrom } from './trust-time';
import { defaultAccessPolicy, type AccessPolicy } from './booking-policy';

/** e-RS priority (eRS-Priority-1) → ours: the same three categories [rules §4.5, DD PRIORITY TYPE]. */
export const ersPriorityToOurs: Readonly<Record<ErsPriority, ReferralPriority>> = {
  TWO_WEEK_WAIT: 'two_week_wait', URGENT: 'urgent', ROUTINE: 'routine',
};

export function ourPriority(priority: string): ReferralPriority | null {
  return (ersPriorityToOurs as Record<string, ReferralPriority>)[priority] ?? null;
}

/**
 * e-RS specialty codes (A004 SPECIALTY) → our treatment function codes. A trust's e-RS services are set up per
 * specialty, so the specialty decides; a service id a trust maps itself (`services`) wins over it.
 */
export const ersSpecialtyToTreatmentFunction: Readonly<Record<string, string>> = {
  SURGERY_GENERAL: '100', GENERAL_SURGERY: '100',
  UROLOGY: '101',
  ORTHOPAEDICS: '110', TRAUMA_AND_ORTHOPAEDICS: '110',
  ENT: '120',
  OPHTHALMOLOGY: '130',
  GENERAL_MEDICINE: '300', MEDICINE_GENERAL: '300', GENERAL_INTERNAL_MEDICINE: '300',
  CARDIOLOGY: '320',
  DERMATOLOGY: '330',
  GYNAECOLOGY: '502',
};

export function ourSpecialty(ersSpecialty: string, serviceId: string, services: Readonly<Record<string, string>> = {}): string | null {
  return services[serviceId] ?? ersSpecialtyToTreatmentFunction[ersSpecialty.trim().toUpperCase()] ?? null;
}

/**
 * The RTT clock start of an e-RS referral [rules §1.2]: the date the patient converted the UBRN (booked), or, with no
 * slot, the date the UBRN reached our Appointment Slot Issues worklist; earlier activity on the UBRN wins (e-RS carries
 * it as eReferralPathwayStart), and a related UBRN's earlier start (a CAS or interface service, a rejected-and-re-referred
 * referral) is kept. Dates are London dates of the instants given.
 */
export function ersClockStart(opts: {
  /** eReferralPathwayStart of this UBRN, ISO date-time. */
  pathwayStart: string;
  /** ASI items: when the UBRN reached our worklist (ubrnReceived). */
  asiReceivedAt?: string | null;
  /** eReferralPathwayStart of the related UBRNs. */
  relatedStarts?: readonly string[];
}): string {
  const instants = [opts.pathwayStart, opts.asiReceivedAt, ...(opts.relatedStarts ?? [])]
    .filter((t): t is string => typeof t === 'string' && !Number.isNaN(Date.parse(t)))
    .map((t) => Date.parse(t));
  if (instants.length === 0) throw new RangeError('An e-RS referral needs an eReferralPathwayStart');
  return londonDate(Math.min(...instants));
}

/**
 * When an Appointment Slot Issue item is due [rules §5]: a 2WW within 1 working day; others by the contact date e-RS
 * promised the patient (patientContactExpected, from A004's deferToProviderContactDays), brought forward to our triage
 * turnaround if that is sooner. Due by the end of that working day (trust time), as the triage item is.
 */
export function slotIssueDueAt(opts: {
  priority: ReferralPriority;
  /** London date the item reached the worklist. */
  receivedOn: string;
  patientContactExpected?: string | null;
  bankHolidays?: Iterable<string>;
}, policy: AccessPolicy = defaultAccessPolicy): string {
  const { priority, receivedOn, patientContactExpected, bankHolidays } = opts;
  const holidays = bankHolidays ? [...bankHolidays] : undefined;
  const working = priority === 'two_week_wait'
    ? addWorkingDays(receivedOn, 1, holidays)
    : addWorkingDays(receivedOn, policy.triage.turnaroundWorkingDays, holidays);
  const promised = priority !== 'two_week_wait' && patientContactExpected && patientContactExpected < working
    ? workingDayFrom(patientContactExpected, holidays) : working;
  return endOfWorkingDay(promised < receivedOn ? receivedOn : promised, holidays);
}

/** The e-RS call that answers a triage decision. */
export type ErsOutcomeCall =
  | { call: 'A013' }
  | { call: 'A014'; reason: 'SERVICE_INAPPROPRIATE' }
  | { call: 'A028'; outcome: 'ACCEPT_REFER_BOOK_LATER' | 'RETURN_TO_REFERRER_WITH_ADVICE' };

/**
 * Which call sends a triage decision [interfaces §1.4]: a booked referral to a bookable service is accepted (A013) or
 * rejected back to the referrer (A014); a triage (RAS) referral, or one on the Appointment Slot Issues list, is answered
 * with a review outcome (A028: accept and book later, or return with advice).
 */
export function outcomeCall(decision: 'accept' | 'return_to_referrer', referral: { triage: boolean; worklist: ErsWorklist | string }): ErsOutcomeCall {
  const review = referral.triage || referral.worklist === 'APPOINTMENT_SLOT_ISSUES';
  if (review) return { call: 'A028', outcome: decision === 'accept' ? 'ACCEPT_REFER_BOOK_LATER' : 'RETURN_TO_REFERRER_WITH_ADVICE' };
  return decision === 'accept' ? { call: 'A013' } : { call: 'A014', reason: 'SERVICE_INAPPROPRIATE' };
}

/** A029's action codes that permit each call (eRS-AvailableActionsForUser-1). */
export const actionsForCall: Readonly<Record<ErsOutcomeCall['call'], readonly string[]>> = {
  A013: ['ACCEPT_REFERRAL', 'ACCEPT'],
  A014: ['REJECT_REFERRAL', 'REJECT'],
  A028: ['RECORD_REVIEW_OUTCOME'],
};

/** After a 412: whether the call is still allowed on the version just read (A029), so it is tried once more. */
export function stillAllowed(call: ErsOutcomeCall['call'], allowed: readonly string[]): boolean {
  return actionsForCall[call].some((a) => allowed.includes(a));
}

/** What the poll makes of a referral we hold, read again from e-RS, against what it saw last time. */
export type ErsAppointmentChange =
  | { kind: 'none' }
  | { kind: 'cancelled' }
  | { kind: 'moved'; start: string };

/**
 * A patient's cancellation or rebooking in e-RS (Manage Your Referral, the NHS App): the appointment we saw is gone or
 * cancelled (cancelled), or another appointment or start time took its place (moved). A referral we returned or that
 * e-RS cancelled whole is not the patient's appointment change.
 */
export function appointmentChange(
  seen: { appointmentId: string | null; start: string | null },
  now: Pick<ErsReferral, 'appointment' | 'state'>,
): ErsAppointmentChange {
  if (!seen.appointmentId) return { kind: 'none' };
  const appt = now.appointment;
  if (!appt || appt.status === 'cancelled') return { kind: 'cancelled' };
  const moved = appt.id !== seen.appointmentId || (seen.start !== null && Date.parse(appt.start) !== Date.parse(seen.start));
  return moved ? { kind: 'moved', start: appt.start } : { kind: 'none' };
}

/** Minutes between polls: ERS_POLL_MINUTES, 5 unless set; at least 1 (e-RS asks integrators not to hammer A008). */
export function ersPollMinutes(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 5;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1440) throw new RangeError(`ERS_POLL_MINUTES must be a whole number of minutes from 1 to 1440, got ${JSON.stringify(value)}`);
  return n;
}

/** The officer's words when e-RS would not take a triage outcome. */
export function outcomeRefusedMessage(decision: 'accept' | 'return_to_referrer', why: string): string {
  const what = decision === 'accept' ? 'acceptance' : 'return to the referrer';
  return `e-RS did not take this referral's ${what}: ${why}. Check the referral in e-RS and action it there.`;
}
