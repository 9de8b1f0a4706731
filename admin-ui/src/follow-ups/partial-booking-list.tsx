// The partial booking list (GET /api/partial-booking, issue 16): follow-ups due beyond the booking horizon, soonest due
// first (the API's order), with their LCAD and where the invitation stands. Views by status on 1–5; a row opens the
// referral; e exports the list as it is filtered; b books the highlighted follow-up, l sends it to the clinician.
import { useCallback, useMemo, useState } from 'react';
import { Chip } from '@mui/material';
import { DataTable, FilterButton, List, SelectInput, TopToolbar, useNavigate } from 'react-admin';
import { partialBookingStatusLabels } from '../../../domain/labels';
import type { PartialBookingStatus } from '../../../domain/model';
import { formatDate } from '../components/dates';
import { BreachDateText } from '../components/fields';
import { specialtyFilter } from '../components/filters';
import { Kbd, KeyedDataTable } from '../components/keyed-table';
import { choicesFrom, labelFor } from '../components/labels';
import { SavedViewBar, type ListView } from '../components/saved-view-bar';
import { serverOrder } from '../dataProvider';
import { ListExportButton, referralPath } from '../ptl/ptl-list';
import type { PartialBookingRecord } from './follow-up-types';
import { BookFollowUpDialog, EscalateFollowUpDialog, isBookable, PartialBookingRowActions } from './partial-booking-actions';

export type PartialBookingEntry = PartialBookingRecord;

const views: readonly ListView[] = [
  { key: 'open', label: 'Still to book', filter: () => ({ open: true }) },
  { key: 'invited', label: 'Invited', filter: () => ({ status: 'invited' }) },
  { key: 'chased', label: 'Reminded', filter: () => ({ status: 'chased' }) },
  { key: 'in_review', label: 'With the clinician', filter: () => ({ status: 'in_review' }) },
  { key: 'all', label: 'Everything', filter: () => ({}) },
];

const filters = [
  specialtyFilter('specialtyCode'),
  <SelectInput key="status" source="status" label="Status" choices={choicesFrom(partialBookingStatusLabels)} />,
];

const colour: Record<PartialBookingStatus, 'default' | 'info' | 'warning' | 'error' | 'success'> = {
  waiting: 'default', invited: 'info', chased: 'warning', in_review: 'error', booked: 'success', discharged: 'default',
};

const row = (record: unknown) => record as PartialBookingEntry;

export function PartialBookingList() {
  const navigate = useNavigate();
  const onOpen = useCallback((record: PartialBookingEntry) => navigate(referralPath(record.referralId)), [navigate]);
  // One dialog at a time, for the entry it was opened on.
  const [booking, setBooking] = useState<PartialBookingEntry | null>(null);
  const [escalating, setEscalating] = useState<PartialBookingEntry | null>(null);
  const rowKeys = useMemo(() => ({
    b: (record: PartialBookingEntry) => { if (isBookable(record)) setBooking(record); },
    l: (record: PartialBookingEntry) => { if (isBookable(record)) setEscalating(record); },
  }), []);
  return (
    <>
    <List
      resource="partial-booking"
      title="Partial booking list"
      filters={filters}
      filterDefaultValues={{ open: true }}
      sort={serverOrder}
      perPage={50}
      actions={<TopToolbar><FilterButton /><ListExportButton resource="partial-booking" testId="partial-booking-export" /></TopToolbar>}
      exporter={false}
      storeKey="partial-booking.list"
      empty={false}
    >
      <SavedViewBar views={views} testId="partial-booking-views" />
      <KeyedDataTable<PartialBookingEntry>
        pathOf={(r) => referralPath(r.referralId)}
        onOpen={onOpen}
        rowTestId="partial-booking-row"
        testId="partial-booking-table"
        rowKeys={rowKeys}
        hints={<> · <Kbd>b</Kbd> book the highlighted follow-up · <Kbd>l</Kbd> escalate it to the clinician (no slot by the LCAD) · <Kbd>1</Kbd>–<Kbd>5</Kbd> views · <Kbd>e</Kbd> export CSV</>}
      >
        <DataTable.Col source="patientName" label="Patient" disableSort />
        <DataTable.Col source="specialtyCode" label="Specialty" disableSort />
        <DataTable.Col source="clinicianName" label="Clinician" disableSort />
        <DataTable.Col source="dueDate" label="Due" disableSort render={(r) => formatDate(row(r).dueDate)} />
        <DataTable.Col source="lcad" label="Latest clinically appropriate" disableSort render={(r) => <BreachDateText value={row(r).lcad} />} />
        <DataTable.Col source="status" label="Status" disableSort render={(r) => (
          <Chip size="small" color={colour[row(r).status] ?? 'default'} label={labelFor(partialBookingStatusLabels, row(r).status)} data-status={row(r).status} />
        )} />
        <DataTable.Col source="invitedOn" label="Invited" disableSort render={(r) => (row(r).invitedOn ? formatDate(row(r).invitedOn) : 'Not yet')} />
        <DataTable.Col label="Book" disableSort render={(r) => <PartialBookingRowActions entry={row(r)} onBook={setBooking} onEscalate={setEscalating} />} />
      </KeyedDataTable>
    </List>
    <BookFollowUpDialog entry={booking} onClose={() => setBooking(null)} />
    <EscalateFollowUpDialog entry={escalating} onClose={() => setEscalating(null)} />
    </>
  );
}
