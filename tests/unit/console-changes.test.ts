// The console's readings for issue 10: the clinic calendar's weeks and bars, the template editor's row
// checks (named as the API names its fields), and the sentences an officer reads after a cancel, a
// reschedule, an offer, a session change and a template change.
import { describe, expect, it } from 'vitest';
import { shiftWeek, utilisationParts, utilisationWords, weekFromSearch, weekLabel, weekStartOf } from '../../admin-ui/src/clinics/calendar-weeks';
import { nextRow, sessionEnd, validateTemplateRows } from '../../admin-ui/src/clinics/template-rows';
import {
  appointmentChangeNotice, offerDecidedNotice, offerMadeNotice, previewSummaryWords, reconciliationWords, sessionChangeStartedNotice,
  sessionChangeSummaryWords,
} from '../../admin-ui/src/session-changes/change-words';
import type { AppointmentChange, TemplateSession } from '../../admin-ui/src/change-types';
// These modules bring react-admin with them: a slow import, but import time is not test time.
import { isAfterBreach, slotOptionText } from '../../admin-ui/src/appointments/slot-choice';
import { clinicCreateBody, clinicUpdateBody } from '../../admin-ui/src/clinics/clinic-form';
import { changeClinicBody, createClinicBody, createTemplateBody } from '../../api/clinic-records';

describe('calendar weeks', () => {
  it.each([
    ['2026-11-30', '2026-11-30'], // a Monday is its own week
    ['2026-12-02', '2026-11-30'],
    ['2026-12-06', '2026-11-30'], // Sunday ends the week
    ['2026-12-07', '2026-12-07'],
    ['2027-01-01', '2026-12-28'], // across the year
  ])('%s is in the week of Monday %s', (date, monday) => {
    expect(weekStartOf(date)).toBe(monday);
  });

  it('moves a week at a time from any day, and back', () => {
    expect(shiftWeek('2026-12-03', 1)).toBe('2026-12-07');
    expect(shiftWeek('2026-12-03', -1)).toBe('2026-11-23');
    expect(shiftWeek('2026-12-03', 0)).toBe('2026-11-30');
    expect(shiftWeek(shiftWeek('2026-03-25', 1), -1)).toBe('2026-03-23'); // over the clocks going forward
  });

  it('reads the week from the address, or falls back to this week', () => {
    expect(weekFromSearch('?week=2026-12-10', '2026-11-29')).toBe('2026-12-07');
    expect(weekFromSearch('', '2026-11-29')).toBe('2026-11-23');
    expect(weekFromSearch('?week=not-a-date', '2026-11-29')).toBe('2026-11-23');
    expect(weekFromSearch('?week=2026-02-30', '2026-11-29')).toBe('2026-11-23');
  });

  it('labels a week the British way', () => {
    expect(weekLabel('2026-11-30')).toBe('30 Nov 2026 to 6 Dec 2026');
  });
});

describe('utilisation bars', () => {
  it('splits a session into booked, free and blocked parts that add up to the whole', () => {
    const parts = utilisationParts({ total: 12, booked: 8, free: 3, blocked: 1 });
    expect(parts.map((p) => [p.key, p.count])).toEqual([['booked', 8], ['free', 3], ['blocked', 1]]);
    expect(parts.reduce((sum, p) => sum + p.percent, 0)).toBeCloseTo(100, 0);
    expect(parts[0].percent).toBe(66.7);
  });

  it('draws an empty session without dividing by nothing', () => {
    expect(utilisationParts({ total: 0, booked: 0, free: 0, blocked: 0 }).map((p) => p.percent)).toEqual([0, 0, 0]);
    expect(utilisationWords({ total: 0, booked: 0, free: 0, blocked: 0 })).toBe('No slots');
  });

  it('says the counts in words for a screen reader', () => {
    expect(utilisationWords({ total: 12, booked: 8, free: 3, blocked: 1 })).toBe('8 of 12 booked, 3 free, 1 blocked');
    expect(utilisationWords({ total: 6, booked: 6, free: 0, blocked: 0 })).toBe('6 of 6 booked, 0 free');
    expect(utilisationWords({ total: 6, booked: 0, free: 0, blocked: 6 })).toBe('0 of 6 booked, 6 blocked');
  });
});

