// A work item: what it is about, and the decision it asks for.
import { Alert, Box, Typography } from '@mui/material';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { Button, Link, Show, TopToolbar, useRecordContext } from 'react-admin';
import { formatDate, formatDateTime, formatSlotStart } from '../components/dates';
import { DueText, Labelled, Panel, PatientText, PriorityChip } from '../components/fields';
import { CommunicationNeedsFlag } from '../components/communication-needs';
import { labelFor, slotTypeLabels, taskStatusLabels, taskTypeLabels } from '../components/labels';
import type { Task } from '../types';
import { EscalatedItemDetails } from '../escalations/escalated-item';
import { CompleteTaskForm, canComplete, isEscalation } from './complete-task-form';
import { AssignButton, ClaimButton, ReleaseButton, SnoozeButton, UnsnoozeButton } from './task-buttons';
import { EscalationLevel } from './work-item-table';
import { isSnoozed, taskPath, useMayComplete } from './work-items';
import { whoCompletes } from '../../../domain/work-access';

function TaskTitle() {
  const task = useRecordContext<Task>();
  return <span>{task ? task.title : 'Work item'}</span>;
}

function TaskShowActions() {
  return (
    <TopToolbar sx={{ gap: 1 }}>
      {/* react-admin's Button renders a <button>: without component={Link} its `to` went nowhere. */}
      <Button label="My work" component={Link} to="/" startIcon={<ArrowBackIcon />} data-testid="back-to-my-work" />
      <ClaimButton />
      <ReleaseButton />
      <AssignButton />
      <SnoozeButton />
      <UnsnoozeButton />
    </TopToolbar>
  );
}

function payloadValue(task: Task, key: string): string | undefined {
  const value = task.payload?.[key];
  return value == null || value === '' ? undefined : String(value);
}

function PayloadDetails({ task }: { task: Task }) {
  switch (task.type) {
    case 'book_new_appointment':
    case 'book_follow_up':
      // Clinic, slot type and book-by date sit beside the slot choice.
      return null;
    case 'record_attendance':
      return (
        <>
          <Labelled label="Clinic">{payloadValue(task, 'clinicName')}</Labelled>
          <Labelled label="Appointment">{formatSlotStart(payloadValue(task, 'slotStart'))}</Labelled>
        </>
      );
    case 'escalation_review':
    case 'capacity_escalation':
      return <EscalatedItemDetails task={task} />;
    case 'triage_referral':
      return <Labelled label="Reason for referral">{payloadValue(task, 'reason')}</Labelled>;
    case 'validate_pathway':
      return (
        <>
          <Labelled label="Validation point">{formatDate(payloadValue(task, 'validationPoint'))}</Labelled>
          <Labelled label="Weeks waited">{payloadValue(task, 'weeksWaited')}</Labelled>
        </>
      );
    case 'active_monitoring_review':
      return <Labelled label="Review due">{formatDate(payloadValue(task, 'reviewOn'))}</Labelled>;
    default:
      return null;
  }
}

// decision → Decision, followUpWeeks → Follow up weeks, return_to_referrer → Return to referrer.
function humanise(value: string): string {
  const words = value.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function outcomeValue(value: unknown): string {
  if (value == null) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  // Codes read as words; ids and free text are shown as they are.
  return /^[a-z]+(_[a-z]+)*$/.test(text) ? humanise(text) : text;
}

function OutcomeList({ outcome }: { outcome: Record<string, unknown> | null }) {
  if (!outcome || Object.keys(outcome).length === 0) return <Typography variant="body2">—</Typography>;
  return (
    <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5 }}>
      {Object.entries(outcome).map(([key, value]) => (
        <Box key={key} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">{humanise(key)}</Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0 }}>
            {outcomeValue(value)}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

function TaskSummary() {
  const task = useRecordContext<Task>();
  if (!task) return null;
  return (
    <Panel title="Summary" testId="task-summary">
      {isSnoozed(task) ? (
        <Alert severity="info" sx={{ mb: 2 }} data-testid="snoozed-until">
          Snoozed until {formatDate(task.snoozedUntil)}
          {task.snoozeReason ? ` — ${task.snoozeReason}` : ''}
        </Alert>
      ) : null}
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 3 }}>
        <Labelled label="Type">{labelFor(taskTypeLabels, task.type)}</Labelled>
        <Labelled label="Status">
          <span data-testid="task-status" data-status={task.status}>{labelFor(taskStatusLabels, task.status)}</span>
        </Labelled>
        <Labelled label="Priority">
          <PriorityChip priority={task.priority} />
        </Labelled>
        <Labelled label="Due">
          <DueText value={task.dueAt} />
        </Labelled>
        <Labelled label="Escalation level">
          <EscalationLevel level={task.escalationLevel} />
        </Labelled>
        <Labelled label="Queue">{task.queueName}</Labelled>
        <Labelled label="Assigned to">{task.assigneeName ?? 'Unassigned'}</Labelled>
        <Labelled label="Created">{formatDateTime(task.createdAt)}</Labelled>
      </Box>
      <Labelled label="Patient">
        <PatientText name={task.patientName} nhsNumber={task.nhsNumber} patientId={task.patientId} />
      </Labelled>
      <CommunicationNeedsFlag needs={task.communicationNeeds} />
      {task.referralId ? (
        <Labelled label="Referral">
          <Link to={`/referrals/${encodeURIComponent(task.referralId)}/show`} data-testid="referral-link">
            Open referral
          </Link>
        </Labelled>
      ) : null}
      <PayloadDetails task={task} />
    </Panel>
  );
}

function TaskAction() {
  const task = useRecordContext<Task>();
  const mayComplete = useMayComplete(task?.type);
  if (!task || mayComplete === undefined) return null;
  if (canComplete(task) && !mayComplete) {
    // Read-only: the API would refuse the form (403), so say who can finish it instead.
    return (
      <Panel title={labelFor(taskTypeLabels, task.type)} testId="task-action">
        <Alert severity="info" data-testid="who-completes">{whoCompletes(task.type)}.</Alert>
      </Panel>
    );
  }
  if (canComplete(task)) {
    return (
      <Panel title={isEscalation(task.type) ? 'Action the escalation' : labelFor(taskTypeLabels, task.type)} testId="task-action">
        <CompleteTaskForm task={task} />
      </Panel>
    );
  }
  if (task.status === 'done' || task.status === 'cancelled') {
    return (
      <Panel title={task.status === 'done' ? 'Completed' : 'Cancelled'} testId="task-action">
        <Alert severity={task.status === 'done' ? 'success' : 'info'} sx={{ mb: 2 }}>
          {task.status === 'done' ? 'Completed' : 'Cancelled'}
          {task.completedAt ? ` ${formatDateTime(task.completedAt)}` : ''}
        </Alert>
        <OutcomeList outcome={task.outcome} />
      </Panel>
    );
  }
  return (
    <Panel title="Action" testId="task-action">
      <Typography variant="body2">This kind of work item is completed elsewhere.</Typography>
    </Panel>
  );
}

export function TaskShow() {
  return (
    <Show title={<TaskTitle />} actions={<TaskShowActions />} sx={{ '& .RaShow-card': { p: 2 } }}>
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 5fr) minmax(0, 7fr)' },
          alignItems: 'start',
        }}
      >
        <TaskSummary />
        <TaskAction />
      </Box>
    </Show>
  );
}
