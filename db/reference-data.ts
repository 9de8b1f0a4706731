// The trust's reference data for the embedded default and tests: specialties by NHS treatment function
// code, clinics with weekly templates (their version 1; db/slots.ts makes the slots), staff in every role
// and queues. Loading it twice changes nothing.
import type { Database } from './client';
import { newId } from './ids';
import type { TemplateSession } from './slots';
import type { ErsServiceMapping } from '../domain/ers';
import { clinicTemplates, clinicTemplateVersions, clinics, queueMembers, queues, specialties, staff, theatreSessions } from './schema';
import { addDays } from '../domain/dates';

export const demoSpecialties = [
  { code: '100', name: 'General Surgery' },
  { code: '101', name: 'Urology' },
  { code: '110', name: 'Trauma and Orthopaedics' },
  { code: '120', name: 'ENT' },
  { code: '130', name: 'Ophthalmology' },
  { code: '300', name: 'General Internal Medicine' },
  { code: '320', name: 'Cardiology' },
  { code: '330', name: 'Dermatology' },
  { code: '502', name: 'Gynaecology' },
] as const;

/**
 * The trust's services on e-RS (http://fhir.nhs.net/Id/ers-service) and the local specialty each one's referrals
 * belong to. e-RS names a referral's service and its own specialty code; intake files it under `specialtyCode`.
 * A constant until the trust can edit it (a table would be its home then).
 */
export const demoErsServices: readonly ErsServiceMapping[] = [
  { serviceId: '21001', ersSpecialty: 'SURGERY_GENERAL', specialtyCode: '100', name: 'General Surgery Outpatients' },
  { serviceId: '21002', ersSpecialty: 'UROLOGY', specialtyCode: '101', name: 'Urology Outpatients' },
  { serviceId: '21003', ersSpecialty: 'ORTHOPAEDICS', specialtyCode: '110', name: 'Orthopaedic Clinic' },
  { serviceId: '21004', ersSpecialty: 'ENT', specialtyCode: '120', name: 'ENT Clinic' },
  { serviceId: '21005', ersSpecialty: 'OPHTHALMOLOGY', specialtyCode: '130', name: 'Eye Clinic' },
  { serviceId: '21006', ersSpecialty: 'MEDICINE_GENERAL', specialtyCode: '300', name: 'General Medicine Clinic' },
  { serviceId: '21007', ersSpecialty: 'CARDIOLOGY', specialtyCode: '320', name: 'Cardiology Outpatients' },
  { serviceId: '21008', ersSpecialty: 'DERMATOLOGY', specialtyCode: '330', name: 'Dermatology Clinic' },
  { serviceId: '21009', ersSpecialty: 'GYNAECOLOGY', specialtyCode: '502', name: 'Gynaecology Outpatients' },
];

/** The local specialty for an e-RS service id, or undefined for a service the trust has not mapped. */
export const specialtyForErsService = (serviceId: string) => demoErsServices.find((s) => s.serviceId === serviceId)?.specialtyCode;

/** The same mapping as e-RS intake takes it: service id → specialty code. */
export const ersServiceSpecialties = (): Record<string, string> => Object.fromEntries(demoErsServices.map((s) => [s.serviceId, s.specialtyCode]));


const sites = ['Ormskirk DGH', 'Southport DGH', 'Whiston Hospital', 'St Helens Hospital'];
const consultants = ['Mr A Khan', 'Ms B Okafor', 'Dr C Lewis', 'Mr D Hughes', 'Dr E Patel', 'Ms F Byrne', 'Dr G Nowak', 'Mr H Adeyemi',
  'Dr I Chen', 'Ms J Walsh', 'Dr K Murphy', 'Mr L Roberts', 'Dr M Singh', 'Ms N Evans', 'Dr O Brennan', 'Mr P Taylor',
  'Dr Q Ahmed', 'Ms R Jones', 'Dr S Wright', 'Mr T Green'];

/** 20 clinics over the specialties; each has a new-patient session and a follow-up session a week. */
export function demoClinics() {
  return Array.from({ length: 20 }, (_, i) => {
    const specialty = demoSpecialties[i % demoSpecialties.length];
    const weekday = (i % 5) + 1;
    const template: TemplateSession[] = [
      { weekday, startTime: '09:00', slotMinutes: 20, slotType: 'two_week_wait', slotCount: 3 },
      { weekday, startTime: '10:00', slotMinutes: 20, slotType: 'urgent', slotCount: 3 },
      { weekday, startTime: '11:00', slotMinutes: 20, slotType: 'new', slotCount: 6 },
      { weekday: ((weekday + 1) % 5) + 1, startTime: '14:00', slotMinutes: 15, slotType: 'follow_up', slotCount: 12 },
    ];
    return {
      key: `clinic-${i + 1}`,
      name: `${specialty.name} – ${consultants[i].split(' ').slice(-1)[0]} (${i < demoSpecialties.length ? 'A' : 'B'})`,
      specialtyCode: specialty.code,
      clinicianName: consultants[i],
      site: sites[i % sites.length],
      template,
    };
  });
}

export const demoStaff = [
  { email: 'officer@demo.nhs.uk', name: 'Olivia Officer', role: 'officer' },
  { email: 'officer2@demo.nhs.uk', name: 'Omar Officer', role: 'officer' },
  { email: 'leader@demo.nhs.uk', name: 'Leah Leader', role: 'team_leader' },
  { email: 'clinician@demo.nhs.uk', name: 'Dr Carl Clinician', role: 'clinician' },
  { email: 'ops@demo.nhs.uk', name: 'Oscar Ops', role: 'ops' },
  { email: 'admin@demo.nhs.uk', name: 'Ada Admin', role: 'admin' },
] as const;

