// Claim, Release, Assign, Snooze and Unsnooze: command buttons calling the data provider's work-item commands.
import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
} from '@mui/material';
import AlarmOffIcon from '@mui/icons-material/AlarmOff';
import PanToolIcon from '@mui/icons-material/PanTool';
import SnoozeIcon from '@mui/icons-material/Snooze';
import UndoIcon from '@mui/icons-material/Undo';
import PersonAddIcon from '@mui/icons-material/PersonAdd';
import {
  AutocompleteInput,
  Form,
  RadioButtonGroupInput,
  useGetIdentity,
  useGetList,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
} from 'react-admin';
import { useWatch, useFormState } from 'react-hook-form';
import { addDays } from '../../../domain/dates';
import { formatDate, londonToday } from '../components/dates';
import { errorMessage, fieldErrors, isLeaveRefusal } from '../components/http-errors';
import { labelFor, roleLabels } from '../components/labels';
import type { AssignTarget } from '../dataProvider';
import { noRecord } from './complete-task-form';
import type { Queue, Role, Staff, Task } from '../types';
import { isSnoozed, useMayComplete } from './work-items';
import { useCommand } from '../components/use-command';
import { BritishDatePicker } from '../components/date-input';
import { refusalMessage } from '../components/messages';
import { assignedNotice } from '../components/notices';

const leaders: readonly (Role | undefined)[] = ['team_leader', 'admin'];

export const useTaskCommand = useCommand;

export function ClaimButton() {
  const task = useRecordContext<Task>();
  const { dataProvider, run, busy } = useTaskCommand();
  const mayComplete = useMayComplete(task?.type);
  // Nobody is offered an item their role cannot finish (the API refuses the claim too).
  if (!task || task.status !== 'open' || !mayComplete) return null;
  return (
    <Button
      size="small"
      variant="contained"
      startIcon={<PanToolIcon />}
      disabled={busy}
      onClick={() => void run(() => dataProvider.claimTask(task.id), 'Work item claimed')}
      data-testid="claim-task"
    >
      Claim
    </Button>
  );
}

export function ReleaseButton() {
  const task = useRecordContext<Task>();
  const { identity } = useGetIdentity();
  const { permissions } = usePermissions<Role>();
  const { dataProvider, run, busy } = useTaskCommand();
  if (!task || task.status !== 'claimed') return null;
  const mine = identity?.id != null && task.assigneeId === identity.id;
  if (!mine && !leaders.includes(permissions)) return null;
  return (
    <Button
      size="small"
      startIcon={<UndoIcon />}
      disabled={busy}
      onClick={() => void run(() => dataProvider.releaseTask(task.id), 'Work item released to the queue')}
      data-testid="release-task"
    >
      Release
    </Button>
  );
}

function AssignFields() {
  const target = useWatch({ name: 'target' });
  const staff = useGetList<Staff>('staff', { filter: { active: true }, pagination: { page: 1, perPage: 500 }, sort: { field: 'name', order: 'ASC' } });
  const queues = useGetList<Queue>('queues', { pagination: { page: 1, perPage: 200 }, sort: { field: 'name', order: 'ASC' } });
  return (
    <>
      <RadioButtonGroupInput
        source="target"
        label="Assign to"
        row
        choices={[
          { id: 'person', name: 'A person' },
          { id: 'queue', name: 'A queue' },
        ]}
      />
      {target === 'queue' ? (
        <AutocompleteInput
          source="queueId"
          label="Queue"
          choices={queues.data ?? []}
          isPending={queues.isPending}
          optionText="name"
          fullWidth
        />
      ) : (
        <AutocompleteInput
          source="assigneeId"
          label="Person"
          choices={staff.data ?? []}
          isPending={staff.isPending}
          optionText={(person: Staff) => `${person.name} (${labelFor(roleLabels, person.role)})`}
          fullWidth
        />
      )}
    </>
  );
}

function AssignSubmit({ busy }: { busy: boolean }) {
  const { isSubmitting } = useFormState();
  return (
    <Button type="submit" variant="contained" disabled={busy || isSubmitting} data-testid="assign-submit">
      Assign
    </Button>
  );
}

