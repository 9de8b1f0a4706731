import { DataTable, List, ReferenceInput, SelectInput } from 'react-admin';

const clinicFilters = [
  <ReferenceInput key="specialtyCode" source="specialtyCode" reference="specialties" sort={{ field: 'name', order: 'ASC' }} perPage={200} alwaysOn>
    <SelectInput label="Specialty" optionText="name" />
  </ReferenceInput>,
];

export function ClinicList() {
  return (
    <List title="Clinics" filters={clinicFilters} sort={{ field: 'name', order: 'ASC' }} perPage={25} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="name" label="Clinic" />
        <DataTable.Col source="specialtyName" label="Specialty" disableSort />
        <DataTable.Col source="clinicianName" label="Clinician" disableSort />
        <DataTable.Col source="site" label="Site" />
        <DataTable.NumberCol source="freeSlots" label="Free slots" disableSort />
      </DataTable>
    </List>
  );
}
