// The TCI (to come in) dates offered for an admission, newest first: the date, theatre session and ward,
// when and how offered, Reasonable / Short notice, and the patient's answer; Accept and Decline on an open one.
import { useState } from 'react';
import { Alert, Box, Button, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link, useDataProvider, useGetList } from 'react-admin';
import { CommandDialog } from '../components/command-dialog';
import { DeclineOfferButton, ReasonableChip, useAfterAnswer } from '../components/offer-answers';
import { formatDate } from '../components/dates';
import { Panel } from '../components/fields';
import { labelFor } from '../components/labels';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { Admission, TciOffer } from './inpatient-types';
import { tciChannelLabels, tciDeclinedNotice, tciOfferStatusLabels } from './inpatient-words';
import { tciBookingPath } from './admission-fields';

const useAfterTci = () => useAfterAnswer(['admissions', 'tci-offers', 'theatre-sessions', 'tasks']);

function AcceptTciButton({ offer }: { offer: TciOffer }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfterTci();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="tci-accept-open">Accept</Button>
      <CommandDialog
        open={open}
        title="The patient accepts the TCI date"
        submitLabel="Accept TCI"
        testId="tci-accept"
        onClose={() => setOpen(false)}
        validate={() => ({})}
        send={() => dataProvider.acceptTci(offer.id)}
        onDone={() => { setOpen(false); after(`TCI accepted: admission on ${formatDate(offer.admissionDate)}, ${offer.ward}`); }}
      >
        {() => <Typography variant="body2">Admission on {formatDate(offer.admissionDate)} to {offer.ward}: recorded as accepted.</Typography>}
      </CommandDialog>
    </>
  );
}

function DeclineTciButton({ offer, admission }: { offer: TciOffer; admission: Admission }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfterTci();
  return (
    <DeclineOfferButton
      reasonable={offer.reasonable}
      title="The patient declines the TCI date"
      testId="tci-decline"
      send={async (reason) => {
        await dataProvider.declineTci(offer.id, reason);
        const { data } = await dataProvider.getOne<Admission>('admissions', { id: admission.id });
        return tciDeclinedNotice(offer.reasonable, data.declinedReasonableOffers);
      }}
      onDone={after}
    />
  );
}

/** `canBook`: the person may offer and record answers (officers, team leaders, admins). */
export function TciOffersPanel({ admission, canBook }: { admission: Admission; canBook: boolean }) {
  const { data: offers, isPending, error } = useGetList<TciOffer>('tci-offers', {
    filter: { admissionId: admission.id },
    sort: { field: 'offeredOn', order: 'DESC' },
    pagination: { page: 1, perPage: 50 },
  });
  const open = admission.status === 'waiting' || admission.status === 'tci_booked' || admission.status === 'cancelled';
  return (
    <Panel title="TCI dates offered" testId="admission-tci-offers">
      {open && canBook ? (
        <Box sx={{ display: 'flex', justifyContent: 'flex-end', mb: 1 }}>
          <Button component={Link} to={tciBookingPath(admission.id)} size="small" variant="outlined" data-testid="tci-book-open" title="Offer a TCI date (o)">
            Offer a TCI date
          </Button>
        </Box>
      ) : null}
      {admission.declinedReasonableOffers >= 2 ? (
        <Alert severity="info" sx={{ mb: 1 }} data-testid="tci-review-note">
          Two reasonable TCI dates were declined: a clinician reviews the pathway (a work item is on their queue).
        </Alert>
      ) : null}
      {error ? <Alert severity="error">Could not load the TCI dates offered</Alert> : null}
      {!isPending && !error && (offers ?? []).length === 0 ? <Typography variant="body2" color="text.secondary">No TCI date offered yet.</Typography> : null}
      {(offers ?? []).length > 0 ? (
        <Table size="small" aria-label="TCI dates offered, newest first">
          <TableHead>
            <TableRow>
              <TableCell>Admission date</TableCell>
              <TableCell>Ward</TableCell>
              <TableCell>Offered</TableCell>
              <TableCell>Notice</TableCell>
              <TableCell>Answer</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {(offers ?? []).map((offer) => (
              <TableRow key={offer.id} data-testid="tci-offer-row" data-id={offer.id} data-status={offer.status}>
                <TableCell>{formatDate(offer.admissionDate)}</TableCell>
                <TableCell>{offer.ward}</TableCell>
                <TableCell>{formatDate(offer.offeredOn)}, {labelFor(tciChannelLabels, offer.channel).toLowerCase()}</TableCell>
                <TableCell><ReasonableChip offer={offer} /></TableCell>
                <TableCell>
                  {labelFor(tciOfferStatusLabels, offer.status)}
                  {offer.declineReason ? <Typography variant="caption" component="div">{offer.declineReason}</Typography> : null}
                </TableCell>
                <TableCell>
                  {offer.status === 'offered' && canBook ? (
                    <Box sx={{ display: 'flex', gap: 1 }}>
                      <AcceptTciButton offer={offer} />
                      <DeclineTciButton offer={offer} admission={admission} />
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
