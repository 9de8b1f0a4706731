// Our thin typed mapping from the outbox's content to HL7 v2.5 (issue 14): appointments as SIU^S12/S14/S15, a patient's
// details as ADT^A08. node-hl7-client builds the segments and checks them against the v2.5 field table (a required
// field missing, a withdrawn one set: it throws); we compose composite fields ourselves, escaping every text value,
// so the library can be swapped without touching the mapping.
import { hl7Library } from './hl7-library';
import { hl7ControlId, hl7Escape as esc, type Hl7Appointment, type Hl7Content, type Hl7Patient } from '../domain/hl7';

/** MSH-3..6: who we are and whom we send to. The facilities are ODS codes (the trust's). */
export type Hl7Identity = { sendingApplication: string; sendingFacility: string; receivingApplication: string; receivingFacility: string; processingId?: 'P' | 'T' | 'D' };

const messageType = { S12: ['SIU', 'S12', 'SIU_S12'], S14: ['SIU', 'S14', 'SIU_S12'], S15: ['SIU', 'S15', 'SIU_S12'], A08: ['ADT', 'A08', 'ADT_A01'] } as const;

/** HL7 DTM in trust time with its offset (20261201093000+0000), so a PAS reading local time and one reading the offset agree. */
export function hl7DateTime(iso: string): string {
  const d = new Date(iso);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((p) => [p.type, p.value]));
  const local = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  const offsetMin = Math.round((local - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const off = `${String(Math.floor(Math.abs(offsetMin) / 60)).padStart(2, '0')}${String(Math.abs(offsetMin) % 60).padStart(2, '0')}`;
  return `${parts.year}${parts.month}${parts.day}${parts.hour}${parts.minute}${parts.second}${sign}${off}`;
}

const hl7Date = (isoDate: string) => isoDate.slice(0, 10).replace(/-/g, '');
const join = (...components: Array<string | null | undefined>) => components.map((c) => c ?? '').join('^').replace(/\^+$/, '');

/** PID: NHS number (`^^^NHS^NH`) and our id (`^^^<ODS>^MR`), name, date of birth, address, phone and email. */
function pidFields(p: Hl7Patient, ods: string) {
  const [l1, l2, l3, l4, ...more] = p.addressLines;
  const address = p.addressLines.length || p.postcode
    ? join(esc(l1 ?? ''), esc([l2, ...more].filter(Boolean).join(', ')), esc(l3 ?? ''), esc(l4 ?? ''), esc(p.postcode ?? ''), 'GBR', 'H') : '';
  const contacts = [
    ...(p.phone ? [join(esc(p.phone), 'PRN', 'PH')] : []),
    ...(p.email ? [join('', 'NET', 'Internet', esc(p.email))] : []),
  ];
  return {
    pid_1: '1',
    pid_3: `${join(esc(p.nhsNumber), '', '', 'NHS', 'NH')}~${join(esc(p.id), '', '', esc(ods), 'MR')}`,
    pid_5: join(esc(p.familyName), esc(p.givenName), '', '', '', '', 'L'),
    pid_7: hl7Date(p.dateOfBirth),
    pid_11: address,
    pid_13: contacts.join('~'),
  };
}

const eventReason: Record<'S12' | 'S14' | 'S15', (a: Hl7Appointment) => string> = {
  S12: () => join('BOOKED', 'Booked by the access centre', 'L'),
  S14: () => join('MOVED', 'Moved to a new date and time', 'L'),
  S15: (a) => (a.cancelledBy === 'patient' ? join('CBP', 'Cancelled by the patient', 'L') : join('CBH', 'Cancelled by the hospital', 'L')),
};

/** The message's HL7 text (segments separated by CR, no MLLP framing). `controlNumber` gives MSH-10. */
export function buildHl7Message(content: Hl7Content, controlNumber: number, who: Hl7Identity): string {
  const [code, trigger, structure] = messageType[content.event];
  const b = new (hl7Library().HL7_2_5)({ hardError: true });
  b.buildMSH({
    msh_3: esc(who.sendingApplication), msh_4: esc(who.sendingFacility), msh_5: esc(who.receivingApplication), msh_6: esc(who.receivingFacility),
    msh_9_1: code, msh_9_2: trigger, msh_9_3: structure, msh_10: hl7ControlId(controlNumber), msh_11_1: who.processingId ?? 'P',
  } as never);
  // The builder dates MSH-7 now; ours is the change's time, so a resend is the same message byte for byte.
  const message = b.toMessage();
  message.set('MSH.7', hl7DateTime(content.at));
  message.set('MSH.15', 'AL'); // the PAS acknowledges every message
  message.set('MSH.16', 'NE');
  message.set('MSH.17', 'GBR');
  const ods = who.sendingFacility;
  if (content.event === 'A08') {
    b.buildSegment('EVN', { evn_2: hl7DateTime(content.at) });
    b.buildSegment('PID', pidFields(content.patient, ods));
    b.buildSegment('PV1', { pv1_1: '1', pv1_2: 'N' });
    return b.toString();
  }
  const a = content.appointment;
  if (!a) throw new Error(`An ${content.event} message needs its appointment`);
  const clinicLocation = join(esc(a.clinic.id), '', '', esc(ods), '', '', esc(a.clinic.site), '', esc(a.clinic.name));
  const enteredBy = esc(a.enteredBy ?? 'ACCESS_DESK');
  const cancelled = content.event === 'S15';
  b.buildSegment('SCH', {
    sch_1: join(esc(a.placerId), esc(who.sendingApplication)),
    sch_5: join(esc(a.clinic.id), esc(a.clinic.name), 'L'),
    sch_6: eventReason[content.event](a),
    sch_7: a.kind === 'new' ? join('NEW', 'New appointment', 'L') : join('FU', 'Follow-up appointment', 'L'),
    sch_8: a.kind === 'new' ? join('NEW', 'New', 'L') : join('FU', 'Follow-up', 'L'),
    sch_16: enteredBy,
    sch_20: enteredBy,
    sch_25: cancelled ? join('Cancelled', 'Cancelled', 'HL70278') : join('Booked', 'Booked', 'HL70278'),
  });
  b.buildSegment('TQ1', { tq1_1: '1', tq1_7: hl7DateTime(a.start), tq1_8: hl7DateTime(a.end) });
  b.buildSegment('PID', pidFields(content.patient, ods));
  b.buildSegment('PV1', { pv1_1: '1', pv1_2: 'O', pv1_3: join(esc(a.clinic.id), '', '', esc(ods)), pv1_10: esc(a.clinic.specialtyCode), pv1_19: esc(a.referralId) });
  b.buildSegment('RGS', { rgs_1: '1', rgs_2: cancelled ? 'D' : 'A' });
  b.buildSegment('AIL', { ail_1: '1', ail_3: clinicLocation, ail_6: hl7DateTime(a.start) });
  b.buildSegment('AIP', { aip_1: '1', aip_3: join('', esc(a.clinic.clinicianName)), aip_4: join('CLIN', 'Clinician', 'L'), aip_6: hl7DateTime(a.start) });
  return b.toString();
}

/** An ACK read back: MSA-1 (AA/AE/AR), MSA-2 (our MSH-10) and the PAS's words (MSA-3, or ERR-8). */
export function readAck(text: string): { code: string | null; controlId: string | null; text: string | null } {
  const message = new (hl7Library().Message)({ text });
  const value = (path: string) => { try { const v = message.get(path).toString(); return v === '' ? null : v; } catch { return null; } };
  return { code: value('MSA.1'), controlId: value('MSA.2'), text: value('MSA.3') ?? value('ERR.8') };
}
