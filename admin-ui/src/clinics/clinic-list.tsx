import type { MouseEvent } from 'react';
import { Button as MuiButton } from '@mui/material';
import CalendarMonthIcon from '@mui/icons-material/CalendarMonth';
import { CreateButton, DataTable, Link, List, ReferenceInput, SelectInput } from 'react-admin';
import { useIsLeader } from '../components/roles';
import type { Clinic } from '../types';
import { clinicCalendarPath } from './clinic-calendar';
import { ExportActions } from '../components/download-button';

const clinicFilters = [
  <ReferenceInput key="specialtyCode" source="specialtyCode" reference="specialties" sort={{ field: 'name', order: 'ASC' }} perPage={200} alwaysOn>
    <SelectInput label="Specialty" optionText="name" />
  </ReferenceInput>,
];

function ClinicListActions() {
  const leader = useIsLeader();
  return <ExportActions saveFilters={false}>{leader ? <CreateButton label="New clinic" data-testid="clinic-create" /> : null}</ExportActions>;
}

export function ClinicList() {
  return (
    <List title="Clinics" filters={clinicFilters} actions={<ClinicListActions />} sort={{ field: 'name', order: 'ASC' }} perPage={25}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="name" label="Clinic" />
        <DataTable.Col source="specialtyName" label="Specialty" disableSort />
        <DataTable.Col source="clinicianName" label="Clinician" disableSort />
        <DataTable.Col source="site" label="Site" />
        <DataTable.NumberCol source="freeSlots" label="Free slots" disableSort />
        <DataTable.Col source="active" label="In use" disableSort render={(clinic) => ((clinic as Clinic).active ? 'Yes' : 'No')} />
        <DataTable.Col
          label="Calendar"
          disableSort
          render={(clinic) => (
            <MuiButton
              size="small"
              component={Link}
              to={clinicCalendarPath(String((clinic as Clinic).id))}
              onClick={(event: MouseEvent) => event.stopPropagation()}
              startIcon={<CalendarMonthIcon />}
              aria-label={`Calendar of ${(clinic as Clinic).name}`}
              data-testid="clinic-calendar-link"
            >
              Calendar
            </MuiButton>
          )}
        />
      </DataTable>
    </List>
  );
}
