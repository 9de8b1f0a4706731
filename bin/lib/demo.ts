// Demo data: 2,000 referrals spread over the last 30 weeks at every stage of the pathway, loaded through
// the same API and workflows that staff use (never written around them). A share is walked through the API step
// by step (triage, booking, attendance, outcomes, changes), so there is history; the rest of the open list comes
// over the way a trust's list does at go-live, as a PAS extract through POST /api/imports (issue 13), which writes
// rows set-based and starts each pathway in its stage, at a fraction of a walk's cost.
import { Semaphore } from 'async-mutex';
import { sql } from 'drizzle-orm';
import { addDays, isValidNhsNumber, type ReferralPriority } from '../../domain';
import { IMPORT_HEADER } from '../../domain/import';
import { importSlotType } from '../../domain/import-plan';
import { queryRows, type Database } from '../../db/client';
import { demoSpecialties } from '../../db/reference-data';
import { AccessDeskClient, ApiError } from './api-client';
import { todaysClinic, untilStarted } from './todays-clinic';

type Stage = 'awaiting_triage' | 'returned_to_referrer' | 'awaiting_booking' | 'booked' | 'awaiting_follow_up'
  | 'follow_up_booked' | 'awaiting_dna_review' | 'discharged' | 'treated' | 'awaiting_admission' | 'active_monitoring';

/** A small seeded generator, so every demo load looks the same. */
export function seededRandom(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const givenNames = ['Amelia', 'Oliver', 'Isla', 'George', 'Ava', 'Noah', 'Mia', 'Arthur', 'Grace', 'Leo', 'Freya', 'Harry', 'Aisha', 'Mohammed',
  'Zofia', 'Jack', 'Priya', 'Thomas', 'Evie', 'Kwame', 'Siobhan', 'Dylan', 'Margaret', 'Peter', 'Joan', 'Brian', 'Fatima', 'Liam'];
const familyNames = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Wright', 'Walker', 'Roberts',
  'Hughes', 'Khan', 'Edwards', 'Green', 'Hall', 'Clarke', 'Murphy', "O'Neill", 'Nowak', 'Okafor', 'Byrne', 'Lewis', 'Ahmed', 'Thompson'];
const reasons: Record<string, string[]> = {
  '100': ['Symptomatic gallstones', 'Inguinal hernia', 'Change in bowel habit'], '101': ['Visible haematuria', 'Raised PSA', 'Recurrent UTIs'],
  '110': ['Knee pain, query meniscal tear', 'Hip osteoarthritis', 'Carpal tunnel syndrome'], '120': ['Persistent hoarseness', 'Recurrent tonsillitis', 'Hearing loss'],
  '130': ['Cataract', 'Glaucoma suspect', 'Diabetic retinopathy'], '300': ['Unexplained weight loss', 'Iron deficiency anaemia', 'Fatigue'],
  '320': ['Palpitations', 'Exertional chest pain', 'Heart murmur'], '330': ['Changing pigmented lesion', 'Psoriasis', 'Eczema not controlled'],
  '502': ['Post-menopausal bleeding', 'Pelvic pain', 'Heavy menstrual bleeding'],
};

export function syntheticNhsNumber(rand: () => number): string {
  // 999 numbers are set aside for testing and never issued to patients.
  for (;;) {
    const candidate = `999${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`;
    if (isValidNhsNumber(candidate)) return candidate;
  }
}

function pickStage(rand: () => number, ageDays: number): Stage {
  if (ageDays < 4) return 'awaiting_triage';
  const r = rand();
  if (r < 0.08) return 'awaiting_triage';
  if (r < 0.13) return 'returned_to_referrer';
  if (r < 0.40) return 'awaiting_booking';
  if (r < 0.62) return 'booked';
  if (r < 0.72) return 'awaiting_follow_up';
  if (r < 0.78) return 'follow_up_booked';
  if (r < 0.84) return 'awaiting_dna_review';
  if (r < 0.90) return 'discharged';
  if (r < 0.94) return 'treated';
  if (r < 0.97) return 'awaiting_admission';
  return 'active_monitoring';
}

export type DemoOptions = {
  baseUrl: string;
  password: string;
  today: string;
  /** The database behind the API: today's clinic (slots starting in a moment) is made in it. */
  db: Database;
  count?: number;
  /** How many of them are walked through the API step by step (default: DEMO_WALKED, or all when fewer); the rest are imported. */
  walked?: number;
  concurrency?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
};

