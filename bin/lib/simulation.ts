// The access centre simulated (issue 17, docs/simulation.md): the real referralPathway workflows and activities on
// Temporal's time-skipping test server, against a fresh database with the demo trust's specialties, clinics and
// templates, driven day by day through the real API as officers, clinicians and a team leader would: referrals
// registered, triaged, booked, cancelled, attended or missed. Everything random comes from one seed, and each
// specialty's work is done in a fixed order, so a seed gives the same figures every time.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  addDays, isWorkingDay, londonDate, londonInstant, type ReferralPriority,
} from '../../domain';
import { connectPostgres, queryRows, type Database, type DatabaseHandle } from '../../db/client';
import { demoClinics, demoSpecialties, loadReferenceData } from '../../db/reference-data';
import { generateSlots } from '../../db/slots';
import { silentLogger } from '../../api/log';
import { hashPassword } from '../../api/passwords';
import { AccessDeskClient, ApiError } from './api-client';
import { concurrently as inParallel, limit } from './concurrently';
import { seededRandom, syntheticNhsNumber } from './demo';
import { SLOT_HORIZON_DAYS, startSystem, type RunningSystem } from './system';
import { findTemporalBinary, missingBinaryHelp } from './temporal-binaries';
import { installTemporalRuntime } from './temporal-log';
import { bundleWorkflows } from './worker';

/**
 * National rates (../shared/domain/access-rules.md, England outpatient activity, HES): 6.2% of appointments missed
 * (DNA, 2019-20); patient and hospital cancellations together 16.2% of appointments (2019-20), split evenly as in
 * 2012/13 (6.1% each).
 */
export const NATIONAL_RATES = { dna: 0.062, patientCancellation: 0.081, hospitalCancellation: 0.081 } as const;

/** The case mix, as the demo trust's referrals have it: 12% two-week-wait, 20% urgent, the rest routine. */
export const PRIORITY_MIX = { two_week_wait: 0.12, urgent: 0.2 } as const;
/** Triage returns this share to the referrer (advice and guidance); the rest are accepted. */
export const RETURN_RATE = 0.05;
/** What a clinic decides after a first attendance, and after a follow-up; the rest are discharged. */
export const FIRST_OUTCOMES = { follow_up: 0.35, treated: 0.2 } as const;
export const FOLLOW_UP_OUTCOMES = { follow_up: 0.2, treated: 0.3 } as const;
/** After a DNA, the clinician rebooks this share (always a two-week-wait); the rest go back to the GP. */
export const DNA_REBOOK = 0.85;
/** Follow-ups are asked for in 6 weeks: booked from a booking item (beyond 6 weeks they go to the partial booking list). */
const FOLLOW_UP_WEEKS = 6;
/** A follow-up is booked from this many days before its book-by date. */
export const FOLLOW_UP_LEEWAY_DAYS = 7;
/** The hour (London) the day's work is done; no clinic starts before it and no ladder rung of its own falls in it. */
const WORK_AT = '07:00';

export type SimulationOptions = {
  weeks: number;
  referralsPerDay: number;
  seed: number;
  /** Referrals the clinicians triage a working day (default: all that arrive, and a tenth more). */
  triagePerDay?: number;
  /** Booking items the officers work a working day (default: twice the arrivals: first, follow-up and rebooked). */
  bookingsPerDay?: number;
  /** Every clinic template's slots multiplied by this (default 1: the demo trust as it is). */
  capacityScale?: number;
  /** API decisions in flight at once over all specialties (default 16; 1 is one at a time). */
  concurrency?: number;
  /** The worker's workflow cache (default 1000). */
  cachedWorkflows?: number;
  /** The Postgres server the fresh database is made on (default TEST_POSTGRES_URL or the local one). */
  postgresUrl?: string;
  /** A workflow bundle built ahead (the tests'); else the workflows are bundled at start. */
  workflowBundlePath?: string;
  /** Progress lines, for stderr. */
  say?: (line: string) => void;
  /** Each week's figures as soon as they are known. */
  onWeek?: (week: WeekFigures) => void;
  /**
   * The forecast check (docs/simulation.md "Forecast check"): called at the end of each week with the simulation's
   * database, answering the referrals predicted to breach and the date each is predicted to breach on.
   */
  forecast?: ForecastProbe;
  /** Keep the database afterwards (its name is in the result) rather than dropping it. */
  keepDatabase?: boolean;
  /** Called after the last day, before the servers stop, with the time-skipping environment (a benchmark measures the server). */
  afterDays?: (env: TestWorkflowEnvironment) => Promise<void>;
};

