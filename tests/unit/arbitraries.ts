// Shared fast-check generators for the domain's property tests.
import fc from 'fast-check';

const msPerDay = 86_400_000;
const from = Date.UTC(1900, 0, 1) / msPerDay;
const to = Date.UTC(2199, 11, 31) / msPerDay;

/** A calendar date 'YYYY-MM-DD' between 1900 and 2199, built without the code under test. */
export const isoDate = fc
  .integer({ min: from, max: to })
  .map((day) => new Date(day * msPerDay).toISOString().slice(0, 10));

/** A wait in days, out past the 104+ band. */
export const waitDays = fc.integer({ min: 0, max: 2000 });