const demoStreets = ['Church Road', 'Mill Lane', 'Prescot Road', 'Victoria Street', 'Park Avenue', 'Station Road', 'Green Lane'];
const demoPractices = [
  { name: 'Dock Road Surgery', gp: 'Dr Amina Shah', ods: 'N81001', email: 'dock.road.surgery@nhs.net' },
  { name: 'Rainhill Village Practice', gp: 'Dr Tom Price', ods: 'N81002', email: 'rainhill.village@nhs.net' },
  { name: 'Ormskirk Health Centre', gp: 'Dr Grace Obi', ods: 'N81003', email: 'ormskirk.hc@nhs.net' },
];
const demoTowns = ['St Helens', 'Whiston', 'Prescot', 'Rainhill', 'Ormskirk', 'Skelmersdale', 'Southport'];

/** Every demo referral's plan, decided up front from the seed, so the load is the same whatever the interleaving. */
export function demoPlans(count: number, seed: number, today: string) {
  const rand = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const ageDays = Math.floor(rand() * 210);
    const specialty = demoSpecialties[Math.floor(rand() * demoSpecialties.length)];
    const p = rand();
    const priority: ReferralPriority = p < 0.12 ? 'two_week_wait' : p < 0.32 ? 'urgent' : 'routine';
    const dob = addDays('1940-01-01', Math.floor(rand() * 365 * 80));
    const given = givenNames[Math.floor(rand() * givenNames.length)];
    const family = familyNames[Math.floor(rand() * familyNames.length)];
    const source = rand() < 0.75 ? 'ers' : rand() < 0.6 ? 'gp_letter' : rand() < 0.5 ? 'consultant' : 'ward';
    return {
      i, stage: pickStage(rand, ageDays), clinicPick: rand(), slotPick: rand(),
      body: {
        patient: {
          nhsNumber: syntheticNhsNumber(rand), givenName: given, familyName: family, dateOfBirth: dob,
          postcode: `L${1 + Math.floor(rand() * 39)} ${Math.floor(rand() * 9)}${'ABDEFGHJLNPQRSTUWXYZ'[Math.floor(rand() * 20)]}${'ABDEFGHJLNPQRSTUWXYZ'[Math.floor(rand() * 20)]}`,
          phone: `07700 900${String(Math.floor(rand() * 1000)).padStart(3, '0')}`,
          // From the index, not the seed's stream, so adding addresses left every other choice as it was.
          addressLines: [`${1 + (i * 37) % 180} ${demoStreets[i % demoStreets.length]}`, demoTowns[i % demoTowns.length]],
        },
        // The referring practice: told by NHSmail when a referral is returned.
        referrer: { name: demoPractices[i % demoPractices.length].gp, organisation: demoPractices[i % demoPractices.length].name,
          odsCode: demoPractices[i % demoPractices.length].ods, email: demoPractices[i % demoPractices.length].email },
        source, ubrn: source === 'ers' ? String(100000000000 + i * 7919 + Math.floor(rand() * 7000)).slice(0, 12) : undefined,
        receivedAt: addDays(today, -ageDays), specialty: specialty.code, priority,
        reason: reasons[specialty.code][Math.floor(rand() * 3)],
      },
    };
  });
}

/**
 * Referrals walked through the API step by step when the load is larger: enough for every stage, outcomes, changes and
 * offers to show (a walk costs a few hundred ms of CPU); the rest, open pathways, come over by import (about 40 ms each,
 * the Temporal server's share included: docs/benchmarks.md "Demo load").
 */
export const DEMO_WALKED = 80;

type Plan = ReturnType<typeof demoPlans>[number];
type FreeSlot = { id: string; start: string };

/**
 * An imported plan's row of the PAS extract. Only open pathways come over at go-live, so a plan at a closed stage
 * (returned, discharged, treated) or one a walk alone can reach (a DNA, active monitoring) stands at the open stage
 * nearest it. Booked rows hold a free slot of their clinic, of the type their booking takes.
 */
