// Go-live (issue 13): the PAS extract's format. One row per open pathway; the header is the contract.
import type { ImportStage, ReferralPriority } from './model';

export const IMPORT_HEADER = [
  'nhs_number', 'given_name', 'family_name', 'date_of_birth', 'postcode', 'pathway_id', 'ubrn', 'treatment_function_code',
  'priority', 'clock_start', 'last_rtt_code', 'last_rtt_date', 'stage', 'clinic_id', 'appointment_start',
] as const;
export type ImportField = (typeof IMPORT_HEADER)[number];

/** A rejected row: `line` counts the header as line 1; `field` is a header name (or `row` for the row as a whole). */
export type ImportError = { line: number; field: ImportField | 'row'; message: string };

/** A row that passed validation, in the access model's words. */
export type ImportRow = {
  line: number;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  postcode: string | null;
  /** The previous PAS's local pathway id (PPID); a row has this or a UBRN or both. */
  pathwayId: string | null;
  ubrn: string | null;
  specialtyCode: string;
  priority: ReferralPriority;
  clockStart: string;
  lastRttCode: number | null;
  lastRttDate: string | null;
  stage: ImportStage;
  /** Where booked: the clinic and the appointment's start (an ISO instant); both or neither. */
  clinicId: string | null;
  appointmentStart: string | null;
};
