// The patient tracking list (GET /api/ptl): one row per open RTT period, most pressing first (clinical
// priority, then breach order: the server's order). Above it, the week-band histogram of the same rows;
// saved views, filters, and Export of exactly what is shown (GET /api/ptl.csv). A row opens the referral.
import { useCallback, useRef } from 'react';
import { Box, Chip, Typography } from '@mui/material';
import {
  BooleanInput,
  DataTable,
  FilterButton,
  List,
  NumberInput,
  SearchInput,
  SelectInput,
  TopToolbar,
  useDataProvider,
  useListContext,
  useNavigate,
} from 'react-admin';
import { useQuery } from '@tanstack/react-query';
import { formatDate } from '../components/dates';
import { specialtyFilter } from '../components/filters';
import { DownloadButton } from '../components/download-button';
import { BreachDateText, PatientText, PriorityChip } from '../components/fields';
import { errorMessage } from '../components/http-errors';
import { Kbd, KeyedDataTable } from '../components/keyed-table';
import { choicesFrom, labelFor, nextEventTypeLabels, priorityLabels, ptlAlertLabels, ptlStageLabels } from '../components/labels';
import { SavedViewBar } from '../components/saved-view-bar';
import { bandToWeeks, weeksToBand } from '../components/week-bins';
import { listCsvUrl, serverOrder, type AccessDeskDataProvider } from '../dataProvider';
import { useShortcut } from '../tasks/row-keys';
import type { PtlRow } from '../rtt-types';
import { CommunicationNeedsFlag } from '../components/communication-needs';
import { ptlViews } from './ptl-views';
import { WeekBandHistogram } from './week-band-histogram';
import { plural } from '../components/notices';
import { DateInput } from '../components/date-input';

export const referralPath = (referralId: string) => `/referrals/${encodeURIComponent(referralId)}/show`;

const optionalNumber = (value: unknown) => (value === '' || value == null || Number.isNaN(Number(value)) ? undefined : Number(value));

const ptlFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="NHS number or surname" />,
  specialtyFilter('specialty'),
  <SelectInput key="stage" source="stage" label="Stage" choices={choicesFrom(ptlStageLabels)} alwaysOn />,
  <SelectInput key="priority" source="priority" label="Clinical priority" choices={choicesFrom(priorityLabels)} alwaysOn />,
  <NumberInput
    key="weekBand_gte"
    source="weekBand_gte"
    label="Waited over (weeks)"
    min={0}
    max={104}
    // The API filters on the week band; people think in weeks waited: over 52 weeks is band 53 on.
    format={(band: unknown) => (optionalNumber(band) == null ? '' : bandToWeeks(Number(band)))}
    parse={(weeks: unknown) => (optionalNumber(weeks) == null ? undefined : weeksToBand(Number(weeks)))}
    alwaysOn
    sx={{ width: 180 }}
  />,
  <DateInput key="breachDate_lte" source="breachDate_lte" label="Breaches by" alwaysOn />,
  <BooleanInput key="unbooked" source="unbooked" label="Unbooked only" parse={(v: unknown) => (v ? true : undefined)} alwaysOn />,
  <DateInput key="census" source="census" label="Census date" helperText="Count waits to this date" alwaysOn />,
];

function ListExportButton({ resource, testId }: { resource: string; testId: string }) {
  const { filterValues, sort } = useListContext();
  const ref = useRef<HTMLAnchorElement>(null);
  useShortcut(['e'], useCallback(() => ref.current?.click(), []));
  return (
    <DownloadButton
      ref={ref}
      href={listCsvUrl(resource, { filter: filterValues, sort })}
      label="Export CSV"
      testId={testId}
      title="Download these rows, with these filters, as CSV (e)"
    />
  );
}

/** / puts the cursor in the search box, as in most lists people work through. */
function useSearchShortcut() {
  useShortcut(['/'], useCallback(() => document.querySelector<HTMLInputElement>('input[name="q"]')?.focus(), []));
}

function PtlActions() {
  useSearchShortcut();
  return (
    <TopToolbar>
      <FilterButton />
      <ListExportButton resource="ptl" testId="ptl-export" />
    </TopToolbar>
  );
}

function PtlHistogramPanel() {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const { filterValues, setFilters, displayedFilters } = useListContext();
  const filter = filterValues ?? {};
  const { data, error, isPending } = useQuery({
    queryKey: ['ptl', 'histogram', filter],
    queryFn: () => dataProvider.getPtlHistogram(filter).then((r) => r.data),
  });
  return (
    <Box sx={{ borderBottom: 1, borderColor: 'divider', pb: 1 }}>
      <Typography variant="subtitle2" component="h2" sx={{ px: 2, pt: 1 }}>
        Weeks waited, by specialty
      </Typography>
      {error ? (
        <Typography variant="body2" color="error" sx={{ px: 2 }}>{errorMessage(error, 'Could not load the histogram')}</Typography>
      ) : isPending || !data ? (
        <Typography variant="body2" color="text.secondary" sx={{ px: 2 }}>Counting…</Typography>
      ) : (
        <WeekBandHistogram histogram={data} onPickSpecialty={(code) => setFilters({ ...filter, specialty: code }, displayedFilters)} />
      )}
    </Box>
  );
}

