// The decision form for a work item, one per type, posting POST /api/tasks/:id/complete.
// Input names equal the contract's field names (decision, clinicId, clinicalPriority, reason,
// slotId, outcome, followUpWeeks, note) so a person, a screen reader and a test all find them.
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Alert, Box, Button, Typography } from '@mui/material';
import CheckIcon from '@mui/icons-material/Check';
import EventIcon from '@mui/icons-material/Event';
import {
  AutocompleteInput,
  BooleanInput,
  Button as RaButton,
  DateInput,
  Form,
  Link,
  NumberInput,
  RadioButtonGroupInput,
  TextInput,
  useDataProvider,
  useGetList,
  useNavigate,
  useNotify,
  useRefresh,
  type HttpError,
} from 'react-admin';
import { useFormContext, useFormState, useWatch } from 'react-hook-form';
import { useQueryClient } from '@tanstack/react-query';
import { formatDate, formatSlotStart, londonDate } from '../components/dates';
import { errorCode } from '../components/http-errors';
import { defaultAccessPolicy } from '../../../domain/booking-policy';
import {
  attendanceOutcomeLabels, choicesFrom, communicationMethodLabels, dnaReviewDecisionLabels, labelFor, monitoringReviewDecisionLabels,
  priorityLongLabels, slotTypeLabels, triageDecisionLabels, validationFieldLabels, validationOutcomeLabels,
} from '../components/labels';
import type { AccessDeskDataProvider, TaskOutcome } from '../dataProvider';
import type { ClinicalReviewOutcome, MonitoringReviewOutcome, ValidationOutcome } from '../rtt-types';
import type {
  AttendanceOutcome, Clinic, ContactPatientOutcome, DnaReviewOutcome, InterpreterOutcome, ReferralPriority, Slot, Task, TaskType,
} from '../types';
import type { ClinicalReviewReason, ValidationField } from '../../../domain/model';
import { clinicalReviewDecisionLabels, clinicalReviewReasonLabels, partialBookingReviewDecisionLabels } from '../../../domain/labels';
import { refusalMessage } from '../components/messages';
import { workItemDoneNotice } from '../components/notices';
import { openStatuses, taskPath } from './work-items';

type Values = Record<string, unknown>;
type Errors = Record<string, string>;

// The form is not an edit of the work item: without this react-admin would seed it with the
// item's own fields (its `outcome` among them) and reset what was typed whenever the item refetches.
export const noRecord = {};

export const slotTakenMessage = 'That slot has just been taken — pick another';

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const withNote = (values: Values) => (text(values.note) ? { note: text(values.note) } : {});
const isBooking = (type: TaskType) => type === 'book_new_appointment' || type === 'book_follow_up';
const isEscalation = (type: TaskType) => type === 'escalation_review' || type === 'capacity_escalation';

/** Active monitoring is reviewed every 12 weeks unless the clinician says otherwise [policy]. */
export const defaultReviewWeeks = Math.round(defaultAccessPolicy.activeMonitoring.reviewEveryDays / 7);

const isWholeIn = (value: unknown, min: number, max: number) => {
  if (value == null || value === '') return false;
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max;
};
const optionalWeeks = (value: unknown) => (value == null || value === '' ? {} : { reviewInWeeks: Number(value) });

// Told as it was booked: on the phone or face to face; a letter, text or email is evidence recorded when sent.
const toldAtBookingChoices = [
  { id: '', name: 'Not yet' },
  { id: 'phone', name: communicationMethodLabels.phone },
  { id: 'in_person', name: communicationMethodLabels.in_person },
];

const planChoices = [
  { id: 'outpatient', name: 'Treat as an outpatient' },
  { id: 'admit', name: 'Admit (added to the waiting list)' },
];

export function canComplete(task: Task): boolean {
  return (task.status === 'open' || task.status === 'claimed') && task.type in forms;
}

