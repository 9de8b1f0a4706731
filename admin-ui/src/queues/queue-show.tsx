// A queue and who works it: team leaders add and remove members here.
import { useState } from 'react';
import {
  Box,
  Button as MuiButton,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import ListAltIcon from '@mui/icons-material/ListAlt';
import PersonAddIcon from '@mui/icons-material/PersonAdd';
import PersonRemoveIcon from '@mui/icons-material/PersonRemove';
import {
  Button,
  Show,
  TopToolbar,
  useGetList,
  useRecordContext,
} from 'react-admin';
import { Labelled, Panel } from '../components/fields';
import { labelFor, queueKindLabels, roleLabels } from '../components/labels';
import { NativeSelectField } from '../components/native-select';
import { useIsLeader } from '../components/roles';
import { openStatuses, taskListPath } from '../tasks/work-items';
import type { QueueDetail, Staff } from '../types';
import { useCommand } from '../components/use-command';

function QueueTitle() {
  const queue = useRecordContext<QueueDetail>();
  return <span>{queue ? queue.name : 'Queue'}</span>;
}

function useMembership(queueId: string) {
  const { dataProvider, run: change, busy } = useCommand();
  return {
    busy,
    add: (staff: Staff) => change(() => dataProvider.addQueueMember(queueId, String(staff.id)), `${staff.name} added`),
    remove: (staffId: string, name: string) =>
      change(() => dataProvider.removeQueueMember(queueId, staffId), `${name} removed from the queue`),
  };
}

function AddMember({ queue }: { queue: QueueDetail }) {
  const { data: staff } = useGetList<Staff>('staff', {
    filter: { active: true },
    sort: { field: 'name', order: 'ASC' },
    pagination: { page: 1, perPage: 500 },
  });
  const { add, busy } = useMembership(String(queue.id));
  const [chosen, setChosen] = useState('');
  const members = new Set((queue.members ?? []).map((m) => String(m.id)));
  const candidates = (staff ?? []).filter((person) => !members.has(String(person.id)));
  const person = candidates.find((p) => String(p.id) === chosen);
  return (
    <Box
      component="form"
      onSubmit={async (event) => {
        event.preventDefault();
        if (person && (await add(person))) setChosen('');
      }}
      sx={{ display: 'flex', gap: 2, alignItems: 'flex-end', mt: 2 }}
    >
      <NativeSelectField label="Add a member" value={chosen} onChange={setChosen} testId="add-member-select" minWidth={240}>
        <option value="">Choose a person</option>
        {candidates.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({labelFor(roleLabels, p.role)})
          </option>
        ))}
      </NativeSelectField>
      <MuiButton type="submit" variant="outlined" startIcon={<PersonAddIcon />} disabled={!person || busy} data-testid="add-member">
        Add
      </MuiButton>
    </Box>
  );
}

function Members({ queue }: { queue: QueueDetail }) {
  const isLeader = useIsLeader();
  const { remove, busy } = useMembership(String(queue.id));
  const members = queue.members ?? [];
  return (
    <Panel title="Members" testId="queue-members">
      {members.length === 0 ? (
        <Typography variant="body2" color="text.secondary">Nobody works this queue yet.</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Role</TableCell>
              {isLeader ? <TableCell padding="checkbox" /> : null}
            </TableRow>
          </TableHead>
          <TableBody>
            {members.map((member) => (
              <TableRow key={member.id} data-testid="queue-member-row" data-id={member.id}>
                <TableCell>{member.name}</TableCell>
                <TableCell>{labelFor(roleLabels, member.role)}</TableCell>
                {isLeader ? (
                  <TableCell padding="checkbox">
                    <IconButton
                      size="small"
                      disabled={busy}
                      title={`Remove ${member.name}`}
                      aria-label={`Remove ${member.name} from the queue`}
                      onClick={() => void remove(String(member.id), member.name)}
                      data-testid="remove-member"
                    >
                      <PersonRemoveIcon fontSize="small" />
                    </IconButton>
                  </TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {isLeader ? <AddMember queue={queue} /> : null}
    </Panel>
  );
}

function QueueDetailView() {
  const queue = useRecordContext<QueueDetail>();
  if (!queue) return null;
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 1fr) minmax(0, 2fr)' }, alignItems: 'start' }}>
      <Panel title="Queue">
        <Labelled label="Kind">{labelFor(queueKindLabels, queue.kind)}</Labelled>
        <Labelled label="Specialty">{queue.specialtyCode}</Labelled>
        <Labelled label="Open items">{queue.openItems}</Labelled>
      </Panel>
      <Members queue={queue} />
    </Box>
  );
}

function QueueShowActions() {
  const queue = useRecordContext<QueueDetail>();
  return (
    <TopToolbar sx={{ gap: 1 }}>
      <Button label="Queues" to="/queues" startIcon={<ArrowBackIcon />} />
      {queue ? (
        <Button label="Open items" to={taskListPath({ queueId: queue.id, status: openStatuses })} startIcon={<ListAltIcon />} />
      ) : null}
    </TopToolbar>
  );
}

export function QueueShow() {
  return (
    <Show title={<QueueTitle />} actions={<QueueShowActions />} sx={{ '& .RaShow-card': { p: 2 } }}>
      <QueueDetailView />
    </Show>
  );
}
