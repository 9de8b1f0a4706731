// Audit log: every reassignment, claim, leave change and pathway step, newest first, each said as a sentence.
import { Box } from '@mui/material';
import {
  AutocompleteInput,
  DataTable,
  DateInput,
  List,
  ReferenceInput,
  SelectInput,
} from 'react-admin';
import { addDays } from '../../../domain/dates';
import { formatDateTime } from '../components/dates';
import type { AuditEntry } from '../types';
import { AuditDetails, AuditSentence } from './audit-entry';
import { auditActionChoices } from './audit-sentences';
import { ExportActions } from '../components/download-button';

export const auditSort = { field: 'at', order: 'DESC' as const };

// "To" is the last day wanted: the API is asked for entries before the day after it.
const dayAfter = (value: string) => (value ? addDays(value, 1) : value);
const dayBefore = (value: string | undefined) => (value ? addDays(value, -1) : '');

const auditFilters = [
  <ReferenceInput key="actorId" source="actorId" reference="staff" sort={{ field: 'name', order: 'ASC' }} perPage={500} alwaysOn>
    <SelectInput label="Who" optionText="name" />
  </ReferenceInput>,
  <SelectInput key="action" source="action" label="What" choices={auditActionChoices} alwaysOn />,
  <DateInput key="at_gte" source="at_gte" label="From" alwaysOn />,
  <DateInput key="at_lt" source="at_lt" label="To" parse={dayAfter} format={dayBefore} alwaysOn />,
  <ReferenceInput key="patientId" source="patientId" reference="patients" alwaysOn>
    <AutocompleteInput label="Patient" optionText="name" filterToQuery={(q: string) => ({ q })} sx={{ minWidth: 240 }} />
  </ReferenceInput>,
];

export function AuditList() {
  return (
    <List title="Audit log" filters={auditFilters} sort={auditSort} perPage={50} actions={<ExportActions />}>
      <DataTable rowClick={false} bulkActionButtons={false}>
        <DataTable.Col source="at" label="When" render={(record) => formatDateTime((record as AuditEntry).at)} sx={{ whiteSpace: 'nowrap', verticalAlign: 'top' }} />
        <DataTable.Col
          source="action"
          label="What happened"
          disableSort
          sx={{ verticalAlign: 'top' }}
          render={(record) => (
            <Box sx={{ maxWidth: 900 }}>
              <AuditSentence entry={record as AuditEntry} />
              <AuditDetails entry={record as AuditEntry} />
            </Box>
          )}
        />
      </DataTable>
    </List>
  );
}
