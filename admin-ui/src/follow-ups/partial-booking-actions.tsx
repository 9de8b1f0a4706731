// Booking a follow-up from the partial booking list (POST /api/partial-booking/:id/book), and sending it to the clinician
// when no slot can be found by its LCAD (POST /api/partial-booking/:id/escalate) [rules §4.6–4.7]. The slot is chosen as
// any booking's is (SlotChoice), only follow-up slots of the clinic the patient was seen in, within two weeks either
// side of the due date; a slot after the LCAD is marked, and the pathway refuses it in words.
import { useState } from 'react';
import { Button, Stack, Typography } from '@mui/material';
import EventAvailableIcon from '@mui/icons-material/EventAvailable';
import ForwardToInboxIcon from '@mui/icons-material/ForwardToInbox';
import { useDataProvider, useGetOne } from 'react-admin';
import { partialBookingDates } from '../../../domain/booking-policy';
import type { ToldAtBookingMethod } from '../../../domain/model';
import { SlotChoice } from '../appointments/slot-choice';
import { CommandDialog, type FieldErrors } from '../components/command-dialog';
import { formatDate, formatSlotStart } from '../components/dates';
import { communicationMethodLabels } from '../components/labels';
import { NativeSelectField } from '../components/native-select';
import { useAfterAnswer } from '../components/offer-answers';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { ReferralDetail, Slot } from '../types';
import type { PartialBookingRecord } from './follow-up-types';

/** Still to be booked by the access centre: not booked, discharged or already with the clinician. */
export const bookableStatuses: ReadonlySet<PartialBookingRecord['status']> = new Set(['waiting', 'invited', 'chased']);
export const isBookable = (entry: Pick<PartialBookingRecord, 'status'>) => bookableStatuses.has(entry.status);

const useAfterFollowUp = () => useAfterAnswer(['partial-booking', 'follow-up-backlog', 'referrals', 'appointments', 'tasks', 'slots']);

/** The row's buttons (b and l do the same for the highlighted row). */
export function PartialBookingRowActions({ entry, onBook, onEscalate }: {
  entry: PartialBookingRecord; onBook: (entry: PartialBookingRecord) => void; onEscalate: (entry: PartialBookingRecord) => void;
}) {
  if (!isBookable(entry)) return null;
  // A click here is not a click on the row (which opens the referral).
  const act = (run: () => void) => (event: React.MouseEvent) => { event.stopPropagation(); run(); };
  return (
    <Stack direction="row" spacing={1}>
      <Button size="small" variant="outlined" startIcon={<EventAvailableIcon />} onClick={act(() => onBook(entry))} data-testid="partial-booking-book-open" title="Book a slot (b)">
        Book
      </Button>
      <Button size="small" startIcon={<ForwardToInboxIcon />} onClick={act(() => onEscalate(entry))} data-testid="partial-booking-escalate-open" title="Escalate to clinician (l)">
        Escalate
      </Button>
    </Stack>
  );
}

export function BookFollowUpDialog({ entry, onClose }: { entry: PartialBookingRecord | null; onClose: () => void }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfterFollowUp();
  const [slot, setSlot] = useState<Slot | null>(null);
  const [told, setTold] = useState<ToldAtBookingMethod | ''>('');
  const { data: referral } = useGetOne<ReferralDetail>('referrals', { id: entry?.referralId ?? '' }, { enabled: !!entry });
  const dates = entry ? partialBookingDates(entry.dueDate) : null;
  const close = () => {
    setSlot(null);
    setTold('');
    onClose();
  };
  return (
    <CommandDialog
      open={entry != null}
      title={entry ? `Book ${entry.patientName}'s follow-up` : 'Book the follow-up'}
      submitLabel="Book follow-up"
      testId="partial-booking-book"
      onClose={close}
      validate={(): FieldErrors => (slot ? {} : { slotId: 'Choose the slot to book' })}
      send={() => dataProvider.bookFromPartialBooking(entry!.id, { slotId: slot!.id, ...(told ? { communicatedBy: told } : {}) })}
      onDone={() => {
        after(`Follow-up booked for ${entry!.patientName}: ${formatSlotStart(slot!.start)}`);
        close();
      }}
    >
      {(errors) => entry && dates ? (
        <>
          <Typography variant="body2" data-testid="partial-booking-book-window">
            Due {formatDate(entry.dueDate)}, latest clinically appropriate {formatDate(entry.lcad)}: book between {formatDate(dates.earliest)} and{' '}
            {formatDate(dates.latest)}. No slot by the LCAD? Escalate it to the clinician instead.
          </Typography>
          <SlotChoice
            key={entry.id}
            clinicId={referral?.clinicId}
            clinicName={referral?.clinicName}
            slotType="follow_up"
            breachDate={entry.lcad}
            lateWords="after the LCAD: the clinician decides"
            dateWindow={dates}
            value={slot?.id ?? ''}
            onChange={setSlot}
            error={errors.slotId}
            testId="partial-booking-book-slot"
            autoFocus
          />
          <NativeSelectField
            label="Patient told of it as it was booked (optional)"
            value={told}
            onChange={(value) => setTold(value as ToldAtBookingMethod | '')}
            error={!!errors.communicatedBy}
            helperText={errors.communicatedBy ?? 'A letter is recorded when it goes'}
            testId="partial-booking-book-told"
            fullWidth
          >
            <option value="">Not yet (a letter will tell them)</option>
            <option value="phone">{communicationMethodLabels.phone}</option>
            <option value="in_person">{communicationMethodLabels.in_person}</option>
          </NativeSelectField>
        </>
      ) : null}
    </CommandDialog>
  );
}

export function EscalateFollowUpDialog({ entry, onClose }: { entry: PartialBookingRecord | null; onClose: () => void }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfterFollowUp();
  return (
    <CommandDialog
      open={entry != null}
      title="Escalate to clinician (no slot by the LCAD)"
      submitLabel="Send to the clinician"
      testId="partial-booking-escalate"
      onClose={onClose}
      validate={() => ({})}
      send={() => dataProvider.escalatePartialBooking(entry!.id)}
      onDone={() => {
        after(`${entry!.patientName}'s follow-up is with the clinician: they decide to book anyway, extend, or discharge`);
        onClose();
      }}
    >
      {() => entry ? (
        <Typography variant="body2">
          {entry.patientName}'s follow-up is due {formatDate(entry.dueDate)} and must be seen by {formatDate(entry.lcad)}. If no slot can be found
          by then, the clinician decides: book anyway, extend, or discharge. Until they do, it cannot be booked from this list.
        </Typography>
      ) : null}
    </CommandDialog>
  );
}
