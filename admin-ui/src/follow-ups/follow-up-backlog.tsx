// The follow-up backlog (GET /api/follow-up-backlog, issue 16) [rules §4.7]: every follow-up past its due date (on the
// partial booking list, an open booking item, or a ward form not booked by the ward's date), counted by specialty and
// clinician in bands of how far past their LCAD, the furthest first. Views by band on 1–5; a row opens where those
// follow-ups wait; e exports it.
import { useCallback } from 'react';
import { Chip } from '@mui/material';
import { DataTable, List, SelectInput, TopToolbar, useNavigate } from 'react-admin';
import { lcadBandLabels } from '../../../domain/partial-booking';
import type { LcadBand } from '../../../domain/model';
import { formatDate, londonToday } from '../components/dates';
import { specialtyFilter } from '../components/filters';
import { Kbd, KeyedDataTable } from '../components/keyed-table';
import { choicesFrom, labelFor } from '../components/labels';
import { SavedViewBar, type ListView } from '../components/saved-view-bar';
import { serverOrder } from '../dataProvider';
import { ListExportButton } from '../ptl/ptl-list';

export type BacklogRow = {
  id: string; specialtyCode: string; specialtyName: string; clinicianName: string | null; band: LcadBand;
  followUps: number; oldestDueDate: string; mostDaysPastLcad: number;
  onPartialBookingList: number; bookingItems: number; wardForms: number;
};

const views: readonly ListView[] = [
  { key: 'all', label: 'All overdue', filter: () => ({}) },
  { key: 'not_past_lcad', label: lcadBandLabels.not_past_lcad, filter: () => ({ band: 'not_past_lcad' }) },
  { key: 'up_to_4_weeks', label: lcadBandLabels.up_to_4_weeks, filter: () => ({ band: 'up_to_4_weeks' }) },
  { key: '4_to_12_weeks', label: lcadBandLabels['4_to_12_weeks'], filter: () => ({ band: '4_to_12_weeks' }) },
  { key: 'over_12_weeks', label: lcadBandLabels.over_12_weeks, filter: () => ({ band: 'over_12_weeks' }) },
];

const filters = [
  specialtyFilter('specialtyCode'),
  <SelectInput key="band" source="band" label="Past LCAD" choices={choicesFrom(lcadBandLabels)} />,
];

const colour: Record<LcadBand, 'default' | 'warning' | 'error'> = {
  not_past_lcad: 'default', up_to_4_weeks: 'warning', '4_to_12_weeks': 'error', over_12_weeks: 'error',
};
const row = (record: unknown) => record as BacklogRow;

/**
 * Where a backlog row's follow-ups wait: the partial booking list (still to book, past due, that specialty and clinician)
 * when any are on it, else the open follow-up booking items of the specialty, else its ward forms not yet booked.
 */
export const backlogRowPath = (r: BacklogRow) => {
  const today = londonToday();
  if (r.onPartialBookingList > 0 || (!r.bookingItems && !r.wardForms)) {
    return `/partial-booking?${new URLSearchParams({
      filter: JSON.stringify({ open: true, dueDate_lt: today, specialtyCode: r.specialtyCode, ...(r.clinicianName ? { clinicianName: r.clinicianName } : {}) }),
    })}`;
  }
  if (r.bookingItems > 0) {
    return `/tasks?${new URLSearchParams({ filter: JSON.stringify({ type: 'book_follow_up', status: ['open', 'claimed'], specialtyCode: r.specialtyCode }) })}`;
  }
  return `/ward-forms?${new URLSearchParams({ filter: JSON.stringify({ status: ['to_book', 'with_clinician'], specialtyCode: r.specialtyCode }) })}`;
};

/** "3 on the list · 1 booking item · 1 ward form": where the row's follow-ups wait. */
export function backlogSources(r: BacklogRow): string {
  const parts: Array<[number, string, string]> = [
    [r.onPartialBookingList, 'on the list', 'on the list'], [r.bookingItems, 'booking item', 'booking items'], [r.wardForms, 'ward form', 'ward forms'],
  ];
  return parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`).join(' · ');
}

export function FollowUpBacklog() {
  const navigate = useNavigate();
  const onOpen = useCallback((r: BacklogRow) => navigate(backlogRowPath(r)), [navigate]);
  return (
    <List
      resource="follow-up-backlog"
      title="Follow-up backlog"
      filters={filters}
      sort={serverOrder}
      perPage={50}
      actions={<TopToolbar><ListExportButton resource="follow-up-backlog" testId="follow-up-backlog-export" /></TopToolbar>}
      exporter={false}
      storeKey="follow-up-backlog.list"
      empty={false}
    >
      <SavedViewBar views={views} testId="follow-up-backlog-views" />
      <KeyedDataTable<BacklogRow>
        pathOf={backlogRowPath}
        onOpen={onOpen}
        rowTestId="follow-up-backlog-row"
        testId="follow-up-backlog-table"
        hints={<> · <Kbd>1</Kbd>–<Kbd>5</Kbd> views · <Kbd>e</Kbd> export CSV</>}
      >
        <DataTable.Col source="specialtyName" label="Specialty" disableSort />
        <DataTable.Col source="clinicianName" label="Clinician" disableSort render={(r) => row(r).clinicianName ?? 'Not known'} />
        <DataTable.Col source="band" label="Past LCAD" disableSort render={(r) => (
          <Chip size="small" color={colour[row(r).band] ?? 'default'} label={labelFor(lcadBandLabels, row(r).band)} data-band={row(r).band} />
        )} />
        <DataTable.Col source="followUps" label="Follow-ups" disableSort />
        <DataTable.Col source="onPartialBookingList" label="Waiting as" disableSort render={(r) => (
          <span data-testid="follow-up-backlog-sources">{backlogSources(row(r))}</span>
        )} />
        <DataTable.Col source="oldestDueDate" label="Oldest due" disableSort render={(r) => formatDate(row(r).oldestDueDate)} />
        <DataTable.Col source="mostDaysPastLcad" label="Most days past LCAD" disableSort />
      </KeyedDataTable>
    </List>
  );
}
