// Cash-up (issue 16): clinic sessions whose appointments still have no outcome 48 hours after the clinic, and a
// clinic-level screen to outcome the whole session in one pass by keyboard: j/k move, a attended, d did not attend,
// h cancelled by the hospital, f follow-up (then type the weeks), x discharged, s records them all.
import { useCallback, useEffect, useState } from 'react';
import PlaylistAddCheckIcon from '@mui/icons-material/PlaylistAddCheck';
import { Alert, Box, Button, Card, CardContent, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { DataTable, List, TopToolbar, useNavigate, useNotify } from 'react-admin';
import { useParams } from 'react-router';
import type { CashUpOutcome } from '../../../domain/model';
import { apiUrl, httpClient, serverOrder } from '../dataProvider';
import { formatDate, formatDateTime } from '../components/dates';
import { Kbd, KeyedDataTable } from '../components/keyed-table';
import { refusalMessage } from '../components/messages';
import { ListExportButton } from '../ptl/ptl-list';
import { useShortcut } from '../tasks/row-keys';

type CashUpSession = {
  id: string; clinicId: string; clinicName: string; specialtyCode: string; clinicianName: string; date: string; session: 'am' | 'pm';
  appointmentsWithoutOutcome: number; firstStart: string; escalationLevel: number;
};
type CashUpAppointment = {
  appointmentId: string; referralId: string; patientName: string; nhsNumber: string; start: string; kind: string; state: string;
  outcome: string | null; taskId: string | null; escalationLevel: number;
};
type CashUpDetail = { id: string; clinicId: string; clinicName: string; date: string; session: 'am' | 'pm'; appointments: CashUpAppointment[] };
type RowResult = { appointmentId: string; result: 'recorded' | 'already_recorded' | 'refused'; message: string | null };

const halfDay = (s: 'am' | 'pm') => (s === 'am' ? 'morning' : 'afternoon');
export const cashUpPath = (id: string) => `/cash-up/${encodeURIComponent(id)}/show`;

const outcomeWords: Record<CashUpOutcome, string> = {
  attended: 'Attended (treated in clinic)', did_not_attend: 'Did not attend', cancelled_by_hospital: 'Cancelled by the hospital',
  follow_up: 'Follow-up', discharged: 'Discharged',
};
const keyFor: Record<string, CashUpOutcome> = { a: 'attended', d: 'did_not_attend', h: 'cancelled_by_hospital', f: 'follow_up', x: 'discharged' };
const escalationWords = (level: number) => (level >= 2 ? 'With the team leader' : level === 1 ? 'Overdue: holder told' : 'Due');
const row = (r: unknown) => r as CashUpSession;

export function CashUpList() {
  const navigate = useNavigate();
  const onOpen = useCallback((r: CashUpSession) => navigate(cashUpPath(r.id)), [navigate]);
  return (
    <List resource="cash-up" title="Cash-up: clinics without outcomes" sort={serverOrder} perPage={50} exporter={false} storeKey="cash-up.list" empty={false}
      actions={<TopToolbar><ListExportButton resource="cash-up" testId="cash-up-export" /></TopToolbar>}>
      <KeyedDataTable<CashUpSession> pathOf={(r) => cashUpPath(r.id)} onOpen={onOpen} rowTestId="cash-up-row" testId="cash-up-table">
        <DataTable.Col source="date" label="Clinic" disableSort render={(r) => `${formatDate(row(r).date)} ${halfDay(row(r).session)}`} />
        <DataTable.Col source="clinicName" label="Clinic name" disableSort />
        <DataTable.Col source="clinicianName" label="Clinician" disableSort />
        <DataTable.Col source="appointmentsWithoutOutcome" label="Without outcome" disableSort />
        <DataTable.Col source="escalationLevel" label="Escalation" disableSort render={(r) => escalationWords(row(r).escalationLevel)} />
      </KeyedDataTable>
    </List>
  );
}

type Choice = { outcome?: CashUpOutcome; weeks: string };

/** One clinic session: a row per appointment, an outcome picked for each by key, one submit. */
export function CashUpClinic() {
  const { id = '' } = useParams();
  const notify = useNotify();
  const [detail, setDetail] = useState<CashUpDetail | null>(null);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [selected, setSelected] = useState(0);
  const [results, setResults] = useState<Record<string, RowResult>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    const { json } = await httpClient(`${apiUrl}/cash-up/${encodeURIComponent(id)}`);
    setDetail(json as CashUpDetail);
  }, [id]);
  useEffect(() => { load().catch((e: unknown) => setProblem(refusalMessage(e, { fallback: 'Could not open this clinic' }))); }, [load]);

  const open = (detail?.appointments ?? []).filter((a) => a.state === 'booked');
  const current = open[Math.min(selected, open.length - 1)];
  const choose = (appointmentId: string, change: Partial<Choice>) =>
    setChoices((all) => ({ ...all, [appointmentId]: { ...(all[appointmentId] ?? { weeks: '' }), ...change } }));

  const submit = useCallback(async () => {
    const picked = open.filter((a) => choices[a.appointmentId]?.outcome);
    if (!picked.length) { setProblem('Pick an outcome for at least one appointment first'); return; }
    const noWeeks = picked.find((a) => choices[a.appointmentId].outcome === 'follow_up' && !choices[a.appointmentId].weeks);
    if (noWeeks) { setProblem(`Say in how many weeks ${noWeeks.patientName} is to be seen again`); return; }
    setBusy(true);
    setProblem(null);
    try {
      const outcomes = picked.map((a) => {
        const c = choices[a.appointmentId];
        return { appointmentId: a.appointmentId, outcome: c.outcome, ...(c.outcome === 'follow_up' ? { followUpWeeks: Number(c.weeks) } : {}) };
      });
      const { json } = await httpClient(`${apiUrl}/cash-up/${encodeURIComponent(id)}`, { method: 'POST', body: JSON.stringify({ outcomes }) });
      const answer = json as { results: RowResult[]; remaining: number };
      setResults((all) => ({ ...all, ...Object.fromEntries(answer.results.map((r) => [r.appointmentId, r])) }));
      const refused = answer.results.filter((r) => r.result === 'refused').length;
      notify(refused ? `${refused} outcome(s) not recorded: see the rows` : `Clinic cashed up: ${answer.results.length} outcome(s) recorded, ${answer.remaining} still to do`,
        { type: refused ? 'warning' : 'info' });
      setChoices({});
      setSelected(0);
      await load();
    } catch (e) {
      setProblem(refusalMessage(e, { fallback: 'Could not record the outcomes' }));
    } finally {
      setBusy(false);
    }
  }, [open, choices, id, load, notify]);

  const onKey = useCallback((key: string) => {
    if (key === 'j' || key === 'ArrowDown') { setSelected((i) => Math.min(i + 1, Math.max(0, open.length - 1))); return; }
    if (key === 'k' || key === 'ArrowUp') { setSelected((i) => Math.max(i - 1, 0)); return; }
    if (key === 's') { void submit(); return; }
    if (!current) return;
    const outcome = keyFor[key];
    if (outcome) {
      choose(current.appointmentId, { outcome });
      // Follow-up waits for its weeks; the others move on to the next patient.
      if (outcome !== 'follow_up') setSelected((i) => Math.min(i + 1, Math.max(0, open.length - 1)));
      return;
    }
    if (/^\d$/.test(key) && choices[current.appointmentId]?.outcome === 'follow_up') {
      choose(current.appointmentId, { weeks: `${choices[current.appointmentId].weeks}${key}`.slice(0, 3) });
      return;
    }
    if (key === 'Backspace' && choices[current.appointmentId]?.outcome === 'follow_up') {
      choose(current.appointmentId, { weeks: choices[current.appointmentId].weeks.slice(0, -1) });
    }
  }, [open.length, current, choices, submit]);
  useShortcut(['j', 'k', 'ArrowDown', 'ArrowUp', 's', 'a', 'd', 'h', 'f', 'x', 'Backspace', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], onKey);

  if (!detail) return problem ? <Alert severity="error" sx={{ m: 2 }}>{problem}</Alert> : null;
  return (
    <Card sx={{ mt: 2 }} data-testid="cash-up-clinic">
      <CardContent>
        <Typography variant="h5" component="h1">Cash-up: {detail.clinicName}, {formatDate(detail.date)} {halfDay(detail.session)}</Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }} data-testid="cash-up-keys">
          Keys: <Kbd>j</Kbd>/<Kbd>k</Kbd> next/previous · <Kbd>a</Kbd> attended · <Kbd>d</Kbd> did not attend · <Kbd>h</Kbd> cancelled by the hospital ·{' '}
          <Kbd>f</Kbd> follow-up, then the weeks · <Kbd>x</Kbd> discharged · <Kbd>s</Kbd> record them all
        </Typography>
        {problem && <Alert severity="warning" sx={{ mb: 1 }} data-testid="cash-up-problem">{problem}</Alert>}
        <Table size="small" aria-label="Appointments of this clinic">
          <TableHead>
            <TableRow><TableCell>Time</TableCell><TableCell>Patient</TableCell><TableCell>NHS number</TableCell><TableCell>Outcome</TableCell></TableRow>
          </TableHead>
          <TableBody>
            {detail.appointments.map((a) => {
              const index = open.indexOf(a);
              const isSelected = index >= 0 && a === current;
              const choice = choices[a.appointmentId];
              const result = results[a.appointmentId];
              return (
                <TableRow key={a.appointmentId} data-testid="cash-up-appointment" data-id={a.appointmentId} aria-selected={isSelected}
                  sx={isSelected ? { bgcolor: 'action.selected', boxShadow: (t) => `inset 4px 0 0 ${t.palette.primary.main}` } : undefined}
                  onClick={() => index >= 0 && setSelected(index)}>
                  <TableCell>{formatDateTime(a.start)}</TableCell>
                  <TableCell>{a.patientName}</TableCell>
                  <TableCell>{a.nhsNumber}</TableCell>
                  <TableCell data-testid="cash-up-outcome">
                    {a.state !== 'booked'
                      ? <Chip size="small" label={`Recorded: ${(a.outcome ?? a.state).replace(/_/g, ' ')}`} />
                      : choice?.outcome
                        ? `${outcomeWords[choice.outcome]}${choice.outcome === 'follow_up' ? ` in ${choice.weeks || '…'} weeks` : ''}`
                        : <Typography variant="body2" color="text.secondary" component="span">To outcome</Typography>}
                    {result?.result === 'refused' && <Typography variant="caption" color="error" component="p">{result.message}</Typography>}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        <Box sx={{ mt: 2 }}>
          <Button variant="contained" onClick={() => void submit()} disabled={busy || open.length === 0} data-testid="cash-up-submit">
            Record outcomes
          </Button>
        </Box>
      </CardContent>
    </Card>
  );
}

export default { list: CashUpList, show: CashUpClinic, icon: PlaylistAddCheckIcon };
