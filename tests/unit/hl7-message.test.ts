// The PAS feed's message builder (issue 14), read back with an independent parser (hl7-standard), field by field.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHl7Message, hl7DateTime, readAck } from '../../activities/hl7-message';
import { hl7Library } from '../../activities/hl7-library';
import { ackOutcome, hl7BackoffMs, hl7ControlId, hl7Escape, type Hl7Appointment, type Hl7Patient } from '../../domain/hl7';
import { parseHl7, unescapeHl7 } from '../support/hl7';

const who = { sendingApplication: 'ACCESS_DESK', sendingFacility: 'RXX', receivingApplication: 'PAS', receivingFacility: 'RYY' };
const patient: Hl7Patient = {
  id: 'pat_01', nhsNumber: '9434765919', familyName: "O'Brien|Smith", givenName: 'Ann ^ Jo & Co ~ x\\y', dateOfBirth: '1970-02-03',
  addressLines: ['1 High Street', 'Flat 2', 'Leeds', 'West Yorkshire'], postcode: 'LS1 1AA', phone: '07700 900123', email: 'ann@example.nhs.uk',
};
const appointment: Hl7Appointment = {
  placerId: 'appt_first', appointmentId: 'appt_now', referralId: 'ref_01', start: '2026-07-01T09:30:00.000Z', end: '2026-07-01T09:45:00.000Z',
  kind: 'follow_up', clinic: { id: 'clin_01', name: 'Dermatology & skin', site: 'Main site', specialtyCode: '330', clinicianName: 'Dr A Patel' }, enteredBy: 'staff_01',
};

// The library loads on first use (4 MB of v2 tables): once here, not inside the first case's time limit.
beforeAll(() => { hl7Library(); }, 60_000);

