// Leave and cover: who is away, when, and where their work goes meanwhile.
import { Box, Typography } from '@mui/material';
import { CreateButton, DataTable, List, ReferenceInput, SelectInput } from 'react-admin';
import { formatDate } from '../components/dates';
import { choicesFrom, absenceStatusLabels } from '../components/labels';
import { useIsLeader } from '../components/roles';
import type { Absence } from '../types';
import { AbsenceStatusChip, CoverText } from './absence-fields';
import { ExportActions } from '../components/download-button';

const absenceFilters = [
  <ReferenceInput key="staffId" source="staffId" reference="staff" sort={{ field: 'name', order: 'ASC' }} perPage={500} alwaysOn>
    <SelectInput label="Person" optionText="name" />
  </ReferenceInput>,
  <SelectInput key="status" source="status" label="Status" choices={choicesFrom(absenceStatusLabels)} alwaysOn />,
];

function AbsenceListActions() {
  const isLeader = useIsLeader();
  return <ExportActions saveFilters={false}>{isLeader ? <CreateButton label="Record leave" data-testid="record-leave" /> : null}</ExportActions>;
}

function NoLeave() {
  const isLeader = useIsLeader();
  return (
    <Box sx={{ p: 4, textAlign: 'center' }} data-testid="absences-empty">
      <Typography variant="h6">No leave recorded</Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        Record leave ahead of time and the person’s work moves to their cover on the first day.
      </Typography>
      {isLeader ? <CreateButton label="Record leave" variant="contained" data-testid="record-leave" /> : null}
    </Box>
  );
}

export function AbsenceList() {
  return (
    <List
      title="Leave and cover"
      filters={absenceFilters}
      sort={{ field: 'from', order: 'DESC' }}
      perPage={25}
      actions={<AbsenceListActions />}
      empty={<NoLeave />}
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="staffName" label="Person" disableSort />
        <DataTable.Col source="from" label="From" render={(record) => formatDate((record as Absence).from)} />
        <DataTable.Col source="to" label="To" render={(record) => formatDate((record as Absence).to)} />
        <DataTable.Col
          source="coverStaffName"
          label="Cover"
          disableSort
          render={(record) => <CoverText absence={record as Absence} />}
        />
        <DataTable.Col
          source="returnOnEnd"
          label="Work returns at the end"
          disableSort
          render={(record) => ((record as Absence).returnOnEnd ? 'Yes' : 'No')}
        />
        <DataTable.Col
          source="status"
          label="Status"
          disableSort
          render={(record) => <AbsenceStatusChip status={(record as Absence).status} />}
        />
        <DataTable.Col source="reason" label="Reason" disableSort />
      </DataTable>
    </List>
  );
}
