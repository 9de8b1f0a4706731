// The template editor's rows (weekday, start, slot length, slot type, count) checked as the API checks
// them, with the same field names (sessions.N.startTime), so a mistake shows beside its field before sending.
import type { SlotType } from '../../../domain/model';
import type { TemplateSession } from '../change-types';

export type TemplateRowErrors = Record<string, string>;

const timePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Where a session's last slot ends, "HH:MM" (24 hours or more runs past midnight). */
export function sessionEnd(row: Pick<TemplateSession, 'startTime' | 'slotMinutes' | 'slotCount'>): string {
  const end = minutesOf(row.startTime) + row.slotMinutes * row.slotCount;
  return `${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
}

/** A new row: the day and type of the last row, starting where it ends, so a session is built row by row. */
export function nextRow(rows: TemplateSession[], slotTypes: readonly SlotType[]): TemplateSession {
  const last = rows.at(-1);
  if (!last) return { weekday: 1, startTime: '09:00', slotMinutes: 20, slotType: slotTypes[0] ?? 'new', slotCount: 6 };
  const start = sessionEnd(last);
  return { ...last, startTime: minutesOf(start) < 24 * 60 ? start : last.startTime };
}

/** Field errors keyed as the API names them; empty when the rows can be sent. */
export function validateTemplateRows(rows: TemplateSession[], slotTypes: readonly SlotType[]): TemplateRowErrors {
  const errors: TemplateRowErrors = {};
  // No rows is allowed: the clinic holds no sessions from that date.
  if (rows.length > 70) errors.sessions = 'At most 70 sessions a week';
  rows.forEach((row, i) => {
    const at = (field: string) => `sessions.${i}.${field}`;
    if (!Number.isInteger(row.weekday) || row.weekday < 1 || row.weekday > 7) errors[at('weekday')] = 'Choose a day';
    if (!timePattern.test(row.startTime)) errors[at('startTime')] = 'A time, HH:MM';
    if (!Number.isInteger(row.slotMinutes) || row.slotMinutes < 5 || row.slotMinutes > 240) errors[at('slotMinutes')] = '5 to 240 minutes';
    if (!Number.isInteger(row.slotCount) || row.slotCount < 1 || row.slotCount > 100) errors[at('slotCount')] = '1 to 100 slots';
    if (!slotTypes.includes(row.slotType)) errors[at('slotType')] = 'The clinic does not offer this slot type';
    else if (!errors[at('startTime')] && !errors[at('slotMinutes')] && !errors[at('slotCount')] && minutesOf(sessionEnd(row)) > 24 * 60) {
      errors[at('slotCount')] = 'The session runs past midnight';
    }
  });
  // Two sessions on one day may not overlap: the later one is marked, as the API does.
  rows.forEach((row, i) => {
    if (errors[`sessions.${i}.startTime`] || !timePattern.test(row.startTime)) return;
    const start = minutesOf(row.startTime);
    const clash = rows.findIndex((other, j) =>
      j !== i && other.weekday === row.weekday && timePattern.test(other.startTime) &&
      (minutesOf(other.startTime) < start || (minutesOf(other.startTime) === start && j < i)) &&
      minutesOf(sessionEnd(other)) > start,
    );
    if (clash >= 0) errors[`sessions.${i}.startTime`] = `Overlaps the session starting ${rows[clash].startTime}`;
  });
  return errors;
}