/** The body the contract asks for, and nothing else, whatever else the form still holds. */
export function outcomeFor(type: TaskType, values: Values): TaskOutcome {
  switch (type) {
    case 'triage_referral':
      return values.decision === 'accept'
        ? { decision: 'accept', clinicId: values.clinicId as string, clinicalPriority: values.clinicalPriority as ReferralPriority }
        : { decision: 'return_to_referrer', reason: text(values.reason) };
    case 'book_new_appointment':
    case 'book_follow_up':
    case 'rebook_appointment':
      return {
        slotId: values.slotId as string,
        ...(values.communicatedBy === 'phone' || values.communicatedBy === 'in_person' ? { communicatedBy: values.communicatedBy } : {}),
      };
    case 'record_attendance':
      return {
        outcome: values.outcome as AttendanceOutcome['outcome'],
        ...(values.outcome === 'follow_up' ? { followUpWeeks: Number(values.followUpWeeks) } : {}),
        ...(values.outcome === 'active_monitoring'
          ? { ...optionalWeeks(values.reviewInWeeks), ...(values.patientInitiated ? { patientInitiated: true } : {}) }
          : {}),
        ...withNote(values),
      };
    case 'dna_review':
      return { decision: values.decision as DnaReviewOutcome['decision'], ...withNote(values) };
    case 'clinical_review':
      return {
        decision: values.decision as ClinicalReviewOutcome['decision'],
        ...(values.decision === 'active_monitoring' ? optionalWeeks(values.reviewInWeeks) : {}),
        ...withNote(values),
      };
    case 'escalation_review':
    case 'capacity_escalation':
      return { note: text(values.note) };
    case 'validate_pathway':
      return validationOutcomeFor(values);
    case 'active_monitoring_review': {
      const decision = values.decision as MonitoringReviewOutcome['decision'];
      return {
        decision,
        ...(decision === 'continue_monitoring' ? optionalWeeks(values.reviewInWeeks) : {}),
        ...(decision === 'decision_to_treat' && values.plan ? { plan: values.plan as 'admit' | 'outpatient' } : {}),
        ...withNote(values),
      };
    }
    case 'book_interpreter':
      return {
        outcome: values.outcome as InterpreterOutcome['outcome'],
        ...(text(values.reference) ? { reference: text(values.reference) } : {}),
        ...withNote(values),
      };
    case 'contact_patient':
      return { outcome: values.outcome as ContactPatientOutcome['outcome'], note: text(values.note) };
    case 'resolve_slot_issue':
    case 'book_tci':
    case 'rebook_cancelled_operation':
    case 'offer_stand_by':
    case 'bed_management':
      return { note: text(values.note) ?? '' };
    // Issue 15's outcomes are the API's (api/schemas.ts); the console's own screens for them come with its admitted views.
    case 'book_pre_op':
      return { preOpDate: text(values.preOpDate) ?? '', ...withNote(values) } as unknown as TaskOutcome;
    case 'pre_op_review':
      return { decision: values.decision, ...withNote(values) } as unknown as TaskOutcome;
    case 'tci_clinical_review':
      return { decision: values.decision as ClinicalReviewOutcome['decision'], ...withNote(values) };
    // Issue 16: book anyway, extend (a new due date in weeks from today), or discharge to the GP.
    case 'partial_booking_review':
      return {
        decision: values.decision, ...(values.decision === 'extend' ? { dueInWeeks: Number(values.dueInWeeks) } : {}), ...withNote(values),
      } as unknown as TaskOutcome;
    default: {
      const unknownType: never = type;
      throw new Error(`No form for work items of type ${String(unknownType)}`);
    }
  }
}

function validationOutcomeFor(values: Values): ValidationOutcome {
  switch (values.outcome) {
    case 'no_longer_required':
      return { outcome: 'no_longer_required', patientConfirmed: true, ...withNote(values) };
    case 'data_corrected':
      return { outcome: 'data_corrected', field: values.field as ValidationField, note: text(values.note) };
    case 'treated_elsewhere':
      return { outcome: 'treated_elsewhere', ...withNote(values) };
    default:
      return { outcome: 'still_waiting', ...withNote(values) };
  }
}

