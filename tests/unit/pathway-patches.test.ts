// The one marker a new pathway records stands for the pathway patches made before it (workflows/pathway/patches.ts):
// each id it covers must be a patch the pathway code asks, spelt as it asks it, or an old history would take a branch
// its marker never chose.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coveredPatches, PATCHES_OF_NOVEMBER } from '../../workflows/pathway/patches';

const sources = ['workflows/referral-pathway.ts', ...readdirSync('workflows/pathway').map((f) => path.join('workflows/pathway', f))]
  .filter((f) => !f.endsWith('patches.ts'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

describe('pathway patches under one marker', () => {
  it('covers only patches the pathway code defines, and not itself', () => {
    for (const id of coveredPatches) expect(sources, id).toContain(`'${id}'`);
    expect(coveredPatches.has(PATCHES_OF_NOVEMBER)).toBe(false);
  });

  it('leaves no pathway code asking patched() itself, so every covered patch goes through the marker', () => {
    const code = sources.split('\n').filter((line) => !/^\s*(\/\/|\/\*\*|\*)/.test(line)).map((line) => line.replace(/\/\/.*$/, '')).join('\n');
    expect(code).not.toMatch(/(?<![\w.])patched\(/);
  });
});
