// The monthly RTT return for one month (GET /api/returns/rtt): each part's total and % within 18 weeks,
// and the chosen part by treatment function with its 105 week bands grouped into readable bins.
import { useState } from 'react';
import { Box, Table, TableBody, TableCell, TableHead, TableRow, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { rttReturnParts, type RttReturnPart } from '../../../domain/rtt-reporting';
import { formatDate } from '../components/dates';
import { eighteenWeekLineSx, isPastEighteenWeeks, WeekBinHeadCells } from '../components/week-bin-cells';
import { addBands, binCounts, percentText, weekBins } from '../components/week-bins';
import type { RttReturn, RttReturnRow } from '../rtt-types';

export const partLabels: Record<RttReturnPart, string> = {
  '1A': 'Part 1A: completed, admitted',
  '1B': 'Part 1B: completed, non-admitted',
  '2': 'Part 2: incomplete (waiting at census)',
  '2A': 'Part 2A: incomplete, decision to admit',
  '3': 'Part 3: new clock starts',
};

// The return's "other" lines (domain/rtt-reporting.ts rttReturnTfc).
const tfcNames: Record<string, string> = {
  X02: 'Other – medical',
  X03: 'Other – mental health',
  X04: 'Other – paediatric',
  X05: 'Other – surgical',
  X06: 'Other',
};

const num = { fontVariantNumeric: 'tabular-nums' } as const;

function PartTotals({ report, part, onPick }: { report: RttReturn; part: RttReturnPart; onPick: (part: RttReturnPart) => void }) {
  return (
    <ToggleButtonGroup
      exclusive
      value={part}
      onChange={(_event, value: RttReturnPart | null) => value && onPick(value)}
      aria-label="Part of the return"
      sx={{ flexWrap: 'wrap', mb: 2 }}
    >
      {rttReturnParts.map((p) => {
        const totals = report.totals?.[p];
        return (
          <ToggleButton key={p} value={p} sx={{ display: 'block', textAlign: 'left', textTransform: 'none', minWidth: 170, color: 'text.primary' }} data-testid={`rtt-part-${p}`}>
            <Typography variant="caption" component="div">{partLabels[p]}</Typography>
            <Typography variant="h6" component="div" sx={num} data-testid={`rtt-total-${p}`} data-total={totals?.total ?? 0}>
              {totals?.total ?? 0}
            </Typography>
            {p === '3' ? null : (
              <Typography variant="caption" component="div" color="text.secondary">
                {totals?.percentWithin18Weeks == null ? percentText(totals?.within18Weeks ?? 0, totals?.total ?? 0) : `${totals.percentWithin18Weeks.toFixed(1)}%`} within 18 weeks
              </Typography>
            )}
          </ToggleButton>
        );
      })}
    </ToggleButtonGroup>
  );
}

function ReturnLine({ label, line, strong }: { label: string; line: Pick<RttReturnRow, 'bands' | 'unknown' | 'total' | 'within18Weeks'>; strong?: boolean }) {
  const bins = binCounts(line.bands);
  const weight = strong ? { fontWeight: 600 } : {};
  return (
    <TableRow>
      <TableCell component="th" scope="row" sx={weight}>{label}</TableCell>
      {bins.map((count, index) => (
        <TableCell key={weekBins[index].key} align="right" sx={{ ...num, ...weight, ...(isPastEighteenWeeks(index) ? eighteenWeekLineSx : {}) }}>{count}</TableCell>
      ))}
      <TableCell align="right" sx={{ ...num, ...weight }}>{line.unknown}</TableCell>
      <TableCell align="right" sx={{ ...num, ...weight }}>{line.total}</TableCell>
      <TableCell align="right" sx={{ ...num, ...weight }}>{percentText(line.within18Weeks, line.total - line.unknown)}</TableCell>
    </TableRow>
  );
}

export function RttReturnView({ report }: { report: RttReturn }) {
  const [part, setPart] = useState<RttReturnPart>('2');
  const rows = (report.rows ?? []).filter((r) => r.part === part);
  const total = {
    bands: addBands(rows.map((r) => r.bands)),
    unknown: rows.reduce((n, r) => n + r.unknown, 0),
    total: rows.reduce((n, r) => n + r.total, 0),
    within18Weeks: rows.reduce((n, r) => n + r.within18Weeks, 0),
  };
  return (
    <Box data-testid="rtt-return" data-month={report.month}>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Census date {formatDate(report.census)} (the last day of the month). Choose a part to see it by treatment function.
      </Typography>
      <PartTotals report={report} part={part} onPick={setPart} />
      <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>{partLabels[part]}</Typography>
      {rows.length === 0 ? (
        <Typography variant="body2" color="text.secondary">Nothing to report in this part.</Typography>
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid={`rtt-part-table-${part}`} aria-label={`${partLabels[part]} by treatment function and weeks waited`}>
            <TableHead>
              <TableRow>
                <TableCell>Treatment function</TableCell>
                <WeekBinHeadCells />
                <TableCell align="right">Unknown start</TableCell>
                <TableCell align="right">Total</TableCell>
                <TableCell align="right">Within 18 wks</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((r) => (
                <ReturnLine key={r.tfc} label={tfcNames[r.tfc] ? `${r.tfc} ${tfcNames[r.tfc]}` : r.tfc} line={r} />
              ))}
              <ReturnLine label="Total" line={total} strong />
            </TableBody>
          </Table>
        </Box>
      )}
    </Box>
  );
}
