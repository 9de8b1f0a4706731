// Choose a free slot for a patient: in the clinic triage chose (the pathway books nowhere else: another
// clinic is a new triage decision), of the slot type they need, from a date on (today by default),
// soonest first; a slot after their breach date says so. Used to reschedule an appointment, to offer a slot, and to
// book a follow-up from the partial booking list (only within its window of dates).
import { useMemo, useState } from 'react';
import { Box } from '@mui/material';
import { useGetList } from 'react-admin';
import { slotTypeLabels } from '../../../domain/labels';
import type { SlotType } from '../../../domain/model';
import { addDays } from '../../../domain/dates';
import { formatDate, formatSlotStart, londonDate, londonToday } from '../components/dates';
import { londonMidnight } from '../components/london-midnight';
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

export function slotOptionText(slot: Pick<Slot, 'start' | 'type'>, breachDate?: string | null, lateWords = 'after the breach date'): string {
  const late = isAfterBreach(slot.start, breachDate) ? ` — ${lateWords}` : '';
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
  /** Only slots on these London dates (a follow-up's ±2 weeks of its due date). */
  dateWindow?: { earliest: string; latest: string };
  /** How a slot after `breachDate` is marked (a follow-up's LCAD, say). */
  lateWords?: string;
  autoFocus?: boolean;
}

export function SlotChoice({
  clinicId, clinicName, slotType, breachDate, value, onChange, error, testId, excludeSlotId, dateWindow, lateWords, autoFocus,
}: SlotChoiceProps) {
  const earliest = dateWindow && dateWindow.earliest > londonToday() ? dateWindow.earliest : londonToday();
  const [from, setFrom] = useState(earliest);
  // From today means from now (a slot that has started cannot be booked), fixed while the date stands:
  // a new instant each render would be a new query each render.
  const windowed = dateWindow != null;
  const startFrom = useMemo(() => (from <= londonToday() ? new Date().toISOString() : windowed ? londonMidnight(from) : from), [from, windowed]);
  const latest = dateWindow?.latest;
  const windowEnd = latest ? londonMidnight(addDays(latest, 1)) : undefined;
  const closed = latest != null && latest < londonToday();
  const { data: slots, isPending, error: loadError } = useGetList<Slot>(
    'slots',
    {
      filter: { clinicId, status: 'free', ...(slotType ? { type: slotType } : {}), start_gte: startFrom, ...(windowEnd ? { start_lt: windowEnd } : {}) },
      sort: { field: 'start', order: 'ASC' },
      pagination: { page: 1, perPage: 100 },
    },
    { enabled: !!clinicId && !closed },
  );
  const choices = (slots ?? []).filter((slot) => slot.id !== excludeSlotId);
  const loading = !!clinicId && !closed && isPending;
  const helper =
    error ??
    (loadError
      ? 'Could not load free slots'
      : loading
        ? 'Loading free slots…'
        : !clinicId
          ? 'The referral has no clinic yet: triage chooses it'
          : closed
            ? `The booking window closed on ${formatDate(latest)}`
            : choices.length === 0
              ? latest
                ? `No free slots of this type in the clinic between ${formatDate(from)} and ${formatDate(latest)}`
                : 'No free slots of this type in the clinic from that date: try a later date, or leave it to the Rebooking queue'
              : `Free ${slotType ? labelFor(slotTypeLabels, slotType).toLowerCase() + ' ' : ''}slots in ${clinicName ?? 'the clinic'}, soonest first`);
  return (
    <Box sx={{ display: 'grid', gap: 1, gridTemplateColumns: { xs: '1fr', sm: '10rem 1fr' }, alignItems: 'end' }}>
      <BritishDatePicker
        label="Slots from"
        value={from}
        onChange={(value) => { if (value !== 'invalid') { setFrom(value || earliest); onChange(null); } }} min={earliest} max={latest}
        testId={`${testId}-from`}
      />
      <NativeSelectField
        label="Free slot"
        value={value}
        onChange={(id) => onChange(choices.find((slot) => slot.id === id) ?? null)}
        error={!!error}
        helperText={helper}
        testId={testId}
        fullWidth
        autoFocus={autoFocus}
      >
        <option value="">Choose a slot…</option>
        {choices.map((slot) => (
          <option key={slot.id} value={slot.id}>{slotOptionText(slot, breachDate, lateWords)}</option>
        ))}
      </NativeSelectField>
    </Box>
  );
}
