// The offers made to a patient on the referral page: each date or slot offered, when and how, whether it
// was reasonable (enough notice) or short notice, and the answer. A new offer is a slot (accepting it
// books it) or a date; declining asks why. Two declined reasonable offers bring a clinician's review,
// and the panel says so.
import { useEffect, useRef, useState } from 'react';
import {
  Alert, Box, Button, Checkbox, FormControl, FormControlLabel, FormHelperText, FormLabel, Radio, RadioGroup, Table, TableBody, TableCell, TableHead,
  TableRow, Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { Link, useDataProvider, useGetList } from 'react-admin';
import { offerStatusLabels } from '../../../domain/labels';
import type { CommunicationMethod, SlotType } from '../../../domain/model';
import type { Offer, ToldAtBookingMethod } from '../change-types';
import { CommandDialog } from '../components/command-dialog';
import { formatDate, formatDateTime, formatSlotStart, londonToday } from '../components/dates';
import { Panel } from '../components/fields';
import { choicesFrom, communicationMethodLabels, labelFor } from '../components/labels';
import { NativeSelectField } from '../components/native-select';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { ReferralDetail, Slot } from '../types';
import { offerDecidedNotice, offerMadeNotice } from '../session-changes/change-words';
import { DeclineOfferButton, ReasonableChip, useAfterAnswer } from '../components/offer-answers';
import { useIsLeader } from '../components/roles';
import { SlotChoice, isAfterBreach } from './slot-choice';
import { BritishDatePicker } from '../components/date-input';

const bookingTypes = new Set(['book_new_appointment', 'book_follow_up', 'rebook_appointment']);
const openStatuses = new Set(['open', 'claimed']);
const toldChoices = (['phone', 'in_person'] as const).map((id) => ({ id, name: communicationMethodLabels[id] }));

/** The slot type the pathway is waiting to book (from its open booking item), if it is waiting. */
function wantedSlotType(referral: ReferralDetail): SlotType | null {
  const item = referral.tasks.find((task) => bookingTypes.has(task.type) && openStatuses.has(task.status));
  const type = item?.payload?.slotType;
  return typeof type === 'string' ? (type as SlotType) : null;
}

const useAfterOffer = () => useAfterAnswer(['offers', 'referrals', 'appointments', 'tasks', 'slots']);

function NewOfferButton({ referral, open, setOpen }: { referral: ReferralDetail; open: boolean; setOpen: (open: boolean) => void }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfterOffer();
  const [mode, setMode] = useState<'slot' | 'date'>('slot');
  const [slot, setSlot] = useState<Slot | null>(null);
  const [date, setDate] = useState('');
  const [offeredOn, setOfferedOn] = useState(londonToday());
  const [channel, setChannel] = useState<CommunicationMethod | ''>('');
  const answer = useRef<Offer | null>(null);
  const today = londonToday();
  // Each opening starts afresh, however it was opened.
  useEffect(() => {
    if (!open) return;
    setSlot(null);
    setDate('');
    setOfferedOn(londonToday());
    setChannel('');
  }, [open]);
  const breachDate = referral.rtt?.breachDate ?? referral.breachDate;
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        startIcon={<AddIcon />}
        onClick={() => setOpen(true)}
        data-testid="offer-new-open"
        title="New offer (o)"
      >
        New offer
      </Button>
      <CommandDialog
        open={open}
        title={`Offer a date to ${referral.patientName}`}
        submitLabel="Record offer"
        testId="offer-new"
        onClose={() => setOpen(false)}
        validate={() => {
          const errors: Record<string, string> = {};
          if (mode === 'slot' && !slot) errors.slotId = 'Choose the slot offered';
          if (mode === 'date' && !date) errors.date = 'Say the date offered';
          else if (mode === 'date' && date < today) errors.date = 'Cannot be in the past';
          if (!offeredOn) errors.offeredOn = 'Say when it was offered';
          else if (offeredOn > today) errors.offeredOn = 'Cannot be in the future';
          if (!channel) errors.channel = 'Say how it was offered';
          return errors;
        }}
        send={async () => {
          answer.current = (await dataProvider.createOffer(referral.id, {
            ...(mode === 'slot' ? { slotId: slot!.id } : { date }),
            offeredOn,
            channel: channel as CommunicationMethod,
          })).data;
        }}
        onDone={() => {
          setOpen(false);
          if (answer.current) after(offerMadeNotice(answer.current));
        }}
      >
        {(errors) => (
          <>
            <FormControl>
              <FormLabel id="offer-mode-label">What was offered</FormLabel>
              <RadioGroup row aria-labelledby="offer-mode-label" value={mode} onChange={(event) => setMode(event.target.value as 'slot' | 'date')}>
                <FormControlLabel value="slot" label="A slot" control={<Radio autoFocus slotProps={{ input: { 'data-testid': 'offer-mode-slot' } as object }} />} />
                <FormControlLabel value="date" label="A date" control={<Radio slotProps={{ input: { 'data-testid': 'offer-mode-date' } as object }} />} />
              </RadioGroup>
            </FormControl>
            {mode === 'slot' ? (
              <SlotChoice
                clinicId={referral.clinicId}
                clinicName={referral.clinicName}
                slotType={wantedSlotType(referral)}
                breachDate={breachDate}
                value={slot?.id ?? ''}
                onChange={setSlot}
                error={errors.slotId}
                testId="offer-slot"
              />
            ) : (
              <BritishDatePicker
                label="Date offered"
                value={date}
                onChange={(value) => setDate(value)}
                error={!!errors.date}
                helperText={errors.date} min={today} testId="offer-date"
              />
            )}
            <BritishDatePicker
              label="Offered on"
              value={offeredOn}
              onChange={(value) => setOfferedOn(value)}
              error={!!errors.offeredOn}
              helperText={errors.offeredOn ?? 'The notice is counted from this day'} max={today} testId="offer-offered-on"
            />
            <NativeSelectField label="How" value={channel} onChange={(v) => setChannel(v as CommunicationMethod)} error={!!errors.channel} helperText={errors.channel} testId="offer-channel" fullWidth>
              <option value="">Choose…</option>
              {choicesFrom(communicationMethodLabels).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </NativeSelectField>
          </>
        )}
      </CommandDialog>
    </>
  );
}

function AcceptButton({ offer, breachDate }: { offer: Offer; breachDate: string | null }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfterOffer();
  const leader = useIsLeader();
  const [open, setOpen] = useState(false);
  const [told, setTold] = useState<ToldAtBookingMethod | ''>('');
  const [confirmPastBreach, setConfirmPastBreach] = useState(false);
  const answer = useRef<Offer | null>(null);
  // Booking a slot after the breach date is a team leader's decision, here as on any move.
  const late = offer.slotStart != null && isAfterBreach(offer.slotStart, breachDate);
  return (
    <>
      <Button size="small" onClick={() => { setTold(''); setConfirmPastBreach(false); setOpen(true); }} data-testid="offer-accept-open">Accept</Button>
      <CommandDialog
        open={open}
        title="The patient accepts the offer"
        submitLabel="Accept offer"
        testId="offer-accept"
        onClose={() => setOpen(false)}
        validate={(): Record<string, string> => {
          if (late && !leader) return { confirmPastBreach: 'After the breach date: only a team leader can book this slot' };
          if (late && !confirmPastBreach) return { confirmPastBreach: 'Tick to confirm a slot after the breach date' };
          return {};
        }}
        send={async () => {
          answer.current = (await dataProvider.acceptOffer(offer.id, {
            ...(told ? { communicatedBy: told } : {}),
            ...(late && confirmPastBreach ? { confirmPastBreach: true } : {}),
          })).data;
        }}
        onDone={() => {
          setOpen(false);
          if (answer.current) after(offerDecidedNotice(answer.current));
        }}
      >
        {(errors) => (
          <>
            <Typography variant="body2">
              {offer.slotStart ? `${formatSlotStart(offer.slotStart)}, ${offer.clinicName ?? ''}: booked as the pathway’s appointment.` : `${formatDate(offer.offeredDate)}: recorded as accepted.`}
            </Typography>
            {late ? (
              leader ? (
                <FormControl error={!!errors.confirmPastBreach}>
                  <FormControlLabel
                    control={<Checkbox checked={confirmPastBreach} onChange={(event) => setConfirmPastBreach(event.target.checked)} />}
                    label="After the breach date: as team leader I confirm"
                  />
                  {errors.confirmPastBreach ? <FormHelperText>{errors.confirmPastBreach}</FormHelperText> : null}
                </FormControl>
              ) : (
                <Alert severity="warning">This slot is after the patient’s breach date: only a team leader can book it.</Alert>
              )
            ) : null}
            {offer.slotId ? (
              <FormControl>
                <FormLabel id="accept-told-label">Patient told of the appointment as it was booked (optional)</FormLabel>
                <RadioGroup row aria-labelledby="accept-told-label" value={told} onChange={(event) => setTold(event.target.value as ToldAtBookingMethod)}>
                  {toldChoices.map((choice) => <FormControlLabel key={choice.id} value={choice.id} label={choice.name} control={<Radio />} />)}
                </RadioGroup>
              </FormControl>
            ) : null}
          </>
        )}
      </CommandDialog>
    </>
  );
}

function DeclineButton({ offer }: { offer: Offer }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfterOffer();
  return (
    <DeclineOfferButton
      reasonable={offer.reasonable}
      title="The patient declines the offer"
      testId="offer-decline"
      send={async (reason) => offerDecidedNotice((await dataProvider.declineOffer(offer.id, reason)).data)}
      onDone={after}
    />
  );
}

/** `newOfferOpen`: opened from outside too (the referral page's `o`). */
export function OffersPanel({ referral, newOfferOpen, onNewOfferOpen }: { referral: ReferralDetail; newOfferOpen: boolean; onNewOfferOpen: (open: boolean) => void }) {
  const { data: offers, isPending, error } = useGetList<Offer>('offers', {
    filter: { referralId: referral.id },
    sort: { field: 'createdAt', order: 'DESC' },
    pagination: { page: 1, perPage: 50 },
  });
  const review = referral.tasks.find((task) => task.type === 'clinical_review' && task.payload?.reason === 'declined_offers');
  return (
    <Panel title="Offers" testId="referral-offers">
      <Box sx={{ display: 'flex', justifyContent: 'flex-end', mb: 1 }}>
        <NewOfferButton referral={referral} open={newOfferOpen} setOpen={onNewOfferOpen} />
      </Box>
      {review ? (
        <Alert severity="info" sx={{ mb: 1 }} data-testid="offers-review-note">
          Two reasonable offers were declined, so a clinician reviews the pathway:{' '}
          <Link to={`/tasks/${encodeURIComponent(review.id)}/show`}>the clinical review</Link>
          {openStatuses.has(review.status) ? ' (open)' : ' (done)'}.
        </Alert>
      ) : null}
      {error ? <Alert severity="error">Could not load the offers</Alert> : null}
      {!isPending && !error && (offers ?? []).length === 0 ? <Typography variant="body2" color="text.secondary">No offers recorded.</Typography> : null}
      {(offers ?? []).length > 0 ? (
        <Table size="small" aria-label="Offers, newest first">
          <TableHead>
            <TableRow>
              <TableCell>Offered</TableCell>
              <TableCell>When and how</TableCell>
              <TableCell>Notice</TableCell>
              <TableCell>Answer</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {(offers ?? []).map((offer) => (
              <TableRow key={offer.id} data-testid="offer-row" data-id={offer.id} data-status={offer.status}>
                <TableCell>
                  {offer.slotStart ? formatSlotStart(offer.slotStart) : formatDate(offer.offeredDate)}
                  {offer.clinicName ? <Typography variant="caption" component="div" color="text.secondary">{offer.clinicName}</Typography> : null}
                </TableCell>
                <TableCell>
                  {formatDate(offer.offeredOn)}, {labelFor(communicationMethodLabels, offer.channel).toLowerCase()}
                  {offer.createdByName ? <Typography variant="caption" component="div" color="text.secondary">by {offer.createdByName}</Typography> : null}
                </TableCell>
                <TableCell><ReasonableChip offer={offer} /></TableCell>
                <TableCell>
                  {labelFor(offerStatusLabels, offer.status)}
                  {offer.decidedAt ? <Typography variant="caption" component="div" color="text.secondary">{formatDateTime(offer.decidedAt)}{offer.decidedByName ? `, ${offer.decidedByName}` : ''}</Typography> : null}
                  {offer.declineReason ? <Typography variant="caption" component="div">{offer.declineReason}</Typography> : null}
                </TableCell>
                <TableCell>
                  {offer.status === 'offered' ? (
                    <Box sx={{ display: 'inline-flex', gap: 0.5 }}>
                      <AcceptButton offer={offer} breachDate={referral.rtt?.breachDate ?? referral.breachDate} />
                      <DeclineButton offer={offer} />
                    </Box>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Panel>
  );
}
