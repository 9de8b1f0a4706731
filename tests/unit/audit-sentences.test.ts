// The audit log in people's words: every action code the code base writes has a sentence, and the
// sentences name people, items and patients (never ids), with links to them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { absenceStatuses, offerStatuses } from '../../domain/model';
import { auditActions } from '../../domain/audit-actions';
import { auditSentence, auditSentences, auditSentenceText } from '../../admin-ui/src/audit/audit-sentences';
import { formatDate } from '../../admin-ui/src/components/dates';
import type { AuditEntry } from '../../admin-ui/src/types';

const root = path.resolve(__dirname, '../..');
const sourceDirs = ['activities', 'api', 'db', 'workflows', 'bin', 'domain'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'migrations' ? [] : sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

// Codes built at run time, and every value they can take.
const templates: Record<string, string[]> = {
  'absence.${cmd.to}': absenceStatuses.map((s) => `absence.${s}`),
  'offer.${change.status}': offerStatuses.map((s) => `offer.${s}`),
};

/** Every action code written with an audit entry: literals, both sides of a conditional, and templates. */
function codesWritten(): { codes: Set<string>; unknownTemplates: string[] } {
  const codes = new Set<string>();
  const unknownTemplates: string[] = [];
  for (const file of sourceFiles(path.join(root, 'activities')).concat(...sourceDirs.slice(1).map((d) => sourceFiles(path.join(root, d))))) {
    const source = readFileSync(file, 'utf8');
    for (const [, expr] of source.matchAll(/\baction: ([^,}\n]+(?:\?[^,}\n]+)?)/g)) {
      for (const [, code] of expr.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) codes.add(code);
      for (const [, template] of expr.matchAll(/`([^`]*\$\{[^`]*)`/g)) {
        if (templates[template]) templates[template].forEach((code) => codes.add(code));
        else unknownTemplates.push(`${path.relative(root, file)}: ${template}`);
      }
    }
  }
  return { codes, unknownTemplates };
}

const entry = (overrides: Partial<AuditEntry>): AuditEntry => ({
  id: '1', at: '2026-11-27T09:30:00.000Z', actorId: null, actorName: null, action: 'task.claimed', entityType: 'task', entityId: 'task_1',
  before: null, after: null, patientId: null, patientName: null, referralId: null, entityLabel: null, names: {}, leave: null,
  ...overrides,
});

