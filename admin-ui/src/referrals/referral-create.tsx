// Register a referral (GP letter, consultant, ward, or an e-RS one by hand): POST /api/referrals.
import { Box, Typography } from '@mui/material';
import {
  Create,
  ReferenceInput,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextInput,
  Toolbar,
  email,
  maxLength,
  required,
  useNotify,
  useRedirect,
} from 'react-admin';
import { useQueryClient } from '@tanstack/react-query';
import { londonToday } from '../components/dates';
import { refusalMessage } from '../components/messages';
import { referralRegisteredNotice } from '../components/notices';
import type { Referral } from '../types';
import { choicesFrom, priorityLongLabels, referralSourceLabels } from '../components/labels';
import { isValidNhsNumber } from '../components/nhs-number';
import { DateInput } from '../components/date-input';

const nhsNumber = (value: unknown) => {
  if (value == null || value === '') return undefined;
  const written = String(value).trim();
  // Accept it as keyed or as printed (943 476 5919); the check digit catches most typing slips.
  return isValidNhsNumber(written) || isValidNhsNumber(written.replace(/\s+/g, ''))
    ? undefined
    : 'Not a valid NHS number (10 digits, check digit must match)';
};

const notInFuture = (value: unknown) =>
  typeof value === 'string' && value > londonToday() ? 'Cannot be in the future' : undefined;

type PatientValues = Record<string, unknown>;

const blank = (value: unknown) => value == null || (typeof value === 'string' && value.trim() === '');
const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);

/** The contract's body: trimmed, the NHS number and UBRN without spaces, empty optional fields left out. */
export function referralBody(values: Record<string, unknown>) {
  const patientIn = (values.patient ?? {}) as PatientValues;
  const patient: PatientValues = {
    nhsNumber: String(patientIn.nhsNumber ?? '').replace(/\s+/g, ''),
    givenName: trimmed(patientIn.givenName),
    familyName: trimmed(patientIn.familyName),
    dateOfBirth: patientIn.dateOfBirth,
  };
  for (const key of ['postcode', 'phone', 'email'] as const) {
    if (!blank(patientIn[key])) patient[key] = trimmed(patientIn[key]);
  }
  return {
    patient,
    source: values.source,
    ...(blank(values.ubrn) ? {} : { ubrn: String(values.ubrn).replace(/\s+/g, '') }),
    receivedAt: values.receivedAt,
    specialty: values.specialty,
    priority: values.priority,
    reason: trimmed(values.reason),
  };
}

function CreateToolbar() {
  return (
    <Toolbar>
      <SaveButton label="Register referral" data-testid="register-referral" />
    </Toolbar>
  );
}

function Section({ children }: { children: string }) {
  return (
    <Typography variant="subtitle1" component="h2" sx={{ mt: 1, mb: 1, fontWeight: 600 }}>
      {children}
    </Typography>
  );
}

export function ReferralCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  const queryClient = useQueryClient();
  return (
    <Create
      title="Register referral"
      redirect="show"
      transform={referralBody}
      mutationOptions={{
        onSuccess: (referral: Referral) => {
          notify(referralRegisteredNotice(referral), { type: 'success' });
          // react-admin caches the created record as the referral's getOne; the page needs the detail
          // (events, appointments), so drop it and let the page fetch the referral (it crashed on the list record).
          queryClient.removeQueries({ queryKey: ['referrals', 'getOne', { id: String(referral.id) }] });
          redirect('show', 'referrals', referral.id);
        },
        // Field errors from a 400 land on the fields themselves (react-admin sets them from the body's
        // `errors`); the notice only points at them.
        onError: (error) => notify(refusalMessage(error, { onFields: true, fallback: 'Could not register the referral' }), { type: 'error' }),
      }}
    >
      <SimpleForm defaultValues={{ receivedAt: londonToday() }} toolbar={<CreateToolbar />} sx={{ maxWidth: 720 }}>
        <Section>Patient</Section>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, width: '100%' }}>
          <TextInput source="patient.nhsNumber" label="NHS number" validate={[required(), nhsNumber]} autoFocus helperText="10 digits, e.g. 943 476 5919" />
          <DateInput source="patient.dateOfBirth" label="Date of birth" validate={[required(), notInFuture]} />
          <TextInput source="patient.givenName" label="Given name" validate={[required(), maxLength(100)]} />
          <TextInput source="patient.familyName" label="Family name" validate={[required(), maxLength(100)]} />
          <TextInput source="patient.postcode" label="Postcode" validate={maxLength(10)} />
          <TextInput source="patient.phone" label="Phone" type="tel" />
          <TextInput source="patient.email" label="Email" type="email" validate={email()} />
        </Box>
        <Section>Referral</Section>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, width: '100%' }}>
          <SelectInput source="source" label="Source" choices={choicesFrom(referralSourceLabels)} validate={required()} />
          <TextInput source="ubrn" label="UBRN (e-RS)" helperText="For e-RS referrals" />
          <DateInput source="receivedAt" label="Received" validate={[required(), notInFuture]} />
          <ReferenceInput source="specialty" reference="specialties" sort={{ field: 'name', order: 'ASC' }} perPage={200}>
            <SelectInput label="Specialty" optionText="name" validate={required()} />
          </ReferenceInput>
          <SelectInput source="priority" label="Priority" choices={choicesFrom(priorityLongLabels)} validate={required()} />
        </Box>
        <TextInput source="reason" label="Reason for referral" multiline minRows={3} fullWidth validate={required()} />
      </SimpleForm>
    </Create>
  );
}
