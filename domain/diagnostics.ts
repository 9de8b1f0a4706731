// Diagnostic waits (DM01): a test within 6 weeks of the request [A DM01 guidance 2015; rules doc §3].
// Inside an RTT pathway the RTT clock keeps ticking as well.

import { addDays } from './dates';
import { defaultAccessPolicy, type AccessPolicy } from './booking-policy';

/** Latest date for a diagnostic test requested (or received) on `requestDate`. */
export function dm01TargetDate(requestDate: string, policy: AccessPolicy = defaultAccessPolicy): string {
  return addDays(requestDate, policy.diagnostics.dm01Days);
}
