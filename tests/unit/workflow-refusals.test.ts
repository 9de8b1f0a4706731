// The API's one translator of workflow refusals: the code and field come from the failure, never from its text.
import { describe, expect, it } from 'vitest';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppError, errorBody, fromWorkflowFailure } from '../../api/errors';

const refused = (type: string, message: string, field?: string) =>
  new WorkflowUpdateFailedError('refused', ApplicationFailure.create({ type, message, nonRetryable: true, details: field ? [{ field }] : [] }));

describe('translating a workflow refusal', () => {
  it('keeps the code and status, and blames the field the workflow named', () => {
    const err = fromWorkflowFailure(refused('SLOT_TAKEN', 'That slot has just been taken', 'slotId')) as AppError;
    expect(err.status).toBe(409);
    expect(errorBody(err)).toEqual({ message: 'That slot has just been taken', code: 'SLOT_TAKEN', errors: { slotId: 'That slot has just been taken' } });
  });

  it('blames no field when none is named', () => {
    const err = fromWorkflowFailure(refused('RULE_REFUSED', 'Wrong clinic')) as AppError;
    expect([err.status, err.code, err.errors]).toEqual([422, 'RULE_REFUSED', undefined]);
  });

  it('answers an activity failure thrown straight through the same way', () => {
    const err = fromWorkflowFailure(ApplicationFailure.nonRetryable('Cover is on leave', 'ASSIGNEE_ON_LEAVE', { field: 'coverStaffId' })) as AppError;
    expect([err.status, err.code, err.errors]).toEqual([422, 'ASSIGNEE_ON_LEAVE', { coverStaffId: 'Cover is on leave' }]);
  });

  it('turns a type it does not know into a 409 conflict with no field', () => {
    const err = fromWorkflowFailure(refused('SOMETHING_NEW', 'No', 'slotId')) as AppError;
    expect([err.status, err.code]).toEqual([409, 'CONFLICT']);
    expect(err.errors).toBeUndefined();
  });

  it('answers a finished workflow as the caller says, and passes anything else through', () => {
    const gone = new WorkflowNotFoundError('gone', 'wf', undefined);
    expect((fromWorkflowFailure(gone, () => new AppError('TASK_NOT_OPEN', 'ended')) as AppError).code).toBe('TASK_NOT_OPEN');
    const timeout = new Error('deadline exceeded');
    expect(fromWorkflowFailure(timeout)).toBe(timeout);
  });
});
