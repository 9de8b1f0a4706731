// The work item's line under its title: a follow-up validation says how long the follow-up has waited past due, in the
// access centre's words; an RTT one keeps its weeks waited.
import { describe, expect, it } from 'vitest';
// The table module brings react-admin with it: a slow import, but import time is not test time.
import { workItemDetail } from '../../admin-ui/src/tasks/work-item-table';

type Task = Parameters<typeof workItemDetail>[0];
const task = (payload: Record<string, unknown>) => ({ id: 't', type: 'validate_pathway', payload }) as unknown as Task;

describe('validation work items in the console', () => {
  it('a follow-up validation says how long past due it is', () => {
    expect(workItemDetail(task({ followUp: true, weeksPastDue: 12, followUpDueDate: '2026-01-05' }))).toBe('Follow-up not booked 12 weeks after it was due');
  });
  it('an RTT validation keeps its weeks waited', () => {
    expect(workItemDetail(task({ weeksWaited: 26 }))).toBe('Validation at 26 weeks');
  });
});
