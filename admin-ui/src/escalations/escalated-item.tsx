// On an escalation item's page: what was escalated (a link to that work item, and where it stands now), why, to whom,
// and, once closed, how it closed.
import { Box, Chip, Typography } from '@mui/material';
import { Link, useGetOne } from 'react-admin';
import { formatDateTime } from '../components/dates';
import { Labelled } from '../components/fields';
import { labelFor, taskStatusLabels, taskTypeLabels } from '../components/labels';
import { taskPath } from '../tasks/work-items';
import type { Task } from '../types';
import { escalatedTo, escalationOutcome, escalationReason } from './escalations';

function EscalatedItemState({ id }: { id: string }) {
  const { data: item } = useGetOne<Task>('tasks', { id });
  if (!item) return null;
  const open = item.status === 'open' || item.status === 'claimed';
  const when = open ? (item.dueAt ? `due ${formatDateTime(item.dueAt)}` : '') : formatDateTime(item.completedAt);
  const who = item.assigneeName ? `${open ? 'with' : 'by'} ${item.assigneeName}` : open ? 'unassigned' : '';
  return (
    <Typography variant="caption" color="text.secondary" component="div" data-testid="escalated-item-state">
      {[labelFor(taskStatusLabels, item.status), who, when].filter(Boolean).join(' · ')}
    </Typography>
  );
}

export function EscalatedItemDetails({ task }: { task: Task }) {
  const payload = (task.payload ?? {}) as Record<string, unknown>;
  const escalatedId = typeof payload.escalatedTaskId === 'string' ? payload.escalatedTaskId : null;
  const escalatedType = labelFor(taskTypeLabels, String(payload.escalatedTaskType ?? ''));
  const level = Number(payload.level ?? 0);
  const closed = escalationOutcome(task);
  return (
    <>
      <Labelled label="What was escalated">
        {escalatedId ? (
          <>
            <Link to={taskPath(escalatedId)} data-testid="escalated-task-link">{escalatedType || 'Open the work item'}</Link>
            <EscalatedItemState id={escalatedId} />
          </>
        ) : escalatedType}
      </Labelled>
      <Labelled label="Why">
        <span data-testid="escalation-why">{escalationReason(task)}</span>
      </Labelled>
      <Labelled label="Escalated to">
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
          {escalatedTo(task.type)}
          {level ? <Chip size="small" variant="outlined" label={`Level ${level}`} sx={{ borderColor: level >= 2 ? 'error.main' : 'warning.main' }} /> : null}
        </Box>
      </Labelled>
      {closed ? (
        <Labelled label="How it closed">
          <span data-testid="escalation-closed">{closed}</span>
        </Labelled>
      ) : null}
    </>
  );
}
