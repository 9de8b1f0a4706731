// Where a pathway's work items queue: one rule in domain/, used by the workflow.
import { describe, expect, it } from 'vitest';
import { queueFor } from '../../domain';

describe('work routing', () => {
  it.each([
    ['escalation_review', 'routine', { kind: 'escalation' }],
    ['capacity_escalation', 'two_week_wait', { kind: 'capacity' }],
    ['book_new_appointment', 'two_week_wait', { kind: 'two_week_wait' }],
    ['book_new_appointment', 'urgent', { kind: 'specialty', specialtyCode: '101' }],
    ['book_follow_up', 'two_week_wait', { kind: 'specialty', specialtyCode: '101' }],
    ['triage_referral', 'two_week_wait', { kind: 'specialty', specialtyCode: '101' }],
  ] as const)('%s of a %s referral goes to %j', (type, priority, queue) => {
    expect(queueFor(type, priority, '101')).toEqual(queue);
  });
});
