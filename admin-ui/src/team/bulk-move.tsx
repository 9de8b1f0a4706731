// Move work: everything open or claimed by one person, to another person or back to a queue
// (POST /api/tasks/bulk-assign with a filter, so items that arrive meanwhile move too).
import { useCallback, useMemo } from 'react';
import { Box, Button, Typography } from '@mui/material';
import MoveDownIcon from '@mui/icons-material/MoveDown';
import { useGetList } from 'react-admin';
import { NativeSelectField } from '../components/native-select';
import { Panel } from '../components/fields';
import { RefusalAlert, TargetSelect, targetFrom, useBulkAssign, useTargetName, type Refusal } from '../tasks/bulk-assign';
import { useMoveChoices } from './move-choices';
import { openStatuses } from '../tasks/work-items';
import type { DashboardOfficer, Task } from '../types';
import { plural } from '../components/notices';

export const movingFilter = (staffId: string) => ({ assigneeId: staffId, status: openStatuses });

interface BulkMoveProps {
  officers: DashboardOfficer[];
}

export function BulkMove({ officers }: BulkMoveProps) {
  // From, To and the refusal outlive this panel (move-choices.ts): the home's team dashboard and the Team page's share them.
  const [{ from, to, refusal: keptRefusal }, setChoices] = useMoveChoices();
  const onFromChange = useCallback((staffId: string) => setChoices({ from: staffId }), [setChoices]);
  const setTo = useCallback((target: string) => setChoices({ to: target }), [setChoices]);
  const kept = useMemo(() => ({ refusal: keptRefusal, setRefusal: (refusal: Refusal | null) => setChoices({ refusal }) }), [keptRefusal, setChoices]);
  const { move, busy, refusal, clearRefusal } = useBulkAssign(kept);
  const onLeave = useMemo(() => new Set(officers.filter((o) => o.onLeave).map((o) => o.staffId)), [officers]);
  const filter = useMemo(() => movingFilter(from), [from]);
  // The live count (the dashboard figure may be a minute old).
  const { total, isPending } = useGetList<Task>(
    'tasks',
    { filter, pagination: { page: 1, perPage: 1 }, sort: { field: 'priority', order: 'ASC' } },
    { enabled: !!from },
  );
  const fromOfficer = officers.find((o) => o.staffId === from);
  const count = total ?? fromOfficer?.open ?? 0;
  const target = targetFrom(to);
  const targetName = useTargetName(to);

  const submit = async (confirmLeave = false, addTo: { id: string }[] = []) => {
    if (!from || !target) return;
    const moved = await move({ filter }, target, confirmLeave, targetName, addTo);
    if (moved != null) {
      onFromChange('');
      setTo('');
    }
  };

  return (
    <Panel title="Move work" testId="bulk-move">
      <Box
        component="form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        sx={{ display: 'grid', gap: 2 }}
      >
        <NativeSelectField
          label="From"
          value={from}
          onChange={(value) => {
            onFromChange(value);
            clearRefusal();
          }}
          testId="bulk-from"
          fullWidth
        >
          <option value="">Choose whose work to move</option>
          {officers.map((officer) => (
            <option key={officer.staffId} value={officer.staffId}>
              {officer.name} ({officer.open} open){officer.onLeave ? ' — on leave' : ''}
            </option>
          ))}
        </NativeSelectField>
        <TargetSelect
          value={to}
          onChange={(value) => {
            setTo(value);
            clearRefusal();
          }}
          testId="bulk-to"
          label="To"
          exclude={from ? [from] : []}
          onLeave={onLeave}
        />
        <Typography variant="body2" data-testid="bulk-count" data-count={from && !isPending ? count : undefined}>
          {!from
            ? 'Choose a person to see how much of their work will move.'
            : isPending
              ? 'Counting…'
              : count === 0
                ? `${fromOfficer?.name ?? 'They'} ha${fromOfficer ? 's' : 've'} no open work items.`
                : `${plural(count, 'open work item')} will move${target ? '' : ' once you choose where to'}.`}
        </Typography>
        <RefusalAlert refusal={refusal} busy={busy} onConfirm={() => void submit(true)} onAddAndMove={(queues) => void submit(false, queues)} />
        <Box>
          <Button
            type="submit"
            variant="contained"
            startIcon={<MoveDownIcon />}
            disabled={busy || !from || !target || count === 0}
            data-testid="bulk-move-submit"
          >
            {from && count > 0 ? `Move ${plural(count, 'work item')}` : 'Move work items'}
          </Button>
        </Box>
      </Box>
    </Panel>
  );
}
