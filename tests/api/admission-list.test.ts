// The admission record (one definition for GET /api/admissions, the stand-by list and the CSV) on the real stack with the
// time-skipping server: pre-op "expired" is judged against the API's today (which moves with the server), not the
// database's clock; the list's total, counted over admissions alone unless a filter needs the joins, keeps the contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { startTestStack, type TestStack } from '../support/stack';
import { waitingAdmission } from '../support/stand-by';

let stack: TestStack;
let officer: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'time-skipping' });
  officer = await stack.signIn('officer@demo.nhs.uk');
}, 120_000);
afterAll(async () => { await stack?.stop(); });

const listPath = (resource: string, filter: Record<string, unknown>, range: [number, number] = [0, 24]) =>
  `/api/${resource}?${new URLSearchParams({ filter: JSON.stringify(filter), range: JSON.stringify(range) })}`;
const totalOf = (res: { headers: Headers }) => Number(res.headers.get('content-range')!.split('/')[1]);

describe('the admission record', () => {
  it("reads pre-op as expired from the API's today, on the record, the list and the stand-by list alike", async () => {
    // The server's today three days past the database's: a date valid by now() but not by the API's today tells them apart.
    await stack.sleepUntil(`${addDays(stack.today(), 3)}T12:00:00Z`);
    const today = stack.today();
    const lapsed = await waitingAdmission(stack, officer, { specialtyCode: '110', preOpValidUntil: addDays(today, -1), standBy: true });
    const valid = await waitingAdmission(stack, officer, { specialtyCode: '110', preOpValidUntil: today, standBy: true });

    expect(await officer.get(`/api/admissions/${lapsed.admissionId}`)).toMatchObject({ preOpStatus: 'expired', preOpValidUntil: addDays(today, -1) });
    expect(await officer.get(`/api/admissions/${valid.admissionId}`)).toMatchObject({ preOpStatus: 'fit', preOpValidUntil: today });
    const listed = await officer.list('admissions', { filter: { specialtyCode: '110' } });
    expect(Object.fromEntries(listed.map((a: any) => [a.id, a.preOpStatus]))).toEqual({ [lapsed.admissionId]: 'expired', [valid.admissionId]: 'fit' });
    // The filter reads pre-op as the list shows it (before: it asked the stored column, so "expired" found nothing and "fit" found both).
    expect((await officer.list('admissions', { filter: { specialtyCode: '110', preOpStatus: 'expired' } })).map((a: any) => a.id)).toEqual([lapsed.admissionId]);
    expect((await officer.list('admissions', { filter: { specialtyCode: '110', preOpStatus: ['fit'] } })).map((a: any) => a.id)).toEqual([valid.admissionId]);
    // The stand-by list keeps only those cleared today, as the same record.
    const standBy = await officer.list('stand-by', { filter: { specialtyCode: '110' } });
    expect(standBy).toEqual([await officer.get(`/api/admissions/${valid.admissionId}`)]);
    expect(standBy[0]).toMatchObject({ standBy: true, standByNoticeHours: null, consultantName: expect.any(String), breachDate: expect.any(String) });
  });

  it('counts the same totals with and without filters on joined columns, and pages them', async () => {
    const today = stack.today();
    const made = [];
    for (const surgicalPriority of ['P2', 'P3', 'P3'] as const) {
      made.push(await waitingAdmission(stack, officer, { specialtyCode: '120', surgicalPriority, procedure: 'Tonsillectomy' }));
    }
    const ids = made.map((m) => m.admissionId);
    const page = await officer.request('GET', listPath('admissions', { specialtyCode: '120' }, [0, 1]));
    expect(page.body.map((a: any) => a.id)).toHaveLength(2);
    expect(page.headers.get('content-range')).toBe('admissions 0-1/3');
    expect(totalOf(await officer.request('GET', listPath('admissions', { specialtyCode: '120', surgicalPriority: 'P3' })))).toBe(2);
    expect(totalOf(await officer.request('GET', listPath('admissions', { id: ids })))).toBe(3);
    // Filters and search on the joins (the pathway's breach date, the patient's family name) still count right.
    expect(totalOf(await officer.request('GET', listPath('admissions', { specialtyCode: '120', breachDate_gte: today })))).toBe(3);
    expect(totalOf(await officer.request('GET', listPath('admissions', { specialtyCode: '120', breachDate_lt: today })))).toBe(0);
    expect(totalOf(await officer.request('GET', listPath('admissions', { specialtyCode: '120', q: 'Lovelace' })))).toBe(3);
    expect(totalOf(await officer.request('GET', listPath('admissions', { specialtyCode: '120', q: 'Nobody-such' })))).toBe(0);
  });
});