export function validateOutcome(type: TaskType, values: Values): Errors {
  const errors: Errors = {};
  switch (type) {
    case 'triage_referral':
      if (!values.decision) errors.decision = 'Accept the referral or return it to the referrer';
      else if (values.decision === 'accept') {
        if (!values.clinicId) errors.clinicId = 'Choose the clinic the patient should be seen in';
        if (!values.clinicalPriority) errors.clinicalPriority = 'Choose the clinical priority';
      } else if (!text(values.reason)) errors.reason = 'Say why the referral is going back to the referrer';
      break;
    case 'book_new_appointment':
    case 'book_follow_up':
      if (!values.slotId) errors.slotId = 'Choose a free slot';
      break;
    case 'record_attendance': {
      if (!values.outcome) errors.outcome = 'Choose what happened at the appointment';
      if (values.outcome === 'follow_up' && !isWholeIn(values.followUpWeeks, 1, 104)) {
        errors.followUpWeeks = 'Follow-up in 1 to 104 weeks';
      }
      if (values.outcome === 'active_monitoring' && values.reviewInWeeks !== '' && values.reviewInWeeks != null && !isWholeIn(values.reviewInWeeks, 1, 52)) {
        errors.reviewInWeeks = 'Review in 1 to 52 weeks';
      }
      break;
    }
    case 'validate_pathway':
      if (!values.outcome) errors.outcome = 'Choose what the validation found';
      if (values.outcome === 'no_longer_required' && values.patientConfirmed !== true) {
        errors.patientConfirmed = 'The patient must confirm they no longer need care';
      }
      if (values.outcome === 'data_corrected') {
        if (!values.field) errors.field = 'Choose what was corrected';
        if (text(values.note).length < 3) errors.note = 'Say what was corrected';
      }
      break;
    case 'active_monitoring_review':
      if (!values.decision) errors.decision = 'Continue, treat or discharge';
      if (values.decision === 'continue_monitoring' && values.reviewInWeeks !== '' && values.reviewInWeeks != null && !isWholeIn(values.reviewInWeeks, 1, 52)) {
        errors.reviewInWeeks = 'Next review in 1 to 52 weeks';
      }
      break;
    case 'dna_review':
      if (!values.decision) errors.decision = 'Rebook or discharge';
      break;
    case 'escalation_review':
    case 'capacity_escalation':
      if (!text(values.note)) errors.note = 'Say what was done';
      break;
    case 'book_interpreter':
      if (!values.outcome) errors.outcome = 'Say whether an interpreter is booked';
      break;
    case 'contact_patient':
      if (!values.outcome) errors.outcome = 'Choose what happened';
      if (!text(values.note)) errors.note = 'Say what was done';
      break;
    case 'partial_booking_review':
      if (!values.decision) errors.decision = 'Book anyway, extend or discharge';
      if (values.decision === 'extend' && !isWholeIn(values.dueInWeeks, 1, 104)) errors.dueInWeeks = 'Now due in 1 to 104 weeks';
      break;
  }
  return errors;
}

function defaultsFor(task: Task): Values {
  switch (task.type) {
    // The clinician starts from the referrer's priority and can raise or lower it.
    case 'triage_referral':
      return { decision: null, clinicId: null, clinicalPriority: task.priority ?? null, reason: '' };
    case 'record_attendance':
      return { outcome: null, followUpWeeks: null, reviewInWeeks: defaultReviewWeeks, patientInitiated: false, note: '' };
    case 'book_new_appointment':
    case 'book_follow_up':
    case 'rebook_appointment':
      return { slotId: null, communicatedBy: '' };
    case 'validate_pathway':
      return { outcome: null, patientConfirmed: false, field: null, note: '' };
    case 'active_monitoring_review':
      return { decision: null, reviewInWeeks: defaultReviewWeeks, plan: null, note: '' };
    default:
      return {};
  }
}

function payloadText(task: Task, key: string): string | undefined {
  const value = task.payload?.[key];
  return value == null || value === '' ? undefined : String(value);
}

// ---------------------------------------------------------------- triage

