// The Escalations list's readings: the reason once, as a sentence; how a closed escalation ended; who it went to.
import { describe, expect, it } from 'vitest';
import { escalatedTo, escalationOutcome, escalationReason } from '../../admin-ui/src/escalations/escalations';

describe('the Escalations list words', () => {
  it('writes the reason as a sentence, falling back to the title', () => {
    expect(escalationReason({ title: 'Escalation review', payload: { reason: 'two week wait referral not booked by day 3' } }))
      .toBe('Two week wait referral not booked by day 3');
    expect(escalationReason({ title: 'Escalation review', payload: {} })).toBe('Escalation review');
  });

  it('says how a closed escalation ended, and nothing for an open one', () => {
    expect(escalationOutcome({ status: 'cancelled', outcome: { closed: 'Closed: the pathway ended' } })).toBe('Closed: the pathway ended');
    expect(escalationOutcome({ status: 'done', outcome: { note: 'Extra clinic agreed' } })).toBe('Extra clinic agreed');
    expect(escalationOutcome({ status: 'done', outcome: {} })).toBe('Reviewed');
    expect(escalationOutcome({ status: 'claimed', outcome: null })).toBeNull();
  });

  it('names who it went to', () => {
    expect(escalatedTo('escalation_review')).toBe('Team leader');
    expect(escalatedTo('capacity_escalation')).toBe('Operations');
  });
});