describe('HL7 v2 message builder', () => {
  it('builds a new booking as SIU^S12 with MSH, SCH, TQ1, PID, PV1, RGS, AIL and AIP', () => {
    const m = parseHl7(buildHl7Message({ event: 'S12', at: '2026-11-29T20:00:00.000Z', patient, appointment }, 42, who));
    expect(m.segments).toEqual(['MSH', 'SCH', 'TQ1', 'PID', 'PV1', 'RGS', 'AIL', 'AIP']);
    expect([m.raw('MSH.3'), m.raw('MSH.4'), m.raw('MSH.5'), m.raw('MSH.6')]).toEqual(['ACCESS_DESK', 'RXX', 'PAS', 'RYY']);
    expect(m.raw('MSH.7')).toBe('20261129200000+0000');
    expect([m.raw('MSH.9.1'), m.raw('MSH.9.2'), m.raw('MSH.9.3')]).toEqual(['SIU', 'S12', 'SIU_S12']);
    expect(m.raw('MSH.10')).toBe('AD0000000042');
    expect(m.raw('MSH.12')).toBe('2.5');
    expect([m.raw('SCH.1.1'), m.raw('SCH.1.2')]).toEqual(['appt_first', 'ACCESS_DESK']);
    expect(m.raw('SCH.6.1')).toBe('BOOKED');
    expect(m.raw('SCH.8.1')).toBe('FU');
    expect(m.raw('SCH.25.1')).toBe('Booked');
    // TQ1 (v2.5) start and end in trust time with the offset: 09:30Z is 10:30 BST.
    expect([m.raw('TQ1.7'), m.raw('TQ1.8')]).toEqual(['20260701103000+0100', '20260701104500+0100']);
    expect([m.raw('PID.3.1', 0), m.raw('PID.3.4', 0), m.raw('PID.3.5', 0)]).toEqual(['9434765919', 'NHS', 'NH']);
    expect([m.raw('PID.3.1', 1), m.raw('PID.3.4', 1), m.raw('PID.3.5', 1)]).toEqual(['pat_01', 'RXX', 'MR']);
    expect([m.text('PID.5.1'), m.text('PID.5.2')]).toEqual([patient.familyName, patient.givenName]);
    expect(m.raw('PID.7')).toBe('19700203');
    expect([m.text('PID.11.1'), m.text('PID.11.2'), m.text('PID.11.3'), m.text('PID.11.4'), m.text('PID.11.5')])
      .toEqual(['1 High Street', 'Flat 2', 'Leeds', 'West Yorkshire', 'LS1 1AA']);
    expect([m.text('PID.13.1', 0), m.text('PID.13.4', 1)]).toEqual(['07700 900123', 'ann@example.nhs.uk']);
    expect([m.raw('PV1.2'), m.raw('PV1.3.1'), m.raw('PV1.10'), m.raw('PV1.19')]).toEqual(['O', 'clin_01', '330', 'ref_01']);
    expect([m.raw('AIL.3.1'), m.raw('AIL.3.4'), m.text('AIL.3.9')]).toEqual(['clin_01', 'RXX', 'Dermatology & skin']);
    expect(m.text('AIP.3.2')).toBe('Dr A Patel');
  });

  it('escapes the delimiters in text so the fields stay where they are', () => {
    const text = buildHl7Message({ event: 'S12', at: '2026-11-29T20:00:00.000Z', patient, appointment }, 1, who);
    expect(text).toContain("O'Brien\\F\\Smith^Ann \\S\\ Jo \\T\\ Co \\R\\ x\\E\\y");
    expect(text).toContain('Dermatology \\T\\ skin');
    expect(unescapeHl7(hl7Escape('a|b^c&d~e\\f\ng'))).toBe('a|b^c&d~e\\f\rg');
  });

  it('sends a move as SIU^S14 with the new time and the placer id the PAS knows, a cancellation as SIU^S15', () => {
    const moved = parseHl7(buildHl7Message({ event: 'S14', at: '2026-11-29T20:00:00.000Z', patient, appointment }, 2, who));
    expect([moved.raw('MSH.9.2'), moved.raw('SCH.1.1'), moved.raw('SCH.6.1'), moved.raw('TQ1.7')]).toEqual(['S14', 'appt_first', 'MOVED', '20260701103000+0100']);
    const cancelled = parseHl7(buildHl7Message({ event: 'S15', at: '2026-11-29T20:00:00.000Z', patient, appointment: { ...appointment, cancelledBy: 'patient' } }, 3, who));
    expect([cancelled.raw('MSH.9.2'), cancelled.raw('SCH.6.1'), cancelled.raw('SCH.25.1'), cancelled.raw('RGS.2')]).toEqual(['S15', 'CBP', 'Cancelled', 'D']);
  });

  it('sends a demographics change as ADT^A08 with EVN, PID and PV1', () => {
    const m = parseHl7(buildHl7Message({ event: 'A08', at: '2026-06-01T12:00:00.000Z', patient: { ...patient, addressLines: [], postcode: null, email: null } }, 4, who));
    expect(m.segments).toEqual(['MSH', 'EVN', 'PID', 'PV1']);
    expect([m.raw('MSH.9.1'), m.raw('MSH.9.2'), m.raw('MSH.9.3')]).toEqual(['ADT', 'A08', 'ADT_A01']);
    expect(m.raw('EVN.2')).toBe('20260601130000+0100');
    expect(m.raw('PID.11')).toBe('');
    expect(m.text('PID.13.1')).toBe('07700 900123');
    expect(m.raw('PV1.2')).toBe('N');
  });

  it('builds the same text every time, so a resend is the message the PAS already has', () => {
    const once = buildHl7Message({ event: 'S12', at: '2026-11-29T20:00:00.000Z', patient, appointment }, 7, who);
    expect(buildHl7Message({ event: 'S12', at: '2026-11-29T20:00:00.000Z', patient, appointment }, 7, who)).toBe(once);
  });

  it('reads an ACK and decides what to do with it', () => {
    expect(readAck('MSH|^~\\&|PAS|RXX|ACCESS_DESK|RXX|20261129||ACK^S12^ACK|9|P|2.5\rMSA|AE|AD0000000042|Database busy'))
      .toEqual({ code: 'AE', controlId: 'AD0000000042', text: 'Database busy' });
    expect([ackOutcome('AA'), ackOutcome('AE'), ackOutcome('AR'), ackOutcome(null)]).toEqual(['accepted', 'retry', 'rejected', 'retry']);
    expect([1, 2, 3, 10, 30].map((n) => hl7BackoffMs(n, 1000, 60_000))).toEqual([1000, 2000, 4000, 60_000, 60_000]);
    expect(hl7ControlId(123)).toBe('AD0000000123');
    expect(hl7DateTime('2026-12-25T09:00:00.000Z')).toBe('20261225090000+0000');
  });
});