function ClinicPicker({ task }: { task: Task }) {
  const specialtyCode = task.specialtyCode ?? payloadText(task, 'specialtyCode');
  const { data, isPending, error } = useGetList<Clinic>('clinics', {
    filter: specialtyCode ? { specialtyCode } : {},
    sort: { field: 'name', order: 'ASC' },
    pagination: { page: 1, perPage: 100 },
  });
  return (
    <AutocompleteInput
      source="clinicId"
      label="Clinic"
      choices={data ?? []}
      isPending={isPending}
      optionText={(clinic: Clinic) =>
        [clinic.name, clinic.clinicianName, clinic.site].filter(Boolean).join(' · ')
      }
      helperText={error ? 'Could not load clinics' : specialtyCode ? `Clinics in ${specialtyCode}` : false}
      openOnFocus={false}
      fullWidth
    />
  );
}

function TriageFields({ task }: { task: Task }) {
  const decision = useWatch({ name: 'decision' });
  return (
    <>
      <RadioButtonGroupInput
        source="decision"
        label="Triage decision"
        choices={choicesFrom(triageDecisionLabels)}
      />
      {decision === 'accept' ? (
        <>
          <ClinicPicker task={task} />
          <RadioButtonGroupInput
            source="clinicalPriority"
            label="Clinical priority"
            choices={choicesFrom(priorityLongLabels)}
          />
        </>
      ) : null}
      {decision === 'return_to_referrer' ? (
        <TextInput source="reason" label="Reason for returning (sent to the referrer)" multiline minRows={3} fullWidth />
      ) : null}
    </>
  );
}

// ---------------------------------------------------------------- booking

function SlotPicker({ task, slotTaken }: { task: Task; slotTaken: number }) {
  const clinicId = payloadText(task, 'clinicId');
  const slotType = payloadText(task, 'slotType');
  const bookBy = payloadText(task, 'bookBy');
  const { setValue } = useFormContext();
  const { data, isPending, error, refetch } = useGetList<Slot>(
    'slots',
    {
      filter: { clinicId, status: 'free', ...(slotType ? { type: slotType } : {}) },
      sort: { field: 'start', order: 'ASC' },
      pagination: { page: 1, perPage: 100 },
    },
    { enabled: clinicId != null },
  );

  // After a 409 the chosen slot has gone: clear it and fetch the free slots again.
  useEffect(() => {
    if (slotTaken === 0) return;
    setValue('slotId', null);
    void refetch();
  }, [slotTaken, setValue, refetch]);

  const lateMark = (slot: Slot) => {
    const day = londonDate(slot.start);
    return bookBy && day && day > (londonDate(bookBy) ?? bookBy) ? ' — after the book-by date' : '';
  };

  return (
    <>
      <Box sx={{ display: 'flex', gap: 4, mb: 2, flexWrap: 'wrap' }}>
        <Box>
          <Typography variant="caption" color="text.secondary" component="div">Clinic</Typography>
          <Typography variant="body2">{payloadText(task, 'clinicName') ?? '—'}</Typography>
        </Box>
        <Box>
          <Typography variant="caption" color="text.secondary" component="div">Slot type</Typography>
          <Typography variant="body2">{slotType ? labelFor(slotTypeLabels, slotType) : 'Any'}</Typography>
        </Box>
        <Box>
          <Typography variant="caption" color="text.secondary" component="div">Book by</Typography>
          <Typography variant="body2" data-testid="book-by">{bookBy ? formatDate(bookBy) : '—'}</Typography>
        </Box>
      </Box>
      {clinicId == null ? <Alert severity="warning">This work item names no clinic to book into.</Alert> : null}
      <AutocompleteInput
        source="slotId"
        label="Free slot"
        choices={data ?? []}
        isPending={isPending}
        optionText={(slot: Slot) => `${formatSlotStart(slot.start)} (${labelFor(slotTypeLabels, slot.type)})${lateMark(slot)}`}
        helperText={
          error
            ? 'Could not load free slots'
            : !isPending && (data?.length ?? 0) === 0
              ? 'No free slots in this clinic: escalate if the patient cannot be booked in time'
              : false
        }
        // Focus alone does not drop the list down (so a click on the focused field opens it
        // rather than closing it); ↓ or typing opens it.
        openOnFocus={false}
        fullWidth
      />
      <RadioButtonGroupInput
        source="communicatedBy"
        label="Patient told of it as it was booked (optional)"
        choices={toldAtBookingChoices}
        helperText="Clearly told is what lets a first-appointment DNA nullify the clock; a letter is recorded when it goes"
        row
      />
    </>
  );
}