/** Predicted breaches from the forecast made at `asOf`, within `weeks` weeks: referral id → the breach date it is predicted to pass. */
export type ForecastProbe = (db: Database, asOf: string, weeks: number) => Promise<Map<string, string>>;

export type WeekFigures = {
  week: number;
  weekEnding: string;
  referrals: number;
  triaged: number;
  booked: number;
  attended: number;
  dnas: number;
  cancelledByPatient: number;
  cancelledByHospital: number;
  ptlSize: number;
  within18WeeksPct: number;
  over52Weeks: number;
  breaches: number;
  escalations: number;
  /** Booking items left for want of a free slot of their type in the horizon. */
  noSlot: number;
  /** Breaches the forecast made at the week's end predicts in the 18 weeks after it (null without the forecast check). */
  predictedBreaches: number | null;
};

export type ForecastScore = {
  weeksChecked: number;
  predicted: number;
  predictedThatHappened: number;
  /** Predicted breaches dated after the simulation's end: not yet known, not scored. */
  beyondEnd: number;
  breaches: number;
  breachesPredicted: number;
  /** Share of predicted breaches that happened; of breaches that were predicted (null: nothing to share). */
  precision: number | null;
  recall: number | null;
};

export type SimulationResult = {
  weeks: WeekFigures[];
  forecast?: ForecastScore;
  pathways: number;
  /** Refusals met (by code): booking a slot someone took, a rule that said no. Counted, not fatal. */
  refusals: Record<string, number>;
  elapsedMs: number;
  /** API decisions made (each an Update on a pathway, or a referral registered, which starts one), refused ones included. */
  decisions: number;
  /** The days' work alone, without start-up (bundling, migrating, starting the servers) or the forecast check. */
  simulatedMs: number;
  database: string;
};

type Rand = () => number;
export const DEFAULT_CONCURRENCY = 16;
type Lane = { specialty: string; weight: number; rand: Rand; clinics: string[] };
type OpenTask = { id: string; type: string; referral_id: string; priority: string; breach_date: string | null; payload: any };
const rank: Record<string, number> = { two_week_wait: 0, urgent: 1, routine: 2 };

export const WEEK_CSV_HEADER = ['week', 'week_ending', 'referrals', 'triaged', 'booked', 'attended', 'dnas', 'cancelled_by_patient',
  'cancelled_by_hospital', 'ptl_size', 'within_18_weeks_pct', 'over_52_weeks', 'breaches', 'escalations', 'no_slot', 'predicted_breaches'] as const;

export function weekCsvRow(w: WeekFigures): string {
  return [w.week, w.weekEnding, w.referrals, w.triaged, w.booked, w.attended, w.dnas, w.cancelledByPatient, w.cancelledByHospital,
    w.ptlSize, w.within18WeeksPct.toFixed(1), w.over52Weeks, w.breaches, w.escalations, w.noSlot, w.predictedBreaches ?? ''].join(',');
}

/** The Monday on or after a date. */
const mondayFrom = (date: string) => {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // 0 Monday
  return weekday === 0 ? date : addDays(date, 7 - weekday);
};

