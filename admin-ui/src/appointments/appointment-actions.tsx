// Cancel an appointment (by the patient or the hospital, with the reason) or reschedule it (cancel and
// book another slot in one step), from the Appointments list and the referral page. The notice says what
// happened next: a rebook item on the Rebooking queue, a booking item, or a clinician's review.
import { useRef, useState, type MouseEvent } from 'react';
import {
  Alert, Box, Button, Checkbox, FormControl, FormControlLabel, FormHelperText, FormLabel, Radio, RadioGroup, TextField, Typography,
} from '@mui/material';
import EventBusyIcon from '@mui/icons-material/EventBusy';
import EventRepeatIcon from '@mui/icons-material/EventRepeat';
import { useDataProvider, useGetOne, useNotify, useRefresh } from 'react-admin';
import { useQueryClient } from '@tanstack/react-query';
import { cancellationPartyLabels } from '../../../domain/labels';
import type { AppointmentChange, CancellationParty, ToldAtBookingMethod } from '../change-types';
import { CommandDialog, type FieldErrors } from '../components/command-dialog';
import { formatDate, formatSlotStart, isPast } from '../components/dates';
import { choicesFrom, communicationMethodLabels } from '../components/labels';
import { useIsLeader } from '../components/roles';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { Referral, Slot } from '../types';
import { appointmentChangeNotice } from '../session-changes/change-words';
import { SlotChoice, isAfterBreach } from './slot-choice';

/** What the actions need of an appointment: the list's record and the referral page's row both have it. */
export interface AppointmentRef {
  id: string;
  start: string;
  state: string;
  clinicId: string;
  clinicName: string;
  slotId: string;
  referralId: string;
}

export const changeable = (appointment: Pick<AppointmentRef, 'state' | 'start'>) => appointment.state === 'booked' && !isPast(appointment.start);

const minReason = 3;
const maxReason = 2000;
const toldChoices = (['phone', 'in_person'] as const).map((id) => ({ id, name: communicationMethodLabels[id] }));

function useAfterChange() {
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  return (words: string) => {
    notify(words, { type: 'info', multiLine: true });
    for (const key of ['appointments', 'referrals', 'tasks', 'slots', 'clinics', 'offers']) void queryClient.invalidateQueries({ queryKey: [key] });
    refresh();
  };
}

function ByAndReason({ by, setBy, reason, setReason, errors, testId, question = 'Who is cancelling' }: {
  by: CancellationParty | ''; setBy: (by: CancellationParty) => void; reason: string; setReason: (r: string) => void; errors: FieldErrors; testId: string;
  question?: string;
}) {
  return (
    <>
      <FormControl error={!!errors.by}>
        <FormLabel id={`${testId}-by-label`}>{question}</FormLabel>
        <RadioGroup row aria-labelledby={`${testId}-by-label`} value={by} onChange={(event) => setBy(event.target.value as CancellationParty)}>
          {choicesFrom(cancellationPartyLabels).map((choice, index) => (
            <FormControlLabel
              key={choice.id}
              value={choice.id}
              label={choice.id === 'patient' ? 'The patient' : 'The hospital'}
              control={<Radio autoFocus={index === 0} slotProps={{ input: { 'data-testid': `${testId}-by-${choice.id}` } as object }} />}
            />
          ))}
        </RadioGroup>
        <FormHelperText>
          {errors.by ?? (by === 'patient' ? 'Counts towards the patient cancellations that bring a clinical review' : by === 'hospital' ? 'The patient is rebooked with their original book-by date and priority' : ' ')}
        </FormHelperText>
      </FormControl>
      <TextField
        label="Reason"
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={!!errors.reason}
        helperText={errors.reason ?? 'Kept with the pathway'}
        multiline
        minRows={2}
        slotProps={{ htmlInput: { maxLength: maxReason, 'data-testid': `${testId}-reason` } }}
      />
    </>
  );
}

function checkByAndReason(by: string, reason: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!by) errors.by = 'Say who is cancelling';
  if (reason.trim().length < minReason) errors.reason = 'Say why, in a few words';
  return errors;
}

const stop = (event: MouseEvent) => event.stopPropagation();

export function CancelAppointmentButton({ appointment }: { appointment: AppointmentRef }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfterChange();
  const [open, setOpen] = useState(false);
  const [by, setBy] = useState<CancellationParty | ''>('');
  const [reason, setReason] = useState('');
  const answer = useRef<AppointmentChange | null>(null);
  return (
    // Clicks inside the dialog bubble through React to the table row: they stop here.
    <Box component="span" onClick={stop}>
      <Button size="small" color="error" startIcon={<EventBusyIcon />} onClick={() => { setBy(''); setReason(''); setOpen(true); }} data-testid="appointment-cancel-open">
        Cancel
      </Button>
      <CommandDialog
        open={open}
        title={`Cancel the appointment of ${formatSlotStart(appointment.start)}`}
        submitLabel="Cancel appointment"
        testId="appointment-cancel"
        onClose={() => setOpen(false)}
        validate={() => checkByAndReason(by, reason)}
        send={async () => {
          answer.current = (await dataProvider.cancelAppointment(appointment.id, { by: by as CancellationParty, reason: reason.trim() })).data;
        }}
        onDone={() => {
          setOpen(false);
          if (answer.current) after(appointmentChangeNotice(answer.current));
        }}
      >
        {(errors) => (
          <>
            <Typography variant="body2">{appointment.clinicName}. The slot is freed and the patient is sent the change; the RTT clock keeps running.</Typography>
            <ByAndReason by={by} setBy={setBy} reason={reason} setReason={setReason} errors={errors} testId="appointment-cancel" />
          </>
        )}
      </CommandDialog>
    </Box>
  );
}

