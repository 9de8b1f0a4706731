// The follow-up backlog (GET /api/follow-up-backlog, issue 16) [rules §4.7]: follow-ups still on the partial booking
// list past their due date, counted by specialty and clinician in bands of how far past their LCAD, the furthest
// first. Views by band on 1–5; a row opens those follow-ups on the partial booking list; e exports it.
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

/** The partial booking list filtered to a backlog row's follow-ups: still to book, past due, that specialty and clinician. */
export const backlogRowPath = (r: BacklogRow) => `/partial-booking?${new URLSearchParams({
  filter: JSON.stringify({ open: true, dueDate_lt: londonToday(), specialtyCode: r.specialtyCode, ...(r.clinicianName ? { clinicianName: r.clinicianName } : {}) }),
})}`;

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
        <DataTable.Col source="oldestDueDate" label="Oldest due" disableSort render={(r) => formatDate(row(r).oldestDueDate)} />
        <DataTable.Col source="mostDaysPastLcad" label="Most days past LCAD" disableSort />
      </KeyedDataTable>
    </List>
  );
}