// ---------------------------------------------------------------- attendance, DNA, escalation

function AttendanceFields({ task }: { task: Task }) {
  const outcome = useWatch({ name: 'outcome' });
  const clinicName = payloadText(task, 'clinicName');
  const slotStart = payloadText(task, 'slotStart');
  return (
    <>
      {clinicName || slotStart ? (
        <Typography variant="body2" sx={{ mb: 1 }}>
          Appointment: {[clinicName, slotStart ? formatSlotStart(slotStart) : null].filter(Boolean).join(', ')}
        </Typography>
      ) : null}
      <RadioButtonGroupInput
        source="outcome"
        label="Clinic outcome"
        choices={choicesFrom(attendanceOutcomeLabels)}
      />
      {outcome === 'follow_up' ? (
        <NumberInput source="followUpWeeks" label="Follow-up in (weeks)" min={1} max={104} step={1} />
      ) : null}
      {outcome === 'active_monitoring' ? <MonitoringFields /> : null}
      <TextInput source="note" label="Note (optional)" multiline minRows={2} fullWidth />
    </>
  );
}

/** Active monitoring stops the clock (32, or 31 when the patient chose it) and sets a review. */
function MonitoringFields() {
  return (
    <Box sx={{ display: 'flex', gap: 3, alignItems: 'center', flexWrap: 'wrap' }}>
      <NumberInput
        source="reviewInWeeks"
        label="Review in (weeks)"
        min={1}
        max={52}
        step={1}
        helperText={`Every ${defaultReviewWeeks} weeks unless the clinician said otherwise`}
      />
      <BooleanInput source="patientInitiated" label="The patient chose to wait and watch (code 31)" helperText={false} />
    </Box>
  );
}

// ---------------------------------------------------------------- validation, active monitoring review

function ValidationFields({ task }: { task: Task }) {
  const outcome = useWatch({ name: 'outcome' });
  const weeks = payloadText(task, 'weeksWaited') ?? payloadText(task, 'validationWeek');
  return (
    <>
      {weeks ? (
        <Typography variant="body2" sx={{ mb: 1 }}>
          Validation at {weeks} weeks: check with the patient (or the records) that they still need this care.
        </Typography>
      ) : null}
      <RadioButtonGroupInput source="outcome" label="What the validation found" choices={choicesFrom(validationOutcomeLabels)} />
      {outcome === 'no_longer_required' ? (
        <BooleanInput
          source="patientConfirmed"
          label="The patient confirmed they no longer need this care"
          helperText="Needed: the clock stops (34) only on the patient's word"
        />
      ) : null}
      {outcome === 'data_corrected' ? (
        <RadioButtonGroupInput source="field" label="What was corrected" choices={choicesFrom(validationFieldLabels)} row />
      ) : null}
      <TextInput
        source="note"
        label={outcome === 'data_corrected' ? 'What was wrong and what it is now' : 'Note (optional)'}
        multiline
        minRows={2}
        fullWidth
      />
    </>
  );
}

function MonitoringReviewFields() {
  const decision = useWatch({ name: 'decision' });
  return (
    <>
      <RadioButtonGroupInput source="decision" label="After the review" choices={choicesFrom(monitoringReviewDecisionLabels)} />
      {decision === 'continue_monitoring' ? (
        <NumberInput source="reviewInWeeks" label="Next review in (weeks)" min={1} max={52} step={1} />
      ) : null}
      {decision === 'decision_to_treat' ? (
        <RadioButtonGroupInput
          source="plan"
          label="Treatment plan (a new RTT period starts, 11, keeping the patient's place on the PTL)"
          choices={planChoices}
        />
      ) : null}
      <TextInput source="note" label="Note (optional)" multiline minRows={2} fullWidth />
    </>
  );
}

