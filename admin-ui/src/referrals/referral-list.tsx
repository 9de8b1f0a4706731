// Referrals: who is waiting, for what, and how close to breach.
import { Box, Typography } from '@mui/material';
import {
  CreateButton,
  DataTable,
  List,
  SearchInput,
  SelectInput,
} from 'react-admin';
import { formatDate } from '../components/dates';
import { specialtyFilter } from '../components/filters';
import { BreachDateText, PatientText, PriorityChip } from '../components/fields';
import {
  choicesFrom,
  labelFor,
  priorityLabels,
  referralSourceLabels,
  referralStateLabels,
} from '../components/labels';
import type { Referral } from '../types';
import { plural } from '../components/notices';
import { ExportActions } from '../components/download-button';

const referralFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Name, NHS number or UBRN" />,
  <SelectInput key="state" source="state" label="State" choices={choicesFrom(referralStateLabels)} alwaysOn />,
  <SelectInput key="priority" source="priority" label="Priority" choices={choicesFrom(priorityLabels)} alwaysOn />,
  specialtyFilter('specialtyCode'),
];

function ReferralListActions() {
  return (
    <ExportActions>
      <CreateButton label="Register referral" />
    </ExportActions>
  );
}

export function WaitText({ daysWaited, weekBand }: { daysWaited: number | null; weekBand: number | null }) {
  if (daysWaited == null) return <Typography variant="body2" color="text.secondary">—</Typography>;
  return (
    <Box>
      <Typography variant="body2">{plural(daysWaited, 'day')}</Typography>
      {weekBand != null ? (
        <Typography variant="caption" color="text.secondary">
          week {weekBand > 104 ? '104+' : weekBand}
        </Typography>
      ) : null}
    </Box>
  );
}

// Referrals from e-RS arrive by themselves (the poll, every few minutes): the list asks again as My work does.
const refetchInterval = 30_000;

export function ReferralList() {
  return (
    <List
      title="Referrals"
      filters={referralFilters}
      sort={{ field: 'receivedAt', order: 'DESC' }}
      perPage={25}
      actions={<ReferralListActions />}
      queryOptions={{ refetchInterval }}
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col
          source="patientName"
          label="Patient"
          render={(record) => <PatientText name={(record as Referral).patientName} nhsNumber={(record as Referral).nhsNumber} />}
        />
        <DataTable.Col source="specialtyName" label="Specialty" disableSort />
        <DataTable.Col source="priority" label="Priority" render={(record) => <PriorityChip priority={(record as Referral).priority} />} />
        <DataTable.Col
          source="source"
          label="Source"
          disableSort
          render={(record) => labelFor(referralSourceLabels, (record as Referral).source)}
        />
        <DataTable.Col
          source="ubrn"
          label="UBRN"
          disableSort
          render={(record) => (record as Referral).ubrn ?? '—'}
        />
        <DataTable.Col source="receivedAt" label="Received" render={(record) => formatDate((record as Referral).receivedAt)} />
        <DataTable.Col
          source="state"
          label="State"
          render={(record) => labelFor(referralStateLabels, (record as Referral).state)}
        />
        <DataTable.Col
          source="daysWaited"
          label="Waited"
          disableSort
          render={(record) => <WaitText daysWaited={(record as Referral).daysWaited} weekBand={(record as Referral).weekBand} />}
        />
        <DataTable.Col
          source="breachDate"
          label="Breach date"
          render={(record) => <BreachDateText value={(record as Referral).breachDate} />}
        />
      </DataTable>
    </List>
  );
}