async function freshDatabase(serverUrl: string): Promise<DatabaseHandle & { name: string; drop(): Promise<void> }> {
  const name = `access_desk_simulation_${randomBytes(5).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = connectPostgres(url.toString(), { max: 20 });
  return {
    ...handle, name,
    async drop() {
      await handle.close();
      const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export async function runSimulation(opts: SimulationOptions): Promise<SimulationResult> {
  const say = opts.say ?? (() => {});
  const started = Date.now();
  const testServer = findTemporalBinary('temporal-test-server', { explicit: process.env.TEMPORAL_TEST_SERVER_PATH, say });
  if (!testServer) throw new Error(missingBinaryHelp('temporal-test-server'));
  try { installTemporalRuntime(silentLogger, 'ERROR'); } catch { /* installed already (a test run) */ }

  if (!opts.workflowBundlePath) say('Bundling the workflows …');
  const workflowBundle = opts.workflowBundlePath ? { codePath: opts.workflowBundlePath } : { code: (await bundleWorkflows()).code };
  say('Starting the time-skipping Temporal server and a fresh database …');
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServer } } });
  const db = await freshDatabase(opts.postgresUrl ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  let system: RunningSystem | undefined;
  try {
    // Server time: the time-skipping server's clock, ahead of the wall clock by what has been skipped.
    let skippedMs = (await env.currentTimeMs()) - Date.now();
    const nowMs = () => Date.now() + skippedMs;
    const sleepUntil = async (ms: number) => {
      const ahead = ms - (await env.currentTimeMs());
      if (ahead > 0) await env.sleep(ahead);
      skippedMs = (await env.currentTimeMs()) - Date.now();
    };
    // Monday next week, so every run starts on the same weekday and a day's templates are the same.
    const start = mondayFrom(addDays(londonDate(nowMs()), 1));

    say('Migrating and loading the demo trust (specialties, queues, staff, clinics and templates) …');
    await db.migrate();
    const password = randomBytes(12).toString('base64url');
    await loadReferenceData(db.db, { passwordHash: await hashPassword(password), effectiveFrom: addDays(start, -7 * 40) });
    const scale = opts.capacityScale ?? 1;
    if (scale !== 1) await db.db.execute(sql`update clinic_templates set slot_count = greatest(1, round(slot_count * ${scale}::numeric)::int)`);
    await sleepUntil(londonInstant(start, '00:00'));
    await generateSlots(db.db, { from: start, days: SLOT_HORIZON_DAYS });

    system = await startSystem({
      db, temporalAddress: env.address, taskQueue: `access-desk-simulation-${randomBytes(4).toString('hex')}`, port: 0, logger: silentLogger,
      workflowBundle, temporalClient: env.client, today: () => londonDate(nowMs()), now: nowMs,
      workerTuning: { maxCachedWorkflows: opts.cachedWorkflows ?? 1000 }, slotHorizonSchedule: false, outbox: false,
    });
    const signIn = async (email: string) => {
      const client = new AccessDeskClient(system!.url);
      await client.signIn(email, password);
      return client;
    };
    const [officer, clinician, leader] = await Promise.all(
      ['officer@demo.nhs.uk', 'clinician@demo.nhs.uk', 'leader@demo.nhs.uk'].map(signIn));

    const rows = <T = any>(q: ReturnType<typeof sql>) => queryRows<T>(db.db, q);
    const refusals: Record<string, number> = {};
    const refused = (err: unknown): string => {
      // A refusal is the answer to a decision and the day goes on; so is a server error (an Update timing out on a
      // loaded machine), counted by its status so a run shows it. Anything else (the API gone) ends the run.
      if (!(err instanceof ApiError)) throw err;
      const code = err.status >= 500 ? `HTTP_${err.status}` : String(err.body?.code ?? err.status);
      refusals[code] = (refusals[code] ?? 0) + 1;
      return code;
    };

    // Arrivals by specialty in proportion to its clinics' new-patient capacity, as a trust's demand follows its clinics.
    const capacity = new Map<string, number>();
    for (const c of demoClinics()) {
      const slots = c.template.filter((t) => t.slotType !== 'follow_up').reduce((n, t) => n + t.slotCount, 0);
      capacity.set(c.specialtyCode, (capacity.get(c.specialtyCode) ?? 0) + slots);
    }
    const total = [...capacity.values()].reduce((a, b) => a + b, 0);
    const clinicIds = (code: string) => demoClinics().map((c, i) => ({ id: `clin_${i + 1}`, code: c.specialtyCode })).filter((c) => c.code === code).map((c) => c.id);
    const lanes: Lane[] = demoSpecialties.map((s, i) => ({
      specialty: s.code, weight: (capacity.get(s.code) ?? 0) / total, rand: seededRandom(opts.seed * 31 + i + 1), clinics: clinicIds(s.code),
    }));
    const arrivals = seededRandom(opts.seed);
    const triagePerDay = opts.triagePerDay ?? Math.ceil(opts.referralsPerDay * 1.1);
    const bookingsPerDay = opts.bookingsPerDay ?? opts.referralsPerDay * 2;

    // The simulation's own order of referrals (arrival order): the last tie-break of the work order.
    const order = new Map<string, number>();
    let pathways = 0;
    // Cancellations decided at booking, made on the next working day: by date, per specialty.
    const cancellations = new Map<string, Array<{ referralId: string; by: 'patient' | 'hospital' }>>();
    const tally = { referrals: 0, triaged: 0, booked: 0, attended: 0, dnas: 0, cancelledByPatient: 0, cancelledByHospital: 0, noSlot: 0 };

    const openTasks = (specialty: string, types: string[]) => rows<OpenTask>(sql`
      select t.id, t.type::text as type, t.referral_id, t.priority::text as priority, t.breach_date::text as breach_date, t.payload
      from tasks t join referrals r on r.id = t.referral_id
      where r.specialty_code = ${specialty} and t.status in ('open', 'claimed')
        and t.type in (${sql.join(types.map((t) => sql`${t}`), sql`, `)})`)
      // The work order (clinical priority, then breach date), then arrival: never the database's ids, which differ run to run.
      .then((ts) => ts.sort((a, b) => (rank[a.priority] - rank[b.priority])
        || (a.breach_date ?? '9999').localeCompare(b.breach_date ?? '9999')
        || ((order.get(a.referral_id) ?? 0) - (order.get(b.referral_id) ?? 0)) || a.type.localeCompare(b.type)));

    const timing = new Map<string, { n: number; ms: number }>();
    const timed = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
      const t0 = Date.now();
      try { return await f(); } finally {
        const t = timing.get(what) ?? { n: 0, ms: 0 };
        t.n += 1; t.ms += Date.now() - t0; timing.set(what, t);
      }
    };
    const complete = async (who: AccessDeskClient, task: OpenTask, body: object) => {
      try { await timed(task.type, () => who.post(`/api/tasks/${task.id}/complete`, body)); return true; } catch (err) { refused(err); return false; }
    };

    /** The earliest free slot, passing over those in `taken` (chosen for another item of the same day). */
    const earliestFree = async (clinicId: string, type: string, fromMs: number, taken: Set<string> = new Set()) => (await rows<{ id: string; start: string }>(sql`
      select id, start::text as start from slots where clinic_id = ${clinicId} and type = ${type} and status = 'free'
        and start >= ${new Date(fromMs).toISOString()}::timestamptz order by start, id limit ${taken.size + 1}`)).find((s) => !taken.has(s.id));

    // Decisions in flight at once, over all specialties: the API calls (Updates) are where the time goes.
    const inFlight = limit(opts.concurrency ?? DEFAULT_CONCURRENCY);
    /** One step's decisions, made beforehand in the work order, sent concurrently; never two of one pathway at once. */
    const concurrently = <T, R>(items: T[], pathway: (t: T) => string, decide: (t: T) => Promise<R>) => inParallel(inFlight, items, pathway, decide);

    /**
     * One specialty's working day, in a fixed order of steps: cancellations, clinic outcomes, clinicians' reviews,
     * triage, booking, arrivals. Each step's decisions are made first, one by one in the work order (every random draw
     * and every slot chosen), then sent to the API concurrently; what they answered is counted in the same order.
     */
    async function workDay(lane: Lane, date: string, arriving: Array<{ priority: ReferralPriority; n: number }>) {
      const { rand } = lane;
      const tomorrow = londonInstant(addDays(date, 1), '00:00');
      const cancelling = await Promise.all((cancellations.get(`${date}/${lane.specialty}`) ?? []).map(async (c) => {
        const [appt] = await rows<{ id: string }>(sql`select id from appointments where referral_id = ${c.referralId} and state = 'booked'
          and start >= ${new Date(tomorrow).toISOString()}::timestamptz order by start limit 1`);
        return { ...c, appt };
      }));
      cancellations.delete(`${date}/${lane.specialty}`);
      // One cancellation of a referral a day: a second, sent beside it, would find the same appointment.
      const once = new Set<string>();
      const cancelled = await concurrently(cancelling.filter((c) => c.appt && !once.has(c.referralId) && once.add(c.referralId)), (c) => c.referralId, async (c) => {
        try {
          await timed('cancel', () => officer.post(`/api/appointments/${c.appt!.id}/cancel`, { by: c.by, reason: c.by === 'patient' ? 'Patient rang to cancel' : 'Clinic cancelled' }));
          return c.by;
        } catch (err) { refused(err); return undefined; }
      });
      for (const by of cancelled) {
        if (by === 'patient') tally.cancelledByPatient += 1; else if (by === 'hospital') tally.cancelledByHospital += 1;
      }

      // Clinic outcomes for appointments before today.
      const today = londonInstant(date, '00:00');
      const outcomes: Array<{ task: OpenTask; who: AccessDeskClient; body: object; dna: boolean }> = [];
      const attendance = await openTasks(lane.specialty, ['record_attendance']);
      const appts = await Promise.all(attendance.map(async (task) => (await rows<{ kind: string; start_ms: number }>(sql`select kind::text as kind,
        (extract(epoch from start) * 1000)::float8 as start_ms from appointments where id = ${task.payload.appointmentId}`))[0]));
      attendance.forEach((task, i) => {
        const appt = appts[i];
        if (!appt || appt.start_ms >= today) return;
        if (rand() < NATIONAL_RATES.dna) { outcomes.push({ task, who: officer, body: { outcome: 'did_not_attend' }, dna: true }); return; }
        const mix = appt.kind === 'new' ? FIRST_OUTCOMES : FOLLOW_UP_OUTCOMES;
        const o = rand();
        const body = o < mix.follow_up ? { outcome: 'follow_up', followUpWeeks: FOLLOW_UP_WEEKS }
          : o < mix.follow_up + mix.treated ? { outcome: 'treated' } : { outcome: 'discharged' };
        outcomes.push({ task, who: clinician, body, dna: false });
      });
      const recorded = await concurrently(outcomes, (o) => o.task.referral_id, (o) => complete(o.who, o.task, o.body));
      outcomes.forEach((o, i) => { if (recorded[i]) { if (o.dna) tally.dnas += 1; else tally.attended += 1; } });

      // Clinicians' reviews: a DNA (rebook or discharge), repeated cancellations (rebook); validation (still waiting).
      const reviews = (await openTasks(lane.specialty, ['dna_review', 'clinical_review', 'validate_pathway'])).map((task) => {
        if (task.type === 'dna_review') {
          const rebook = task.priority === 'two_week_wait' || rand() < DNA_REBOOK;
          return { task, who: clinician, body: { decision: rebook ? 'rebook' : 'discharge' } };
        }
        if (task.type === 'clinical_review') return { task, who: clinician, body: { decision: 'rebook' } };
        return { task, who: officer, body: { outcome: 'still_waiting' } };
      });
      await concurrently(reviews, (r) => r.task.referral_id, (r) => complete(r.who, r.task, r.body));

      // Triage at the clinicians' rate: to the clinic of the specialty with the earliest free slot of the type it needs
      // (triage books nothing, so the day's choices do not change each other).
      const triage: Array<{ task: OpenTask; body: object }> = [];
      let triageBudget = Math.round(triagePerDay * lane.weight);
      for (const task of await openTasks(lane.specialty, ['triage_referral'])) {
        if (triageBudget-- <= 0) break;
        if (rand() < RETURN_RATE) { triage.push({ task, body: { decision: 'return_to_referrer', reason: 'Advice and guidance given to the GP' } }); continue; }
        const type = task.priority === 'routine' ? 'new' : task.priority;
        const starts = await Promise.all(lane.clinics.map(async (clinicId) => {
          const slot = await earliestFree(clinicId, type, tomorrow);
          return slot ? Date.parse(slot.start) : Infinity;
        }));
        let best = 0;
        starts.forEach((at, i) => { if (at < starts[best]) best = i; });
        triage.push({ task, body: { decision: 'accept', clinicId: lane.clinics[best], clinicalPriority: task.priority } });
      }
      const triaged = await concurrently(triage, (t) => t.task.referral_id, (t) => complete(clinician, t.task, t.body));
      tally.triaged += triaged.filter(Boolean).length;

      // Booking at the officers' rate: the earliest free slot of the item's clinic and type from tomorrow, each item its
      // own (the slots chosen earlier in the day are passed over, as if already booked).
      const bookings: Array<{ task: OpenTask; slotId: string }> = [];
      const chosen = new Set<string>();
      let bookingBudget = Math.round(bookingsPerDay * lane.weight);
      for (const task of await openTasks(lane.specialty, ['book_new_appointment', 'book_follow_up', 'rebook_appointment'])) {
        if (bookingBudget <= 0) break;
        // A follow-up is booked for about when it is due (a week's leeway before its book-by date), not tomorrow.
        const from = task.type === 'book_follow_up' && task.payload.bookBy
          ? Math.max(tomorrow, londonInstant(addDays(task.payload.bookBy, -FOLLOW_UP_LEEWAY_DAYS), '00:00')) : tomorrow;
        const slot = await earliestFree(task.payload.clinicId, task.payload.slotType, from, chosen);
        if (!slot) { tally.noSlot += 1; continue; }
        bookingBudget -= 1;
        chosen.add(slot.id);
        bookings.push({ task, slotId: slot.id });
      }
      const booked = await concurrently(bookings, (b) => b.task.referral_id, async ({ task, slotId }) => {
        try {
          await timed(task.type, () => officer.post(`/api/tasks/${task.id}/complete`, { slotId, communicatedBy: 'phone' }));
          return true;
        } catch (err) {
          // A slot past the breach date is the team leader's to confirm, and they do: it is the earliest there is.
          if (refused(err) === 'PAST_BREACH_NEEDS_LEADER') return complete(leader, task, { slotId, communicatedBy: 'phone', confirmPastBreach: true });
          return false;
        }
      });
      bookings.forEach(({ task }, i) => {
        if (!booked[i]) return;
        tally.booked += 1;
        const c = rand();
        const by = c < NATIONAL_RATES.patientCancellation ? 'patient' as const
          : c < NATIONAL_RATES.patientCancellation + NATIONAL_RATES.hospitalCancellation ? 'hospital' as const : undefined;
        if (by) {
          let on = addDays(date, 1);
          while (!isWorkingDay(on)) on = addDays(on, 1);
          const key = `${on}/${lane.specialty}`;
          cancellations.set(key, [...(cancellations.get(key) ?? []), { referralId: task.referral_id, by }]);
        }
      });

      // Today's referrals, received today.
      const referrals = arriving.map(({ priority, n }) => {
        // A number drawn twice is the same patient's second pathway: the details follow from the number.
        const nhsNumber = syntheticNhsNumber(rand);
        return {
          n, nhsNumber,
          body: {
            patient: { nhsNumber, givenName: 'Sim', familyName: `Patient ${nhsNumber.slice(3)}`, dateOfBirth: addDays('1940-01-01', Number(nhsNumber.slice(3)) % (365 * 80)),
              postcode: 'L39 2AZ', phone: '07700 900123' },
            source: 'gp_letter', receivedAt: date, specialty: lane.specialty, priority, reason: 'Simulated referral',
          },
        };
      });
      // One patient's referrals one after another (the second finds the patient the first made).
      const registered = await concurrently(referrals, (r) => r.nhsNumber, async ({ n, body }) => {
        try {
          const { body: referral } = await timed('register', () => officer.request('POST', '/api/referrals', body, { 'Idempotency-Key': `sim-${opts.seed}-${n}` }));
          return referral.id as string;
        } catch (err) { refused(err); return undefined; }
      });
      referrals.forEach(({ n }, i) => {
        const id = registered[i];
        if (id === undefined) return;
        order.set(id, n);
        tally.referrals += 1;
      });
    }

    const escalationsSoFar = async () => (await rows<{ n: number }>(sql`select count(*)::int as n from tasks
      where type in ('escalation_review', 'capacity_escalation')`))[0].n;
    let escalationsBefore = 0;

    const weekFigures = async (week: number, weekEnding: string): Promise<WeekFigures> => {
      const weekStart = addDays(weekEnding, -6);
      const [ptl] = await rows<{ size: number; within: number; over52: number }>(sql`
        select count(*)::int as size, count(*) filter (where ${weekEnding}::date - clock_start <= 126)::int as within,
          count(*) filter (where ${weekEnding}::date - clock_start >= 365)::int as over52
        from rtt_periods where status = 'running'`);
      // A breach: a clock still running on its breach date (clock start + 127) that fell in this week.
      const [{ breaches }] = await rows<{ breaches: number }>(sql`select count(*)::int as breaches from rtt_periods
        where status <> 'nullified' and clock_start + 127 between ${weekStart}::date and ${weekEnding}::date
          and (clock_stop is null or clock_stop >= clock_start + 127)`);
      const escalations = await escalationsSoFar();
      const figures: WeekFigures = {
        week, weekEnding, ...tally, ptlSize: ptl.size, within18WeeksPct: ptl.size ? (100 * ptl.within) / ptl.size : 100,
        over52Weeks: ptl.over52, breaches, escalations: escalations - escalationsBefore, predictedBreaches: null,
      };
      escalationsBefore = escalations;
      for (const k of Object.keys(tally) as Array<keyof typeof tally>) tally[k] = 0;
      return figures;
    };

    // The forecast check: each week's predictions, scored against the breaches that then happened.
    const predictions: Array<{ asOf: string; breaches: Map<string, string> }> = [];
    const FORECAST_WEEKS = 18;

    const weeks: WeekFigures[] = [];
    let n = 0;
    let forecastMs = 0;
    const loopStarted = Date.now();
    for (let d = 0; d < opts.weeks * 7; d++) {
      const date = addDays(start, d);
      await timed('sleep', () => sleepUntil(londonInstant(date, WORK_AT)));
      if (d % 7 === 0 && d > 0) {
        const figures = await weekFigures(d / 7, addDays(date, -1));
        if (opts.forecast) {
          const t0 = Date.now();
          const breaches = await opts.forecast(db.db, addDays(date, -1), FORECAST_WEEKS);
          predictions.push({ asOf: addDays(date, -1), breaches });
          figures.predictedBreaches = breaches.size;
          forecastMs += Date.now() - t0;
        }
        weeks.push(figures);
        opts.onWeek?.(figures);
      }
      if (d % 7 === 0) await generateSlots(db.db, { from: date, days: SLOT_HORIZON_DAYS });
      if (!isWorkingDay(date)) continue;
      // The day's referrals, drawn in one order whatever the lanes do: a specialty by its weight, then a priority.
      const byLane = new Map<string, Array<{ priority: ReferralPriority; n: number }>>();
      for (let i = 0; i < opts.referralsPerDay; i++) {
        let r = arrivals();
        const lane = lanes.find((l) => (r -= l.weight) < 0) ?? lanes[lanes.length - 1];
        const p = arrivals();
        const priority: ReferralPriority = p < PRIORITY_MIX.two_week_wait ? 'two_week_wait' : p < PRIORITY_MIX.two_week_wait + PRIORITY_MIX.urgent ? 'urgent' : 'routine';
        byLane.set(lane.specialty, [...(byLane.get(lane.specialty) ?? []), { priority, n: n++ }]);
      }
      pathways = n;
      // Specialties do not share clinics, so their days run side by side without changing each other's figures.
      await Promise.all(lanes.map((lane) => workDay(lane, date, byLane.get(lane.specialty) ?? [])));
      say(`  ${date}: ${n.toLocaleString('en-GB')} referrals so far (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    if (process.env.SIMULATION_PROFILE) say([...timing].map(([k, t]) => `${k}: ${t.n} × ${(t.ms / t.n).toFixed(0)} ms`).join('; '));
    const end = addDays(start, opts.weeks * 7);
    await sleepUntil(londonInstant(end, WORK_AT));
    const last = await weekFigures(opts.weeks, addDays(end, -1));
    const simulatedMs = Date.now() - loopStarted - forecastMs;
    weeks.push(last);
    opts.onWeek?.(last);

    let forecast: ForecastScore | undefined;
    if (opts.forecast) forecast = await scoreForecast(db.db, predictions, addDays(end, -1));
    const elapsedMs = Date.now() - started;
    await opts.afterDays?.(env);
    const decisions = [...timing].filter(([k]) => k !== 'sleep').reduce((n, [, t]) => n + t.n, 0);
    return { weeks, forecast, pathways, refusals, elapsedMs, decisions, simulatedMs, database: db.name };
  } finally {
    await system?.stop().catch(() => undefined);
    await env.teardown().catch(() => undefined);
    if (opts.keepDatabase) await db.close(); else await db.drop().catch(() => undefined);
  }
}

