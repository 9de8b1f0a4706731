// Staff write free text on decisions, and it can name the patient. Temporal history is stored unencrypted,
// so the words live in Postgres and the pathway's history carries only note ids. Real Postgres, dev Temporal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { sql } from 'drizzle-orm';
import { addDays } from '../../domain';
import { ApiError, type AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { referralAwaitingBooking, referralBody, slotStartingSoon, untilStarted } from '../support/fixtures';

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let leader: AccessDeskClient;
let ops: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, clinician, leader, ops] = await Promise.all(['officer', 'clinician', 'leader', 'ops'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

/** Everything a workflow's history holds, as text: the history itself and every payload decoded from base64. */
async function historyText(workflowId: string): Promise<string> {
  const json = historyToJSON(await stack.system.client.workflow.getHandle(workflowId).fetchHistory());
  const decoded: string[] = [json];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'data' && typeof x === 'string') decoded.push(Buffer.from(x, 'base64').toString('utf8'));
        else walk(x);
      }
    }
  };
  walk(JSON.parse(json));
  return decoded.join('\n');
}

/** With RECORD_HISTORIES=1, keeps the finished pathway's history for tests/workflows/replay.test.ts. */
async function recordHistory(workflowId: string, name: string) {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await stack.system.client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(`tests/workflows/histories/${name}.json`, historyToJSON(history));
}

/** The patient's identifiers in every form a note might hold them. */
const identifiers = (nhsNumber: string, givenName: string, familyName: string) =>
  [nhsNumber, `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`, givenName, familyName];

