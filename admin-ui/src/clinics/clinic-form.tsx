// Create a clinic (POST /api/clinics) or change one (PUT /api/clinics/:id): name, specialty (fixed once
// made: its slots and pathways belong to it), clinician, site, the slot types it offers, and whether it
// is in use. Team leaders and admins; the template is edited on its own page.
import {
  BooleanInput, CheckboxGroupInput, Create, Edit, ReferenceInput, SaveButton, SelectInput, SimpleForm, TextInput, Toolbar,
  maxLength, minLength, required, useNotify, useRedirect,
} from 'react-admin';
import { slotTypeLabels } from '../../../domain/labels';
import type { ClinicRequest, ClinicUpdate } from '../change-types';
import { choicesFrom } from '../components/labels';
import type { Clinic } from '../types';
import { refusalMessage } from '../components/messages';

const trim = (value: unknown) => (typeof value === 'string' ? value.trim() : value);

/** The create body: only the fields the API takes, trimmed. */
export function clinicCreateBody(values: Record<string, unknown>): ClinicRequest {
  return {
    name: trim(values.name) as string,
    specialtyCode: values.specialtyCode as string,
    clinicianName: trim(values.clinicianName) as string,
    site: trim(values.site) as string,
    slotTypes: (values.slotTypes ?? []) as ClinicRequest['slotTypes'],
  };
}

/** The update body: the record as read carries names and counts the API does not take. */
export function clinicUpdateBody(values: Record<string, unknown>): ClinicUpdate {
  return {
    name: trim(values.name) as string,
    clinicianName: trim(values.clinicianName) as string,
    site: trim(values.site) as string,
    slotTypes: (values.slotTypes ?? []) as ClinicUpdate['slotTypes'],
    active: values.active !== false,
  };
}

const atLeastOneType = (value: unknown) => (Array.isArray(value) && value.length > 0 ? undefined : 'Choose at least one slot type');

function ClinicFields({ creating }: { creating: boolean }) {
  return (
    <>
      <TextInput source="name" label="Clinic name" validate={[required(), minLength(2), maxLength(200)]} autoFocus fullWidth />
      {creating ? (
        <ReferenceInput source="specialtyCode" reference="specialties" sort={{ field: 'name', order: 'ASC' }} perPage={200}>
          <SelectInput label="Specialty" optionText="name" validate={required()} />
        </ReferenceInput>
      ) : null}
      <TextInput source="clinicianName" label="Clinician" validate={[required(), maxLength(200)]} fullWidth />
      <TextInput source="site" label="Site" validate={[required(), maxLength(200)]} fullWidth />
      <CheckboxGroupInput source="slotTypes" label="Slot types offered" choices={choicesFrom(slotTypeLabels)} validate={atLeastOneType} />
      {creating ? null : <BooleanInput source="active" label="In use (new slots are made and it can be chosen at triage)" />}
    </>
  );
}

function SaveToolbar({ label }: { label: string }) {
  return (
    <Toolbar>
      <SaveButton label={label} data-testid="clinic-save" />
    </Toolbar>
  );
}

const onError = (notify: ReturnType<typeof useNotify>) => (error: unknown) =>
  notify(refusalMessage(error, { onFields: true, fallback: 'Could not save the clinic' }), { type: 'error' });

export function ClinicCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  return (
    <Create
      title="New clinic"
      transform={clinicCreateBody}
      mutationOptions={{
        onSuccess: (clinic: Clinic) => {
          notify(`Clinic ${clinic.name} created: give it a weekly template so slots are made`, { type: 'info' });
          redirect(`/clinics/${encodeURIComponent(clinic.id)}/templates`);
        },
        onError: onError(notify),
      }}
    >
      <SimpleForm toolbar={<SaveToolbar label="Create clinic" />} sx={{ maxWidth: 720 }} defaultValues={{ slotTypes: ['new', 'follow_up'] }}>
        <ClinicFields creating />
      </SimpleForm>
    </Create>
  );
}

export function ClinicEdit() {
  const notify = useNotify();
  const redirect = useRedirect();
  return (
    <Edit
      title="Change clinic"
      mutationMode="pessimistic"
      transform={clinicUpdateBody}
      mutationOptions={{
        onSuccess: (clinic: Clinic) => {
          notify(`Clinic ${clinic.name} saved`, { type: 'info' });
          redirect('show', 'clinics', clinic.id);
        },
        onError: onError(notify),
      }}
    >
      <SimpleForm toolbar={<SaveToolbar label="Save clinic" />} sx={{ maxWidth: 720 }}>
        <ClinicFields creating={false} />
      </SimpleForm>
    </Edit>
  );
}
