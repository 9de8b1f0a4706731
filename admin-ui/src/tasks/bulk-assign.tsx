// Moving many work items at once (POST /api/tasks/bulk-assign): from the task list's ticked rows, or
// from the team dashboard by officer. One transaction on the server, one audit entry per item.
import { useCallback, useState } from 'react';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import MoveDownIcon from '@mui/icons-material/MoveDown';
import { useDataProvider, useGetList, useGetOne, useListContext, useNotify, useRefresh } from 'react-admin';
import { useQueryClient } from '@tanstack/react-query';
import { errorCode, isLeaveRefusal } from '../components/http-errors';
import { refusalMessage } from '../components/messages';
import { labelFor, roleLabels } from '../components/labels';
import { NativeSelectField } from '../components/native-select';
import { useIsLeader } from '../components/roles';
import type { AccessDeskDataProvider, AssignTarget, BulkSelection } from '../dataProvider';
import type { Queue, Staff } from '../types';
import { plural } from '../components/notices';
import { movedNotice } from '../components/notices';

/** 'person:staff_x' | 'queue:queue_y' → the body's target; '' → nothing chosen yet. */
export function targetFrom(value: string): AssignTarget | null {
  const [kind, ...rest] = value.split(':');
  const id = rest.join(':');
  if (!id) return null;
  if (kind === 'person') return { assigneeId: id };
  if (kind === 'queue') return { queueId: id };
  return null;
}

export const movedMessage = (moved: number, toName?: string | null) => movedNotice(moved, toName);

/** The name of where work is going ('person:staff_x' or 'queue:queue_y'), for the sentences that follow. */
export function useTargetName(value: string): string | undefined {
  const target = targetFrom(value);
  const resource = target && 'assigneeId' in target ? 'staff' : 'queues';
  const id = !target ? '' : 'assigneeId' in target ? target.assigneeId : target.queueId;
  const { data } = useGetOne<Staff | Queue>(resource, { id }, { enabled: !!id });
  return data?.name;
}

interface TargetSelectProps {
  value: string;
  onChange: (value: string) => void;
  testId: string;
  label?: string;
  /** People not to offer (the one the work is moving from). */
  exclude?: string[];
  /** People shown as on leave. */
  onLeave?: ReadonlySet<string>;
  autoFocus?: boolean;
}

/** One list of people, then queues: where work can go. */
export function TargetSelect({ value, onChange, testId, label = 'Move to', exclude = [], onLeave, autoFocus }: TargetSelectProps) {
  const staff = useGetList<Staff>('staff', {
    filter: { active: true },
    pagination: { page: 1, perPage: 500 },
    sort: { field: 'name', order: 'ASC' },
  });
  const queues = useGetList<Queue>('queues', {
    pagination: { page: 1, perPage: 200 },
    sort: { field: 'name', order: 'ASC' },
  });
  const people = (staff.data ?? []).filter((person) => !exclude.includes(String(person.id)));
  return (
    <NativeSelectField label={label} value={value} onChange={onChange} testId={testId} fullWidth autoFocus={autoFocus}>
      <option value="">{staff.isPending || queues.isPending ? 'Loading…' : 'Choose a person or a queue'}</option>
      <optgroup label="People">
        {people.map((person) => (
          <option key={person.id} value={`person:${person.id}`}>
            {person.name} ({labelFor(roleLabels, person.role)}){onLeave?.has(String(person.id)) ? ' — on leave' : ''}
          </option>
        ))}
      </optgroup>
      <optgroup label="Back to a queue (unassigned)">
        {(queues.data ?? []).map((queue) => (
          <option key={queue.id} value={`queue:${queue.id}`}>
            {queue.name}
          </option>
        ))}
      </optgroup>
    </NativeSelectField>
  );
}

export interface Refusal {
  message: string;
  /** The person is on leave: the leader may send the work anyway. */
  canConfirm: boolean;
  /** The person does not work these queues: the leader may add them to the queues and move. */
  addToQueues?: { staffId: string; staffName: string; queues: { id: string; name: string }[] };
}

const queuesOf = (error: unknown) => ((error as { body?: { queues?: { id: string; name: string }[] } })?.body?.queues ?? []);

/**
 * The move itself, the "Moved N work items" notice, and the API's refusal kept for the screen: in this component's
 * state, or in `kept` (the team dashboard's move choices, shared by its panels).
 */