describe('audit sentences', () => {
  it('has a sentence for every action code written anywhere', () => {
    const { codes, unknownTemplates } = codesWritten();
    expect(unknownTemplates).toEqual([]);
    // The scan finds the codes (so it cannot pass by finding nothing)...
    expect(codes.size).toBeGreaterThan(40);
    expect(codes).toContain('task.absence_moved');
    expect(codes).toContain('absence.ended'); // one side of a conditional
    for (const code of codes) {
      // ...each is in the domain's list (what writeAudit accepts) and has a sentence and a label.
      expect(auditActions, code).toContain(code);
      expect(auditSentences[code as keyof typeof auditSentences]?.label, code).toBeTruthy();
    }
  });

  it('says a work item moved for leave with the people, the patient and the leave by name', () => {
    const moved = entry({
      action: 'task.absence_moved', entityLabel: 'Book first appointment', patientId: 'pat_1', patientName: 'Ann Patient', referralId: 'ref_1',
      before: { assigneeId: 'staff_olivia', status: 'claimed', version: 2 },
      after: { assigneeId: 'staff_omar', status: 'claimed', queueId: 'queue_101', version: 3, absenceId: 'abs_1' },
      names: { staff_olivia: 'Olivia Officer', staff_omar: 'Omar Officer', queue_101: 'Urology' },
      leave: { staffId: 'staff_olivia', staffName: 'Olivia Officer', reason: 'Annual leave', coverName: 'Omar Officer' },
    });
    expect(auditSentenceText(moved)).toBe(
      'System moved ‘Book first appointment’ for Ann Patient from Olivia Officer to Omar Officer for Olivia Officer’s leave (annual leave)',
    );
    const links = auditSentence(moved).filter((part) => typeof part !== 'string') as { text: string; to?: string }[];
    expect(links).toEqual(expect.arrayContaining([
      { text: '‘Book first appointment’', to: '/tasks/task_1/show' },
      { text: 'Ann Patient', to: '/patients/pat_1/show' },
      { text: 'leave', to: '/absences/abs_1/show' },
    ]));
    expect(auditSentenceText(moved)).not.toMatch(/staff_|task_|pat_|abs_/);
  });

  it.each([
    [
      entry({
        action: 'absence.started', entityType: 'absence', entityId: 'abs_1', entityLabel: 'Olivia Officer',
        after: { status: 'active', handover: 'cover', coverStaffId: 'staff_omar', moved: 14 },
        names: { staff_omar: 'Omar Officer' }, // the API names whom the after names; the person on leave comes with `leave`
        leave: { staffId: 'staff_olivia', staffName: 'Olivia Officer', reason: 'Annual leave', coverName: 'Omar Officer' },
      }),
      'Olivia Officer’s leave began (annual leave): 14 work items moved to Omar Officer',
    ],
    [
      entry({
        action: 'absence.started', entityType: 'absence', entityId: 'abs_1', after: { status: 'active', handover: 'queue', coverStaffId: null, moved: 1 },
        names: {}, leave: { staffId: 'staff_olivia', staffName: 'Olivia Officer', reason: 'Sickness', coverName: null },
      }),
      'Olivia Officer’s leave began (sickness): 1 work item went back to their queues',
    ],
    [
      entry({
        action: 'task.claimed', actorId: 'staff_omar', actorName: 'Omar Officer', entityLabel: 'Book first appointment', patientId: 'pat_1', patientName: 'Ann Patient',
        after: { status: 'claimed', assigneeId: 'staff_omar' }, names: { staff_omar: 'Omar Officer' },
      }),
      'Omar Officer claimed ‘Book first appointment’ for Ann Patient',
    ],
    [
      entry({ action: 'task.escalated', entityLabel: 'Triage referral', patientId: 'pat_1', patientName: 'Ann Patient', after: { escalationLevel: 2 } }),
      'System escalated ‘Triage referral’ for Ann Patient to level 2',
    ],
    [
      entry({
        action: 'task.assigned', actorId: 'staff_leader', actorName: 'Lee Leader', entityLabel: 'Book follow-up',
        before: { assigneeId: null, queueId: 'queue_1', status: 'open' }, after: { assigneeId: 'staff_omar', status: 'claimed' },
        names: { staff_omar: 'Omar Officer' },
      }),
      'Lee Leader assigned ‘Book follow-up’ to Omar Officer',
    ],
    [
      entry({
        action: 'absence.recorded', actorId: 'staff_leader', actorName: 'Lee Leader', entityType: 'absence', entityId: 'abs_1',
        after: { staffId: 'staff_olivia', from: '2026-12-01', to: '2026-12-04', coverStaffId: 'staff_omar' },
        names: { staff_olivia: 'Olivia Officer', staff_omar: 'Omar Officer' },
      }),
      `Lee Leader recorded leave for Olivia Officer from ${formatDate('2026-12-01')} to ${formatDate('2026-12-04')}, covered by Omar Officer`,
    ],
    [
      entry({
        action: 'referral.registered', actorId: 'staff_omar', actorName: 'Omar Officer', entityType: 'referral', entityId: 'ref_1', referralId: 'ref_1',
        entityLabel: 'Dermatology', patientId: 'pat_1', patientName: 'Ann Patient', after: { priority: 'two_week_wait' }, names: {},
      }),
      'Omar Officer registered a 2WW Dermatology referral for Ann Patient',
    ],
    [
      entry({
        action: 'appointment.booked', actorId: 'staff_omar', actorName: 'Omar Officer', entityType: 'appointment', entityId: 'appt_1', referralId: 'ref_1',
        entityLabel: 'Urology clinic, 4 Dec 2026 10:30', patientId: 'pat_1', patientName: 'Ann Patient', names: {},
      }),
      'Omar Officer booked the appointment at Urology clinic, 4 Dec 2026 10:30 for Ann Patient',
    ],
    [
      entry({ action: 'staff.signed_in', actorId: 'staff_gone', actorName: null, entityType: 'staff', entityId: 'staff_gone' }),
      'someone no longer listed signed in',
    ],
  ])('%#: says %s', (given, said) => {
    expect(auditSentenceText(given)).toBe(said);
  });

  it('still says who did what for a code it does not know', () => {
    expect(auditSentenceText(entry({ action: 'task.teleported' as never, entityLabel: 'Triage referral' }))).toBe('System did ‘task.teleported’ to Triage referral');
  });
});