function WaitedText({ row }: { row: PtlRow }) {
  const over52 = row.weekBand > 52;
  return (
    <Box>
      <Typography variant="body2" color={over52 ? 'error' : undefined} sx={{ fontWeight: over52 ? 600 : undefined, fontVariantNumeric: 'tabular-nums' }}>
        {plural(row.daysWaited, 'day')}
      </Typography>
      <Typography variant="caption" color="text.secondary">weeks {row.weekBandLabel}</Typography>
    </Box>
  );
}

function NextEventText({ row }: { row: PtlRow }) {
  if (!row.nextEventDate) return <Chip size="small" color="warning" variant="outlined" label="Unbooked" />;
  return (
    <Box>
      <Typography variant="body2">{formatDate(row.nextEventDate)}</Typography>
      <Typography variant="caption" color="text.secondary">{labelFor(nextEventTypeLabels, row.nextEventType)}</Typography>
    </Box>
  );
}

function ValidatedText({ row }: { row: PtlRow }) {
  if (!row.lastValidatedAt) return <Typography variant="body2" color="text.secondary">Never</Typography>;
  return (
    <Box>
      <Typography variant="body2">{formatDate(row.lastValidatedAt.slice(0, 10))}</Typography>
      {row.lastValidatedBy ? <Typography variant="caption" color="text.secondary">{row.lastValidatedBy.name}</Typography> : null}
    </Box>
  );
}

export function AlertChips({ alerts }: { alerts: string[] | null | undefined }) {
  const shown = (alerts ?? []).filter((alert) => alert !== 'unbooked');
  if (shown.length === 0) return null;
  return (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
      {shown.map((alert) => (
        <Chip key={alert} size="small" color={alert === 'not_validated' ? 'default' : 'error'} variant="outlined" label={labelFor(ptlAlertLabels, alert)} />
      ))}
    </Box>
  );
}

const row = (record: unknown) => record as PtlRow;

export function PtlList() {
  const navigate = useNavigate();
  const onOpen = useCallback((record: PtlRow) => navigate(referralPath(record.referralId)), [navigate]);
  return (
    <List
      resource="ptl"
      title="Patient tracking list"
      filters={ptlFilters}
      sort={serverOrder}
      perPage={50}
      actions={<PtlActions />}
      exporter={false}
      storeKey="ptl.list"
    >
      <SavedViewBar views={ptlViews} testId="ptl-views" />
      <PtlHistogramPanel />
      <KeyedDataTable<PtlRow>
        pathOf={(record) => referralPath(record.referralId)}
        onOpen={onOpen}
        rowTestId="ptl-row"
        testId="ptl-table"
        hints={<> · <Kbd>1</Kbd>–<Kbd>7</Kbd> saved views · <Kbd>/</Kbd> search · <Kbd>e</Kbd> export CSV</>}
      >
        <DataTable.Col source="patientName" label="Patient" disableSort render={(r) => (
          <>
            <PatientText name={row(r).patientName} nhsNumber={row(r).nhsNumber} />
            <CommunicationNeedsFlag needs={row(r).communicationNeeds} compact />
          </>
        )} />
        <DataTable.Col
          source="specialtyCode"
          label="Specialty"
          render={(r) => (
            <Box>
              <Typography variant="body2">{row(r).specialtyName ?? row(r).specialtyCode}</Typography>
              <Typography variant="caption" color="text.secondary">TFC {row(r).treatmentFunctionCode}</Typography>
            </Box>
          )}
        />
        <DataTable.Col source="clinicalPriority" label="Priority" disableSort render={(r) => <PriorityChip priority={row(r).clinicalPriority ?? row(r).priority} />} />
        <DataTable.Col source="stage" label="Stage" disableSort render={(r) => labelFor(ptlStageLabels, row(r).stage)} />
        <DataTable.Col source="clockStart" label="Clock start" render={(r) => formatDate(row(r).clockStart)} />
        <DataTable.Col source="daysWaited" label="Waited" render={(r) => <WaitedText row={row(r)} />} />
        <DataTable.Col source="breachDate" label="Breach date" render={(r) => <BreachDateText value={row(r).breachDate} />} />
        <DataTable.Col source="nextEventDate" label="Next event" render={(r) => <NextEventText row={row(r)} />} />
        <DataTable.Col source="lastValidatedAt" label="Validated" disableSort render={(r) => <ValidatedText row={row(r)} />} />
        <DataTable.Col source="alerts" label="Alerts" disableSort render={(r) => <AlertChips alerts={row(r).alerts} />} />
      </KeyedDataTable>
    </List>
  );
}

export { ListExportButton };
