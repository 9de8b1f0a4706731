// The cancer view (GET /api/cancer-ptl): open two-week-wait pathways against their cancer targets (seen
// by day 14, told by day 28 under the Faster Diagnosis Standard, treated by day 62), breach risk in plain
// words, and the FDS outcome recorded from the row. A row opens the referral.
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import { Box, Chip, Typography } from '@mui/material';
import { DataTable, List, SelectInput, useNavigate } from 'react-admin';
import { formatDate } from '../components/dates';
import { specialtyFilter } from '../components/filters';
import { BreachDateText, PatientText } from '../components/fields';
import { KeyedDataTable, Kbd } from '../components/keyed-table';
import { breachRiskLabels, choicesFrom, fdsFilterLabels, fdsOutcomeLabels, labelFor } from '../components/labels';
import { SavedViewBar, type ListView } from '../components/saved-view-bar';
import { serverOrder } from '../dataProvider';
import { referralPath } from '../ptl/ptl-list';
import type { BreachRisk, CancerRow } from '../rtt-types';
import { FdsOutcomeButton } from './fds-outcome-button';
import { ExportActions } from '../components/download-button';

const cancerViews: readonly ListView[] = [
  { key: 'all', label: 'All 2WW pathways', filter: () => ({}) },
  { key: 'not-told', label: 'FDS: not yet told', filter: () => ({ fdsOutcome: 'none' }) },
  { key: 'at-risk', label: 'At risk', filter: () => ({ breachRisk: 'at_risk' }) },
  { key: 'breached', label: 'Breached', filter: () => ({ breachRisk: 'breached' }) },
];

const cancerFilters = [
  specialtyFilter('specialty'),
  <SelectInput key="breachRisk" source="breachRisk" label="Breach risk" choices={choicesFrom(breachRiskLabels)} alwaysOn />,
  <SelectInput key="fdsOutcome" source="fdsOutcome" label="FDS outcome" choices={choicesFrom(fdsFilterLabels)} alwaysOn />,
];

const riskColour: Record<BreachRisk, 'error' | 'warning' | 'success' | 'default'> = {
  breached: 'error',
  at_risk: 'warning',
  on_track: 'default',
  met: 'success',
};

export function BreachRiskChip({ risk }: { risk: BreachRisk | null | undefined }) {
  if (!risk) return null;
  return <Chip size="small" color={riskColour[risk] ?? 'default'} label={labelFor(breachRiskLabels, risk)} data-risk={risk} />;
}

/** A target date, with the date it was met under it when it has been. */
function TargetText({ target, metOn, metLabel }: { target: string | null; metOn?: string | null; metLabel?: string }) {
  return (
    <Box>
      {metOn ? <Typography variant="body2">{formatDate(target)}</Typography> : <BreachDateText value={target} />}
      {metOn ? <Typography variant="caption" color="success.main" component="div">{metLabel} {formatDate(metOn)}</Typography> : null}
    </Box>
  );
}

function FdsText({ row }: { row: CancerRow }) {
  return (
    <Box>
      {row.fdsOutcome ? <Typography variant="body2">{formatDate(row.fdsTarget)}</Typography> : <BreachDateText value={row.fdsTarget} />}
      <Typography variant="caption" color={row.fdsOutcome ? 'text.primary' : 'text.secondary'} component="div" data-testid="fds-outcome-text">
        {row.fdsOutcome ? `${labelFor(fdsOutcomeLabels, row.fdsOutcome)}, told ${formatDate(row.fdsCommunicatedOn)}` : 'Not yet told'}
      </Typography>
    </Box>
  );
}

const row = (record: unknown) => record as CancerRow;

// Which row's FDS dialog is open: through context, so the (memoised) rows see it change.
const FdsDialogContext = createContext<{ openFor: string | null; setOpenFor: (id: string | null) => void }>({ openFor: null, setOpenFor: () => {} });