export function AssignButton() {
  const task = useRecordContext<Task>();
  const { permissions } = usePermissions<Role>();
  const { dataProvider, run, busy } = useTaskCommand();
  const [open, setOpen] = useState(false);
  // On leave: the API refuses (422) until the leader confirms; keep what was chosen to resend.
  const [onLeave, setOnLeave] = useState<{ target: AssignTarget; message: string } | null>(null);
  const notify = useNotify();
  const refresh = useRefresh();
  if (!task || !leaders.includes(permissions)) return null;
  if (task.status !== 'open' && task.status !== 'claimed') return null;

  const validate = (values: Record<string, unknown>) => {
    if (values.target === 'queue' && !values.queueId) return { queueId: 'Choose a queue' };
    if (values.target !== 'queue' && !values.assigneeId) return { assigneeId: 'Choose a person' };
    return {};
  };

  const close = () => {
    setOpen(false);
    setOnLeave(null);
  };

  const submit = async (values: Record<string, unknown>) => {
    const target: AssignTarget =
      values.target === 'queue' ? { queueId: String(values.queueId) } : { assigneeId: String(values.assigneeId) };
    setOnLeave(null);
    try {
      const { data } = await dataProvider.assignTask(task.id, target);
      notify(assignedNotice(data), { type: 'info' });
      close();
      refresh();
      return undefined;
    } catch (error) {
      if (isLeaveRefusal(error)) {
        setOnLeave({ target, message: errorMessage(error) });
        return undefined;
      }
      notify(refusalMessage(error, { onFields: true }), { type: 'warning' });
      const errors = fieldErrors(error);
      return Object.keys(errors).length > 0 ? errors : undefined;
    }
  };

  const assignAnyway = async () => {
    if (!onLeave) return;
    if (await run(() => dataProvider.assignTask(task.id, onLeave.target, { confirmLeave: true }), 'Work item assigned')) close();
  };

  return (
    <>
      <Button size="small" startIcon={<PersonAddIcon />} onClick={() => setOpen(true)} data-testid="assign-task">
        Assign
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm" aria-labelledby="assign-title">
        <Form
          record={noRecord}
          defaultValues={{ target: 'person', assigneeId: task.assigneeId ?? null, queueId: task.queueId ?? null }}
          onSubmit={submit}
          validate={validate}
        >
          <DialogTitle id="assign-title">Assign “{task.title}”</DialogTitle>
          <DialogContent>
            <Box sx={{ pt: 1 }}>
              <AssignFields />
            </Box>
            {onLeave ? (
              <Alert
                severity="warning"
                data-testid="assign-on-leave"
                action={
                  <Button color="inherit" size="small" disabled={busy} onClick={() => void assignAnyway()} data-testid="confirm-leave">
                    Assign anyway
                  </Button>
                }
              >
                {onLeave.message}
              </Alert>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button onClick={close}>Cancel</Button>
            <AssignSubmit busy={busy} />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
}

/** Put an item aside until a date: it stays open but claim-next passes it by until then. */
export function SnoozeButton() {
  const task = useRecordContext<Task>();
  const { permissions } = usePermissions<Role>();
  const mayComplete = useMayComplete(task?.type);
  const { dataProvider, run, busy } = useTaskCommand();
  const [open, setOpen] = useState(false);
  const tomorrow = addDays(londonToday(), 1);
  const [until, setUntil] = useState(tomorrow);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  if (!task || (task.status !== 'open' && task.status !== 'claimed') || isSnoozed(task)) return null;
  // Only someone who may work the item puts it aside (the API refuses others).
  if (!mayComplete && !leaders.includes(permissions)) return null;

  const untilError = !until ? 'Choose a date' : until < tomorrow ? 'Choose a date after today' : undefined;
  const reasonError = reason.trim() ? undefined : 'Say why, for whoever picks this up next';
  const close = () => {
    setOpen(false);
    setTried(false);
  };
  const submit = async () => {
    setTried(true);
    if (untilError || reasonError) return;
    if (await run(() => dataProvider.snoozeTask(task.id, until, reason.trim()), `Snoozed until ${formatDate(until)}`)) {
      setReason('');
      close();
    }
  };

  return (
    <>
      <Button
        size="small"
        startIcon={<SnoozeIcon />}
        onClick={() => {
          setUntil(tomorrow);
          setOpen(true);
        }}
        data-testid="snooze-task"
      >
        Snooze
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="xs" aria-labelledby="snooze-title">
        <Box
          component="form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <DialogTitle id="snooze-title">Snooze “{task.title}”</DialogTitle>
          <DialogContent>
            <BritishDatePicker
              label="Until"
              value={until}
              onChange={(value) => setUntil(value)}
              error={tried && !!untilError}
              helperText={(tried && untilError) || 'It comes back to the queue on this date'}
              fullWidth
              autoFocus min={tomorrow} testId="snooze-until"
            />
            <TextField
              label="Reason"
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              error={tried && !!reasonError}
              helperText={tried && reasonError}
              fullWidth
              margin="dense"
              multiline
              minRows={2}
              slotProps={{ htmlInput: { 'data-testid': 'snooze-reason' } }}
            />
          </DialogContent>
          <DialogActions>
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="contained" disabled={busy} data-testid="snooze-submit">
              Snooze
            </Button>
          </DialogActions>
        </Box>
      </Dialog>
    </>
  );
}

export function UnsnoozeButton() {
  const task = useRecordContext<Task>();
  const { dataProvider, run, busy } = useTaskCommand();
  if (!task || (task.status !== 'open' && task.status !== 'claimed') || !isSnoozed(task)) return null;
  return (
    <Button
      size="small"
      startIcon={<AlarmOffIcon />}
      disabled={busy}
      onClick={() => void run(() => dataProvider.unsnoozeTask(task.id), 'Snooze taken off')}
      data-testid="unsnooze-task"
    >
      Unsnooze
    </Button>
  );
}
