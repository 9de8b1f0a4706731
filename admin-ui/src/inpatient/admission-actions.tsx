// The commands on an admission's page: record the pre-op outcome, admit, cancel the operation, decide not
// to treat, put on (or take off) the stand-by list. Each is a small dialog (Tab through its fields,
// Ctrl+Enter sends) whose notice says what happens next in the access centre's words.
import { useRef, useState } from 'react';
import { Button, Checkbox, FormControl, FormControlLabel, FormLabel, Radio, RadioGroup, TextField, Typography } from '@mui/material';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import { useQueryClient } from '@tanstack/react-query';
import { CommandDialog } from '../components/command-dialog';
import { BritishDatePicker } from '../components/date-input';
import { londonToday } from '../components/dates';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { Admission, CancelOperationResult, PreOpOutcome } from './inpatient-types';
import { cancelledNotice } from './inpatient-words';

function useAfter() {
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  return (words: string) => {
    notify(words, { type: 'info', multiLine: true });
    for (const key of ['admissions', 'tci-offers', 'theatre-sessions', 'stand-by', 'cancelled-operations', 'tasks']) {
      void queryClient.invalidateQueries({ queryKey: [key] });
    }
    refresh();
  };
}

const reasonField = (value: string, set: (v: string) => void, error: string | undefined, testId: string, label = 'Reason') => (
  <TextField
    label={label}
    value={value}
    onChange={(event) => set(event.target.value)}
    error={!!error}
    helperText={error}
    multiline
    minRows={2}
    slotProps={{ htmlInput: { maxLength: 2000, 'data-testid': testId } }}
  />
);

const preOpChoices: { id: PreOpOutcome; name: string }[] = [
  { id: 'fit', name: 'Fit for surgery' },
  { id: 'fit_with_conditions', name: 'Fit with conditions' },
  { id: 'unfit', name: 'Unfit: a clinician reviews' },
];

export function PreOpOutcomeButton({ admission }: { admission: Admission }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfter();
  const [open, setOpen] = useState(false);
  const [assessedOn, setAssessedOn] = useState(londonToday());
  const [outcome, setOutcome] = useState<PreOpOutcome | ''>('');
  const [conditions, setConditions] = useState('');
  const today = londonToday();
  return (
    <>
      <Button size="small" variant="outlined" onClick={() => { setAssessedOn(londonToday()); setOutcome(''); setConditions(''); setOpen(true); }} data-testid="pre-op-open">
        Record pre-op outcome
      </Button>
      <CommandDialog
        open={open}
        title={`Pre-operative assessment: ${admission.patientName}`}
        submitLabel="Record outcome"
        testId="pre-op"
        onClose={() => setOpen(false)}
        validate={() => {
          const errors: Record<string, string> = {};
          if (!assessedOn) errors.assessedOn = 'Say when the patient was assessed';
          else if (assessedOn > today) errors.assessedOn = 'Cannot be in the future';
          if (!outcome) errors.outcome = 'Choose the outcome';
          if (outcome === 'fit_with_conditions' && conditions.trim().length < 3) errors.conditions = 'Say what the conditions are';
          return errors;
        }}
        send={() => dataProvider.recordPreOpOutcome(admission.id, {
          assessedOn, outcome: outcome as PreOpOutcome, ...(conditions.trim() ? { conditions: conditions.trim() } : {}),
        })}
        onDone={() => {
          setOpen(false);
          after(outcome === 'unfit'
            ? 'Pre-op outcome recorded: unfit. A clinician will review the patient before a date is offered'
            : 'Pre-op outcome recorded: the patient can be offered a date');
        }}
      >
        {(errors) => (
          <>
            <BritishDatePicker label="Assessed on" value={assessedOn} onChange={setAssessedOn} error={!!errors.assessedOn} helperText={errors.assessedOn} max={today} testId="pre-op-assessed-on" />
            <FormControl error={!!errors.outcome}>
              <FormLabel id="pre-op-outcome-label">Outcome</FormLabel>
              <RadioGroup aria-labelledby="pre-op-outcome-label" value={outcome} onChange={(event) => setOutcome(event.target.value as PreOpOutcome)}>
                {preOpChoices.map((c) => (
                  <FormControlLabel key={c.id} value={c.id} label={c.name} control={<Radio slotProps={{ input: { 'data-testid': `pre-op-${c.id}` } as object }} />} />
                ))}
              </RadioGroup>
              {errors.outcome ? <Typography variant="caption" color="error">{errors.outcome}</Typography> : null}
            </FormControl>
            {outcome === 'fit_with_conditions' ? reasonField(conditions, setConditions, errors.conditions, 'pre-op-conditions', 'Conditions') : null}
          </>
        )}
      </CommandDialog>
    </>
  );
}

