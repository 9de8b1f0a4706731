// The PTL's saved views: the questions an access centre asks of its list every day.
import { addDays } from '../../../domain/dates';
import { londonToday } from '../components/dates';
import type { ListView } from '../components/saved-view-bar';
import { weeksToBand } from '../components/week-bins';

export const ptlViews: readonly ListView[] = [
  { key: 'all', label: 'Whole list', filter: () => ({}) },
  { key: '52-weeks', label: '52+ weeks', filter: () => ({ weekBand_gte: weeksToBand(52) }) },
  { key: '18-weeks', label: 'Over 18 weeks', filter: () => ({ weekBand_gte: weeksToBand(18) }) },
  { key: 'breach-4-weeks', label: 'Breaching within 4 weeks', filter: () => ({ breachDate_lte: addDays(londonToday(), 28) }) },
  { key: 'unbooked-2ww', label: 'Unbooked 2WW', filter: () => ({ priority: 'two_week_wait', unbooked: true }) },
  { key: 'awaiting-admission', label: 'Awaiting admission', filter: () => ({ stage: 'awaiting_admission' }) },
  { key: 'active-monitoring', label: 'Active monitoring', filter: () => ({ stage: 'active_monitoring' }) },
];
