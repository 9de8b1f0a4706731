// Returns: the monthly RTT return for a chosen month and the weekly WLMDS for a chosen week, each with
// its CSV. The month and week live in the address (?month=, ?week=), so a view can be shared.
import { useState, type ReactNode } from 'react';
import { Box, Tab, Tabs, TextField, Typography } from '@mui/material';
import { Title, useDataProvider } from 'react-admin';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { londonToday } from '../components/dates';
import type { RttReturn, WlmdsSummary } from '../rtt-types';
import { DownloadButton } from '../components/download-button';
import { Panel } from '../components/fields';
import { errorMessage } from '../components/http-errors';
import { rttReturnCsvUrl, type AccessDeskDataProvider } from '../dataProvider';
import { isIsoWeek, isMonth, monthName, previousIsoWeek, previousMonth } from './periods';
import { RttReturnView } from './rtt-return';
import { WlmdsDownloads, WlmdsSummaryView } from './wlmds-week';

type ReturnsTab = 'rtt' | 'wlmds';

function Loading({ error, what }: { error: unknown; what: string }) {
  return error ? (
    <Typography variant="body2" color="error" role="alert">{errorMessage(error, `Could not load ${what}`)}</Typography>
  ) : (
    <Typography variant="body2" color="text.secondary">Working out {what}…</Typography>
  );
}

interface PeriodPanelProps<T> {
  title: string;
  testId: string;
  /** The period as the route names it (YYYY-MM or YYYY-Www), its input type and whether it is well formed. */
  period: string;
  inputType: 'month' | 'week';
  inputTestId: string;
  isValid: (period: string) => boolean;
  onPeriod: (period: string) => void;
  what: string;
  load: (period: string) => Promise<T>;
  downloads: (period: string) => ReactNode;
  show: (data: T) => ReactNode;
}

/** A return for one period: the period picker, its downloads, and what the API says of it. */
function PeriodPanel<T>({ title, testId, period, inputType, inputTestId, isValid, onPeriod, what, load, downloads, show }: PeriodPanelProps<T>) {
  const valid = isValid(period);
  const { data, error } = useQuery({ queryKey: ['returns', inputType, period], queryFn: () => load(period), enabled: valid });
  return (
    <Panel title={title} testId={testId}>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap', mb: 2 }}>
        <TextField
          type={inputType}
          label={inputType === 'month' ? 'Month' : 'Week'}
          size="small"
          sx={{ width: 220 }}
          value={period}
          onChange={(event) => onPeriod(event.target.value)}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': inputTestId } }}
        />
        {valid ? downloads(period) : null}
      </Box>
      {data ? show(data) : valid ? <Loading error={error} what={what} /> : null}
    </Panel>
  );
}

function MonthlyReturn({ month, onMonth }: { month: string; onMonth: (month: string) => void }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  return (
    <PeriodPanel<RttReturn>
      title={`Monthly RTT return: ${isMonth(month) ? monthName(month) : 'choose a month'}`}
      testId="rtt-return-panel"
      period={month}
      inputType="month"
      inputTestId="rtt-month"
      isValid={isMonth}
      onPeriod={onMonth}
      what="the return"
      load={(m) => dataProvider.getRttReturn(m).then((r) => r.data)}
      downloads={(m) => <DownloadButton href={rttReturnCsvUrl(m)} label="Return as CSV" fileName={`rtt-return-${m}.csv`} testId="rtt-return-csv" />}
      show={(report) => <RttReturnView report={report} />}
    />
  );
}

function WeeklyWlmds({ week, onWeek }: { week: string; onWeek: (week: string) => void }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  return (
    <PeriodPanel<WlmdsSummary>
      title={`Weekly WLMDS: week ${week}`}
      testId="wlmds-panel"
      period={week}
      inputType="week"
      inputTestId="wlmds-week"
      isValid={isIsoWeek}
      onPeriod={onWeek}
      what="the week's changes"
      load={(w) => dataProvider.getWlmdsSummary(w).then((r) => r.data)}
      downloads={(w) => <WlmdsDownloads week={w} />}
      show={(summary) => <WlmdsSummaryView summary={summary} />}
    />
  );
}

export function ReturnsPage() {
  const [params, setParams] = useSearchParams();
  const today = londonToday();
  const month = params.get('month') ?? previousMonth(today);
  const week = params.get('week') ?? previousIsoWeek(today);
  const [tab, setTab] = useState<ReturnsTab>(params.get('week') && !params.get('month') ? 'wlmds' : 'rtt');
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };
  return (
    <Box sx={{ mt: 1 }} data-testid="returns-page">
      <Title title="Returns" />
      <Tabs value={tab} onChange={(_event, value: ReturnsTab) => setTab(value)} sx={{ mb: 2 }}>
        <Tab value="rtt" label="Monthly RTT return" data-testid="returns-tab-rtt" />
        <Tab value="wlmds" label="Weekly WLMDS" data-testid="returns-tab-wlmds" />
      </Tabs>
      {tab === 'rtt' ? <MonthlyReturn month={month} onMonth={(m) => set('month', m)} /> : <WeeklyWlmds week={week} onWeek={(w) => set('week', w)} />}
    </Box>
  );
}
