import { DataTable, List, SearchInput } from 'react-admin';
import { formatDate, formatPlainDate } from '../components/dates';
import { NhsNumberText } from '../components/fields';
import type { Patient } from '../types';
import { ExportActions } from '../components/download-button';

const patientFilters = [<SearchInput key="q" source="q" alwaysOn placeholder="Name or NHS number" />];

export function PatientList() {
  return (
    <List title="Patients" filters={patientFilters} sort={{ field: 'familyName', order: 'ASC' }} perPage={25} actions={<ExportActions />}>
      <DataTable bulkActionButtons={false} rowClick="show">
        <DataTable.Col source="familyName" label="Name" render={(record) => (record as Patient).name} />
        <DataTable.Col source="nhsNumber" label="NHS number" render={(record) => <NhsNumberText value={(record as Patient).nhsNumber} />} />
        <DataTable.Col source="dateOfBirth" label="Date of birth" render={(record) => formatPlainDate((record as Patient).dateOfBirth)} />
        <DataTable.Col source="postcode" label="Postcode" disableSort />
      </DataTable>
    </List>
  );
}