async function openItem(referralId: string, type: string) {
  for (let i = 0; i < 100; i++) {
    const [task] = await officer.list('tasks', { filter: { referralId, type, status: ['open', 'claimed'] } });
    if (task) return task;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no open ${type} for ${referralId}`);
}

describe('free text on decisions stays out of Temporal', () => {
  it('keeps attendance, DNA review and escalation notes out of the pathway history, and shows them on the timeline', async () => {
    const patient = { ...referralBody().patient, givenName: 'Philippa', familyName: 'Quennell-Hartwright' };
    const who = `${patient.givenName} ${patient.familyName} (NHS ${patient.nhsNumber})`;
    const notes = {
      escalation: `Rang ${who}: happy to take any 2WW slot`,
      capacity: `Extra list agreed for ${who}`,
      followUp: `${who} to bring PSA results`,
      dna: `${who} says the letter went to an old address`,
      rebook: `Rebook ${who}; confirm address first`,
      discharge: `${who} discharged to GP care`,
    };
    // Received 12 days ago: the two-week-wait booking ladder (days 3 and 7, each at the start of a working day,
    // so a weekend or Easter can push it four days on) escalates at once, to the team leader and to ops.
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, {
      patient, priority: 'two_week_wait', receivedAt: addDays(londonToday(), -12),
    });
    const escalation = await openItem(referral.id, 'escalation_review');
    await leader.post(`/api/tasks/${escalation.id}/complete`, { note: notes.escalation });
    const capacity = await openItem(referral.id, 'capacity_escalation');
    await ops.post(`/api/tasks/${capacity.id}/complete`, { note: notes.capacity });

    // Each appointment about to start: attendance is recorded once it has (issue 10).
    const soon = async (type: 'two_week_wait' | 'follow_up') => slotStartingSoon(stack.db.db, 'clin_2', type);
    const firstSlot = await soon('two_week_wait');
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: firstSlot.id });
    const first = await officer.waitForOpenTask(referral.id, 'record_attendance');
    await untilStarted(firstSlot.start);
    await officer.post(`/api/tasks/${first.id}/complete`, { outcome: 'follow_up', followUpWeeks: 6, note: notes.followUp });
    const followUp = await officer.waitForOpenTask(referral.id, 'book_follow_up');
    const secondSlot = await soon('follow_up');
    await officer.post(`/api/tasks/${followUp.id}/complete`, { slotId: secondSlot.id });
    const second = await officer.waitForOpenTask(referral.id, 'record_attendance');
    await untilStarted(secondSlot.start);
    await officer.post(`/api/tasks/${second.id}/complete`, { outcome: 'did_not_attend', note: notes.dna });
    const review = await officer.waitForOpenTask(referral.id, 'dna_review');
    await clinician.post(`/api/tasks/${review.id}/complete`, { decision: 'rebook', note: notes.rebook });
    const rebook = await officer.waitForOpenTask(referral.id, 'book_follow_up');
    const thirdSlot = await soon('follow_up');
    await officer.post(`/api/tasks/${rebook.id}/complete`, { slotId: thirdSlot.id });
    const third = await officer.waitForOpenTask(referral.id, 'record_attendance');
    await untilStarted(thirdSlot.start);
    await officer.post(`/api/tasks/${third.id}/complete`, { outcome: 'discharged', note: notes.discharge });
    expect((await stack.system.client.workflow.getHandle(referral.workflowId).result()).stage).toBe('discharged');
    await recordHistory(referral.workflowId, 'referral-pathway-by-stage-note-ids-discharged');

    const history = await historyText(referral.workflowId);
    expect(history).toContain(referral.id); // the payloads were decoded
    for (const secret of [...identifiers(patient.nhsNumber, patient.givenName, patient.familyName), ...Object.values(notes)]) {
      expect(history, secret).not.toContain(secret);
    }
    expect(history).toMatch(/"noteId":"note_/);

    // People still read the words: on the referral's timeline and on each completed item.
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    const timeline = shown.events.map((e: any) => e.note);
    expect(timeline).toEqual(expect.arrayContaining([
      `Follow-up in 6 weeks: ${notes.followUp}`, notes.rebook, notes.discharge,
    ]));
    for (const [task, note] of [[escalation, notes.escalation], [capacity, notes.capacity], [first, notes.followUp], [second, notes.dna],
      [review, notes.rebook], [third, notes.discharge]] as const) {
      const done = await officer.get(`/api/tasks/${task.id}`);
      expect(done.outcome.note).toBe(note);
      expect(done.outcome.noteId).toMatch(/^note_/);
    }
  });

  it('keeps a triage return reason out of the pathway history, and shows it on the timeline', async () => {
    const patient = { ...referralBody().patient, givenName: 'Tobias', familyName: 'Featherstonehaugh' };
    const reason = `${patient.givenName} ${patient.familyName}, NHS ${patient.nhsNumber}: already under the care of Aintree`;
    const referral = await officer.post('/api/referrals', referralBody({ patient }));
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'return_to_referrer', reason });
    expect((await stack.system.client.workflow.getHandle(referral.workflowId).result()).stage).toBe('returned_to_referrer');
    await recordHistory(referral.workflowId, 'referral-pathway-by-stage-note-ids-returned');

    const history = await historyText(referral.workflowId);
    for (const secret of [...identifiers(patient.nhsNumber, patient.givenName, patient.familyName), reason]) {
      expect(history, secret).not.toContain(secret);
    }
    expect(history).toMatch(/"reasonNoteId":"note_/);
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    expect(shown.events.find((e: any) => e.kind === 'returned_to_referrer').note).toBe(reason);
    const done = await officer.get(`/api/tasks/${triage.id}`);
    expect(done.outcome).toMatchObject({ decision: 'return_to_referrer', reason });
  });
});

describe('a refused decision keeps no note', () => {
  const notesOf = (taskId: string) => queryRows<{ body: string }>(stack.db.db, sql`select body from notes where task_id = ${taskId} order by created_at`);
  const outcome = (attempt: Promise<{ status: number }>) => attempt
    .then((res) => ({ status: res.status, code: undefined as string | undefined }))
    .catch((err) => {
      if (err instanceof ApiError) return { status: err.status, code: err.body?.code as string | undefined };
      throw err;
    });

  // The loser is refused by the pathway (TASK_NOT_OPEN) when both requests pass the API's own check at once.
  it('keeps only the winner’s reason when two people return the same referral at once', async () => {
    const triages = await Promise.all(Array.from({ length: 8 }, async () => {
      const referral = await officer.post('/api/referrals', referralBody());
      return officer.waitForOpenTask(referral.id, 'triage_referral');
    }));
    await Promise.all(triages.map(async (triage) => {
      const reasons = [`Clinician: already seen at Aintree (${triage.id})`, `Officer: duplicate of an earlier referral (${triage.id})`];
      const results = await Promise.all([clinician, officer].map((who, i) =>
        outcome(who.request('POST', `/api/tasks/${triage.id}/complete`, { decision: 'return_to_referrer', reason: reasons[i] }))));
      expect(results.filter((r) => r.status === 200), triage.id).toHaveLength(1);
      const [refused] = results.filter((r) => r.status !== 200);
      expect(refused, triage.id).toEqual({ status: 409, code: 'TASK_NOT_OPEN' });
      const winner = reasons[results.findIndex((r) => r.status === 200)];
      expect((await notesOf(triage.id)).map((n) => n.body), triage.id).toEqual([winner]);
      const done = await officer.get(`/api/tasks/${triage.id}`);
      expect(done.outcome.reason, triage.id).toBe(winner);
    }));
  });

  it('keeps no note for a decision on a pathway that has been stopped', async () => {
    const referral = await officer.post('/api/referrals', referralBody());
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
    await stack.system.client.workflow.getHandle(referral.workflowId).terminate('stopped by the service desk');
    const refused = await outcome(clinician.request('POST', `/api/tasks/${triage.id}/complete`,
      { decision: 'return_to_referrer', reason: 'Patient already under the care of Aintree' }));
    expect(refused).toEqual({ status: 409, code: 'TASK_NOT_OPEN' });
    expect(await notesOf(triage.id)).toEqual([]);
  });
});
