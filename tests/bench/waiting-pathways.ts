// Many open pathways, fast: what intake leaves behind (the patient, the referral, its open triage item) written by SQL
// a chunk at a time, and each referralPathway carried on from the state intake's first activity would have left it in
// (the workflow's own second argument, the one continue-as-new uses), so its first workflow task runs no activity
// and it waits on its ladder at once: the booking ladder's day-84 rung, as a routine referral received today does.
// The workflows are the product's own; only the intake's HTTP request and first transaction are skipped.
import { sql, type SQL } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client';
import { endOfWorkingDay, startRttClock, taskTitles, triageDueDate } from '../../domain';
import { londonToday } from '../../bin/lib/system';
import { referralPathway } from '../../workflows';
import type { PathwayInput } from '../../workflows/types';
import type { PathwayState } from '../../workflows/pathway/context';

const specialties = ['100', '101', '110', '120', '130', '300', '320', '330', '502'];

/** Runs `count` jobs over `lanes` concurrent loops. */
async function inLanes(lanes: number, count: number, job: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => { while (next < count) await job(next++); }));
}

/**
 * `count` open pathways waiting on their triage item, ids `ref_<prefix>_<n>` for n in from..from+count-1, patients
 * `pat_bench_<n>` (made here if missing). Calls `made(workflowId)` as each is started; at most `lanes` starts in flight.
 */
export async function carryOnWaitingPathways(opts: {
  db: Database; client: Client; taskQueue: string; prefix: string; count: number; from?: number; lanes?: number; chunk?: number;
  made?: (workflowId: string) => void; until?: number;
}) {
  const { db, prefix } = opts;
  const from = opts.from ?? 1;
  const chunk = opts.chunk ?? 500;
  const receivedAt = londonToday();
  const dueAt = endOfWorkingDay(triageDueDate(receivedAt));
  let started = 0;
  for (let lo = from; lo < from + opts.count; lo += chunk) {
    if (opts.until !== undefined && performance.now() > opts.until) break;
    const hi = Math.min(from + opts.count - 1, lo + chunk - 1);
    const spec = sql`(array[${sql.join(specialties.map((s) => sql`${s}`), sql`, `)}]::text[])[1 + n % 9]`;
    const ref: SQL = sql`${`ref_${prefix}_`}::text || n`;
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into patients (id, nhs_number, given_name, family_name, date_of_birth, postcode)
        select 'pat_bench_' || n, 'B' || lpad(n::text, 9, '0'), 'Ada', 'Lovelace', date '1940-01-01' + (n % 25000), 'L39 2AZ'
        from generate_series(${lo}::int, ${hi}::int) n on conflict do nothing`);
      await tx.execute(sql`insert into referrals (id, patient_id, source, received_at, specialty_code, priority, reason, workflow_id, pathway_started)
        select ${ref}, 'pat_bench_' || n, 'ers', ${receivedAt}::date, ${spec}, 'routine', 'Benchmark referral', 'referral-' || ${ref}, true
        from generate_series(${lo}::int, ${hi}::int) n`);
      await tx.execute(sql`insert into tasks (id, task_key, type, title, priority, priority_rank, due_at, queue_id, workflow_id, referral_id, patient_id, payload)
        select ${`task_${prefix}_`}::text || n, ${ref} || ':1:triage_referral', 'triage_referral', ${taskTitles.triage_referral}, 'routine', 2,
          ${dueAt}::timestamptz, 'queue_' || ${spec}, 'referral-' || ${ref}, ${ref}, 'pat_bench_' || n, jsonb_build_object('specialtyCode', ${spec})
        from generate_series(${lo}::int, ${hi}::int) n`);
    });
    await inLanes(opts.lanes ?? 48, hi - lo + 1, async (i) => {
      const n = lo + i;
      const referralId = `ref_${prefix}_${n}`;
      const input: PathwayInput = { referralId, patientId: `pat_bench_${n}`, receivedAt, priority: 'routine', specialtyCode: specialties[n % 9] };
      const state: PathwayState = {
        stage: 'awaiting_triage', clock: startRttClock(receivedAt), clinicalPriority: 'routine', clinicId: null, openTaskId: `task_${prefix}_${n}`,
        openTaskType: 'triage_referral', openEscalationTaskIds: [], escalationLevel: 0, firstBooked: false, appointmentId: null, appointmentKind: null,
        step: 1, openTaskDueAt: dueAt, openTaskLevel: 0, validationTaskId: null, validatedThrough: null, bookBy: null, appointmentStart: null,
        patientCancellations: 0, declinedOfferIds: [], reviewTaskId: null,
      };
      await opts.client.workflow.start(referralPathway, {
        workflowId: `referral-${referralId}`, taskQueue: opts.taskQueue, args: [input, state],
        workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      started += 1;
      opts.made?.(`referral-${referralId}`);
    });
  }
  return started;
}