function importRow(plan: Plan, seed: number, today: string, clinicId: string, takeSlot: (clinicId: string, type: string) => FreeSlot | undefined,
  patient: Plan['body']['patient']) {
  const ageDays = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${plan.body.receivedAt}T00:00:00Z`)) / 86_400_000);
  const as = ({
    awaiting_triage: ['awaiting_triage', false], returned_to_referrer: ['awaiting_first_appointment', false],
    awaiting_booking: ['awaiting_first_appointment', false], awaiting_dna_review: ['awaiting_first_appointment', false], booked: ['awaiting_first_appointment', true],
    awaiting_follow_up: ['awaiting_follow_up', false], discharged: ['awaiting_follow_up', false], active_monitoring: ['awaiting_follow_up', false],
    follow_up_booked: ['awaiting_follow_up', true], treated: ['awaiting_follow_up', true], awaiting_admission: ['awaiting_admission', false],
  } as const)[plan.stage];
  const [stage, booked] = as;
  // Seen in clinic (a follow-up or a decision to admit): a 20 partway through the wait.
  const seen = stage === 'awaiting_follow_up' || stage === 'awaiting_admission';
  const slot = booked ? takeSlot(clinicId, importSlotType(stage === 'awaiting_follow_up' ? 'follow_up' : 'new', plan.body.priority)) : undefined;
  const cells: Record<(typeof IMPORT_HEADER)[number], string> = {
    nhs_number: patient.nhsNumber, given_name: patient.givenName, family_name: patient.familyName, date_of_birth: patient.dateOfBirth,
    postcode: patient.postcode, pathway_id: `DEMO-${seed}-${plan.i}`, ubrn: '', treatment_function_code: plan.body.specialty,
    priority: plan.body.priority, clock_start: plan.body.receivedAt,
    last_rtt_code: seen ? '20' : '', last_rtt_date: seen ? addDays(plan.body.receivedAt, Math.floor(ageDays / 2)) : '',
    stage, clinic_id: slot ? clinicId : '', appointment_start: slot?.start ?? '',
  };
  return IMPORT_HEADER.map((h) => csvCell(cells[h])).join(',');
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A walk found no open item of the kind it expected: someone else moved that referral on. */
class NoOpenItem extends Error {
  constructor(readonly referralId: string, readonly type: string) { super(`no open ${type} for ${referralId}`); }
}

export async function loadDemoData(opts: DemoOptions) {
  const count = opts.count ?? 2000;
  const officer = new AccessDeskClient(opts.baseUrl);
  const clinician = new AccessDeskClient(opts.baseUrl);
  const leader = new AccessDeskClient(opts.baseUrl);
  await officer.signIn('officer@demo.nhs.uk', opts.password);
  await clinician.signIn('clinician@demo.nhs.uk', opts.password);
  await leader.signIn('leader@demo.nhs.uk', opts.password);
  const clinics: any[] = await officer.list('clinics', { range: [0, 99] });
  const clinicsBySpecialty = new Map<string, any[]>();
  for (const c of clinics) clinicsBySpecialty.set(c.specialtyCode, [...(clinicsBySpecialty.get(c.specialtyCode) ?? []), c]);
  const clinicToday = todaysClinic(opts.db);
  let importedSoFar = 0;
  let done = 0;
  let settled = 0;

  /**
   * The rest of the list as a go-live PAS extract, imported beside the walks; answers how many came in. The
   * administrator runs it: the team leader may be at the console, and signing in as someone ends their other session.
   */
  async function importDemoPathways(toImport: Plan[]): Promise<number> {
    if (!toImport.length) return 0;
    const admin = new AccessDeskClient(opts.baseUrl);
    await admin.signIn('admin@demo.nhs.uk', opts.password);
    // Free slots of each clinic and type, past the first ones (which the walks book from), a week ahead or more.
    const free = await queryRows<{ id: string; clinic_id: string; type: string; start_ms: number }>(opts.db, sql`
      select id, clinic_id, type, (extract(epoch from start) * 1000)::float8 as start_ms from (
        select s.id, s.clinic_id, s.type, s.start, row_number() over (partition by s.clinic_id, s.type order by s.start) as n
        from slots s where s.status = 'free' and s.start >= now() + interval '7 days') f
      where n > 40 and n <= 40 + ${toImport.length} order by clinic_id, type, start`);
    const slotsBy = new Map<string, FreeSlot[]>();
    for (const f of free) {
      const k = `${f.clinic_id}/${f.type}`;
      slotsBy.set(k, [...(slotsBy.get(k) ?? []), { id: f.id, start: new Date(Number(f.start_ms)).toISOString() }]);
    }
    const takeSlot = (clinicId: string, type: string) => slotsBy.get(`${clinicId}/${type}`)?.shift();
    // One NHS number, one patient: a synthetic number drawn twice is that patient's second pathway.
    const patients = new Map<string, Plan['body']['patient']>();
    const lines = toImport.map((plan) => {
      const patient = patients.get(plan.body.patient.nhsNumber) ?? plan.body.patient;
      patients.set(patient.nhsNumber, patient);
      const options = clinicsBySpecialty.get(plan.body.specialty)!;
      return importRow(plan, seed, opts.today, options[Math.floor(plan.clinicPick * options.length)].id, takeSlot, patient);
    });
    const csv = `${IMPORT_HEADER.join(',')}\n${lines.join('\n')}\n`;
    const { id } = await admin.postText(`/api/imports?fileName=demo-go-live-${seed}.csv`, csv);
    for (let delay = 250; ; delay = Math.min(delay * 2, 1000)) {
      await new Promise((r) => setTimeout(r, delay));
      const run = await admin.get(`/api/imports/${id}`);
      importedSoFar = run.imported + run.unchanged;
      if (run.status === 'running') { opts.onProgress?.(settled + importedSoFar, count); continue; }
      if (run.status === 'failed' || run.rejected > 0) {
        throw new Error(`The demo's import ${id} ${run.status === 'failed' ? `failed: ${run.failure}` : `refused ${run.rejected} rows (${JSON.stringify(run.errors.slice(0, 3))})`}`);
      }
      return run.imported + run.unchanged;
    }
  }

  const seed = opts.seed ?? 20261124;
  const everyPlan = demoPlans(count, seed, opts.today);
  const walkedCount = Math.min(count, opts.walked ?? DEMO_WALKED);
  const plans = everyPlan.slice(0, walkedCount);
  const importing = importDemoPathways(everyPlan.slice(walkedCount));
  importing.catch(() => undefined); // awaited after the walks; not an unhandled rejection meanwhile
  // Issue 10 on show, a few of each whatever the count: of the booked, every fourth cancels or moves (by the
  // patient, or cancelled by the hospital, in turn); of those still to book, every seventh is offered a date
  // and declines, accepts or has not yet answered it, in turn.
  const changes = ['cancelled_by_patient', 'cancelled_by_hospital', 'rescheduled'] as const;
  const answers = ['declined', 'accepted', 'not_answered'] as const;
  const everyNth = <T>(stage: Stage, n: number, kinds: readonly T[]) =>
    new Map(plans.filter((p) => p.stage === stage).filter((_, k) => k % n === 0).map((p, k) => [p.i, kinds[k % kinds.length]]));
  const changeOf = everyNth('booked', 4, changes);
  const offerOf = everyNth('awaiting_booking', 7, answers);

  // The item a pathway raises after a decision the load made is open as soon as the decision's answer comes back;
  // if it is not there within a short wait, someone took the referral another way (completed the item first).
  // 20 s: the import beside the walks can keep the pathways' answers waiting several seconds on a busy machine.
  const nextItem = (referralId: string, type: string, timeoutMs = 20_000) => officer.waitForOpenTask(referralId, type, timeoutMs)
    .catch((err: unknown) => { throw err instanceof Error && err.message.startsWith('No open') ? new NoOpenItem(referralId, type) : err; });
  const isCode = (err: unknown, status: number, code: string) => err instanceof ApiError && err.status === status && err.body?.code === code;
  const freeSlots = (clinicId: string, type: string, from = new Date()) => officer.list('slots', {
    filter: { clinicId, status: 'free', type, start_gte: from.toISOString() }, sort: ['start', 'ASC'], range: [0, 29],
  });

  // `told`: the patient was told on the phone as it was booked, so a first DNA nullifies the clock (issue 9).
  const book = async (task: any, told = false) => {
    const type = task.payload.slotType;
    for (let attempt = 0; attempt < 8; attempt++) {
      const free = await freeSlots(task.payload.clinicId, type);
      if (free.length === 0) return false;
      const slot = free[Math.floor(Math.random() * free.length)];
      try {
        await officer.post(`/api/tasks/${task.id}/complete`, { slotId: slot.id, ...(told ? { communicatedBy: 'phone' } : {}) });
        return true;
      } catch (err) {
        // A taken slot: try another. Anything else (someone claimed the item) is for walk's caller.
        if (!isCode(err, 409, 'SLOT_TAKEN')) throw err;
      }
    }
    return false;
  };

  // An appointment that will be outcomed: a slot of today's clinic (the clinic triage chose, the type the item
  // asks for) starting in a moment. If one started before its booking landed (a busy machine), it is refused:
  // then a later one, and later ones from then on. Walks wait for their start without holding a lane.
  let lead = 4000;
  const bookToday = async (task: any, told: boolean): Promise<string> => {
    for (;;) {
      const slot = await clinicToday.slot(task.payload.clinicId, task.payload.slotType, lead);
      try {
        await officer.post(`/api/tasks/${task.id}/complete`, { slotId: slot.id, ...(told ? { communicatedBy: 'phone' } : {}) });
        return slot.start;
      } catch (err) {
        if (!isCode(err, 422, 'SLOT_IN_PAST') || lead >= 64_000) throw err;
        lead = Math.max(lead, Math.min(64_000, 2 * (Date.now() - Date.parse(slot.start) + lead)));
      }
    }
  };

  const changeBooked = async (referralId: string, booking: any, change: (typeof changes)[number]) => {
    const { payload } = await nextItem(referralId, 'record_attendance');
    const path = `/api/appointments/${payload.appointmentId}`;
    if (change === 'cancelled_by_patient') {
      await officer.post(`${path}/cancel`, { by: 'patient', reason: 'Patient rang to cancel: away that week; will book again' });
    } else if (change === 'cancelled_by_hospital') {
      await officer.post(`${path}/cancel`, { by: 'hospital', reason: 'Consultant on leave: clinic cancelled' });
    } else {
      const [later] = await freeSlots(booking.payload.clinicId, booking.payload.slotType, new Date(Date.parse(payload.slotStart) + 7 * 86_400_000));
      if (!later) return;
      const body = { slotId: later.id, by: 'patient', reason: 'Patient asked for a later date', communicatedBy: 'phone' };
      // A move past the breach date is a team leader's to confirm.
      await officer.post(`${path}/reschedule`, body).catch((err) => {
        if (!isCode(err, 422, 'PAST_BREACH_NEEDS_LEADER')) throw err;
        return leader.post(`${path}/reschedule`, { ...body, confirmPastBreach: true });
      });
    }
  };

  const offerDate = async (referralId: string, answer: (typeof answers)[number]) => {
    const { payload } = await nextItem(referralId, 'book_new_appointment');
    // Four weeks ahead: a reasonable offer (21 days' notice or more).
    const [slot] = await freeSlots(payload.clinicId, payload.slotType, new Date(Date.now() + 28 * 86_400_000));
    if (!slot) return;
    const offer = await officer.post(`/api/referrals/${referralId}/offers`, { slotId: slot.id, offeredOn: opts.today, channel: 'phone' });
    if (answer === 'declined') await officer.post(`/api/offers/${offer.id}/decline`, { reason: 'Patient is away that week' });
    // Booked through the booking item; if someone has just taken the slot, the offer stays unanswered.
    // A slot past the breach date is a team leader's to confirm, as on a move.
    if (answer === 'accepted') {
      const accept = { communicatedBy: 'phone' };
      await officer.post(`/api/offers/${offer.id}/accept`, accept)
        .catch((err) => {
          if (!isCode(err, 422, 'PAST_BREACH_NEEDS_LEADER')) throw err;
          return leader.post(`/api/offers/${offer.id}/accept`, { ...accept, confirmPastBreach: true });
        })
        .catch((err) => { if (!isCode(err, 409, 'SLOT_TAKEN')) throw err; });
    }
  };

  /** One patient's way through; `seen` waits, without holding up the others, until an appointment has started. */
  const walk = async (plan: (typeof plans)[number], seen: (start: string) => Promise<void>) => {
    // The key makes a retried registration give back the same referral (GP letters have no UBRN).
    const { body: referral } = await officer.request('POST', '/api/referrals', plan.body, { 'Idempotency-Key': `demo-${opts.seed ?? 20261124}-${plan.i}` });
    if (plan.stage === 'awaiting_triage') return;
    const triage = await nextItem(referral.id, 'triage_referral', 60_000);
    if (plan.stage === 'returned_to_referrer') {
      await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'return_to_referrer', reason: 'Advice given: manage in primary care' });
      return;
    }
    const options = clinicsBySpecialty.get(plan.body.specialty)!;
    const clinic = options[Math.floor(plan.clinicPick * options.length)];
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId: clinic.id, clinicalPriority: plan.body.priority });
    if (plan.stage === 'awaiting_booking') {
      const answer = offerOf.get(plan.i);
      if (answer) await offerDate(referral.id, answer);
      return;
    }
    const booking = await nextItem(referral.id, 'book_new_appointment');
    if (plan.stage === 'booked') {
      const change = changeOf.get(plan.i);
      if ((await book(booking)) && change) await changeBooked(referral.id, booking, change);
      return;
    }
    await seen(await bookToday(booking, plan.stage === 'awaiting_dna_review'));
    const attendance = await nextItem(referral.id, 'record_attendance');
    if (plan.stage === 'awaiting_dna_review') {
      await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'did_not_attend' });
      return;
    }
    if (plan.stage === 'discharged') {
      await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'discharged', note: 'Reassured; no further treatment needed' });
      return;
    }
    // Clinic outcomes that stop or keep the RTT clock, so the PTL has patients awaiting admission and on active monitoring.
    const clinicOutcomes = {
      treated: { outcome: 'treated', note: 'Treated in clinic' },
      awaiting_admission: { outcome: 'added_to_waiting_list', note: 'Listed for day-case surgery' },
      active_monitoring: { outcome: 'active_monitoring', reviewInWeeks: 12, note: 'Watch and wait; review in 12 weeks' },
    } as const;
    if (plan.stage === 'treated' || plan.stage === 'awaiting_admission' || plan.stage === 'active_monitoring') {
      await clinician.post(`/api/tasks/${attendance.id}/complete`, clinicOutcomes[plan.stage]);
      return;
    }
    // Issue 16: a follow-up due beyond 6 weeks goes on the partial booking list (no booking item), so one to book now is due in 6.
    const followUpWeeks = plan.stage === 'follow_up_booked' ? 6 : 6 + Math.floor(plan.slotPick * 6);
    await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'follow_up', followUpWeeks });
    if (plan.stage === 'follow_up_booked') await book(await nextItem(referral.id, 'book_follow_up'));
  };

  // People may be at work already: an item someone claimed, or a step someone took first, is theirs.
  // That referral stops where it is and is counted; the load goes on.
  const skipped: Array<{ plan: number; reason: string }> = [];
  const stepRound = (err: unknown) => (err instanceof ApiError && [404, 409, 422].includes(err.status)) || err instanceof NoOpenItem;
  // A walk holds a lane while it calls the API and gives it back while its appointment is still to start, so
  // the waits overlap the other walks; one coming back from its wait goes ahead of walks not yet begun.
  const lanes = new Semaphore(opts.concurrency ?? 16);
  await Promise.all(plans.map(async (plan) => {
    let release = (await lanes.acquire())[1];
    const seen = async (start: string) => {
      release();
      await untilStarted(start);
      release = (await lanes.acquire(1, 1))[1];
    };
    try {
      await walk(plan, seen);
      done += 1;
    } catch (err) {
      if (!stepRound(err)) throw err;
      skipped.push({ plan: plan.i, reason: err instanceof NoOpenItem ? 'NO_OPEN_ITEM' : (err as ApiError).body?.code ?? String((err as ApiError).status) });
    } finally {
      release();
    }
    settled += 1;
    opts.onProgress?.(settled + importedSoFar, count);
  }));
  const imported = await importing;

  // A working day already under way: each officer has taken some of the most urgent items.
  const officer2 = new AccessDeskClient(opts.baseUrl);
  await officer2.signIn('officer2@demo.nhs.uk', opts.password);
  for (const [who, n] of [[officer, 12], [officer2, 8]] as const) {
    for (let i = 0; i < Math.min(n, count); i++) await who.request('POST', '/api/tasks/claim-next', {}).catch((err) => { if (!stepRound(err)) throw err; });
  }
  return { referrals: done + imported, walked: done, imported, skipped: skipped.length, skippedReasons: skipped };
}

export function progressBar(label: string) {
  const started = Date.now();
  let lastDraw = 0;
  return (done: number, total: number) => {
    const now = Date.now();
    if (done !== total && now - lastDraw < 200) return;
    lastDraw = now;
    const width = 30;
    const filled = Math.round((done / total) * width);
    const rate = done / Math.max(1, (now - started) / 1000);
    const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
    const line = `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}  ${rate.toFixed(1)}/s  ${done === total ? 'done' : `~${eta}s left`}`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
    else if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0) process.stdout.write(`${line}\n`);
  };
}
