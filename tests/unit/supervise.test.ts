// npm start keeps its worker-and-API child running: a child that dies is started again, with a
// growing pause and a line saying so; one that exits for bad configuration is left stopped.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { supervise } from '../../bin/lib/supervise';

const waitFor = async (check: () => boolean, ms = 10_000) => {
  for (const deadline = Date.now() + ms; !check(); ) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('supervise', () => {
  it('restarts a child that dies, with backoff and a readable line, until it stays up', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'supervise-'));
    const counter = path.join(dir, 'runs');
    writeFileSync(counter, '0');
    // Dies twice (once by signal, once by exit code), then runs until stopped.
    const script = `const fs=require('fs');const n=+fs.readFileSync(${JSON.stringify(counter)},'utf8')+1;fs.writeFileSync(${JSON.stringify(counter)},String(n));
      if(n===1)process.kill(process.pid,'SIGKILL');if(n===2)process.exit(3);setInterval(()=>{},1000);`;
    const lines: string[] = [];
    const child = supervise({ name: 'test child', command: process.execPath, args: ['-e', script], say: (l) => lines.push(l), backoffMs: 50, maxBackoffMs: 200 });
    await waitFor(() => readFileSync(counter, 'utf8') === '3');
    await new Promise((r) => setTimeout(r, 300));
    expect(child.restarts).toBe(2);
    expect(lines).toEqual([
      'test child stopped unexpectedly (signal SIGKILL); restarting in 0.1 s (restart 1).',
      'test child stopped unexpectedly (exit code 3); restarting in 0.1 s (restart 2).',
    ]);
    await child.stop();
    expect(readFileSync(counter, 'utf8')).toBe('3');
  });

  it('leaves a child stopped when it exits for bad configuration', async () => {
    const lines: string[] = [];
    let gaveUp: number | null = null;
    const child = supervise({ name: 'misconfigured', command: process.execPath, args: ['-e', 'process.exit(2)'], say: (l) => lines.push(l), backoffMs: 50, giveUpOn: [2], onGiveUp: (c) => { gaveUp = c; } });
    await waitFor(() => gaveUp !== null);
    expect(child.restarts).toBe(0);
    expect(lines).toEqual(['misconfigured exited with code 2; not restarting it.']);
  });
});