/** Loads specialties, queues, staff, memberships, clinics and templates. Idempotent. */
export async function loadReferenceData(db: Database, opts: { passwordHash: string; effectiveFrom: string }) {
  await db.transaction(async (tx) => {
    await tx.insert(specialties).values([...demoSpecialties]).onConflictDoNothing();
    const queueRows = [
      ...demoSpecialties.map((s) => ({ id: `queue_${s.code}`, name: `${s.name} (${s.code})`, kind: 'specialty' as const, specialtyCode: s.code })),
      { id: 'queue_2ww', name: 'Two-week-wait booking', kind: 'two_week_wait' as const, specialtyCode: null },
      { id: 'queue_escalation', name: 'Team leader escalations', kind: 'escalation' as const, specialtyCode: null },
      { id: 'queue_capacity', name: 'Capacity escalations (ops)', kind: 'capacity' as const, specialtyCode: null },
      { id: 'queue_ers_asi', name: 'e-RS appointment slot issues', kind: 'ers_slot_issues' as const, specialtyCode: null },
      { id: 'queue_ward_forms', name: 'Ward forms', kind: 'ward_forms' as const, specialtyCode: null },
      { id: 'queue_partial_booking', name: 'Partial booking', kind: 'partial_booking' as const, specialtyCode: null },
      { id: 'queue_rebooking', name: 'Cancellations and rebooking', kind: 'rebooking' as const, specialtyCode: null },
      { id: 'queue_validation', name: 'Waiting-list validation', kind: 'validation' as const, specialtyCode: null },
      { id: 'queue_admitted', name: 'Admitted booking (pre-op and TCI)', kind: 'admitted_booking' as const, specialtyCode: null },
    ];
    await tx.insert(queues).values(queueRows).onConflictDoNothing();
    await tx.insert(staff).values(demoStaff.map((s) => ({ id: `staff_${s.email.split('@')[0]}`, ...s, passwordHash: opts.passwordHash })))
      .onConflictDoNothing();
    const membership: Record<string, string[]> = {
      officer: [...demoSpecialties.map((s) => `queue_${s.code}`), 'queue_2ww', 'queue_ers_asi', 'queue_rebooking', 'queue_validation', 'queue_admitted'],
      officer2: [...demoSpecialties.slice(0, 5).map((s) => `queue_${s.code}`), 'queue_2ww', 'queue_ward_forms', 'queue_partial_booking'],
      leader: [...queueRows.map((q) => q.id).filter((id) => id !== 'queue_capacity')],
      clinician: demoSpecialties.map((s) => `queue_${s.code}`),
      ops: ['queue_capacity'],
      admin: queueRows.map((q) => q.id),
    };
    await tx.insert(queueMembers).values(Object.entries(membership).flatMap(([who, ids]) => ids.map((queueId) => ({ queueId, staffId: `staff_${who}` }))))
      .onConflictDoNothing();
    for (const clinic of demoClinics()) {
      const id = `clin_${clinic.key.replace('clinic-', '')}`;
      const inserted = await tx.insert(clinics).values({ id, name: clinic.name, specialtyCode: clinic.specialtyCode, clinicianName: clinic.clinicianName, site: clinic.site })
        .onConflictDoNothing().returning({ id: clinics.id });
      if (inserted.length) {
        const versionId = `tmplv_${id}`;
        await tx.insert(clinicTemplateVersions).values({ id: versionId, clinicId: id, version: 1, effectiveFrom: opts.effectiveFrom });
        await tx.insert(clinicTemplates).values(clinic.template.map((t) => ({ id: newId('tmpl'), clinicId: id, ...t, effectiveFrom: opts.effectiveFrom, versionId })));
      }
    }
  });
}

/** The surgical specialties that have theatre lists (issue 15). */
export const demoSurgicalSpecialties = ['100', '101', '110', '120', '130', '502'] as const;

/**
 * Demo theatre capacity (issue 15): for each surgical specialty, a morning list on one weekday and an all-day list on
 * another, over the coming `weeks`, led by the demo consultant. Ids are made from specialty, date and session, so
 * loading again (a restart, the next day) adds only the new dates.
 */
export async function loadDemoTheatreSessions(db: Database, opts: { from: string; weeks: number }) {
  const weekday = (date: string) => ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1; // ISO: 1 Monday … 7 Sunday
  const rows: (typeof theatreSessions.$inferInsert)[] = [];
  for (let d = 0; d < opts.weeks * 7; d += 1) {
    const date = addDays(opts.from, d);
    demoSurgicalSpecialties.forEach((code, i) => {
      const name = demoSpecialties.find((s) => s.code === code)!.name;
      if (weekday(date) === (i % 5) + 1) rows.push({ id: `ths_${code}_${date}_am`, listName: `${name} list A`, specialtyCode: code, surgeonId: 'staff_clinician', date, session: 'am', minutesAvailable: 240 });
      if (weekday(date) === ((i + 2) % 5) + 1) rows.push({ id: `ths_${code}_${date}_all_day`, listName: `${name} list B`, specialtyCode: code, surgeonId: 'staff_clinician', date, session: 'all_day', minutesAvailable: 480 });
    });
  }
  if (rows.length) await db.insert(theatreSessions).values(rows).onConflictDoNothing();
  return rows.length;
}
