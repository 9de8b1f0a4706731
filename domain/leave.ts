// "On leave on a date", written once; db/leave.ts is the same rule in SQL (a test holds them together).
import type { AbsenceStatus } from './model';

export type LeaveRecord = { status: AbsenceStatus; from: string; to: string };

/**
 * Away on `date`: leave whose workflow has started counts whatever the dates say, until the workflow
 * ends it (their work has been handed over, so none may come back before the hand-back); leave still
 * planned counts on the days it covers, so nobody is handed work on the morning their leave begins
 * before the workflow has run. Ended and cancelled leave never counts.
 */
export function isOnLeave(absence: LeaveRecord, date: string): boolean {
  if (absence.status === 'active') return true;
  return absence.status === 'planned' && absence.from <= date && date <= absence.to;
}
