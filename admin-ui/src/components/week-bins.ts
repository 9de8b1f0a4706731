// The 105 week bands of the PTL and the return (0-1 … 103-104, 104+) grouped into the bins a manager
// reads at a glance. Band n holds days 7(n−1)+1 … 7n (band 1: days 0 … 7), so "within 18 weeks" is
// bands 1–18 and "over 52 weeks" is band 53 on.

export interface WeekBin {
  key: string;
  label: string;
  /** First and last band (1-based) the bin holds. */
  from: number;
  to: number;
}

export const eighteenWeekBand = 18;
export const fiftyTwoWeekBand = 52;

export const weekBins: readonly WeekBin[] = Object.freeze([
  { key: '0-18', label: '0–18 wks', from: 1, to: 18 },
  { key: '18-52', label: '18–52 wks', from: 19, to: 52 },
  { key: '52-65', label: '52–65 wks', from: 53, to: 65 },
  { key: '65-78', label: '65–78 wks', from: 66, to: 78 },
  { key: '78-104', label: '78–104 wks', from: 79, to: 104 },
  { key: '104+', label: '104+ wks', from: 105, to: 105 },
]);

/** Counts per bin from 105 band counts (index 0 is band 1); missing bands count as none. */
export function binCounts(bands: readonly number[] | null | undefined): number[] {
  return weekBins.map((bin) => {
    let sum = 0;
    for (let band = bin.from; band <= bin.to; band++) sum += Number(bands?.[band - 1] ?? 0) || 0;
    return sum;
  });
}

/** The bin a week band (1…105) falls in. */
export function binOfBand(band: number): WeekBin | undefined {
  return weekBins.find((bin) => band >= bin.from && band <= bin.to);
}

/** Whole percent, one decimal, or an em dash when there is nothing to divide by. */
export function percentText(part: number, whole: number): string {
  if (!whole) return '—';
  return `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;
}

/** Adds band arrays element-wise (for a total row). */
export function addBands(rows: readonly (readonly number[])[]): number[] {
  const total = Array.from({ length: 105 }, () => 0);
  for (const row of rows) row.forEach((n, i) => { if (i < 105) total[i] += Number(n) || 0; });
  return total;
}

/** "More than N weeks" as the week band filter: more than 52 weeks is band 53 (52-53) onwards. */
export const weeksToBand = (weeks: number) => weeks + 1;
export const bandToWeeks = (band: number) => band - 1;