/** The clinic, slot type and breach date the new slot must fit: read when the dialog opens. */
function useRescheduleContext(appointment: AppointmentRef, enabled: boolean, known: Omit<RescheduleProps, 'appointment'>) {
  const { data: slot } = useGetOne<Slot>('slots', { id: appointment.slotId }, { enabled });
  const { data: referral } = useGetOne<Referral>('referrals', { id: appointment.referralId }, { enabled: enabled && !known.referral });
  const from = known.referral ?? referral;
  return {
    slotType: slot?.type ?? null,
    // Triage chose the clinic; the pathway books nowhere else.
    clinicId: from?.clinicId ?? appointment.clinicId,
    clinicName: from?.clinicName ?? appointment.clinicName,
    breachDate: from?.breachDate ?? null,
  };
}

interface RescheduleProps {
  appointment: AppointmentRef;
  /** Known on the referral page; read from the API otherwise. */
  referral?: Pick<Referral, 'clinicId' | 'clinicName' | 'breachDate'>;
}

export function RescheduleAppointmentButton({ appointment, referral }: RescheduleProps) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfterChange();
  const leader = useIsLeader();
  const [open, setOpen] = useState(false);
  const [by, setBy] = useState<CancellationParty | ''>('');
  const [reason, setReason] = useState('');
  const [slot, setSlot] = useState<Slot | null>(null);
  const [told, setTold] = useState<ToldAtBookingMethod | ''>('');
  const [confirmPastBreach, setConfirmPastBreach] = useState(false);
  const answer = useRef<AppointmentChange | null>(null);
  const { slotType, clinicId, clinicName, breachDate } = useRescheduleContext(appointment, open, { referral });
  const late = slot != null && isAfterBreach(slot.start, breachDate);

  return (
    <Box component="span" onClick={stop}>
      <Button
        size="small"
        startIcon={<EventRepeatIcon />}
        onClick={() => { setBy(''); setReason(''); setSlot(null); setTold(''); setConfirmPastBreach(false); setOpen(true); }}
        data-testid="appointment-reschedule-open"
      >
        Reschedule
      </Button>
      <CommandDialog
        open={open}
        title={`Reschedule the appointment of ${formatSlotStart(appointment.start)}`}
        submitLabel="Move appointment"
        testId="appointment-reschedule"
        onClose={() => setOpen(false)}
        validate={() => {
          const errors = checkByAndReason(by, reason);
          if (!slot) errors.slotId = 'Choose the new slot';
          else if (late && !leader) errors.slotId = 'This slot is after the breach date: only a team leader can book it';
          else if (late && !confirmPastBreach) errors.confirmPastBreach = 'Tick to confirm a slot after the breach date';
          return errors;
        }}
        send={async () => {
          answer.current = (await dataProvider.rescheduleAppointment(appointment.id, {
            slotId: slot!.id,
            by: by as CancellationParty,
            reason: reason.trim(),
            ...(told ? { communicatedBy: told } : {}),
            ...(late && confirmPastBreach ? { confirmPastBreach: true } : {}),
          })).data;
        }}
        onDone={() => {
          setOpen(false);
          if (answer.current) after(appointmentChangeNotice(answer.current));
        }}
      >
        {(errors) => (
          <>
            <ByAndReason by={by} setBy={setBy} reason={reason} setReason={setReason} errors={errors} testId="appointment-reschedule" question="Who asked for the change" />
            {breachDate ? <Typography variant="body2">Breach date {formatDate(breachDate)}.</Typography> : null}
            <SlotChoice
              clinicId={clinicId}
              clinicName={clinicName}
              slotType={slotType}
              breachDate={breachDate}
              value={slot?.id ?? ''}
              onChange={(chosen) => { setSlot(chosen); setConfirmPastBreach(false); }}
              error={errors.slotId}
              testId="appointment-reschedule-slot"
              excludeSlotId={appointment.slotId}
            />
            {late ? (
              leader ? (
                <FormControl error={!!errors.confirmPastBreach}>
                  <FormControlLabel
                    control={<Checkbox checked={confirmPastBreach} onChange={(event) => setConfirmPastBreach(event.target.checked)} slotProps={{ input: { 'data-testid': 'appointment-reschedule-past-breach' } as object }} />}
                    label="After the breach date: as team leader I confirm"
                  />
                  {errors.confirmPastBreach ? <FormHelperText>{errors.confirmPastBreach}</FormHelperText> : null}
                </FormControl>
              ) : (
                <Alert severity="warning">This slot is after the patient’s breach date: only a team leader can book it. Choose an earlier slot or ask a team leader.</Alert>
              )
            ) : null}
            <FormControl>
              <FormLabel id="reschedule-told-label">Patient told of the new date as it was booked (optional)</FormLabel>
              <RadioGroup row aria-labelledby="reschedule-told-label" value={told} onChange={(event) => setTold(event.target.value as ToldAtBookingMethod)}>
                {toldChoices.map((choice) => <FormControlLabel key={choice.id} value={choice.id} label={choice.name} control={<Radio />} />)}
              </RadioGroup>
            </FormControl>
          </>
        )}
      </CommandDialog>
    </Box>
  );
}

/** Both actions for a booked appointment that has not started; nothing otherwise. */
export function AppointmentActions(props: RescheduleProps) {
  if (!changeable(props.appointment)) return null;
  return (
    <Box component="span" sx={{ display: 'inline-flex', gap: 0.5, flexWrap: 'wrap' }}>
      <RescheduleAppointmentButton {...props} />
      <CancelAppointmentButton appointment={props.appointment} />
    </Box>
  );
}
