// Clinic session changes, newest first: what was cancelled or reduced, by whom, and how it went.
import { Chip } from '@mui/material';
import { DataTable, List, Pagination, ReferenceInput, SelectInput } from 'react-admin';
import { clinicSessionLabels, sessionChangeKindLabels, sessionChangeStatusLabels } from '../../../domain/labels';
import type { SessionChange } from '../change-types';
import { formatDate } from '../components/dates';
import { choicesFrom, labelFor } from '../components/labels';
import { sessionChangeSummaryWords } from './change-words';
import { ExportActions } from '../components/download-button';

const filters = [
  <ReferenceInput key="clinicId" source="clinicId" reference="clinics" sort={{ field: 'name', order: 'ASC' }} perPage={200} alwaysOn>
    <SelectInput label="Clinic" optionText="name" />
  </ReferenceInput>,
  <SelectInput key="status" source="status" label="Status" choices={choicesFrom(sessionChangeStatusLabels)} alwaysOn />,
];

const statusColour = { proposed: 'warning', running: 'info', completed: 'default' } as const;

export function SessionStatusChip({ status }: { status: SessionChange['status'] }) {
  return <Chip size="small" color={statusColour[status] ?? 'default'} label={labelFor(sessionChangeStatusLabels, status)} data-status={status} />;
}

export function SessionChangeList() {
  return (
    <List
      title="Session changes"
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      actions={<ExportActions saveFilters={false} />}
      pagination={<Pagination rowsPerPageOptions={[25, 50, 100]} />}
    >
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="session-change-list">
        <DataTable.Col source="clinicName" label="Clinic" disableSort />
        <DataTable.Col
          source="sessionDate"
          label="Session"
          render={(change) => {
            const c = change as SessionChange;
            return `${formatDate(c.sessionDate)} ${c.session ? labelFor(clinicSessionLabels, c.session).toLowerCase() : 'all day'}`;
          }}
        />
        <DataTable.Col source="kind" label="Change" disableSort render={(change) => labelFor(sessionChangeKindLabels, (change as SessionChange).kind)} />
        <DataTable.Col source="status" label="Status" render={(change) => <SessionStatusChip status={(change as SessionChange).status} />} />
        <DataTable.Col
          source="summary"
          label="Patients"
          disableSort
          render={(change) => ((change as SessionChange).status === 'proposed' ? 'Not started' : sessionChangeSummaryWords((change as SessionChange).summary))}
        />
        <DataTable.Col source="requestedByName" label="Requested by" disableSort />
      </DataTable>
    </List>
  );
}
