// Record leave: who, from and to (calendar dates), and where their work goes. Nothing is saved until
// the leader has seen which items would move (POST /api/absences/preview) and confirmed.
import { useState } from 'react';
import { Alert, Box, Button, List as MuiList, ListItem, ListItemText, Typography } from '@mui/material';
import PreviewIcon from '@mui/icons-material/Preview';
import {
  BooleanInput,
  Create,
  ReferenceInput,
  RadioButtonGroupInput,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextInput,
  Toolbar,
  useDataProvider,
  useNotify,
  useRedirect,
} from 'react-admin';
import { useFormContext, useWatch } from 'react-hook-form';
import { formatDateTime, londonToday } from '../components/dates';
import { PatientText, PriorityChip } from '../components/fields';
import { fieldErrors } from '../components/http-errors';
import { refusalMessage } from '../components/messages';
import { leaveRecordedNotice } from '../components/notices';
import { choicesFrom, handoverLabels } from '../components/labels';
import { useIsLeader } from '../components/roles';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { Absence, AbsenceDraft, AbsencePreview } from '../types';
import { plural } from '../components/notices';
import { DateInput } from '../components/date-input';

type Values = Record<string, unknown>;

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The body the contract asks for: a cover person only when the work goes to one. */
export function absenceDraft(values: Values): AbsenceDraft {
  const handover = values.handover === 'queue' ? 'queue' : 'cover';
  return {
    staffId: String(values.staffId ?? ''),
    from: String(values.from ?? ''),
    to: String(values.to ?? ''),
    handover,
    ...(handover === 'cover' && values.coverStaffId ? { coverStaffId: String(values.coverStaffId) } : {}),
    returnOnEnd: values.returnOnEnd !== false,
    reason: text(values.reason),
  };
}

export function validateAbsence(values: Values): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.staffId) errors.staffId = 'Choose who is away';
  if (!values.from) errors.from = 'Choose the first day of leave';
  if (!values.to) errors.to = 'Choose the last day of leave';
  else if (values.from && String(values.to) < String(values.from)) errors.to = 'The last day cannot be before the first';
  if (values.handover !== 'queue') {
    if (!values.coverStaffId) errors.coverStaffId = 'Choose who covers, or send the work back to the queue';
    else if (values.coverStaffId === values.staffId) errors.coverStaffId = 'Someone cannot cover their own leave';
  }
  if (!text(values.reason)) errors.reason = 'Give a reason (annual leave, sickness, training…)';
  return errors;
}

interface PreviewState {
  /** The form values the preview was made for: changing any of them asks for a new preview. */
  key: string;
  preview: AbsencePreview;
}

const previewKey = (values: Values) => {
  const { reason: _reason, ...moving } = absenceDraft(values);
  return JSON.stringify(moving);
};

function CoverInput() {
  const handover = useWatch({ name: 'handover' });
  if (handover === 'queue') return null;
  return (
    <ReferenceInput source="coverStaffId" reference="staff" filter={{ active: true }} sort={{ field: 'name', order: 'ASC' }} perPage={500}>
      <SelectInput label="Covered by" optionText="name" fullWidth />
    </ReferenceInput>
  );
}

function PreviewPanel({ state }: { state: PreviewState | null }) {
  const values = useWatch();
  if (!state) return null;
  const stale = previewKey(values) !== state.key;
  const { count, items } = state.preview;
  return (
    <Box data-testid="absence-preview" data-count={count} data-stale={stale ? 'true' : undefined} sx={{ width: '100%', mt: 1 }}>
      {stale ? (
        <Alert severity="warning" sx={{ mb: 1 }}>
          The form has changed since the preview: preview again before confirming.
        </Alert>
      ) : null}
      <Alert severity={count > 0 ? 'info' : 'success'}>
        {count === 0
          ? 'No open work items will move.'
          : `${plural(count, 'open work item')} will move${values.handover === 'queue' ? ' back to the queue' : ' to the cover'} when the leave starts.`}
      </Alert>
      {items.length > 0 ? (
        <MuiList dense sx={{ maxHeight: 320, overflow: 'auto' }}>
          {items.map((item) => (
            <ListItem key={item.id} data-testid="absence-preview-item" data-id={item.id} divider>
              <ListItemText
                primary={
                  <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
                    <PriorityChip priority={item.priority} />
                    <Typography variant="body2">{item.title}</Typography>
                  </Box>
                }
                secondary={
                  <Box component="span" sx={{ display: 'flex', gap: 2 }}>
                    <PatientText name={item.patientName} nhsNumber={item.nhsNumber} />
                    {item.dueAt ? <span>Due {formatDateTime(item.dueAt)}</span> : null}
                    {item.queueName ? <span>{item.queueName}</span> : null}
                  </Box>
                }
                slotProps={{ secondary: { component: 'div' } }}
              />
            </ListItem>
          ))}
        </MuiList>
      ) : null}
      {items.length < count ? (
        <Typography variant="caption" color="text.secondary">
          and {count - items.length} more
        </Typography>
      ) : null}
    </Box>
  );
}

