// The admitted pathway's records as the API sends them (issue 15's contract: GET /api/admissions,
// /api/theatre-sessions, /api/tci-offers, /api/stand-by, /api/cancelled-operations).
import type {
  AdmissionStatus, CancelledOperationStatus, IntendedManagement, PreOpOutcome, PreOpStatus, SurgicalPriority, TciChannel, TciOfferStatus,
  TheatreSessionKind,
} from '../../../domain/model';

// The domain's vocabularies, so a new value fails to compile until the console has words for it.
export type {
  AdmissionStatus, CancelledOperationStatus, IntendedManagement, PreOpOutcome, PreOpStatus, SurgicalPriority, TciChannel, TciOfferStatus,
};
export type TheatreSessionPart = TheatreSessionKind;

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
  standByNoticeHours?: number | null;
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
  operationDate: string;
  reason: string;
  rebookBy: string;
  rebookedOn: string | null;
  /** The new operation date, once one is accepted. */
  rebookedFor: string | null;
  breachedOn: string | null;
  /** 0 none yet, 1 the team leader, 2 operations. */
  escalationLevel: number;
  status: CancelledOperationStatus;
}

export interface StandByOffer {
  taskId: string;
  theatreSessionId: string;
  listName: string;
  date: string;
  minutesFree: number;
  candidates: { admissionId: string; referralId: string; procedure: string; surgicalPriority: SurgicalPriority; targetDate: string; estimatedMinutes: number }[];
}

/** What a cancellation answers: the admission, the cancelled operation under the guarantee, and any stand-by offer of the freed time. */
export interface CancelOperationResult {
  admission: Admission;
  cancelledOperation: CancelledOperation | null;
  standByOffer: StandByOffer | null;
}

export interface CancelledOperationsSummary {
  cancelled: number;
  rebookedWithin28Days: number;
  notRebookedWithin28Days: number;
}