export function AdmitButton({ admission }: { admission: Admission }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfter();
  const [open, setOpen] = useState(false);
  const [admittedOn, setAdmittedOn] = useState(londonToday());
  const [procedureDone, setProcedureDone] = useState(true);
  const [diagnosticOnly, setDiagnosticOnly] = useState(false);
  const today = londonToday();
  const stops = procedureDone && !diagnosticOnly;
  return (
    <>
      <Button size="small" variant="outlined" onClick={() => { setAdmittedOn(londonToday()); setProcedureDone(true); setDiagnosticOnly(false); setOpen(true); }} data-testid="admit-open">
        Record admission
      </Button>
      <CommandDialog
        open={open}
        title={`Admission: ${admission.patientName}`}
        submitLabel="Record admission"
        testId="admit"
        onClose={() => setOpen(false)}
        validate={(): Record<string, string> => (!admittedOn ? { admittedOn: 'Say the day of admission' } : admittedOn > today ? { admittedOn: 'Cannot be in the future' } : {})}
        send={() => dataProvider.admit(admission.id, { admittedOn, procedureDone, diagnosticOnly })}
        onDone={() => {
          setOpen(false);
          after(stops ? 'Admission recorded: the RTT clock stopped on the day of admission (treatment started)' : 'Admission recorded: the RTT clock keeps running, as the treatment was not done');
        }}
      >
        {(errors) => (
          <>
            <BritishDatePicker label="Admitted on" value={admittedOn} onChange={setAdmittedOn} error={!!errors.admittedOn} helperText={errors.admittedOn} max={today} testId="admit-on" />
            <FormControlLabel control={<Checkbox checked={procedureDone} onChange={(e) => setProcedureDone(e.target.checked)} slotProps={{ input: { 'data-testid': 'admit-procedure-done' } as object }} />} label="The procedure was done" />
            <FormControlLabel control={<Checkbox checked={diagnosticOnly} onChange={(e) => setDiagnosticOnly(e.target.checked)} slotProps={{ input: { 'data-testid': 'admit-diagnostic-only' } as object }} />} label="Diagnostic only (not treatment)" />
            <Typography variant="body2" data-testid="admit-clock-words">
              {stops ? 'This stops the RTT clock on the day of admission.' : 'The RTT clock keeps running: nothing was treated.'}
            </Typography>
          </>
        )}
      </CommandDialog>
    </>
  );
}

export function CancelOperationButton({ admission }: { admission: Admission }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfter();
  const [open, setOpen] = useState(false);
  const [onTheDay, setOnTheDay] = useState(true);
  const [clinical, setClinical] = useState(false);
  const [reason, setReason] = useState('');
  const sent = useRef({ onTheDay: true, clinical: false });
  const answer = useRef<CancelOperationResult | null>(null);
  return (
    <>
      <Button size="small" color="warning" variant="outlined" onClick={() => { setOnTheDay(true); setClinical(false); setReason(''); setOpen(true); }} data-testid="cancel-operation-open">
        Cancel operation
      </Button>
      <CommandDialog
        open={open}
        title={`Cancel the operation: ${admission.patientName}`}
        submitLabel="Cancel operation"
        testId="cancel-operation"
        onClose={() => setOpen(false)}
        validate={(): Record<string, string> => (reason.trim().length < 3 ? { reason: 'Say why, in a few words' } : {})}
        send={() => {
          sent.current = { onTheDay, clinical };
          answer.current = null;
          return dataProvider.cancelAdmission(admission.id, { onTheDay, clinical, reason: reason.trim() }).then(({ data }) => { answer.current = data; });
        }}
        onDone={() => { setOpen(false); after(cancelledNotice(sent.current, answer.current)); }}
      >
        {(errors) => (
          <>
            <FormControlLabel control={<Checkbox checked={onTheDay} onChange={(e) => setOnTheDay(e.target.checked)} slotProps={{ input: { 'data-testid': 'cancel-operation-on-the-day' } as object }} />} label="On the day (the patient had arrived or was due in)" />
            <FormControlLabel control={<Checkbox checked={clinical} onChange={(e) => setClinical(e.target.checked)} slotProps={{ input: { 'data-testid': 'cancel-operation-clinical' } as object }} />} label="For a clinical reason" />
            {reasonField(reason, setReason, errors.reason, 'cancel-operation-reason')}
            <Typography variant="body2" data-testid="cancel-operation-words">
              {onTheDay && !clinical
                ? 'The hospital cancelled on the day for a non-clinical reason: the patient must be offered a new date within 28 days.'
                : 'The patient stays on the waiting list.'}
            </Typography>
          </>
        )}
      </CommandDialog>
    </>
  );
}

