// Issue 17: the simulation sends a step's decisions side by side; what they answer must come back in the order they
// were decided, one pathway's decisions must never overlap, and no more than the limit may be in flight.
import { expect, it } from 'vitest';
import { concurrently, limit } from '../../bin/lib/concurrently';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('answers in the order the decisions were made, whatever order they finish in', async () => {
  const items = [30, 5, 20, 1, 10].map((ms, i) => ({ ms, key: `p${i}` }));
  const finished: number[] = [];
  const answers = await concurrently(limit(8), items, (t) => t.key, async (t) => { await sleep(t.ms); finished.push(t.ms); return t.ms; });
  expect(finished).not.toEqual([30, 5, 20, 1, 10]); // they did finish out of order
  expect(answers).toEqual([30, 5, 20, 1, 10]);
});

it('never runs two decisions on one pathway at once, and keeps their order', async () => {
  const running = new Set<string>();
  const order: string[] = [];
  const items = [{ key: 'a', n: 1 }, { key: 'b', n: 2 }, { key: 'a', n: 3 }, { key: 'a', n: 4 }, { key: 'b', n: 5 }];
  await concurrently(limit(8), items, (t) => t.key, async (t) => {
    expect(running.has(t.key)).toBe(false);
    running.add(t.key);
    await sleep(5);
    running.delete(t.key);
    order.push(`${t.key}${t.n}`);
  });
  expect(order.filter((x) => x.startsWith('a'))).toEqual(['a1', 'a3', 'a4']);
  expect(order.filter((x) => x.startsWith('b'))).toEqual(['b2', 'b5']);
});

it('has no more in flight than the limit, shared by every caller', async () => {
  const inFlight = limit(3);
  let now = 0; let most = 0;
  const decide = async () => { now += 1; most = Math.max(most, now); await sleep(2); now -= 1; };
  const items = Array.from({ length: 20 }, (_, i) => `p${i}`);
  await Promise.all([concurrently(inFlight, items, (k) => k, decide), concurrently(inFlight, items, (k) => `q${k}`, decide)]);
  expect(most).toBe(3);
});