function DnaReviewFields() {
  return (
    <>
      <RadioButtonGroupInput
        source="decision"
        label="After the missed appointment"
        choices={choicesFrom(dnaReviewDecisionLabels)}
      />
      <TextInput source="note" label="Note (optional)" multiline minRows={2} fullWidth />
    </>
  );
}

const partialBookingReasons: Record<string, string> = {
  no_response: 'The patient did not answer the invitation to book, or the reminder.',
  lcad_reached: 'The latest clinically appropriate date has come and the follow-up is not booked.',
  no_slot_by_lcad: 'No slot can be found before the latest clinically appropriate date.',
};

function PartialBookingReviewFields({ task }: { task: Task }) {
  const reason = payloadText(task, 'reason');
  const decision = useWatch({ name: 'decision' });
  return (
    <>
      <Alert severity="info" sx={{ mb: 2 }} data-testid="partial-booking-review-reason">
        {partialBookingReasons[reason ?? ''] ?? 'The follow-up needs a decision.'}
        {` Due ${formatDate(payloadText(task, 'dueDate') ?? null)}, latest clinically appropriate ${formatDate(payloadText(task, 'lcad') ?? null)}.`}
      </Alert>
      <RadioButtonGroupInput source="decision" label="Decision" choices={choicesFrom(partialBookingReviewDecisionLabels)} />
      {decision === 'extend' ? <NumberInput source="dueInWeeks" label="Now due in (weeks)" min={1} max={104} step={1} /> : null}
      <TextInput source="note" label="Note (optional)" multiline minRows={2} fullWidth />
    </>
  );
}

function ClinicalReviewFields({ task }: { task: Task }) {
  const reason = payloadText(task, 'reason') as ClinicalReviewReason | undefined;
  return (
    <>
      {reason && reason in clinicalReviewReasonLabels ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          {clinicalReviewReasonLabels[reason]}
        </Alert>
      ) : null}
      <RadioButtonGroupInput source="decision" label="Decision" choices={choicesFrom(clinicalReviewDecisionLabels)} />
      <TextInput source="note" label="Note (optional)" multiline minRows={2} fullWidth />
    </>
  );
}

function EscalationFields({ task }: { task: Task }) {
  const reason = payloadText(task, 'reason');
  return (
    <>
      {reason ? (
        <Alert severity="warning" sx={{ mb: 2 }}>
          {reason}
        </Alert>
      ) : null}
      <TextInput source="note" label="What was done" multiline minRows={3} fullWidth />
    </>
  );
}

const interpreterChoices = [
  { id: 'booked', name: 'Interpreter booked' },
  { id: 'not_needed', name: 'Not needed (checked with the patient)' },
];
const contactPatientChoices = [
  { id: 'contacted', name: 'Reached the patient' },
  { id: 'details_updated', name: 'Contact details corrected' },
  { id: 'unable_to_contact', name: 'Could not reach the patient' },
];

function InterpreterFields({ task }: { task: Task }) {
  const language = payloadText(task, 'language');
  return (
    <>
      {language ? <Alert severity="info" sx={{ mb: 2 }}>Interpreter needed: {language}</Alert> : null}
      <RadioButtonGroupInput source="outcome" label="Interpreter" choices={interpreterChoices} />
      <TextInput source="reference" label="Booking reference (optional)" fullWidth />
      <TextInput source="note" label="Note (optional)" multiline minRows={2} fullWidth />
    </>
  );
}

function ContactPatientFields({ task }: { task: Task }) {
  const reason = payloadText(task, 'reason');
  return (
    <>
      {reason ? <Alert severity="warning" sx={{ mb: 2 }}>{reason}</Alert> : null}
      <RadioButtonGroupInput source="outcome" label="What happened" choices={contactPatientChoices} />
      <TextInput source="note" label="What was done" multiline minRows={2} fullWidth />
    </>
  );
}

