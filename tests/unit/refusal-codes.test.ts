// docs/api.md is where a client learns what each code means: it must list every code the API can send.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { refusalCodes, refusalStatus } from '../../domain/refusals';

const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
const table = new Map([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));

describe('docs/api.md', () => {
  it.each(refusalCodes)('lists %s with its status', (code) => {
    expect(table.get(code)).toBe(refusalStatus[code]);
  });

  it('lists no code the API does not send', () => {
    expect([...table.keys()].filter((code) => !(code in refusalStatus))).toEqual([]);
  });
});
