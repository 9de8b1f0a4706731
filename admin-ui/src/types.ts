// Records as the API answers them (docs/api.md). Kept here rather than imported from api/ so the
// console builds on its own; the access model's vocabularies and shared rules come from domain/.
import type {
  AbsenceHandover, AbsenceStatus, AppointmentKind, AppointmentState, QueueKind, ReferralPriority, ReferralSource,
  ReferralState, Role, RttClockStatus, SlotStatus, SlotType, TaskStatus, TaskType,
} from '../../domain/model';

export type {
  AbsenceHandover, AbsenceStatus, AppointmentState, ReferralPriority, ReferralSource, ReferralState, Role, SlotType, TaskStatus, TaskType,
};

export interface Me {
  id: string;
  email: string;
  name: string;
  role: Role;
  queueIds?: string[];
}

export interface Task {
  id: string;
  type: TaskType;
  title: string;
  status: TaskStatus;
  priority: ReferralPriority;
  dueAt: string | null;
  escalationLevel: number;
  queueId: string | null;
  queueName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  referralId: string | null;
  patientId: string | null;
  patientName: string | null;
  nhsNumber: string | null;
  specialtyCode: string | null;
  workflowId: string | null;
  payload: Record<string, unknown> | null;
  outcome: Record<string, unknown> | null;
  version: number;
  createdAt: string;
  completedAt: string | null;
  /** Hidden from claim-next until then; still open. */
  snoozedUntil?: string | null;
  snoozeReason?: string | null;
}

export interface Slot {
  id: string;
  clinicId: string;
  clinicName: string;
  start: string;
  end: string;
  type: SlotType;
  status: SlotStatus;
}

export interface ClinicTemplateRow {
  weekday: number | string;
  start: string;
  slotMinutes: number;
  slotType: SlotType;
  count: number;
  effectiveFrom?: string | null;
  effectiveTo?: string | null;
}

export interface Clinic {
  id: string;
  name: string;
  specialtyCode: string;
  specialtyName: string;
  clinicianName: string;
  site: string;
  template: ClinicTemplateRow[];
  freeSlots: number;
}

export interface Referral {
  id: string;
  patientId: string;
  patientName: string;
  nhsNumber: string;
  source: ReferralSource;
  ubrn: string | null;
  receivedAt: string;
  specialtyCode: string;
  specialtyName: string;
  priority: ReferralPriority;
  state: ReferralState;
  clinicId: string | null;
  clinicName: string | null;
  workflowId: string | null;
  clockStart: string | null;
  breachDate: string | null;
  daysWaited: number | null;
  weekBand: number | null;
  rttStatus: RttClockStatus | null;
  createdAt: string;
  reason?: string | null;
}

export interface ReferralEvent {
  id: string;
  at: string;
  kind: string;
  rttCode: string | null;
  note: string | null;
  actorName: string | null;
}

export interface ReferralDetail extends Referral {
  rtt: {
    status: RttClockStatus | null;
    clockStart: string | null;
    lastCompliantDate: string | null;
    daysWaited: number | null;
    weekBand: number | null;
    breachDate: string | null;
  } | null;
  cancer: { uscFirstSeenTarget: string | null; fdsTarget: string | null; cancer62Target: string | null } | null;
  events: ReferralEvent[];
  patient: Patient | null;
  tasks: Task[];
  appointments: Appointment[];
}

export interface Patient {
  id: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  name: string;
  dateOfBirth: string;
  postcode: string | null;
  phone: string | null;
  email: string | null;
}

export interface Appointment {
  id: string;
  referralId: string;
  patientId: string;
  patientName: string;
  clinicId: string;
  clinicName: string;
  slotId: string;
  start: string;
  kind: AppointmentKind;
  state: AppointmentState;
  outcome: string | null;
  bookedByName: string | null;
  bookedAt: string | null;
}

export interface Specialty {
  id: string;
  code: string;
  name: string;
}

export interface Queue {
  id: string;
  name: string;
  kind: QueueKind;
  specialtyCode: string | null;
  /** Open and claimed items in the queue (list answer). */
  openItems?: number;
}

export interface QueueMember {
  id: string;
  name: string;
  role: Role;
}

/** GET /api/queues/:id */
export interface QueueDetail extends Queue {
  members: QueueMember[];
}

export interface Staff {
  id: string;
  name: string;
  email: string;
  role: Role;
  active?: boolean;
  queueIds?: string[];
}

// ---------------------------------------------------------------- work queues (issue 4)

export interface DashboardOfficer {
  staffId: string;
  name: string;
  role: Role;
  open: number;
  claimed: number;
  overdue: number;
  escalated: number;
  onLeave: boolean;
  /** Who covers while they are away: a name, or an id and name, as the API gives it. */
  coveredBy: string | { id?: string; staffId?: string; name?: string } | null;
}

export interface DashboardQueue {
  queueId: string;
  name: string;
  kind: QueueKind;
  depth: number;
  unassigned: number;
  overdue: number;
  oldestDueAt: string | null;
  oldestCreatedAt: string | null;
}

/** GET /api/dashboard */
export interface Dashboard {
  officers: DashboardOfficer[];
  queues: DashboardQueue[];
  absences: Absence[];
}

export interface Absence {
  id: string;
  staffId: string;
  staffName: string;
  from: string;
  to: string;
  handover: AbsenceHandover;
  coverStaffId: string | null;
  coverStaffName: string | null;
  returnOnEnd: boolean;
  reason: string;
  status: AbsenceStatus;
  workflowId: string;
  createdAt: string;
}

export interface AbsenceDraft {
  staffId: string;
  from: string;
  to: string;
  handover?: AbsenceHandover;
  coverStaffId?: string;
  returnOnEnd?: boolean;
  reason?: string;
}

/** POST /api/absences/preview */
export interface AbsencePreview {
  count: number;
  items: Task[];
}

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}
