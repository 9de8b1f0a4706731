// The layering the README describes: entry points in bin/ may import anything, nothing imports them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const layers = ['api', 'activities', 'workflows', 'db', 'domain'];
const sourcesOf = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? (e.name === 'migrations' ? [] : sourcesOf(path.join(dir, e.name))) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);

describe('the layout', () => {
  it.each(layers)('%s/ imports nothing from bin/ (the logger and wiring it needs live beside it)', (layer) => {
    const files = sourcesOf(layer);
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.filter((file) => [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)]
      .some(([, spec]) => spec.startsWith('.') && path.resolve(path.dirname(file), spec).startsWith(path.resolve('bin') + path.sep)));
    expect(offenders).toEqual([]);
  });
});
