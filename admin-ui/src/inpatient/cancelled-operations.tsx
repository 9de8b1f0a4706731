// The cancelled-operations report (GET /api/cancelled-operations and /summary): for a period, how many operations
// the hospital cancelled on the day for non-clinical reasons and how many were not rebooked within 28 days (the
// guarantee), then the list, each with its rebook-by date. Export downloads the list as filtered.
import { useCallback } from 'react';
import { Alert, Box, Chip, Typography } from '@mui/material';
import { DataTable, List, SelectInput, TopToolbar, useDataProvider, useListContext, useNavigate } from 'react-admin';
import { useQuery } from '@tanstack/react-query';
import { addDays } from '../../../domain/dates';
import { DateInput } from '../components/date-input';
import { formatDate, londonToday } from '../components/dates';
import { Kbd, KeyedDataTable } from '../components/keyed-table';
import { choicesFrom, labelFor } from '../components/labels';
import { errorMessage } from '../components/http-errors';
import { ListExportButton } from '../ptl/ptl-list';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { CancelledOperation } from './inpatient-types';
import { cancelledOperationStatusLabels, cancelledSummaryWords } from './inpatient-words';
import { admissionPath } from './admission-fields';

const filters = [
  <DateInput key="from" source="from" label="Cancelled from" alwaysOn />,
  <DateInput key="to" source="to" label="Cancelled to" alwaysOn />,
  <SelectInput key="status" source="status" label="Status" choices={choicesFrom(cancelledOperationStatusLabels)} alwaysOn />,
];

/** The report's period: the filter's, or the last 90 days. */
export function reportPeriod(filter: Record<string, unknown>, today: string): { from: string; to: string } {
  const to = typeof filter.to === 'string' && filter.to ? filter.to : today;
  const from = typeof filter.from === 'string' && filter.from ? filter.from : addDays(to, -90);
  return { from, to };
}

function Count({ label, value, testId, alert }: { label: string; value: number; testId: string; alert?: boolean }) {
  return (
    <Box sx={{ minWidth: 160 }} data-testid={testId} data-count={value}>
      <Typography variant="h4" component="div" color={alert && value > 0 ? 'error' : undefined}>{value}</Typography>
      <Typography variant="body2" color="text.secondary">{label}</Typography>
    </Box>
  );
}

function SummaryPanel() {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const { filterValues } = useListContext();
  const { from, to } = reportPeriod(filterValues ?? {}, londonToday());
  const { data, error, isPending } = useQuery({
    queryKey: ['cancelled-operations', 'summary', from, to],
    queryFn: () => dataProvider.getCancelledOperationsSummary(from, to).then((r) => r.data),
  });
  return (
    <Box component="section" aria-labelledby="cancelled-summary-title" sx={{ px: 2, py: 1, borderBottom: 1, borderColor: 'divider' }} data-testid="cancelled-summary">
      <Typography id="cancelled-summary-title" variant="subtitle2" component="h2">
        Cancelled on the day for non-clinical reasons, {formatDate(from)} to {formatDate(to)}
      </Typography>
      {error ? <Alert severity="error">{errorMessage(error, 'Could not count the cancelled operations')}</Alert> : null}
      {isPending ? <Typography variant="body2" color="text.secondary">Counting…</Typography> : null}
      {data ? (
        <>
          <Box sx={{ display: 'flex', gap: 4, flexWrap: 'wrap', py: 1 }}>
            <Count label="Cancelled" value={data.cancelled} testId="count-cancelled-operations" />
            <Count label="Rebooked within 28 days" value={data.rebookedWithin28Days} testId="count-rebooked-within-28" />
            <Count label="Not rebooked within 28 days" value={data.notRebookedWithin28Days} testId="count-not-rebooked-within-28" alert />
          </Box>
          <Typography variant="body2" className="sr-summary">{cancelledSummaryWords(data)}</Typography>
        </>
      ) : null}
    </Box>
  );
}

const row = (record: unknown) => record as CancelledOperation;

function StatusChip({ op }: { op: CancelledOperation }) {
  const colour = op.status === 'breached' ? 'error' : op.status === 'open' ? 'warning' : 'success';
  return <Chip size="small" variant="outlined" color={colour} label={labelFor(cancelledOperationStatusLabels, op.status)} data-status={op.status} />;
}

export function CancelledOperationsList() {
  const navigate = useNavigate();
  const onOpen = useCallback((record: CancelledOperation) => navigate(admissionPath(record.admissionId)), [navigate]);
  return (
    <List
      resource="cancelled-operations"
      title="Cancelled operations"
      filters={filters}
      sort={{ field: 'cancelledOn', order: 'DESC' }}
      perPage={50}
      actions={<TopToolbar><ListExportButton resource="cancelled-operations" testId="cancelled-operations-export" /></TopToolbar>}
      exporter={false}
      storeKey="cancelled-operations.list"
      empty={false}
    >
      <SummaryPanel />
      <KeyedDataTable<CancelledOperation>
        pathOf={(r) => admissionPath(r.admissionId)}
        onOpen={onOpen}
        rowTestId="cancelled-operation-row"
        testId="cancelled-operations-table"
        hints={<> · <Kbd>e</Kbd> export CSV</>}
      >
        <DataTable.Col source="cancelledOn" label="Cancelled" render={(r) => formatDate(row(r).cancelledOn)} />
        <DataTable.Col source="operationDate" label="Operation was" disableSort render={(r) => formatDate(row(r).operationDate)} />
        <DataTable.Col source="patientName" label="Patient" disableSort />
        <DataTable.Col source="specialtyCode" label="Specialty" disableSort />
        <DataTable.Col source="reason" label="Reason" disableSort />
        <DataTable.Col source="rebookBy" label="Rebook by" render={(r) => formatDate(row(r).rebookBy)} />
        <DataTable.Col source="rebookedOn" label="Rebooked" disableSort render={(r) => (row(r).rebookedOn ? (
          <Box>
            <Typography variant="body2">{formatDate(row(r).rebookedOn)}</Typography>
            {row(r).rebookedFor ? <Typography variant="caption" color="text.secondary">new date {formatDate(row(r).rebookedFor)}</Typography> : null}
          </Box>
        ) : '—')} />
        <DataTable.Col source="status" label="Status" render={(r) => (
          <Box>
            <StatusChip op={row(r)} />
            {row(r).status === 'open' && row(r).escalationLevel > 0 ? (
              <Typography variant="caption" component="div" color="text.secondary">escalated to {row(r).escalationLevel >= 2 ? 'operations' : 'the team leader'}</Typography>
            ) : null}
          </Box>
        )} />
      </KeyedDataTable>
    </List>
  );
}
