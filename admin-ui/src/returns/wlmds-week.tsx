// The weekly waiting list minimum data set for one ISO week: the two downloads (the week's extract and
// what changed since the week before) and the change explained (GET /api/returns/wlmds/summary).
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { formatDate } from '../components/dates';
import { DownloadButton } from '../components/download-button';
import { Panel } from '../components/fields';
import { wlmdsCsvUrl } from '../dataProvider';
import type { WlmdsSummary } from '../rtt-types';

const num = { fontVariantNumeric: 'tabular-nums' } as const;

// The field names of the extract, in words.
const fieldWords: Record<string, string> = {
  last_rtt_code: 'Last RTT code',
  decision_to_admit_on: 'Decision to admit',
  next_appointment_date: 'Next appointment date',
  priority: 'Priority',
  clinical_priority: 'Clinical priority',
  stage: 'Stage',
  tfc: 'Treatment function',
  specialty_code: 'Specialty',
  clock_start: 'Clock start',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function WlmdsDownloads({ week }: { week: string }) {
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
      <DownloadButton href={wlmdsCsvUrl(week)} label={`Week ${week} extract (CSV)`} testId="wlmds-download" fileName={`wlmds-${week}.csv`} />
      <DownloadButton href={wlmdsCsvUrl(week, true)} label="Changes since the week before (CSV)" testId="wlmds-diff-download" fileName={`wlmds-${week}-diff.csv`} />
    </Box>
  );
}

export function WlmdsSummaryView({ summary }: { summary: WlmdsSummary }) {
  const net = summary.joiners - summary.leavers;
  const changedFields = summary.changedByField.filter((f) => f.count > 0);
  return (
    <Box data-testid="wlmds-summary" sx={{ display: 'grid', gap: 2 }}>
      <Typography variant="body1" data-testid="wlmds-sentence">
        {plural(summary.total, 'pathway')} on the list at the census of {formatDate(summary.census)} (week {summary.week}). Since{' '}
        {formatDate(summary.previousCensus)} (week {summary.previousWeek}): {plural(summary.joiners, 'joiner')}, {plural(summary.leavers, 'leaver')}
        {' '}({net >= 0 ? `${net} more` : `${-net} fewer`} on the list), and {plural(summary.changed, 'pathway')} changed.
      </Typography>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
        <Panel title={`Leavers by reason (${summary.leavers})`} testId="wlmds-leavers">
          {summary.leaversByReason.length === 0 ? (
            <Typography variant="body2" color="text.secondary">Nobody left the list this week.</Typography>
          ) : (
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>Why they left</TableCell>
                  <TableCell align="right">Pathways</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {summary.leaversByReason.map((r) => (
                  <TableRow key={r.reason} data-reason={r.reason}>
                    <TableCell>{r.label || r.reason}</TableCell>
                    <TableCell align="right" sx={num}>{r.count}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Panel>
        <Panel title={`Changed rows by field (${summary.changed})`} testId="wlmds-changed">
          {changedFields.length === 0 ? (
            <Typography variant="body2" color="text.secondary">No row changed except by the passing of time.</Typography>
          ) : (
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>Field</TableCell>
                  <TableCell align="right">Rows</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {changedFields.map((f) => (
                  <TableRow key={f.field} data-field={f.field}>
                    <TableCell>{fieldWords[f.field] ?? f.field}</TableCell>
                    <TableCell align="right" sx={num}>{f.count}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
            A row can change in more than one field.
          </Typography>
        </Panel>
      </Box>
    </Box>
  );
}