// e-RS slot issue (issue 14): it closes itself when the referral is booked or returned; this records one dealt with otherwise.
function SlotIssueFields({ task }: { task: Task }) {
  const expected = payloadText(task, 'patientContactExpected');
  return (
    <>
      <Alert severity="info" sx={{ mb: 2 }}>
        {`This referral is on e-RS's Appointment Slot Issues list${expected ? `; the patient expects to hear from us by ${formatDate(expected)}` : ''}. `
          + 'Booking or returning the referral closes this item by itself.'}
      </Alert>
      <SlotIssueNextStep task={task} />
      <TextInput source="note" label="What was done (booked in e-RS, redirected)" multiline minRows={2} fullWidth />
    </>
  );
}

// The slot issue is worked by booking the referral: its booking item (or, before that, its triage) is one link away.
function SlotIssueNextStep({ task }: { task: Task }) {
  const { data, isPending } = useGetList<Task>(
    'tasks',
    {
      filter: { referralId: task.referralId, type: ['triage_referral', 'book_new_appointment'], status: openStatuses },
      pagination: { page: 1, perPage: 5 },
    },
    { enabled: task.referralId != null },
  );
  if (!task.referralId || isPending) return null;
  const booking = data?.find((t) => t.type === 'book_new_appointment');
  const triage = data?.find((t) => t.type === 'triage_referral');
  if (booking) {
    return (
      <Box sx={{ mb: 2 }} data-testid="slot-issue-next-step">
        <RaButton label="Book the appointment" component={Link} to={taskPath(booking.id)} variant="outlined" data-testid="slot-issue-book">
          <EventIcon />
        </RaButton>
      </Box>
    );
  }
  if (triage) {
    return (
      <Alert severity="warning" sx={{ mb: 2 }} data-testid="slot-issue-next-step">
        {'The referral is waiting to be triaged; it can be booked once it is accepted. '}
        <Link to={taskPath(triage.id)} data-testid="slot-issue-triage">Open the triage item</Link>
      </Alert>
    );
  }
  return null;
}

type FormParts = { fields: (task: Task, slotTaken: number) => ReactNode; submitLabel: string };

const forms: Record<TaskType, FormParts> = {
  triage_referral: { fields: (task) => <TriageFields task={task} />, submitLabel: 'Complete' },
  book_new_appointment: { fields: (task, taken) => <SlotPicker task={task} slotTaken={taken} />, submitLabel: 'Complete' },
  book_follow_up: { fields: (task, taken) => <SlotPicker task={task} slotTaken={taken} />, submitLabel: 'Complete' },
  record_attendance: { fields: (task) => <AttendanceFields task={task} />, submitLabel: 'Complete' },
  dna_review: { fields: () => <DnaReviewFields />, submitLabel: 'Complete' },
  escalation_review: { fields: (task) => <EscalationFields task={task} />, submitLabel: 'Mark as actioned' },
  capacity_escalation: { fields: (task) => <EscalationFields task={task} />, submitLabel: 'Mark as actioned' },
  validate_pathway: { fields: (task) => <ValidationFields task={task} />, submitLabel: 'Complete' },
  active_monitoring_review: { fields: () => <MonitoringReviewFields />, submitLabel: 'Complete' },
  rebook_appointment: { fields: (task, taken) => <SlotPicker task={task} slotTaken={taken} />, submitLabel: 'Rebook' },
  clinical_review: { fields: (task) => <ClinicalReviewFields task={task} />, submitLabel: 'Complete' },
  book_interpreter: { fields: (task) => <InterpreterFields task={task} />, submitLabel: 'Complete' },
  contact_patient: { fields: (task) => <ContactPatientFields task={task} />, submitLabel: 'Complete' },
  resolve_slot_issue: { fields: (task) => <SlotIssueFields task={task} />, submitLabel: 'Resolved' },
  // Admitted care (issue 15): plain forms until the console's own screens (the TCI booking screen books a TCI).
  book_pre_op: { fields: () => <><DateInput source="preOpDate" label="Pre-op assessment date" /><TextInput source="note" label="Note" multiline fullWidth /></>, submitLabel: 'Booked' },
  pre_op_review: { fields: () => <><RadioButtonGroupInput source="decision" label="Decision" choices={preOpReviewChoices} /><TextInput source="note" label="Note" multiline fullWidth /></>, submitLabel: 'Complete' },
  book_tci: { fields: () => <TextInput source="note" label="What was done" multiline minRows={2} fullWidth />, submitLabel: 'Complete' },
  tci_clinical_review: { fields: (task) => <ClinicalReviewFields task={task} />, submitLabel: 'Complete' },
  rebook_cancelled_operation: { fields: () => <TextInput source="note" label="What was done" multiline minRows={2} fullWidth />, submitLabel: 'Complete' },
  offer_stand_by: { fields: () => <TextInput source="note" label="What was done" multiline minRows={2} fullWidth />, submitLabel: 'Complete' },
  bed_management: { fields: () => <TextInput source="note" label="What was done" multiline minRows={2} fullWidth />, submitLabel: 'Complete' },
  partial_booking_review: { fields: (task) => <PartialBookingReviewFields task={task} />, submitLabel: 'Complete' },
};
const preOpReviewChoices = [
  { id: 'reassess', name: 'Assess again' }, { id: 'active_monitoring', name: 'Active monitoring' }, { id: 'discharge', name: 'Discharge to GP' },
];

