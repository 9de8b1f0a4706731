// The admitted list's total counts admissions alone unless a filter or the search needs the joins (api/list.ts countFrom).
import { describe, expect, it } from 'vitest';
import { PgDialect } from 'drizzle-orm/pg-core';
import { countFrom, countQuery, whereFor } from '../../api/list';
import { admissionSpec } from '../../api/routes/admitted';
import { standByListSpec } from '../../api/routes/stand-by';

const dialect = new PgDialect();
const countSql = (spec: ReturnType<typeof admissionSpec> | ReturnType<typeof standByListSpec>, filter: Record<string, unknown>) =>
  dialect.sqlToQuery(countQuery({ from: countFrom(spec, filter) }, whereFor(spec, filter), admissionSpec('2026-01-01').sorts.id, 0, 25).query).sql;

describe('the count of a list with joins that only add columns', () => {
  const spec = admissionSpec('2026-06-01');

  it('counts admissions alone for filters on their own columns', () => {
    for (const filter of [{}, { status: 'waiting' }, { referralId: 'ref_1', surgicalPriority: 'P2' }, { tciDate_gte: '2026-06-01' }, { breachDate: '' }]) {
      const text = countSql(spec, filter);
      expect(text).toMatch(/from admissions a where/);
      expect(text).not.toMatch(/join/);
    }
  });

  it('keeps the joins when a filter or the search reads a joined column', () => {
    for (const filter of [{ breachDate: '2026-07-01' }, { breachDate_lte: '2026-07-01' }, { q: 'Lovelace' }]) {
      expect(countSql(spec, filter)).toMatch(/join pathways pw/);
    }
  });

  it('the stand-by list counts those on it the same way', () => {
    expect(countSql(standByListSpec('2026-06-01'), { onStandByList: true, specialtyCode: '101' })).not.toMatch(/join/);
  });
});
