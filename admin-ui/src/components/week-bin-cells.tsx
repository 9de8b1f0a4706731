// The header cells of a table by week bin, with the 18-week line drawn before the first bin past it.
// Shared by the PTL histogram and the RTT return.
import { TableCell, Typography } from '@mui/material';
import { weekBins } from './week-bins';

/** The left border that marks 18 weeks, on the cells of the bin after "0–18". */
export const eighteenWeekLineSx = { borderLeft: '3px solid', borderLeftColor: 'error.main' } as const;
export const isPastEighteenWeeks = (binIndex: number) => binIndex === 1;

export function WeekBinHeadCells() {
  return (
    <>
      {weekBins.map((bin, index) => (
        <TableCell key={bin.key} align="right" sx={isPastEighteenWeeks(index) ? eighteenWeekLineSx : undefined}>
          {isPastEighteenWeeks(index) ? (
            <Typography component="div" variant="caption" color="error" sx={{ fontWeight: 600, lineHeight: 1 }}>
              18-week line
            </Typography>
          ) : null}
          {bin.label}
        </TableCell>
      ))}
    </>
  );
}
