// The stand-by list (GET /api/stand-by): patients whose pre-op is done and valid and who can come in at short
// notice, by surgical priority then target date (the API's order), so freed theatre time goes to the most
// urgent first. A row opens the admission.
import { useCallback } from 'react';
import { Box, Typography } from '@mui/material';
import { DataTable, FilterButton, List, TextInput, TopToolbar, useNavigate } from 'react-admin';
import { BreachDateText } from '../components/fields';
import { specialtyFilter } from '../components/filters';
import { Kbd, KeyedDataTable } from '../components/keyed-table';
import { formatDate } from '../components/dates';
import { ListExportButton } from '../ptl/ptl-list';
import { serverOrder } from '../dataProvider';
import type { Admission } from './inpatient-types';
import { minutesWords } from './inpatient-words';
import { SurgicalPriorityChip, admissionPath } from './admission-fields';

const standByFilters = [
  specialtyFilter('specialtyCode'),
  // The API's `q` searches the procedure (its `procedure` filter is an exact match).
  <TextInput key="q" source="q" label="Procedure" alwaysOn />,
];

const row = (record: unknown) => record as Admission;

export function StandByList() {
  const navigate = useNavigate();
  const onOpen = useCallback((record: Admission) => navigate(admissionPath(String(record.id))), [navigate]);
  return (
    <List
      resource="stand-by"
      title="Stand-by list"
      filters={standByFilters}
      sort={serverOrder}
      perPage={50}
      actions={<TopToolbar><FilterButton /><ListExportButton resource="stand-by" testId="stand-by-export" /></TopToolbar>}
      exporter={false}
      storeKey="stand-by.list"
      empty={false}
    >
      <KeyedDataTable<Admission>
        pathOf={(r) => admissionPath(String(r.id))}
        onOpen={onOpen}
        rowTestId="stand-by-row"
        testId="stand-by-table"
        hints={<> · <Kbd>e</Kbd> export CSV</>}
      >
        <DataTable.Col source="surgicalPriority" label="Priority" disableSort render={(r) => <SurgicalPriorityChip priority={row(r).surgicalPriority} />} />
        <DataTable.Col source="patientName" label="Patient" disableSort />
        <DataTable.Col source="procedure" label="Procedure" disableSort render={(r) => (
          <Box>
            <Typography variant="body2">{row(r).procedure}</Typography>
            <Typography variant="caption" color="text.secondary">{minutesWords(row(r).estimatedMinutes)}</Typography>
          </Box>
        )} />
        <DataTable.Col source="specialtyCode" label="Specialty" disableSort />
        <DataTable.Col source="targetDate" label="Priority target" disableSort render={(r) => <BreachDateText value={row(r).targetDate} />} />
        <DataTable.Col source="breachDate" label="Breach date" disableSort render={(r) => <BreachDateText value={row(r).breachDate} />} />
        <DataTable.Col source="preOpValidUntil" label="Pre-op valid to" disableSort render={(r) => formatDate(row(r).preOpValidUntil)} />
      </KeyedDataTable>
    </List>
  );
}
