// Outlook (issue 17): the next 18 weeks from the clinics and theatre lists the trust actually has. Demand against free
// capacity per specialty, predicted breaches per week (boxes, no chart library), the patients predicted to breach with
// their CSV, and a what-if that changes nothing. Team leaders, operations and admins.
import { useState } from 'react';
import { Box, Button, MenuItem, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { Title } from 'react-admin';
import { useQuery } from '@tanstack/react-query';
import { BarChart } from '../components/bar-chart';
import { DownloadButton } from '../components/download-button';
import { Panel } from '../components/fields';
import { errorMessage, fieldErrors } from '../components/http-errors';
import { apiUrl, httpClient } from '../dataProvider';

type Capacity = { new: number; follow_up: number; urgent: number; two_week_wait: number; theatre: number };
type WeekRow = { specialtyCode: string; specialtyName: string; weekStart: string; demand: number; capacity: Capacity; bookings: number; breaches: number };
type Forecast = { runId: string | null; computedAt: string | null; today: string | null; weeks: number; weekStarts: string[]; rows: WeekRow[] };
type AtRisk = {
  id: string; patientName: string; specialtyName: string; priority: string; stage: string; predictedDate: string | null; breachDate: string;
  target: string; daysShort: number; saveType: string | null; saveFromWeek: string | null; saveByWeek: string | null;
};
type Move = { referralId: string; patientName: string; breachDate: string; predictedBefore: string | null; predictedAfter: string | null };
type WhatIfResult = { atRiskBefore: number; atRiskAfter: number; intoBreach: Move[]; outOfBreach: Move[] };

const stageWords: Record<string, string> = { first_appointment: 'First appointment', follow_up: 'Follow-up', admission: 'Admission (TCI)' };
const targetWords: Record<string, string> = { rtt: '18 weeks', cancer: 'Cancer target', surgical: 'Surgical priority' };
const typeWords: Record<string, string> = { new: 'new slot', follow_up: 'follow-up slot', urgent: 'urgent slot', two_week_wait: '2WW slot', theatre: 'theatre minutes' };
const priorityWords: Record<string, string> = { two_week_wait: '2WW', urgent: 'Urgent', routine: 'Routine' };
const sum = (rows: WeekRow[], f: (r: WeekRow) => number) => Math.round(rows.reduce((n, r) => n + f(r), 0) * 10) / 10;
const clinicSlots = (c: Capacity) => c.new + c.follow_up + c.urgent + c.two_week_wait;

async function getJson<T>(url: string): Promise<T> {
  return (await httpClient(url)).json as T;
}

function BreachesPerWeek({ forecast }: { forecast: Forecast }) {
  const perWeek = forecast.weekStarts.map((week) => ({ week, n: forecast.rows.filter((r) => r.weekStart === week).reduce((n, r) => n + r.breaches, 0) }));
  const max = Math.max(1, ...perWeek.map((w) => w.n));
  return (
    <Box component="figure" sx={{ m: 0 }} data-testid="outlook-breach-chart">
      <Typography component="figcaption" variant="caption" color="text.secondary">Predicted breaches by week of breach date</Typography>
      <Box role="img" aria-label={`Predicted breaches by week: ${perWeek.map((w) => `week of ${w.week}: ${w.n}`).join('; ') || 'none yet (no forecast has run)'}`} sx={{ display: 'flex', alignItems: 'flex-end', gap: 0.5, height: 140, mt: 1 }}>
        {perWeek.map((w) => (
          <Box key={w.week} sx={{ flex: 1, display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'flex-end', height: '100%' }}
            data-testid="outlook-breach-week" data-week={w.week} data-count={w.n} title={`Week of ${w.week}: ${w.n} predicted to breach`}>
            <Typography variant="caption" sx={{ fontSize: 10 }}>{w.n}</Typography>
            <Box sx={{ width: '100%', height: `${(w.n / max) * 100}px`, minHeight: w.n > 0 ? 2 : 0, bgcolor: 'error.main', borderRadius: 0.5 }} />
            <Typography variant="caption" sx={{ fontSize: 9, color: 'text.secondary' }}>{w.week.slice(5)}</Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
}

function DemandAgainstCapacity({ forecast }: { forecast: Forecast }) {
  const specialties = [...new Set(forecast.rows.map((r) => r.specialtyCode))];
  const bySpecialty = specialties.map((code) => {
    const rows = forecast.rows.filter((r) => r.specialtyCode === code);
    return {
      code, name: rows[0]?.specialtyName ?? code, demand: sum(rows, (r) => r.demand), firsts: sum(rows, (r) => r.capacity.new + r.capacity.urgent + r.capacity.two_week_wait),
      followUps: sum(rows, (r) => r.capacity.follow_up), theatre: sum(rows, (r) => r.capacity.theatre), slots: sum(rows, (r) => clinicSlots(r.capacity)),
      bookings: sum(rows, (r) => r.bookings), breaches: sum(rows, (r) => r.breaches),
    };
  });
  return (
    <>
      <BarChart
        title="Expected new patients against free first-appointment slots"
        testId="outlook-demand-chart"
        series={[{ key: 'demand', label: 'Expected new patients', colour: '#005eb8' }, { key: 'firsts', label: 'Free first-appointment slots', colour: '#009639' }]}
        rows={bySpecialty.map((s) => ({ id: s.code, label: s.name, values: { demand: s.demand, firsts: s.firsts } }))}
      />
      <Table size="small" data-testid="outlook-specialty-table" sx={{ mt: 2 }}>
        <TableHead>
          <TableRow>
            <TableCell>Specialty</TableCell><TableCell align="right">Expected new patients</TableCell>
            <TableCell align="right">Free first-appointment slots</TableCell><TableCell align="right">Free follow-up slots</TableCell>
            <TableCell align="right">Free theatre minutes</TableCell><TableCell align="right">Predicted bookings</TableCell>
            <TableCell align="right">Predicted breaches</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {bySpecialty.map((s) => (
            <TableRow key={s.code} data-testid="outlook-specialty-row" data-specialty={s.code}>
              <TableCell>{s.name}</TableCell><TableCell align="right">{s.demand}</TableCell><TableCell align="right">{s.firsts}</TableCell>
              <TableCell align="right">{s.followUps}</TableCell><TableCell align="right">{s.theatre}</TableCell>
              <TableCell align="right">{s.bookings}</TableCell><TableCell align="right" data-testid="outlook-specialty-breaches">{s.breaches}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

function AtRiskList({ specialty }: { specialty: string }) {
  const filter = JSON.stringify(specialty ? { specialtyCode: specialty } : {});
  const query = new URLSearchParams({ filter, sort: JSON.stringify(['breachDate', 'ASC']), range: JSON.stringify([0, 99]) });
  const { data, error } = useQuery({ queryKey: ['forecast-at-risk', specialty], queryFn: () => getJson<AtRisk[]>(`${apiUrl}/forecast/at-risk?${query}`) });
  const csv = `${apiUrl}/forecast/at-risk.csv?${new URLSearchParams({ filter, sort: JSON.stringify(['breachDate', 'ASC']) })}`;
  return (
    <>
      <Box sx={{ display: 'flex', justifyContent: 'flex-end', mb: 1 }}>
        <DownloadButton href={csv} label="Export CSV" testId="outlook-at-risk-export" />
      </Box>
      {error ? <Typography color="error" role="alert">{errorMessage(error, 'Could not load the patients at risk')}</Typography> : null}
      {data && data.length === 0 ? <Typography variant="body2" color="text.secondary" data-testid="outlook-at-risk-empty">Nobody is predicted to breach.</Typography> : null}
      {data && data.length > 0 ? (
        <Table size="small" data-testid="outlook-at-risk-table">
          <TableHead>
            <TableRow>
              <TableCell>Patient</TableCell><TableCell>Specialty</TableCell><TableCell>Priority</TableCell><TableCell>Waiting for</TableCell>
              <TableCell>Predicted date</TableCell><TableCell>Breach date</TableCell><TableCell align="right">Days short</TableCell><TableCell>Would be saved by</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {data.map((r) => (
              <TableRow key={r.id} data-testid="outlook-at-risk-row" data-referral={r.id}>
                <TableCell>{r.patientName}</TableCell><TableCell>{r.specialtyName}</TableCell><TableCell>{priorityWords[r.priority] ?? r.priority}</TableCell>
                <TableCell>{stageWords[r.stage] ?? r.stage}</TableCell><TableCell>{r.predictedDate ?? 'Nothing free'}</TableCell>
                <TableCell>{r.breachDate} ({targetWords[r.target] ?? r.target})</TableCell><TableCell align="right">{r.daysShort}</TableCell>
                <TableCell>{r.saveType ? `One more ${typeWords[r.saveType] ?? r.saveType}, weeks of ${r.saveFromWeek} to ${r.saveByWeek}` : 'Past saving by capacity'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </>
  );
}

type WhatIfKind = 'addSessions' | 'removeSessions' | 'defer';

function WhatIf({ specialty }: { specialty: string }) {
  const [kind, setKind] = useState<WhatIfKind>('addSessions');
  const [code, setCode] = useState(specialty);
  const [type, setType] = useState('new');
  const [date, setDate] = useState('');
  const [count, setCount] = useState('10');
  const [referralId, setReferralId] = useState('');
  const [weeks, setWeeks] = useState('2');
  const [result, setResult] = useState<WhatIfResult | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const tryIt = async () => {
    setBusy(true); setRefusal(null); setResult(null);
    const body = kind === 'defer'
      ? { defer: { referralId: referralId.trim(), weeks: Number(weeks) } }
      : { [kind]: [{ specialtyCode: (code || specialty).trim(), type, date, count: Number(count) }] };
    try {
      const { json } = await httpClient(`${apiUrl}/forecast/what-if`, { method: 'POST', body: JSON.stringify(body) });
      setResult(json as WhatIfResult);
    } catch (error) {
      const fields = Object.entries(fieldErrors(error)).map(([f, m]) => `${f} ${m}`);
      setRefusal(fields.length ? fields.join('; ') : errorMessage(error, 'Could not try that change'));
    } finally { setBusy(false); }
  };
  const moves = (title: string, list: Move[], testId: string) => (
    <Box data-testid={testId} sx={{ mt: 1 }}>
      <Typography variant="subtitle2">{title} ({list.length})</Typography>
      {list.slice(0, 50).map((m) => (
        <Typography key={m.referralId} variant="body2" data-testid={`${testId}-row`} data-referral={m.referralId}>
          {m.patientName}: breach date {m.breachDate}, seen {m.predictedBefore ?? 'not in time'} → {m.predictedAfter ?? 'not in time'}
        </Typography>
      ))}
    </Box>
  );
  return (
    <Box component="form" onSubmit={(e) => { e.preventDefault(); void tryIt(); }} data-testid="outlook-what-if">
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}>
        <TextField select size="small" label="Change" value={kind} onChange={(e) => setKind(e.target.value as WhatIfKind)} sx={{ width: 200 }}
          slotProps={{ htmlInput: { 'data-testid': 'what-if-kind' } }}>
          <MenuItem value="addSessions">Add capacity</MenuItem>
          <MenuItem value="removeSessions">Take capacity away</MenuItem>
          <MenuItem value="defer">Put a patient back</MenuItem>
        </TextField>
        {kind === 'defer' ? (
          <>
            <TextField size="small" label="Referral" value={referralId} onChange={(e) => setReferralId(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'what-if-referral' } }} />
            <TextField size="small" type="number" label="Weeks" value={weeks} onChange={(e) => setWeeks(e.target.value)} sx={{ width: 100 }} slotProps={{ htmlInput: { 'data-testid': 'what-if-weeks', min: 1, max: 52 } }} />
          </>
        ) : (
          <>
            <TextField size="small" label="Specialty code" value={code} onChange={(e) => setCode(e.target.value)} sx={{ width: 140 }} slotProps={{ htmlInput: { 'data-testid': 'what-if-specialty' } }} />
            <TextField select size="small" label="Of" value={type} onChange={(e) => setType(e.target.value)} sx={{ width: 180 }}>
              {Object.entries(typeWords).map(([value, label]) => <MenuItem key={value} value={value}>{label}</MenuItem>)}
            </TextField>
            <TextField size="small" type="date" label="On" value={date} onChange={(e) => setDate(e.target.value)} slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'what-if-date' } }} />
            <TextField size="small" type="number" label="How many" value={count} onChange={(e) => setCount(e.target.value)} sx={{ width: 120 }} slotProps={{ htmlInput: { 'data-testid': 'what-if-count', min: 1 } }} />
          </>
        )}
        <Button type="submit" variant="contained" disabled={busy} data-testid="what-if-try">Try it</Button>
      </Box>
      {refusal ? <Typography color="error" role="alert" sx={{ mt: 1 }} data-testid="what-if-refusal">{refusal}</Typography> : null}
      {result ? (
        <Box data-testid="what-if-result" sx={{ mt: 2 }}>
          <Typography variant="body2">Nothing has been changed. Predicted to breach: {result.atRiskBefore} now, {result.atRiskAfter} with this change.</Typography>
          {moves('Would breach because of it', result.intoBreach, 'what-if-into')}
          {moves('Would no longer breach', result.outOfBreach, 'what-if-out')}
        </Box>
      ) : null}
    </Box>
  );
}

export function OutlookPage() {
  const [specialty, setSpecialty] = useState('');
  const { data: all, error } = useQuery({ queryKey: ['forecast'], queryFn: () => getJson<Forecast>(`${apiUrl}/forecast?weeks=18`) });
  const forecast = all && specialty ? { ...all, rows: all.rows.filter((r) => r.specialtyCode === specialty) } : all;
  const specialties = all ? [...new Map(all.rows.map((r) => [r.specialtyCode, r.specialtyName])).entries()] : [];
  return (
    <Box sx={{ display: 'grid', gap: 2, mt: 1 }} data-testid="outlook-page">
      <Title title="Outlook" />
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="h6" component="h1">The next 18 weeks</Typography>
        <TextField select size="small" label="Specialty" value={specialty} onChange={(e) => setSpecialty(e.target.value)} sx={{ width: 260 }}
          slotProps={{ htmlInput: { 'data-testid': 'outlook-specialty' } }}>
          <MenuItem value="">Every specialty</MenuItem>
          {specialties.map(([code, name]) => <MenuItem key={code} value={code}>{name}</MenuItem>)}
        </TextField>
        {all?.computedAt ? <Typography variant="caption" color="text.secondary" data-testid="outlook-computed">Worked out {new Date(all.computedAt).toLocaleString('en-GB')}</Typography> : null}
      </Box>
      {error ? <Typography color="error" role="alert">{errorMessage(error, 'Could not load the forecast')}</Typography> : null}
      {forecast && !forecast.runId ? <Typography variant="body2" data-testid="outlook-not-yet">The forecast has not been worked out yet: it runs every night and after each change to clinics.</Typography> : null}
      {forecast ? (
        <>
          <Panel title="Demand against capacity" testId="outlook-demand"><DemandAgainstCapacity forecast={forecast} /></Panel>
          <Panel title="Predicted breaches" testId="outlook-breaches"><BreachesPerWeek forecast={forecast} /></Panel>
        </>
      ) : null}
      <Panel title="Patients predicted to breach" testId="outlook-at-risk"><AtRiskList specialty={specialty} /></Panel>
      <Panel title="What if…" testId="outlook-what-if-panel"><WhatIf specialty={specialty} /></Panel>
    </Box>
  );
}