describe('template rows', () => {
  const row = (over: Partial<TemplateSession> = {}): TemplateSession => ({
    weekday: 1, startTime: '09:00', slotMinutes: 20, slotType: 'new', slotCount: 6, ...over,
  });
  const offered = ['new', 'follow_up'] as const;

  it('works out where a session ends', () => {
    expect(sessionEnd(row())).toBe('11:00');
    expect(sessionEnd(row({ startTime: '13:30', slotMinutes: 15, slotCount: 12 }))).toBe('16:30');
  });

  it('accepts sessions on different days, and back-to-back sessions on one day', () => {
    expect(validateTemplateRows([row(), row({ startTime: '11:00', slotType: 'follow_up' }), row({ weekday: 2 })], offered)).toEqual({});
  });

  it('marks the later of two overlapping sessions at its start time, as the API names it', () => {
    const errors = validateTemplateRows([row(), row({ startTime: '10:40' })], offered);
    expect(Object.keys(errors)).toEqual(['sessions.1.startTime']);
    expect(errors['sessions.1.startTime']).toBe('Overlaps the session starting 09:00');
    // The same start twice: the second is the one marked.
    expect(Object.keys(validateTemplateRows([row(), row()], offered))).toEqual(['sessions.1.startTime']);
  });

  it('refuses a slot type the clinic does not offer, and impossible numbers, field by field', () => {
    const errors = validateTemplateRows([row({ slotType: 'two_week_wait', slotMinutes: 0, slotCount: Number.NaN, startTime: '25:00' })], offered);
    expect(errors).toMatchObject({
      'sessions.0.slotType': 'The clinic does not offer this slot type',
      'sessions.0.slotMinutes': '5 to 240 minutes',
      'sessions.0.slotCount': '1 to 100 slots',
      'sessions.0.startTime': 'A time, HH:MM',
    });
    expect(validateTemplateRows([row({ startTime: '22:00', slotMinutes: 60, slotCount: 3 })], offered)).toEqual({
      'sessions.0.slotCount': 'The session runs past midnight',
    });
    // No sessions at all is a clinic that stops holding them.
    expect(validateTemplateRows([], offered)).toEqual({});
  });

  it('adds a row where the last one ends, on its day and of its type', () => {
    expect(nextRow([row({ weekday: 3, slotType: 'follow_up' })], offered)).toEqual(row({ weekday: 3, slotType: 'follow_up', startTime: '11:00' }));
    expect(nextRow([], offered)).toMatchObject({ weekday: 1, startTime: '09:00', slotType: 'new' });
  });
});

describe('what the officer is told', () => {
  const change = (over: Partial<AppointmentChange>): AppointmentChange => ({
    appointmentId: 'appt_1', referralId: 'ref_1', state: 'cancelled_by_hospital', stage: 'awaiting_booking' as AppointmentChange['stage'],
    raisedTask: null, newAppointment: null, patientCancellations: 0, ...over,
  });

  it('after a hospital cancellation: the rebook item on the Rebooking queue', () => {
    expect(appointmentChangeNotice(change({ raisedTask: { id: 'task_1', type: 'rebook_appointment' } })))
      .toBe('Appointment cancelled; a rebook item is on the Rebooking queue');
  });

  it('after a patient cancellation: which one it was, and what was raised', () => {
    expect(appointmentChangeNotice(change({ state: 'cancelled_by_patient', patientCancellations: 1, raisedTask: { id: 't', type: 'book_new_appointment' } })))
      .toBe('Appointment cancelled by the patient (their first cancellation); a booking item is on the queue to book again');
    expect(appointmentChangeNotice(change({ state: 'cancelled_by_patient', patientCancellations: 2, raisedTask: { id: 't', type: 'clinical_review' } })))
      .toBe('Appointment cancelled by the patient (their second cancellation); a clinician will now review the pathway (clinical review raised)');
  });

  it('after a reschedule: the new date and clinic, in London time', () => {
    const moved = change({
      newAppointment: { id: 'appt_2', slotId: 'slot_2', start: '2027-01-12T09:30:00.000Z', clinicId: 'clin_2', clinicName: 'Urology A' },
    });
    expect(appointmentChangeNotice(moved)).toBe('Appointment moved to Tue 12 Jan 2027, 09:30 at Urology A');
    expect(appointmentChangeNotice({ ...moved, state: 'cancelled_by_patient', patientCancellations: 1 }))
      .toBe('Appointment moved to Tue 12 Jan 2027, 09:30 at Urology A (counted as a patient cancellation)');
  });

  it('reads a preview and a summary as counts in words', () => {
    expect(previewSummaryWords({ affected: 3, wouldMove: 2, wouldWait: 1, atRisk: 1 }))
      .toBe('3 patients affected: 2 would move, 1 would wait for a slot; 1 at risk of breach');
    expect(previewSummaryWords({ affected: 1, wouldMove: 1, wouldWait: 0, atRisk: 0 })).toBe('1 patient affected: 1 would move');
    expect(previewSummaryWords({ affected: 0, wouldMove: 0, wouldWait: 0, atRisk: 0 })).toMatch(/No patients/);
    expect(sessionChangeSummaryWords({ affected: 3, cancelled: 3, moved: 2, waitingForSlot: 1, atRisk: 0, skipped: 0, escalationTaskId: null }))
      .toBe('3 appointments cancelled: 2 moved, 1 waiting for a slot');
    expect(sessionChangeSummaryWords({ affected: 3, cancelled: 2, moved: 1, waitingForSlot: 1, atRisk: 1, skipped: 1, escalationTaskId: 'task_9' }))
      .toBe('2 appointments cancelled: 1 moved, 1 waiting for a slot, 1 left alone (pathway ended or appointment already changed); 1 at risk of breach');
    expect(sessionChangeStartedNotice({ kind: 'cancel', summary: { affected: 2, wouldMove: 2, wouldWait: 0, atRisk: 0 } }))
      .toBe('Session cancelled; rebooking 2 patients');
  });

  it('says a template change’s reconciliation the way the brief words it', () => {
    expect(reconciliationWords({ slotsAdded: 12, slotsUpdated: 0, slotsRemoved: 3, bookedSlotsKept: 2, proposedChangeIds: ['chg_1'] }))
      .toBe('12 slots added, 3 free slots removed, 2 booked slots kept: a session reduction is waiting for a team leader');
    expect(reconciliationWords({ slotsAdded: 1, slotsUpdated: 2, slotsRemoved: 0, bookedSlotsKept: 0, proposedChangeIds: [] }))
      .toBe('1 slot added, 0 free slots removed, 2 free slots changed');
    expect(reconciliationWords({ slotsAdded: 0, slotsUpdated: 0, slotsRemoved: 0, bookedSlotsKept: 4, proposedChangeIds: ['a', 'b'] }))
      .toBe('0 slots added, 0 free slots removed, 4 booked slots kept: 2 session reductions are waiting for a team leader');
  });

  it('says whether an offer was reasonable, and what an answer did', () => {
    expect(offerMadeNotice({ reasonable: true, noticeDays: 23 })).toBe('Offer recorded: reasonable (23 days’ notice)');
    expect(offerMadeNotice({ reasonable: false, noticeDays: 1 })).toBe('Offer recorded: short notice (1 day’s notice), so declining it does not count against the patient');
    expect(offerDecidedNotice({ status: 'accepted', slotStart: '2027-01-12T09:30:00.000Z', clinicName: 'Urology A', appointmentId: 'appt_3' }))
      .toBe('Offer accepted; appointment booked for Tue 12 Jan 2027, 09:30 at Urology A');
    expect(offerDecidedNotice({ status: 'declined', slotStart: null, clinicName: null, appointmentId: null, reviewRaised: true }))
      .toMatch(/second reasonable offer declined, so a clinician will review/);
    expect(offerDecidedNotice({ status: 'declined', slotStart: null, clinicName: null, appointmentId: null, reviewRaised: false })).toBe('Offer declined');
  });
});

