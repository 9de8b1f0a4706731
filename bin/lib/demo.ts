// Demo data: 2,000 referrals spread over the last 30 weeks at every stage of the pathway, loaded through
// the same API and workflows that staff use (never written around them).
import { addDays, isValidNhsNumber, type ReferralPriority } from '../../domain';
import { demoSpecialties } from '../../db/reference-data';
import { AccessDeskClient, ApiError } from './api-client';

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
  count?: number;
  concurrency?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
};

export async function loadDemoData(opts: DemoOptions) {
  const count = opts.count ?? 2000;
  const rand = seededRandom(opts.seed ?? 20261124);
  const officer = new AccessDeskClient(opts.baseUrl);
  const clinician = new AccessDeskClient(opts.baseUrl);
  await officer.signIn('officer@demo.nhs.uk', opts.password);
  await clinician.signIn('clinician@demo.nhs.uk', opts.password);
  const clinics: any[] = await officer.list('clinics', { range: [0, 99] });
  const clinicsBySpecialty = new Map<string, any[]>();
  for (const c of clinics) clinicsBySpecialty.set(c.specialtyCode, [...(clinicsBySpecialty.get(c.specialtyCode) ?? []), c]);

  // Decide everything up front from the seed, so the load is the same whatever the interleaving.
  const plans = Array.from({ length: count }, (_, i) => {
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
        },
        source, ubrn: source === 'ers' ? String(100000000000 + i * 7919 + Math.floor(rand() * 7000)).slice(0, 12) : undefined,
        receivedAt: addDays(opts.today, -ageDays), specialty: specialty.code, priority,
        reason: reasons[specialty.code][Math.floor(rand() * 3)],
      },
    };
  });

  // `told`: the patient was told on the phone as it was booked, so a first DNA nullifies the clock (issue 9).
  const book = async (task: any, told = false) => {
    const type = task.payload.slotType;
    for (let attempt = 0; attempt < 8; attempt++) {
      const free = await officer.list('slots', {
        filter: { clinicId: task.payload.clinicId, status: 'free', type, start_gte: new Date().toISOString() },
        sort: ['start', 'ASC'], range: [0, 29],
      });
      if (free.length === 0) return false;
      const slot = free[Math.floor(Math.random() * free.length)];
      try {
        await officer.post(`/api/tasks/${task.id}/complete`, { slotId: slot.id, ...(told ? { communicatedBy: 'phone' } : {}) });
        return true;
      } catch (err) {
        // A taken slot: try another. Anything else (someone claimed the item) is for walk's caller.
        if (!(err instanceof ApiError && err.status === 409 && err.body?.code === 'SLOT_TAKEN')) throw err;
      }
    }
    return false;
  };

  const walk = async (plan: (typeof plans)[number]) => {
    // The key makes a retried registration give back the same referral (GP letters have no UBRN).
    const { body: referral } = await officer.request('POST', '/api/referrals', plan.body, { 'Idempotency-Key': `demo-${opts.seed ?? 20261124}-${plan.i}` });
    if (plan.stage === 'awaiting_triage') return;
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
    if (plan.stage === 'returned_to_referrer') {
      await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'return_to_referrer', reason: 'Advice given: manage in primary care' });
      return;
    }
    const options = clinicsBySpecialty.get(plan.body.specialty)!;
    const clinic = options[Math.floor(plan.clinicPick * options.length)];
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId: clinic.id, clinicalPriority: plan.body.priority });
    if (plan.stage === 'awaiting_booking') return;
    if (!(await book(await officer.waitForOpenTask(referral.id, 'book_new_appointment'), plan.stage === 'awaiting_dna_review'))) return;
    if (plan.stage === 'booked') return;
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
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
    await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'follow_up', followUpWeeks: 6 + Math.floor(plan.slotPick * 6) });
    if (plan.stage === 'follow_up_booked') await book(await officer.waitForOpenTask(referral.id, 'book_follow_up'));
  };

  // People may be at work already: an item someone claimed, or a step someone took first, is theirs.
  // That referral stops where it is and is counted; the load goes on.
  const skipped: Array<{ plan: number; reason: string }> = [];
  const stepRound = (err: unknown) => err instanceof ApiError && [404, 409, 422].includes(err.status);
  let next = 0;
  let done = 0;
  let settled = 0;
  const workers = Array.from({ length: opts.concurrency ?? 16 }, async () => {
    while (next < plans.length) {
      const plan = plans[next++];
      try {
        await walk(plan);
        done += 1;
      } catch (err) {
        if (!stepRound(err)) throw err;
        skipped.push({ plan: plan.i, reason: (err as ApiError).body?.code ?? String((err as ApiError).status) });
      }
      settled += 1;
      opts.onProgress?.(settled, plans.length);
    }
  });
  await Promise.all(workers);

  // A working day already under way: each officer has taken some of the most urgent items.
  const officer2 = new AccessDeskClient(opts.baseUrl);
  await officer2.signIn('officer2@demo.nhs.uk', opts.password);
  for (const [who, n] of [[officer, 12], [officer2, 8]] as const) {
    for (let i = 0; i < Math.min(n, count); i++) await who.request('POST', '/api/tasks/claim-next', {}).catch((err) => { if (!stepRound(err)) throw err; });
  }
  return { referrals: done, skipped: skipped.length, skippedReasons: skipped };
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
