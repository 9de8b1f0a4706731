// Filtering and opening work items: shared by My work, Escalations, the full list and the keyboard shortcuts.
// Their order is the server's (the work order, domain/work-order.ts); the console never re-sorts a page.
import { useCallback, useRef, useState } from 'react';
import { useDataProvider, useGetIdentity, useNavigate, useNotify, useRefresh } from 'react-admin';
import { useQueryClient } from '@tanstack/react-query';
import { openTaskStatuses } from '../../../domain/model';
import { errorCode, errorMessage } from '../components/http-errors';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { Queue, Task, TaskType } from '../types';

export const openStatuses = [...openTaskStatuses];
/**
 * My items: what I hold and what I could take now, not snoozed; the server's one definition (db/workable.ts), so
 * its first unassigned row is what Claim next hands out.
 */
export const myWorkFilter = { mine: true, status: openStatuses };
/** Items of my work put aside until a later date, claimed or not. */
export const snoozedFilter = { mine: 'snoozed', status: openStatuses };
/** What I finished lately: the last fortnight. */
export const recentlyDoneDays = 14;
export const recentlyDoneFilter = (me: string, now: Date = new Date()) => ({
  completedBy: me,
  status: 'done',
  completedAt_gte: new Date(now.getTime() - recentlyDoneDays * 86_400_000).toISOString(),
});
export const latestDoneFirst = { field: 'completedAt', order: 'DESC' as const };
/** Sorted by priority the API answers in the work order: the most pressing item is the top row. */
export const urgentFirst = { field: 'priority', order: 'ASC' as const };

export const taskPath = (id: Task['id']) => `/tasks/${encodeURIComponent(String(id))}/show`;

/** A snooze date still to come. */
export function isSnoozed(task: Pick<Task, 'snoozedUntil'> | undefined, now: Date = new Date()): boolean {
  const until = task?.snoozedUntil ? Date.parse(task.snoozedUntil) : NaN;
  return !Number.isNaN(until) && until > now.getTime();
}

/** Whether the signed-in person's role may complete this type of item (the API's table, from /api/me). */
export function useMayComplete(type: TaskType | undefined): boolean | undefined {
  const { identity, isPending } = useGetIdentity();
  if (isPending || !type) return undefined;
  return ((identity?.completableTypes as TaskType[] | undefined) ?? []).includes(type);
}

/**
 * Claim next: the server picks the most urgent unassigned item of my queues (or of one queue),
 * claims it for me and the console opens it. Nothing waiting is a 204, not an error.
 */
export function useClaimNext() {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const navigate = useNavigate();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const { identity } = useGetIdentity();
  const [claiming, setClaiming] = useState(false);
  /** "Nothing waiting that you can complete in Urology (101), ENT (120) and 2 more queues": where claim next looked. */
  const nothingWaiting = useCallback(async (queueIds: string[]) => {
    if (queueIds.length === 0) return 'You work no queues yet: ask a team leader to add you to one';
    const names = await dataProvider.getMany<Queue>('queues', { ids: queueIds })
      .then(({ data: queues }) => queues.map((queue) => queue.name).sort((a, b) => a.localeCompare(b, 'en-GB')))
      .catch(() => [] as string[]);
    if (names.length === 0) return 'Nothing waiting that you can complete in your queues';
    const shown = names.length > 4 ? [...names.slice(0, 3), `${names.length - 3} more queues`] : names;
    const list = shown.length < 2 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
    return `Nothing waiting that you can complete in ${list}`;
  }, [dataProvider]);
  // A held-down key must not claim several items.
  const inFlight = useRef(false);

  const claimNext = useCallback(
    async (queueId?: string) => {
      if (inFlight.current) return;
      inFlight.current = true;
      setClaiming(true);
      try {
        const { data } = await dataProvider.claimNextTask(queueId || undefined);
        if (!data) {
          notify(await nothingWaiting(queueId ? [queueId] : ((identity?.queueIds as string[] | undefined) ?? [])), { type: 'info', multiLine: true });
          refresh();
          return;
        }
        notify('Work item claimed', { type: 'info' });
        void queryClient.invalidateQueries({ queryKey: ['tasks'] });
        navigate(taskPath(data.id));
      } catch (error) {
        // On leave the server names the leave and who has the items: that sentence is the answer.
        const onLeave = errorCode(error) === 'ON_LEAVE';
        notify(errorMessage(error, 'Could not claim the next work item'), { type: onLeave ? 'info' : 'warning', multiLine: onLeave });
        refresh();
      } finally {
        inFlight.current = false;
        setClaiming(false);
      }
    },
    [dataProvider, navigate, nothingWaiting, identity, notify, queryClient, refresh],
  );

  return { claimNext, claiming };
}

/** The full work item list with a filter already applied: where the team dashboard clicks through to. */
export function taskListPath(filter: Record<string, unknown>): string {
  return `/tasks?${new URLSearchParams({ filter: JSON.stringify(filter), page: '1' })}`;
}
