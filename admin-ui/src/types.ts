// Records and requests as the API answers and accepts them: inferred from the API's own zod schemas
// (api/records.ts, api/schemas.ts), the same ones that validate requests and generate /api/openapi.json.
// Type-only imports, so nothing of the API is bundled into the console.
import type { AppointmentKind, QueueKind, ReferralPriority, RttClockStatus, SlotStatus } from '../../domain/model';

export type { AppointmentKind, QueueKind, ReferralPriority, RttClockStatus, SlotStatus };
export type {
  Role, TaskType, TaskStatus, SlotType, ReferralState, ReferralSource, AppointmentState, AbsenceStatus, AbsenceHandover,
  Me, Task, Slot, ClinicTemplateRow, Clinic, Referral, ReferralEvent, ReferralDetail, Patient, Appointment, Specialty,
  Queue, QueueMember, QueueDetail, BulkMoved, DashboardOfficer, DashboardQueue, Dashboard, Absence, AbsencePreview, AuditEntry, ApiError,
  PatientDetail, PatientCommunication, Communication, CommunicationDetail, CommunicationPreferences, CommunicationNeeds, Carer,
  Contact, StaffNotification, EnquiryResult, EnquiryPatient,
} from '../../api/records';
export type { StaffRecord as Staff } from '../../api/records';
export type {
  AbsenceDraft, AbsencePlan, AbsenceChangeRequest, AssignRequest, BulkAssignRequest, ClaimNextRequest, SnoozeRequest,
  TriageOutcome, BookingOutcome, AttendanceOutcome, DnaReviewOutcome, EscalationOutcome, InterpreterOutcome, ContactPatientOutcome,
  ChangePatient,
  ContactRequest,
} from '../../api/schemas';