export function useBulkAssign(kept?: { refusal: Refusal | null; setRefusal: (refusal: Refusal | null) => void }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [ownRefusal, setOwnRefusal] = useState<Refusal | null>(null);
  const refusal = kept ? kept.refusal : ownRefusal;
  const setRefusal = kept ? kept.setRefusal : setOwnRefusal;

  const move = useCallback(
    async (selection: BulkSelection, target: AssignTarget, confirmLeave = false, toName?: string,
      addTo: { id: string }[] = []): Promise<number | null> => {
      setBusy(true);
      setRefusal(null);
      try {
        // The way forward from "does not work these queues": add them, then move, in the leader's one step.
        const person = 'assigneeId' in target ? target.assigneeId : null;
        for (const queue of person ? addTo : []) await dataProvider.addQueueMember(queue.id, person!);
        const { data } = await dataProvider.bulkAssignTasks(selection, target, confirmLeave ? { confirmLeave: true } : {});
        const moved = data?.moved ?? data?.ids?.length ?? 0;
        notify(movedMessage(moved, toName), { type: 'success' });
        if (addTo.length) void queryClient.invalidateQueries({ queryKey: ['queues'] });
        void queryClient.invalidateQueries({ queryKey: ['tasks'] });
        refresh();
        return moved;
      } catch (error) {
        const outside = queuesOf(error);
        setRefusal({
          message: refusalMessage(error, { fallback: 'The work could not be moved' }),
          canConfirm: !confirmLeave && isLeaveRefusal(error),
          ...(errorCode(error) === 'ASSIGNEE_NOT_IN_QUEUE' && 'assigneeId' in target && outside.length
            ? { addToQueues: { staffId: target.assigneeId, staffName: toName ?? 'them', queues: outside } }
            : {}),
        });
        return null;
      } finally {
        setBusy(false);
      }
    },
    [dataProvider, notify, queryClient, refresh, setRefusal],
  );

  return { move, busy, refusal, clearRefusal: () => setRefusal(null) };
}

/**
 * The API's refusal in words, with "Move anyway" when the person is only on leave, and "Add … to these
 * queues and move" when they do not work the items' queues.
 */
export function RefusalAlert({ refusal, onConfirm, onAddAndMove, busy }: {
  refusal: Refusal | null; onConfirm: () => void; onAddAndMove?: (queues: { id: string }[]) => void; busy: boolean;
}) {
  if (!refusal) return null;
  const add = refusal.addToQueues;
  if (add && onAddAndMove) {
    return (
      <Alert severity="warning" sx={{ mt: 2 }} data-testid="bulk-refusal">
        <Box>{refusal.message}.</Box>
        <Button
          variant="outlined"
          color="inherit"
          size="small"
          sx={{ mt: 1 }}
          onClick={() => onAddAndMove(add.queues)}
          disabled={busy}
          data-testid="add-to-queues-and-move"
        >
          Add {add.staffName} to {add.queues.length === 1 ? 'this queue' : 'these queues'} and move
        </Button>
      </Alert>
    );
  }
  return (
    <Alert
      severity={refusal.canConfirm ? 'warning' : 'error'}
      sx={{ mt: 2 }}
      data-testid="bulk-refusal"
      action={
        refusal.canConfirm ? (
          <Button color="inherit" size="small" onClick={onConfirm} disabled={busy} data-testid="confirm-leave">
            Move anyway
          </Button>
        ) : undefined
      }
    >
      {refusal.message}
    </Alert>
  );
}

/** "Move to…" on the task list: the ticked rows to a person or a queue. */
export function BulkAssignButton() {
  const { selectedIds, onUnselectItems } = useListContext();
  const isLeader = useIsLeader();
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState('');
  const { move, busy, refusal, clearRefusal } = useBulkAssign();
  const targetName = useTargetName(target);
  if (!isLeader) return null;

  const close = () => {
    setOpen(false);
    setTarget('');
    clearRefusal();
  };
  const submit = async (confirmLeave = false, addTo: { id: string }[] = []) => {
    const chosen = targetFrom(target);
    if (!chosen) return;
    const moved = await move({ ids: selectedIds }, chosen, confirmLeave, targetName, addTo);
    if (moved != null) {
      onUnselectItems();
      close();
    }
  };

  return (
    <>
      <Button size="small" startIcon={<MoveDownIcon />} onClick={() => setOpen(true)} data-testid="bulk-assign">
        Move to…
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm" aria-labelledby="bulk-assign-title">
        <Box
          component="form"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <DialogTitle id="bulk-assign-title">
            Move {plural(selectedIds.length, 'work item')}
          </DialogTitle>
          <DialogContent>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
              To a person (they are assigned and it shows as claimed) or back to a queue (unassigned, for anyone in it to claim).
            </Typography>
            <TargetSelect value={target} onChange={(value) => { setTarget(value); clearRefusal(); }} testId="bulk-assign-to" autoFocus />
            <RefusalAlert refusal={refusal} busy={busy} onConfirm={() => void submit(true)} onAddAndMove={(queues) => void submit(false, queues)} />
          </DialogContent>
          <DialogActions>
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="contained" disabled={busy || !targetFrom(target)} data-testid="bulk-assign-submit">
              Move
            </Button>
          </DialogActions>
        </Box>
      </Dialog>
    </>
  );
}
