// The workflow bundle's entry: re-exports only, so nothing Node-only is reachable from here.
export { referralPathway, completeTaskUpdate, pathwayQuery, recordRttEventUpdate } from './referral-pathway';
export { cancelAppointmentUpdate, recordOfferDecisionUpdate, admittedCareUpdate, bookFromListUpdate, escalatePartialBookingUpdate } from './referral-pathway';
export { pifuTriggerUpdate, attendanceOutsideClinicUpdate } from './referral-pathway';
export { staffAbsence, changeAbsenceUpdate, absenceQuery } from './staff-absence';
export { slotHorizon } from './slot-horizon';
export { clinicSessionChange } from './clinic-session-change';
export { communicationsOutbox } from './communications-outbox';
export { hl7Feed } from './hl7-feed';
export { ersPoll } from './ers-poll';
export { cancelledOperation, cancelledOperationRebookedSignal, cancelledOperationQuery } from './cancelled-operation';
export { forecastRecompute } from './forecast-recompute';
