// Returns: the monthly RTT return for a chosen month and the weekly WLMDS for a chosen week, each with
// its CSV. The month and week live in the address (?month=, ?week=), so a view can be shared.
import { useState } from 'react';
import { Box, Tab, Tabs, TextField, Typography } from '@mui/material';
import { Title, useDataProvider } from 'react-admin';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { londonToday } from '../components/dates';
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

function MonthlyReturn({ month, onMonth }: { month: string; onMonth: (month: string) => void }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const { data, error } = useQuery({
    queryKey: ['returns', 'rtt', month],
    queryFn: () => dataProvider.getRttReturn(month).then((r) => r.data),
    enabled: isMonth(month),
  });
  return (
    <Panel title={`Monthly RTT return: ${isMonth(month) ? monthName(month) : 'choose a month'}`} testId="rtt-return-panel">
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap', mb: 2 }}>
        <TextField
          type="month"
          label="Month"
          size="small"
          sx={{ width: 220 }}
          value={month}
          onChange={(event) => onMonth(event.target.value)}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'rtt-month', max: londonToday().slice(0, 7) } }}
        />
        {isMonth(month) ? <DownloadButton href={rttReturnCsvUrl(month)} label="Return as CSV" fileName={`rtt-return-${month}.csv`} testId="rtt-return-csv" /> : null}
      </Box>
      {data ? <RttReturnView report={data} /> : isMonth(month) ? <Loading error={error} what="the return" /> : null}
    </Panel>
  );
}

function WeeklyWlmds({ week, onWeek }: { week: string; onWeek: (week: string) => void }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const { data, error } = useQuery({
    queryKey: ['returns', 'wlmds', week],
    queryFn: () => dataProvider.getWlmdsSummary(week).then((r) => r.data),
    enabled: isIsoWeek(week),
  });
  return (
    <Panel title={`Weekly WLMDS: week ${week}`} testId="wlmds-panel">
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap', mb: 2 }}>
        <TextField
          type="week"
          label="Week"
          size="small"
          sx={{ width: 220 }}
          value={week}
          onChange={(event) => onWeek(event.target.value)}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'wlmds-week' } }}
        />
        {isIsoWeek(week) ? <WlmdsDownloads week={week} /> : null}
      </Box>
      {data ? <WlmdsSummaryView summary={data} /> : isIsoWeek(week) ? <Loading error={error} what="the week's changes" /> : null}
    </Panel>
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
