// Ward forms (issue 16): a ward's follow-up request at discharge. The form sends it (POST /api/ward-forms) and the
// list shows where each stands: in the Ward forms queue to book within 48 hours, with the clinician when no slot
// meets the interval, booked, or closed.
import { useCallback } from 'react';
import AssignmentReturnIcon from '@mui/icons-material/AssignmentReturn';
import { Card, CardContent, Chip, Typography } from '@mui/material';
import {
  AutocompleteInput, Button, DataTable, List, NumberInput, ReferenceInput, SaveButton, SelectInput, SimpleForm, TextInput, Toolbar, TopToolbar,
  maxLength, maxValue, minValue, required, useNavigate, useNotify, useRedirect,
} from 'react-admin';
import { Link } from 'react-router';
import type { WardFormStatus } from '../../../domain/model';
import { wardFormStatusLabels } from '../../../domain/labels';
import { apiUrl, httpClient } from '../dataProvider';
import { DateInput } from '../components/date-input';
import { formatDate, formatDateTime } from '../components/dates';
import { KeyedDataTable } from '../components/keyed-table';
import { refusalMessage } from '../components/messages';
import { ListExportButton } from '../ptl/ptl-list';

type WardForm = {
  id: string; referralId: string; patientName: string; nhsNumber: string; ward: string; dischargedOn: string; specialtyCode: string;
  clinicianName: string; followUpWithinWeeks: number; bookBy: string; intervalMet: boolean; status: WardFormStatus; escalationLevel: number;
  receivedAt: string; dueAt: string; appointmentStart: string | null;
};
const row = (r: unknown) => r as WardForm;
const referralPath = (r: WardForm) => `/referrals/${encodeURIComponent(r.referralId)}/show`;

export function WardFormList() {
  const navigate = useNavigate();
  const onOpen = useCallback((r: WardForm) => navigate(referralPath(r)), [navigate]);
  return (
    <List resource="ward-forms" title="Ward forms" perPage={50} exporter={false} storeKey="ward-forms.list" empty={false}
      actions={<TopToolbar>
        <Button component={Link} to="/ward-forms/create" label="New ward form" data-testid="ward-form-new" />
        <ListExportButton resource="ward-forms" testId="ward-forms-export" />
      </TopToolbar>}>
      <KeyedDataTable<WardForm> pathOf={referralPath} onOpen={onOpen} rowTestId="ward-form-row" testId="ward-form-table">
        <DataTable.Col source="patientName" label="Patient" disableSort />
        <DataTable.Col source="ward" label="Ward" />
        <DataTable.Col source="dischargedOn" label="Discharged" render={(r) => formatDate(row(r).dischargedOn)} />
        <DataTable.Col source="bookBy" label="Follow-up by" render={(r) => formatDate(row(r).bookBy)} />
        <DataTable.Col source="status" label="Where it stands" disableSort render={(r) => (
          <Chip size="small" color={row(r).status === 'with_clinician' ? 'warning' : 'default'} label={wardFormStatusLabels[row(r).status]} />
        )} />
        <DataTable.Col source="dueAt" label="Action by" render={(r) => (
          <span>{formatDateTime(row(r).dueAt)}{row(r).escalationLevel > 0 && row(r).status === 'to_book' ? ' (escalated)' : ''}</span>
        )} />
        <DataTable.Col source="appointmentStart" label="Follow-up" disableSort render={(r) => formatDateTime(row(r).appointmentStart)} />
      </KeyedDataTable>
    </List>
  );
}

type WardFormValues = {
  patient: string; ward: string; dischargedOn: string; specialty: string; clinicianId: string; followUpWithinWeeks: number; testsBefore?: string; note: string;
};

export function WardFormCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  const save = useCallback(async (values: Record<string, unknown>) => {
    const v = values as WardFormValues;
    const tests = (v.testsBefore ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    try {
      const { json } = await httpClient(`${apiUrl}/ward-forms`, {
        method: 'POST',
        body: JSON.stringify({
          patient: v.patient, ward: v.ward, dischargedOn: v.dischargedOn, specialty: v.specialty, clinicianId: v.clinicianId,
          followUpWithinWeeks: Number(v.followUpWithinWeeks), ...(tests.length ? { testsBefore: tests } : {}), note: v.note,
        }),
      });
      const { wardForm } = json as { wardForm: WardForm };
      notify(wardForm.intervalMet
        ? `Ward form taken: follow-up to book by ${formatDate(wardForm.bookBy)}, in the Ward forms queue`
        : `Ward form taken: no clinic slot by ${formatDate(wardForm.bookBy)}, so it has gone to the clinician to decide`, { type: 'info' });
      redirect('list', 'ward-forms');
    } catch (e) {
      notify(refusalMessage(e, { onFields: true, fallback: 'Could not take the ward form' }), { type: 'error' });
      return (e as { body?: { errors?: Record<string, string> } }).body?.errors;
    }
    return undefined;
  }, [notify, redirect]);
  return (
    <Card sx={{ mt: 2, maxWidth: 760 }}>
      <CardContent>
        <Typography variant="h5" component="h1">New ward form</Typography>
        <SimpleForm onSubmit={save} toolbar={<Toolbar><SaveButton label="Take ward form" data-testid="ward-form-save" /></Toolbar>}>
          <ReferenceInput source="patient" reference="patients" perPage={20}>
            <AutocompleteInput label="Patient (name or NHS number)" optionText="name" validate={required()} autoFocus filterToQuery={(q: string) => ({ q })} />
          </ReferenceInput>
          <TextInput source="ward" label="Ward" validate={[required(), maxLength(100)]} />
          <DateInput source="dischargedOn" label="Discharged on" validate={required()} />
          <ReferenceInput source="specialty" reference="specialties" sort={{ field: 'name', order: 'ASC' }} perPage={200}>
            <SelectInput label="Specialty" optionText="name" validate={required()} />
          </ReferenceInput>
          <ReferenceInput source="clinicianId" reference="staff" filter={{ role: 'clinician', active: true }} sort={{ field: 'name', order: 'ASC' }} perPage={500}>
            <SelectInput label="Clinician" optionText="name" validate={required()} />
          </ReferenceInput>
          <NumberInput source="followUpWithinWeeks" label="Follow-up within (weeks of discharge)" validate={[required(), minValue(1), maxValue(104)]} />
          <TextInput source="testsBefore" label="Tests before the follow-up (comma between each)" fullWidth />
          <TextInput source="note" label="Note from the ward" validate={[required(), maxLength(2000)]} multiline fullWidth />
        </SimpleForm>
      </CardContent>
    </Card>
  );
}

export default { list: WardFormList, create: WardFormCreate, icon: AssignmentReturnIcon };
