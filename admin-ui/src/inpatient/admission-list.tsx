// The admitted waiting list (GET /api/admissions): one row per patient waiting for an operation, by surgical
// priority then RTT breach date (the API's order; the console never re-sorts), a PTL view with filters and
// Export of exactly what is shown. A row opens the admission's page.
import { useCallback } from 'react';
import { Box, Chip, Typography } from '@mui/material';
import { DataTable, FilterButton, List, SelectArrayInput, SelectInput, TopToolbar, useNavigate } from 'react-admin';
import { formatDate } from '../components/dates';
import { BreachDateText } from '../components/fields';
import { specialtyFilter } from '../components/filters';
import { Kbd, KeyedDataTable } from '../components/keyed-table';
import { choicesFrom, labelFor } from '../components/labels';
import { ListExportButton } from '../ptl/ptl-list';
import { serverOrder } from '../dataProvider';
import type { Admission } from './inpatient-types';
import { admissionStatusLabels, intendedManagementLabels, minutesWords, preOpStatusLabels, surgicalPriorityLabels } from './inpatient-words';
import { PreOpText, SurgicalPriorityChip, admissionPath } from './admission-fields';

const admissionFilters = [
  specialtyFilter('specialtyCode'),
  <SelectInput key="surgicalPriority" source="surgicalPriority" label="Surgical priority" choices={choicesFrom(surgicalPriorityLabels)} alwaysOn />,
  <SelectArrayInput key="status" source="status" label="Status" choices={choicesFrom(admissionStatusLabels)} alwaysOn sx={{ minWidth: 220 }} />,
  <SelectInput key="preOpStatus" source="preOpStatus" label="Pre-op" choices={choicesFrom(preOpStatusLabels)} alwaysOn />,
];

function AdmissionActions() {
  return (
    <TopToolbar>
      <FilterButton />
      <ListExportButton resource="admissions" testId="admissions-export" />
    </TopToolbar>
  );
}

const row = (record: unknown) => record as Admission;

export function TciText({ admission }: { admission: Pick<Admission, 'tciDate' | 'ward'> }) {
  if (!admission.tciDate) return <Chip size="small" color="warning" variant="outlined" label="No TCI" />;
  return (
    <Box>
      <Typography variant="body2">{formatDate(admission.tciDate)}</Typography>
      {admission.ward ? <Typography variant="caption" color="text.secondary">{admission.ward}</Typography> : null}
    </Box>
  );
}

export function AdmissionList() {
  const navigate = useNavigate();
  const onOpen = useCallback((record: Admission) => navigate(admissionPath(String(record.id))), [navigate]);
  return (
    <List
      resource="admissions"
      title="Admitted waiting list"
      filters={admissionFilters}
      sort={serverOrder}
      perPage={50}
      actions={<AdmissionActions />}
      exporter={false}
      // Those still on the list by default (an array filter is IN): waiting, TCI booked, cancelled and to be rebooked.
      filterDefaultValues={{ status: ['waiting', 'tci_booked', 'cancelled'] }}
      storeKey="admissions.list"
      empty={false}
    >
      <KeyedDataTable<Admission>
        pathOf={(record) => admissionPath(String(record.id))}
        onOpen={onOpen}
        rowTestId="admission-row"
        testId="admissions-table"
        hints={<> · <Kbd>e</Kbd> export CSV</>}
      >
        <DataTable.Col source="surgicalPriority" label="Priority" disableSort render={(r) => <SurgicalPriorityChip priority={row(r).surgicalPriority} />} />
        <DataTable.Col source="patientName" label="Patient" disableSort />
        <DataTable.Col source="specialtyCode" label="Specialty" disableSort />
        <DataTable.Col source="procedure" label="Procedure" disableSort render={(r) => (
          <Box>
            <Typography variant="body2">{row(r).procedure}</Typography>
            <Typography variant="caption" color="text.secondary">
              {labelFor(intendedManagementLabels, row(r).intendedManagement)}, {minutesWords(row(r).estimatedMinutes)}
            </Typography>
          </Box>
        )} />
        <DataTable.Col source="consultantName" label="Consultant" disableSort />
        <DataTable.Col source="decidedOn" label="Decided to admit" disableSort render={(r) => formatDate(row(r).decidedOn)} />
        <DataTable.Col source="targetDate" label="Priority target" disableSort render={(r) => <BreachDateText value={row(r).targetDate} />} />
        <DataTable.Col source="breachDate" label="Breach date" disableSort render={(r) => <BreachDateText value={row(r).breachDate} />} />
        <DataTable.Col source="preOpStatus" label="Pre-op" disableSort render={(r) => <PreOpText admission={row(r)} />} />
        <DataTable.Col source="tciDate" label="TCI" disableSort render={(r) => <TciText admission={row(r)} />} />
        <DataTable.Col source="status" label="Status" disableSort render={(r) => (
          <Box>
            <Typography variant="body2">{labelFor(admissionStatusLabels, row(r).status)}</Typography>
            {row(r).standBy ? <Typography variant="caption" color="text.secondary">on stand-by</Typography> : null}
          </Box>
        )} />
      </KeyedDataTable>
    </List>
  );
}