function RowFdsButton({ row: record }: { row: CancerRow }) {
  const { openFor, setOpenFor } = useContext(FdsDialogContext);
  return (
    <FdsOutcomeButton
      compact
      referralId={record.referralId}
      patientName={record.patientName}
      recorded={record.fdsOutcome}
      earliest={record.cancerClockStart}
      open={openFor === record.referralId}
      onOpenChange={(open) => setOpenFor(open ? record.referralId : null)}
    />
  );
}

export function CancerList() {
  const navigate = useNavigate();
  const onOpen = useCallback((record: CancerRow) => navigate(referralPath(record.referralId)), [navigate]);
  // f opens the highlighted row's FDS outcome; one dialog open at a time.
  const [fdsFor, setFdsFor] = useState<string | null>(null);
  const rowKeys = useMemo(() => ({ f: (record: CancerRow) => setFdsFor(record.referralId) }), []);
  const fdsDialog = useMemo(() => ({ openFor: fdsFor, setOpenFor: setFdsFor }), [fdsFor]);
  return (
    <FdsDialogContext.Provider value={fdsDialog}>
      <List resource="cancer-ptl" title="Cancer PTL (2WW)" filters={cancerFilters} sort={serverOrder} perPage={50} actions={<ExportActions />} storeKey="cancer-ptl.list">
        <SavedViewBar views={cancerViews} testId="cancer-views" />
        <KeyedDataTable<CancerRow>
          pathOf={(record) => referralPath(record.referralId)}
          onOpen={onOpen}
          rowTestId="cancer-row"
          testId="cancer-table"
          rowKeys={rowKeys}
          hints={<> · <Kbd>1</Kbd>–<Kbd>4</Kbd> views · <Kbd>f</Kbd> record the highlighted patient’s FDS outcome</>}
        >
          <DataTable.Col source="patientName" label="Patient" disableSort render={(r) => <PatientText name={row(r).patientName} nhsNumber={row(r).nhsNumber} />} />
          <DataTable.Col source="specialtyName" label="Specialty" disableSort render={(r) => row(r).specialtyName ?? row(r).specialtyCode} />
          <DataTable.Col
            source="daysSinceReferral"
            label="Days since referral"
            disableSort
            render={(r) => (
              <Box>
                <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums' }}>{row(r).daysSinceReferral}</Typography>
                <Typography variant="caption" color="text.secondary">from {formatDate(row(r).cancerClockStart)}</Typography>
              </Box>
            )}
          />
          <DataTable.Col source="uscFirstSeenTarget" label="Seen by (14 days)" disableSort render={(r) => <TargetText target={row(r).uscFirstSeenTarget} metOn={row(r).firstSeenOn} metLabel="Seen" />} />
          <DataTable.Col source="fdsTarget" label="Told by (FDS, 28 days)" disableSort render={(r) => <FdsText row={row(r)} />} />
          <DataTable.Col source="cancer62Target" label="Treat by (62 days)" disableSort render={(r) => <BreachDateText value={row(r).cancer62Target} />} />
          <DataTable.Col
            source="nextStep"
            label="Next step"
            disableSort
            render={(r) => (
              <Box>
                <Typography variant="body2">{row(r).nextStep}</Typography>
                {row(r).nextEventDate ? <Typography variant="caption" color="text.secondary">{formatDate(row(r).nextEventDate)}</Typography> : null}
              </Box>
            )}
          />
          <DataTable.Col source="breachRisk" label="Breach risk" disableSort render={(r) => <BreachRiskChip risk={row(r).breachRisk} />} />
          <DataTable.Col
            source="fdsOutcome"
            label=""
            disableSort
            render={(r) => (
              <Box onClick={(event) => event.stopPropagation()}>
                <RowFdsButton row={row(r)} />
              </Box>
            )}
          />
        </KeyedDataTable>
      </List>
    </FdsDialogContext.Provider>
  );
}