export function NotTreatedButton({ admission }: { admission: Admission }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfter();
  const [open, setOpen] = useState(false);
  const [decidedOn, setDecidedOn] = useState(londonToday());
  const [note, setNote] = useState('');
  const today = londonToday();
  return (
    <>
      <Button size="small" variant="outlined" onClick={() => { setDecidedOn(londonToday()); setNote(''); setOpen(true); }} data-testid="not-treated-open">
        Decision not to treat
      </Button>
      <CommandDialog
        open={open}
        title={`Decision not to treat: ${admission.patientName}`}
        submitLabel="Record decision"
        testId="not-treated"
        onClose={() => setOpen(false)}
        validate={() => {
          const errors: Record<string, string> = {};
          if (!decidedOn) errors.decidedOn = 'Say when it was decided';
          else if (decidedOn > today) errors.decidedOn = 'Cannot be in the future';
          if (note.trim().length < 3) errors.note = 'Say why, in a few words';
          return errors;
        }}
        send={() => dataProvider.decideNotToTreat(admission.id, { decidedOn, note: note.trim() })}
        onDone={() => { setOpen(false); after('Decision not to treat recorded: the pathway has ended (clock stopped)'); }}
      >
        {(errors) => (
          <>
            <BritishDatePicker label="Decided on" value={decidedOn} onChange={setDecidedOn} error={!!errors.decidedOn} helperText={errors.decidedOn} max={today} testId="not-treated-on" />
            {reasonField(note, setNote, errors.note, 'not-treated-note', 'Note')}
          </>
        )}
      </CommandDialog>
    </>
  );
}

export function StandByButton({ admission }: { admission: Admission }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfter();
  const [open, setOpen] = useState(false);
  const [noticeHours, setNoticeHours] = useState('24');
  const joining = !admission.standBy;
  return (
    <>
      <Button size="small" variant="outlined" onClick={() => { setNoticeHours('24'); setOpen(true); }} data-testid="stand-by-open">
        {joining ? 'Put on stand-by list' : 'Take off stand-by list'}
      </Button>
      <CommandDialog
        open={open}
        title={joining ? `Stand-by: ${admission.patientName} can come in at short notice` : `Take ${admission.patientName} off the stand-by list`}
        submitLabel={joining ? 'Put on stand-by' : 'Take off stand-by'}
        testId="stand-by"
        onClose={() => setOpen(false)}
        validate={(): Record<string, string> => {
          const hours = Number(noticeHours);
          return joining && (!Number.isInteger(hours) || hours < 1 || hours > 336) ? { noticeHours: 'Hours of notice the patient needs: 1 to 336' } : {};
        }}
        send={() => dataProvider.setStandBy(admission.id, joining ? { available: true, noticeHours: Number(noticeHours) } : { available: false })}
        onDone={() => {
          setOpen(false);
          after(joining ? 'On the stand-by list: the patient may be offered freed theatre time' : 'Taken off the stand-by list');
        }}
      >
        {(errors) => (joining ? (
          <TextField
            label="Notice the patient needs (hours)"
            value={noticeHours}
            onChange={(event) => setNoticeHours(event.target.value)}
            error={!!errors.noticeHours}
            helperText={errors.noticeHours ?? 'Only patients whose pre-op is done and still valid are offered freed time'}
            slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'stand-by-notice-hours' } }}
          />
        ) : <Typography variant="body2">The patient keeps their place on the waiting list.</Typography>)}
      </CommandDialog>
    </>
  );
}
