// How long the list has waited, per specialty: the 105 week bands grouped into readable bins, with the
// 18-week line drawn between "0–18" and the rest. Counts are numbers first; the bars only help the eye.
import { Box, Link as MuiLink, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { formatDate } from '../components/dates';
import { eighteenWeekLineSx, isPastEighteenWeeks, WeekBinHeadCells } from '../components/week-bin-cells';
import { addBands, binCounts, percentText, weekBins } from '../components/week-bins';
import type { PtlHistogram, PtlHistogramSpecialty } from '../rtt-types';

const binColours = ['#007f3b', '#ffb81c', '#ed8b00', '#d5281b', '#a0001e', '#5c0011'];

function BinCell({ count, max, index }: { count: number; max: number; index: number }) {
  return (
    <TableCell
      align="right"
      sx={{ minWidth: 84, ...(isPastEighteenWeeks(index) ? eighteenWeekLineSx : {}) }}
      data-bin={weekBins[index].key}
      data-count={count}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, justifyContent: 'flex-end' }}>
        <Box
          aria-hidden
          sx={{ height: 8, width: `${Math.round((count / Math.max(1, max)) * 48)}px`, minWidth: count > 0 ? 2 : 0, bgcolor: binColours[index], borderRadius: 0.5 }}
        />
        <Typography component="span" variant="body2" sx={{ fontVariantNumeric: 'tabular-nums', minWidth: 32 }}>
          {count}
        </Typography>
      </Box>
    </TableCell>
  );
}

function HistogramRow({ label, bands, total, within18, max, onPick, testId, code }: {
  label: string;
  bands: number[];
  total: number;
  within18: number;
  max: number;
  onPick?: () => void;
  testId: string;
  code?: string;
}) {
  const bins = binCounts(bands);
  return (
    <TableRow data-testid={testId} data-specialty={code}>
      <TableCell component="th" scope="row">
        {onPick ? (
          <MuiLink component="button" type="button" onClick={onPick} underline="hover" title="Show this specialty only" sx={{ textAlign: 'left' }}>
            {label}
          </MuiLink>
        ) : (
          <Typography variant="body2" sx={{ fontWeight: 600 }}>{label}</Typography>
        )}
      </TableCell>
      {bins.map((count, index) => (
        <BinCell key={weekBins[index].key} count={count} max={max} index={index} />
      ))}
      <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', fontWeight: 600 }} data-testid={`${testId}-total`}>{total}</TableCell>
      <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>{percentText(within18, total)}</TableCell>
    </TableRow>
  );
}

export function WeekBandHistogram({ histogram, onPickSpecialty }: {
  histogram: PtlHistogram;
  onPickSpecialty?: (code: string) => void;
}) {
  const specialties = histogram.specialties ?? [];
  const max = Math.max(1, ...specialties.flatMap((s) => binCounts(s.bands)));
  const all: PtlHistogramSpecialty = {
    specialtyCode: '',
    specialtyName: 'All specialties',
    total: specialties.reduce((n, s) => n + s.total, 0),
    within18Weeks: specialties.reduce((n, s) => n + s.within18Weeks, 0),
    over52Weeks: specialties.reduce((n, s) => n + s.over52Weeks, 0),
    bands: addBands(specialties.map((s) => s.bands)),
  };
  if (specialties.length === 0) {
    return <Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>Nobody on the list for these filters.</Typography>;
  }
  return (
    <Box sx={{ overflowX: 'auto' }} data-testid="ptl-histogram">
      <Table size="small" aria-label="Waiting time by specialty, in week bins; the red line is 18 weeks">
        <TableHead>
          <TableRow>
            <TableCell>Specialty</TableCell>
            <WeekBinHeadCells />
            <TableCell align="right">Total</TableCell>
            <TableCell align="right">Within 18 wks</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {specialties.map((s) => (
            <HistogramRow
              key={s.specialtyCode}
              code={s.specialtyCode}
              label={s.specialtyName ?? s.specialtyCode}
              bands={s.bands}
              total={s.total}
              within18={s.within18Weeks}
              max={max}
              onPick={onPickSpecialty ? () => onPickSpecialty(s.specialtyCode) : undefined}
              testId="ptl-histogram-row"
            />
          ))}
          {specialties.length > 1 ? (
            <HistogramRow label="All specialties" bands={all.bands} total={all.total} within18={all.within18Weeks} max={Number.POSITIVE_INFINITY} testId="ptl-histogram-all" />
          ) : null}
        </TableBody>
      </Table>
      <Typography variant="caption" color="text.secondary" component="p" sx={{ px: 2, pt: 0.5 }}>
        Counted to {formatDate(histogram.census)}. Over 52 weeks: {all.over52Weeks}.
      </Typography>
    </Box>
  );
}