/**
 * Each week's predicted breaches against what the simulation then did: a prediction happened if that referral's clock
 * was still running on its breach date; a breach was predicted if the forecast before it named it. Only breach dates
 * the simulation reached count (a prediction for after the end is not yet known).
 */
export async function scoreForecast(db: Database, predictions: Array<{ asOf: string; breaches: Map<string, string> }>, lastDay: string): Promise<ForecastScore> {
  const actual = new Map((await queryRows<{ referral_id: string; breach_on: string }>(db, sql`
    select referral_id, (clock_start + 127)::text as breach_on from rtt_periods
    where status <> 'nullified' and clock_start + 127 <= ${lastDay}::date and (clock_stop is null or clock_stop >= clock_start + 127)`))
    .map((r) => [r.referral_id, r.breach_on]));
  let predicted = 0; let happened = 0; let breaches = 0; let caught = 0; let beyondEnd = 0;
  for (const { asOf, breaches: forecast } of predictions) {
    const horizon = addDays(asOf, 18 * 7);
    for (const [referralId, on] of forecast) {
      if (on > lastDay) { beyondEnd += 1; continue; }
      predicted += 1;
      if (actual.has(referralId)) happened += 1;
    }
    // Breaches that fell in this forecast's horizon, after it was made and before the simulation ended.
    for (const [referralId, on] of actual) {
      if (on <= asOf || on > horizon) continue;
      breaches += 1;
      if (forecast.has(referralId)) caught += 1;
    }
  }
  return {
    weeksChecked: predictions.length, predicted, predictedThatHappened: happened, beyondEnd, breaches, breachesPredicted: caught,
    precision: predicted ? happened / predicted : null, recall: breaches ? caught / breaches : null,
  };
}
