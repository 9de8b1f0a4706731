import { DataTable, List, SelectInput } from 'react-admin';
import { Typography } from '@mui/material';
import { formatDateTime, formatSlotStart } from '../components/dates';
import { appointmentKindLabels, appointmentStateLabels, choicesFrom, labelFor } from '../components/labels';
import type { Appointment } from '../types';
import { AppointmentActions } from './appointment-actions';
import { ExportActions } from '../components/download-button';

const appointmentFilters = [
  <SelectInput key="state" source="state" label="State" choices={choicesFrom(appointmentStateLabels)} alwaysOn />,
  <SelectInput key="kind" source="kind" label="Kind" choices={choicesFrom(appointmentKindLabels)} alwaysOn />,
];

type WithCancellation = Appointment & { cancelReason?: string | null; cancelledAt?: string | null; sessionChangeId?: string | null };

/** The state, and for a cancellation why and when (and the session change behind it). */
function StateText({ appointment }: { appointment: WithCancellation }) {
  return (
    <>
      {labelFor(appointmentStateLabels, appointment.state)}
      {appointment.cancelledAt ? (
        <Typography variant="caption" component="div" color="text.secondary">
          {formatDateTime(appointment.cancelledAt)}
          {appointment.sessionChangeId ? ', clinic session change' : ''}
          {appointment.cancelReason ? `: ${appointment.cancelReason}` : ''}
        </Typography>
      ) : null}
    </>
  );
}

export function AppointmentList() {
  return (
    <List title="Appointments" filters={appointmentFilters} sort={{ field: 'start', order: 'DESC' }} perPage={25} actions={<ExportActions />}>
      <DataTable
        bulkActionButtons={false}
        rowClick={(_id, _resource, record) =>
          (record as Appointment).referralId ? `/referrals/${encodeURIComponent((record as Appointment).referralId)}/show` : false
        }
      >
        <DataTable.Col source="patientName" label="Patient" disableSort />
        <DataTable.Col source="clinicName" label="Clinic" />
        <DataTable.Col source="start" label="When" render={(record) => formatSlotStart((record as Appointment).start)} />
        <DataTable.Col source="kind" label="Kind" disableSort render={(record) => labelFor(appointmentKindLabels, (record as Appointment).kind)} />
        <DataTable.Col source="state" label="State" render={(record) => <StateText appointment={record as Appointment} />} />
        <DataTable.Col source="bookedByName" label="Booked by" disableSort />
        <DataTable.Col label="Change" disableSort render={(record) => <AppointmentActions appointment={record as Appointment} />} />
      </DataTable>
    </List>
  );
}