describe('choosing a slot', () => {
  it('marks a slot after the breach date by its London date, not its UTC one', () => {
    expect(isAfterBreach('2027-04-02T08:00:00.000Z', '2027-04-02')).toBe(false);
    expect(isAfterBreach('2027-04-02T23:30:00.000Z', '2027-04-02')).toBe(true); // 00:30 on the 3rd in London (BST)
    expect(isAfterBreach('2027-04-03T09:00:00.000Z', null)).toBe(false);
    expect(slotOptionText({ start: '2027-04-06T09:00:00.000Z', type: 'new' }, '2027-04-02')).toBe('Tue 6 Apr 2027, 10:00 (New) — after the breach date');
    expect(slotOptionText({ start: '2027-01-12T09:30:00.000Z', type: 'follow_up' }, '2027-04-02')).toBe('Tue 12 Jan 2027, 09:30 (Follow-up)');
  });
});

describe('clinic form bodies', () => {
  const record = {
    id: 'clin_2', name: ' Urology – Okafor (A) ', specialtyCode: '101', specialtyName: 'Urology', clinicianName: 'Ms B Okafor', site: 'Southport DGH',
    template: [], freeSlots: 40, slotTypes: ['new', 'follow_up'], active: false, currentVersion: 1,
  };

  it('sends only what the API changes, trimmed; the specialty never changes', () => {
    expect(clinicUpdateBody(record)).toEqual({
      name: 'Urology – Okafor (A)', clinicianName: 'Ms B Okafor', site: 'Southport DGH', slotTypes: ['new', 'follow_up'], active: false,
    });
    expect(clinicCreateBody({ ...record, name: 'New clinic ' })).toEqual({
      name: 'New clinic', specialtyCode: '101', clinicianName: 'Ms B Okafor', site: 'Southport DGH', slotTypes: ['new', 'follow_up'],
    });
  });
});

describe('what the console sends, as the API reads it', () => {
  it('a template built row by row passes the API’s own schema', () => {
    const rows = [nextRow([], ['new'])];
    rows.push(nextRow(rows, ['new']));
    expect(validateTemplateRows(rows, ['new'])).toEqual({});
    expect(createTemplateBody.safeParse({ effectiveFrom: '2027-01-04', sessions: rows }).success).toBe(true);
  });

  it('a clinic read from the API goes back as a change the API accepts', () => {
    const record = {
      id: 'clin_2', name: 'Urology', specialtyCode: '101', specialtyName: 'Urology', clinicianName: 'Ms B Okafor', site: 'Southport DGH',
      template: [], freeSlots: 4, slotTypes: ['new'], active: true, currentVersion: 1,
    };
    expect(changeClinicBody.safeParse(clinicUpdateBody(record)).success).toBe(true);
    expect(createClinicBody.safeParse(clinicCreateBody(record)).success).toBe(true);
  });
});
