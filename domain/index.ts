// Access Desk's pure rules: no I/O, no clock, no randomness. Safe in Temporal workflow code and
// in the browser; every date is a calendar date 'YYYY-MM-DD' and `asOf` is always passed in.

export * from './model';
export * from './labels';
export * from './dates';
export * from './bank-holidays';
export * from './trust-time';
export * from './nhs-number';
export * from './priority';
export * from './work-order';
export * from './rebooking';
export * from './leave';
export * from './rtt';
export * from './rtt-clock';
export * from './rtt-reporting';
export * from './cancer';
export * from './diagnostics';
export * from './booking-policy';
export * from './plausibility';
export * from './refusals';
export * from './work-routing';
export * from './audit-actions';
export * from './work-access';
export * from './messages';
export * from './communication-needs';
export * from './admitted';
export * from './cancelled-operations';
export * from './partial-booking';
export * from './ward-forms';
export * from './pifu';
export * from './forecast';
