// Choose a free slot for a patient: in the clinic triage chose (the pathway books nowhere else: another
// clinic is a new triage decision), of the slot type they need, from a date on (today by default),
// soonest first; a slot after their breach date says so. Used to reschedule an appointment and to offer a slot.
import { useMemo, useState } from 'react';
import { Box } from '@mui/material';
import { useGetList } from 'react-admin';
import { slotTypeLabels } from '../../../domain/labels';
import type { SlotType } from '../../../domain/model';
import { formatSlotStart, londonDate, londonToday } from '../components/dates';
import { labelFor } from '../components/labels';
import { NativeSelectField } from '../components/native-select';
import type { Slot } from '../types';
import { BritishDatePicker } from '../components/date-input';

/** A slot after the breach date: only a team leader may book it, and the officer should see so before choosing. */
export function isAfterBreach(slotStart: string, breachDate: string | null | undefined): boolean {
  if (!breachDate) return false;
  const day = londonDate(slotStart);
  return day != null && day > breachDate;
}

export function slotOptionText(slot: Pick<Slot, 'start' | 'type'>, breachDate?: string | null): string {
  const late = isAfterBreach(slot.start, breachDate) ? ' — after the breach date' : '';
  return `${formatSlotStart(slot.start)} (${labelFor(slotTypeLabels, slot.type)})${late}`;
}

interface SlotChoiceProps {
  /** The referral's clinic. */
  clinicId: string | null | undefined;
  clinicName?: string | null;
  slotType: SlotType | null | undefined;
  breachDate?: string | null;
  value: string;
  onChange: (slot: Slot | null) => void;
  error?: string;
  testId: string;
  /** The slot the patient has now: not offered again. */
  excludeSlotId?: string;
}

export function SlotChoice({ clinicId, clinicName, slotType, breachDate, value, onChange, error, testId, excludeSlotId }: SlotChoiceProps) {
  const [from, setFrom] = useState(londonToday());
  // From today means from now (a slot that has started cannot be booked), fixed while the date stands:
  // a new instant each render would be a new query each render.
  const startFrom = useMemo(() => (from <= londonToday() ? new Date().toISOString() : from), [from]);
  const { data: slots, isPending, error: loadError } = useGetList<Slot>(
    'slots',
    {
      filter: { clinicId, status: 'free', ...(slotType ? { type: slotType } : {}), start_gte: startFrom },
      sort: { field: 'start', order: 'ASC' },
      pagination: { page: 1, perPage: 100 },
    },
    { enabled: !!clinicId },
  );
  const choices = (slots ?? []).filter((slot) => slot.id !== excludeSlotId);
  const loading = !!clinicId && isPending;
  const helper =
    error ??
    (loadError
      ? 'Could not load free slots'
      : loading
        ? 'Loading free slots…'
        : !clinicId
          ? 'The referral has no clinic yet: triage chooses it'
          : choices.length === 0
            ? 'No free slots of this type in the clinic from that date: try a later date, or leave it to the Rebooking queue'
            : `Free ${slotType ? labelFor(slotTypeLabels, slotType).toLowerCase() + ' ' : ''}slots in ${clinicName ?? 'the clinic'}, soonest first`);
  return (
    <Box sx={{ display: 'grid', gap: 1, gridTemplateColumns: { xs: '1fr', sm: '10rem 1fr' }, alignItems: 'end' }}>
      <BritishDatePicker
        label="Slots from"
        value={from}
        onChange={(value) => { if (value !== 'invalid') { setFrom(value || londonToday()); onChange(null); } }} min={londonToday()} testId={`${testId}-from`}
      />
      <NativeSelectField
        label="Free slot"
        value={value}
        onChange={(id) => onChange(choices.find((slot) => slot.id === id) ?? null)}
        error={!!error}
        helperText={helper}
        testId={testId}
        fullWidth
      >
        <option value="">Choose a slot…</option>
        {choices.map((slot) => (
          <option key={slot.id} value={slot.id}>{slotOptionText(slot, breachDate)}</option>
        ))}
      </NativeSelectField>
    </Box>
  );
}
