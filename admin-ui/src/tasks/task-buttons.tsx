// Claim, Release and Assign: command buttons calling the data provider's work-item commands.
import { useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
} from '@mui/material';
import PanToolIcon from '@mui/icons-material/PanTool';
import UndoIcon from '@mui/icons-material/Undo';
import PersonAddIcon from '@mui/icons-material/PersonAdd';
import {
  AutocompleteInput,
  Form,
  RadioButtonGroupInput,
  useDataProvider,
  useGetIdentity,
  useGetList,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  type HttpError,
} from 'react-admin';
import { useWatch, useFormState } from 'react-hook-form';
import type { AccessDeskDataProvider } from '../dataProvider';
import { noRecord } from './complete-task-form';
import type { Queue, Role, Staff, Task } from '../types';

const leaders: readonly (Role | undefined)[] = ['team_leader', 'admin'];

export function useTaskCommand() {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const run = async (command: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await command();
      notify(done, { type: 'info' });
      return true;
    } catch (error) {
      notify((error as HttpError)?.message || 'That did not work, please try again', { type: 'warning' });
      return false;
    } finally {
      setBusy(false);
      refresh();
    }
  };
  return { dataProvider, run, busy };
}

export function ClaimButton() {
  const task = useRecordContext<Task>();
  const { dataProvider, run, busy } = useTaskCommand();
  if (!task || task.status !== 'open') return null;
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
          optionText={(person: Staff) => `${person.name} (${person.role.replace('_', ' ')})`}
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
  if (!task || !leaders.includes(permissions)) return null;
  if (task.status !== 'open' && task.status !== 'claimed') return null;

  const validate = (values: Record<string, unknown>) => {
    if (values.target === 'queue' && !values.queueId) return { queueId: 'Choose a queue' };
    if (values.target !== 'queue' && !values.assigneeId) return { assigneeId: 'Choose a person' };
    return {};
  };

  const submit = async (values: Record<string, unknown>) => {
    const target =
      values.target === 'queue' ? { queueId: String(values.queueId) } : { assigneeId: String(values.assigneeId) };
    if (await run(() => dataProvider.assignTask(task.id, target), 'Work item assigned')) setOpen(false);
  };

  return (
    <>
      <Button size="small" startIcon={<PersonAddIcon />} onClick={() => setOpen(true)} data-testid="assign-task">
        Assign
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm" aria-labelledby="assign-title">
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
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <AssignSubmit busy={busy} />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
}
