// Ordering and opening work items: shared by My work, Escalations and the keyboard shortcuts.
import { useCallback, useMemo, useState } from 'react';
import {
  useDataProvider,
  useGetIdentity,
  useListContext,
  useNavigate,
  useNotify,
  useRefresh,
  type HttpError,
} from 'react-admin';
import { referralPriorities } from '../../../domain/priority';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { Task } from '../types';

export const myWorkFilter = { mine: true, status: ['open', 'claimed'] };
export const escalationFilter = {
  type: ['escalation_review', 'capacity_escalation'],
  status: ['open', 'claimed'],
};
export const urgentFirst = { field: 'priority', order: 'ASC' as const };

export const taskPath = (id: Task['id']) => `/tasks/${encodeURIComponent(String(id))}/show`;

function priorityRank(priority: string): number {
  const index = (referralPriorities as readonly string[]).indexOf(priority);
  return index < 0 ? referralPriorities.length : index;
}

function dueTime(task: Task): number {
  const time = task.dueAt ? Date.parse(task.dueAt) : NaN;
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}

/** Clinical priority (2WW, urgent, routine), then the earliest due first. */
export function compareWorkItems(a: Task, b: Task): number {
  return priorityRank(a.priority) - priorityRank(b.priority) || dueTime(a) - dueTime(b);
}

/**
 * The list page in the order an officer should work it. The API sorts by one field; when that
 * field is priority the page is put in due order within each priority here as well, so the top row
 * is always the most urgent item whatever tie-break the server uses.
 */
export function useOrderedWorkItems(): Task[] {
  const { data, sort } = useListContext<Task>();
  return useMemo(() => {
    if (!data) return [];
    if (sort?.field !== 'priority') return data;
    const ordered = [...data].sort(compareWorkItems);
    return sort.order === 'DESC' ? ordered.reverse() : ordered;
  }, [data, sort?.field, sort?.order]);
}

/** Claim a work item (unless it is already mine) and open it. */
export function useClaimAndOpen() {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const { identity } = useGetIdentity();
  const navigate = useNavigate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [claiming, setClaiming] = useState(false);

  const claimAndOpen = useCallback(
    async (task: Task | undefined) => {
      if (!task) {
        notify('Nothing waiting in your queues', { type: 'info' });
        return;
      }
      if (task.status === 'claimed' && task.assigneeId === identity?.id) {
        navigate(taskPath(task.id));
        return;
      }
      setClaiming(true);
      try {
        await dataProvider.claimTask(task.id);
        notify('Work item claimed', { type: 'info' });
        navigate(taskPath(task.id));
      } catch (error) {
        const message = (error as HttpError)?.message || 'Could not claim the work item';
        notify(message, { type: 'warning' });
        refresh();
      } finally {
        setClaiming(false);
      }
    },
    [dataProvider, identity?.id, navigate, notify, refresh],
  );

  return { claimAndOpen, claiming };
}
