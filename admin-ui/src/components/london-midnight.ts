import { londonToday } from './dates';

/** The instant today began in London, as ISO: for "from today" filters on timestamps. */
export function startOfLondonToday(now: Date = new Date()): string {
  return londonMidnight(londonToday(now));
}

/** The instant a London date (YYYY-MM-DD) began, as ISO. */
export function londonMidnight(date: string): string {
  const utcMidnight = new Date(`${date}T00:00:00Z`);
  const londonHour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(utcMidnight),
  );
  // London is UTC or one hour ahead, so its midnight is that many hours before UTC's.
  return new Date(utcMidnight.getTime() - londonHour * 3_600_000).toISOString();
}
