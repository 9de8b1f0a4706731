// Calendar dates for the access centre's rules: the trust's local date written 'YYYY-MM-DD'.
// Arithmetic is done on UTC midnights so a clock change (BST) can never add or lose a day.
// Durations are whole calendar days: weekends and bank holidays count [A RTT-Rec25 §10.1.7].
// Working days, London instants and bank holidays are trust time (trust-time.ts).

const msPerDay = 86_400_000;
const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

// Date.UTC reads years 0–99 as 1900–1999, so the year is set on its own.
function utcMidnight(year: number, monthIndex: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}

function dayNumber(value: string): number {
  const match = typeof value === 'string' ? isoDatePattern.exec(value) : null;
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const ms = utcMidnight(year, month - 1, day);
    const back = new Date(ms);
    // A rolled-over date (e.g. 2023-02-29 → 1 March) is not the date that was written.
    if (back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day) {
      return ms / msPerDay;
    }
  }
  throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(value)}`);
}

function fromDayNumber(days: number): string {
  const date = new Date(days * msPerDay);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`Date out of range (years 0000–9999): day ${days}`);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

function requireWholeDays(days: number, name: string): void {
  if (!Number.isInteger(days)) throw new RangeError(`${name} must be a whole number of days, got ${days}`);
}

/** True for a strict 'YYYY-MM-DD' string naming a real calendar date (2024-02-29 yes, 2023-02-29 no). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    dayNumber(value);
    return true;
  } catch {
    return false;
  }
}

/** The date `days` calendar days after `date` (before it if negative). */
export function addDays(date: string, days: number): string {
  requireWholeDays(days, 'days');
  return fromDayNumber(dayNumber(date) + days);
}

/** Whole calendar days from `from` to `to` (`to − from`; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}