function CompleteButton({ label }: { label: string }) {
  const { isSubmitting } = useFormState();
  return (
    <Button
      type="submit"
      variant="contained"
      startIcon={<CheckIcon />}
      disabled={isSubmitting}
      data-testid="complete-task"
      title="Complete (Ctrl+Enter)"
    >
      {label}
    </Button>
  );
}

export function CompleteTaskForm({ task }: { task: Task }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const navigate = useNavigate();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const [slotTaken, setSlotTaken] = useState(0);
  const boxRef = useRef<HTMLDivElement>(null);
  const parts = forms[task.type];

  // The first decision takes the focus, so the keyboard is ready as soon as the item opens.
  useEffect(() => {
    const first = boxRef.current?.querySelector<HTMLElement>(
      'input:not([type="hidden"]):not([aria-hidden="true"]):not([disabled]), textarea:not([aria-hidden="true"])',
    );
    first?.focus();
  }, [task.id]);

  if (!parts) return null;

  const submit = async (values: Values) => {
    try {
      const outcome = outcomeFor(task.type, values);
      await dataProvider.completeTask(task.id, outcome);
      notify(workItemDoneNotice(task.type, outcome as Record<string, unknown>, task.patientName), { type: 'success' });
      for (const resource of ['tasks', 'referrals', 'appointments', 'slots', 'clinics']) {
        void queryClient.invalidateQueries({ queryKey: [resource] });
      }
      navigate('/');
      return undefined;
    } catch (caught) {
      const error = caught as HttpError;
      const code = errorCode(error);
      if (code === 'SLOT_TAKEN') {
        notify(slotTakenMessage, { type: 'warning' });
        setSlotTaken((n) => n + 1);
        return { slotId: slotTakenMessage };
      }
      const fieldErrors = (error?.body as { errors?: Errors } | undefined)?.errors;
      notify(refusalMessage(error, { onFields: true, fallback: 'Could not complete the work item' }), { type: 'error' });
      if (fieldErrors && Object.keys(fieldErrors).length > 0) return fieldErrors;
      // Someone else may have moved the item on: show it as it is now.
      if (error?.status === 409 || error?.status === 404) refresh();
      return undefined;
    }
  };

  const submitOnCtrlEnter = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      boxRef.current?.querySelector('form')?.requestSubmit();
    }
  };

  return (
    <Box ref={boxRef} onKeyDown={submitOnCtrlEnter} data-testid="complete-task-form" data-task-type={task.type}>
      <Form
        key={task.id}
        record={noRecord}
        defaultValues={defaultsFor(task)}
        onSubmit={submit}
        validate={(values) => validateOutcome(task.type, values)}
        noValidate
      >
        {parts.fields(task, slotTaken)}
        <Box sx={{ mt: 2, display: 'flex', gap: 2, alignItems: 'center' }}>
          <CompleteButton label={parts.submitLabel} />
          <Typography variant="caption" color="text.secondary">
            Ctrl+Enter completes
          </Typography>
        </Box>
      </Form>
    </Box>
  );
}

export { isEscalation };
