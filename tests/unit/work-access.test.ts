// Who may finish which work item, and what someone on leave is told: the words the console shows.
import { describe, expect, it } from 'vitest';
import { completableTypes, mayComplete, onLeaveMessage, whoCompletes } from '../../domain/work-access';
import { taskTypes } from '../../domain/model';

describe('who completes a work item', () => {
  it.each([
    ['capacity_escalation', 'Only operations managers can complete a capacity escalation'],
    ['dna_review', 'Only clinicians and team leaders can complete a DNA review'],
    ['escalation_review', 'Only team leaders can complete an escalation review'],
    ['clinical_review', 'Only clinicians and team leaders can complete a clinical review'],
    ['active_monitoring_review', 'Only clinicians and team leaders can complete an active monitoring review'],
    ['book_new_appointment', 'Only officers and team leaders can complete a “Book new appointment” item'],
    ['triage_referral', 'Only officers, team leaders and clinicians can complete a “Triage referral” item'],
  ] as const)('%s: "%s"', (type, words) => {
    expect(whoCompletes(type)).toBe(words);
  });

  it('an officer completes no reviews or escalations; an administrator completes every type', () => {
    for (const type of ['dna_review', 'escalation_review', 'capacity_escalation', 'clinical_review', 'active_monitoring_review'] as const) {
      expect(mayComplete('officer', type)).toBe(false);
    }
    expect(completableTypes('admin')).toEqual([...taskTypes]);
    expect(completableTypes('ops')).toEqual(['capacity_escalation']);
  });
});

describe('on leave', () => {
  it.each([
    [{ to: '2026-12-04', reason: 'Annual leave', handover: 'cover', coverStaffName: 'Omar Officer' } as const,
      'You are on annual leave until Fri 4 Dec 2026; your items are with Omar Officer.'],
    [{ to: '2027-01-01', reason: 'Sick leave', handover: 'queue', coverStaffName: null } as const,
      'You are on sick leave until Fri 1 Jan 2027; your items are back in their queues.'],
    [{ to: '2026-03-29', reason: 'Training course', handover: 'queue', coverStaffName: null } as const,
      'You are on leave until Sun 29 Mar 2026; your items are back in their queues.'],
    [{ to: '2026-12-04', reason: null, handover: 'cover', coverStaffName: null } as const,
      'You are on leave until Fri 4 Dec 2026; your items are back in their queues.'],
  ])('%o', (leave, words) => {
    expect(onLeaveMessage(leave)).toBe(`${words} Claim next hands out no work while you are away.`);
  });
});