function AbsenceToolbar({ state, onPreview }: { state: PreviewState | null; onPreview: (state: PreviewState | null) => void }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const { getValues, trigger, setError } = useFormContext();
  const values = useWatch();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const fresh = state != null && previewKey(values) === state.key;

  const preview = async () => {
    setProblem(null);
    if (!(await trigger())) return;
    const current = getValues();
    const { reason: _reason, ...draft } = absenceDraft(current);
    setBusy(true);
    try {
      const { data } = await dataProvider.previewAbsence(draft);
      onPreview({ key: previewKey(current), preview: { count: data?.count ?? 0, items: data?.items ?? [] } });
    } catch (error) {
      onPreview(null);
      setProblem(refusalMessage(error, { onFields: true, fallback: 'Could not preview the leave' }));
      for (const [field, message] of Object.entries(fieldErrors(error))) setError(field, { type: 'server', message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Toolbar sx={{ display: 'flex', flexDirection: 'column', alignItems: 'stretch', gap: 1 }}>
      {problem ? <Alert severity="error" data-testid="absence-preview-error">{problem}</Alert> : null}
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
        <Button
          variant={fresh ? 'outlined' : 'contained'}
          startIcon={<PreviewIcon />}
          onClick={() => void preview()}
          disabled={busy}
          data-testid="absence-preview-button"
        >
          {state ? 'Preview again' : 'Preview what moves'}
        </Button>
        <SaveButton label="Confirm leave" disabled={!fresh || busy} alwaysEnable={fresh && !busy} data-testid="absence-confirm" />
        {!fresh ? (
          <Typography variant="caption" color="text.secondary">
            Preview first: you will see which work items move before anything is saved.
          </Typography>
        ) : null}
      </Box>
    </Toolbar>
  );
}

export function AbsenceCreate() {
  const isLeader = useIsLeader();
  const [state, setState] = useState<PreviewState | null>(null);
  const notify = useNotify();
  const redirect = useRedirect();
  const today = londonToday();
  if (!isLeader) {
    return (
      <Alert severity="info" sx={{ mt: 2 }}>
        Leave is recorded by team leaders and admins.
      </Alert>
    );
  }
  return (
    <Create
      title="Record leave"
      redirect="show"
      transform={(values: Values) => absenceDraft(values)}
      mutationOptions={{
        onSuccess: (absence: Absence) => {
          const moving = state?.preview.count ?? 0;
          notify(leaveRecordedNotice({
            staffName: absence.staffName, from: absence.from, to: absence.to, handover: absence.handover,
            coverName: absence.coverStaffName, moving, today: londonToday(),
          }), { type: 'success' });
          redirect('show', 'absences', absence.id);
        },
        onError: (error) => notify(refusalMessage(error, { onFields: true, fallback: 'Could not record the leave' }), { type: 'error' }),
      }}
    >
      <SimpleForm
        defaultValues={{ from: today, to: today, handover: 'cover', returnOnEnd: true, reason: '' }}
        validate={validateAbsence}
        toolbar={<AbsenceToolbar state={state} onPreview={setState} />}
        sx={{ maxWidth: 720 }}
      >
        <ReferenceInput source="staffId" reference="staff" filter={{ active: true }} sort={{ field: 'name', order: 'ASC' }} perPage={500}>
          <SelectInput label="Who is away" optionText="name" fullWidth />
        </ReferenceInput>
        <Box sx={{ display: 'flex', gap: 2, width: '100%' }}>
          <DateInput source="from" label="First day" />
          <DateInput source="to" label="Last day" />
        </Box>
        <RadioButtonGroupInput source="handover" label="Their open work goes" choices={choicesFrom(handoverLabels)} />
        <CoverInput />
        <BooleanInput source="returnOnEnd" label="Give back what is still open when they return" />
        <TextInput source="reason" label="Reason" fullWidth />
        <PreviewPanel state={state} />
      </SimpleForm>
    </Create>
  );
}
