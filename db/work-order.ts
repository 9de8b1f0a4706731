// The domain's work order (domain/work-order.ts) as SQL: one ORDER BY list over `tasks`, built from the
// same keys so the two cannot drift. It matches the indexes tasks_claim_order and tasks_open_order.
import { sql, type SQL } from 'drizzle-orm';
import { workOrder } from '../domain/work-order';
import { tasks } from './schema';

/** `order by ${workOrderSql('t')}`: the most pressing work item first, for `tasks` aliased `alias`. */
export function workOrderSql(alias = 't'): SQL {
  return sql.join(workOrder.map((key) => sql`${sql.identifier(alias)}.${sql.identifier(tasks[key].name)} asc nulls last`), sql`, `);
}
