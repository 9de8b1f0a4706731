// The admitted pathway's records as the API sends them (issue 15's contract: GET /api/admissions,
// /api/theatre-sessions, /api/tci-offers, /api/stand-by, /api/cancelled-operations).
export type IntendedManagement = 'inpatient' | 'day_case';
export type SurgicalPriority = 'P1a' | 'P1b' | 'P2' | 'P3' | 'P4';
export type AdmissionStatus = 'waiting' | 'tci_booked' | 'admitted' | 'cancelled' | 'not_treated' | 'removed';
export type PreOpStatus = 'not_required' | 'needed' | 'booked' | 'fit' | 'fit_with_conditions' | 'unfit' | 'expired';
export type PreOpOutcome = 'fit' | 'fit_with_conditions' | 'unfit';
export type TheatreSessionPart = 'am' | 'pm' | 'all_day';
export type TciChannel = 'phone' | 'letter' | 'email' | 'in_person';
export type TciOfferStatus = 'offered' | 'accepted' | 'declined' | 'cancelled';
export type CancelledOperationStatus = 'open' | 'rebooked' | 'breached';

export interface Admission {
  id: string;
  referralId: string;
  patientName: string;
  specialtyCode: string;
  procedure: string;
  intendedManagement: IntendedManagement;
  surgicalPriority: SurgicalPriority;
  consultantId: string;
  consultantName: string;
  decidedOn: string;
  /** The surgical-priority target date. */
  targetDate: string;
  /** The RTT breach date. */
  breachDate: string;
  status: AdmissionStatus;
  preOpRequired: boolean;
  preOpStatus: PreOpStatus;
  preOpValidUntil: string | null;
  estimatedMinutes: number;
  tciOfferId: string | null;
  tciDate: string | null;
  theatreSessionId: string | null;
  ward: string | null;
  standBy: boolean;
  declinedReasonableOffers: number;
  version: number;
}

export interface TheatreSession {
  id: string;
  listName: string;
  specialtyCode: string;
  surgeonId: string;
  surgeonName: string;
  date: string;
  session: TheatreSessionPart;
  minutesAvailable: number;
  minutesBooked: number;
  minutesFree: number;
}

export interface TciOffer {
  id: string;
  admissionId: string;
  referralId: string;
  admissionDate: string;
  theatreSessionId: string | null;
  ward: string;
  offeredOn: string;
  channel: TciChannel;
  noticeDays: number;
  reasonable: boolean;
  status: TciOfferStatus;
  declineReason: string | null;
}

export interface TciOfferRequest {
  admissionDate: string;
  theatreSessionId?: string;
  ward: string;
  offeredOn: string;
  channel: TciChannel;
}

export interface PreOpOutcomeRequest { assessedOn: string; outcome: PreOpOutcome; conditions?: string }
export interface AdmitRequest { admittedOn: string; procedureDone?: boolean; diagnosticOnly?: boolean }
export interface CancelAdmissionRequest { onTheDay: boolean; reason: string; clinical: boolean }
export interface StandByRequest { available: boolean; noticeHours?: number }

export interface CancelledOperation {
  id: string;
  admissionId: string;
  referralId: string;
  patientName: string;
  specialtyCode: string;
  cancelledOn: string;
  reason: string;
  rebookBy: string;
  rebookedOn: string | null;
  status: CancelledOperationStatus;
}

export interface CancelledOperationsSummary {
  cancelled: number;
  rebookedWithin28Days: number;
  notRebookedWithin28Days: number;
}
