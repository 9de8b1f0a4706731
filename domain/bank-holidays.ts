// England and Wales bank holidays, shipped as data. The published dates (GOV.UK) are listed up to the
// last year announced, one-offs and substitute days included; later years follow the statutory pattern
// (Banking and Financial Dealings Act 1971 and the annual proclamations) until a year is announced, when it
// is listed here instead. Asked about a year outside the data, the lookup fails naming the year.

/** Published dates, as announced (including one-off holidays and moved or substitute days). */
const published: Record<number, readonly string[]> = {
  2018: ['2018-01-01', '2018-03-30', '2018-04-02', '2018-05-07', '2018-05-28', '2018-08-27', '2018-12-25', '2018-12-26'],
  2019: ['2019-01-01', '2019-04-19', '2019-04-22', '2019-05-06', '2019-05-27', '2019-08-26', '2019-12-25', '2019-12-26'],
  // Early May moved to Friday 8 May for the 75th anniversary of VE Day.
  2020: ['2020-01-01', '2020-04-10', '2020-04-13', '2020-05-08', '2020-05-25', '2020-08-31', '2020-12-25', '2020-12-28'],
  2021: ['2021-01-01', '2021-04-02', '2021-04-05', '2021-05-03', '2021-05-31', '2021-08-30', '2021-12-27', '2021-12-28'],
  // Spring moved to 2 June and the Platinum Jubilee on 3 June; the State Funeral of Queen Elizabeth II on 19 September.
  2022: ['2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27'],
  // The Coronation of King Charles III on 8 May.
  2023: ['2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26'],
  2024: ['2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26', '2024-12-25', '2024-12-26'],
  2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
  2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
  2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
};

/** The first and last years the data answers for. Planning reaches 52-week waits and a 16-week slot horizon. */
export const BANK_HOLIDAY_YEARS = { first: 2018, last: 2035 } as const;

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay();
const shift = (y: number, m: number, d: number, days: number) => {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
};

/** Easter Sunday by the Gregorian computus (the anonymous, "Meeus/Jones/Butcher", algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

/** The statutory pattern, without one-offs: what a year looks like until its dates are announced. */
export function statutoryBankHolidays(year: number): string[] {
  const firstMonday = (m: number) => { let d = 1; while (weekday(year, m, d) !== 1) d += 1; return iso(year, m, d); };
  const lastMonday = (m: number, days: number) => { let d = days; while (weekday(year, m, d) !== 1) d -= 1; return iso(year, m, d); };
  // New Year's Day on a weekend moves to the Monday.
  const newYear = weekday(year, 1, 1) === 6 ? iso(year, 1, 3) : weekday(year, 1, 1) === 0 ? iso(year, 1, 2) : iso(year, 1, 1);
  // Christmas and Boxing Day falling on a weekend are replaced by the next weekdays not already a holiday.
  const christmas = weekday(year, 12, 25);
  const [xmas, boxing] = christmas === 5 ? [iso(year, 12, 25), iso(year, 12, 28)]
    : christmas === 6 ? [iso(year, 12, 27), iso(year, 12, 28)]
    : christmas === 0 ? [iso(year, 12, 27), iso(year, 12, 26)]
    : [iso(year, 12, 25), iso(year, 12, 26)];
  const [ey, em, ed] = easterSunday(year).split('-').map(Number);
  return [newYear, shift(ey, em, ed, -2), shift(ey, em, ed, 1), firstMonday(5), lastMonday(5, 31), lastMonday(8, 31), xmas, boxing].sort();
}

const byYear = new Map<number, ReadonlySet<string>>();

/** The bank holidays of `year`; fails naming the year when it is outside the shipped data. */
export function bankHolidaysOf(year: number): ReadonlySet<string> {
  const known = byYear.get(year);
  if (known) return known;
  if (!Number.isInteger(year) || year < BANK_HOLIDAY_YEARS.first || year > BANK_HOLIDAY_YEARS.last) {
    throw new RangeError(`No bank holiday data for ${year}: domain/bank-holidays.ts covers ${BANK_HOLIDAY_YEARS.first}–${BANK_HOLIDAY_YEARS.last}`);
  }
  const dates = new Set(published[year] ?? statutoryBankHolidays(year));
  byYear.set(year, dates);
  return dates;
}

export const isBankHoliday = (date: string): boolean => bankHolidaysOf(Number(date.slice(0, 4))).has(date);
