// Issue 16's records as the API sends them: the partial booking entry, a booking from it, an attendance outside clinic,
// a PIFU request. Taken from the API's schemas, so a change there fails to compile here until the console follows.
import type { z } from 'zod';
import type { bookFromListBody, partialBookingRecord } from '../../../api/routes/partial-booking';
import type { attendanceRecord, pifuTriggerResult } from '../../../api/routes/attendances';
import type { attendanceOutsideClinicBody } from '../../../api/schemas';

export type PartialBookingRecord = z.infer<typeof partialBookingRecord>;
export type BookFromPartialBooking = z.infer<typeof bookFromListBody>;
export type AttendanceOutsideClinic = z.infer<typeof attendanceRecord>;
export type PifuTriggered = z.infer<typeof pifuTriggerResult>;
export type AttendanceOutsideClinicBody = z.input<typeof attendanceOutsideClinicBody>;
