// Durability for real: a child process ingests into a store, gets SIGKILLed, and the reopened
// store must hold everything except at most the last second (the appender flush interval).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './index';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('store durability', () => {
  it.each([
    ['in this thread', 'direct'],
    ['in a writer thread', 'thread'],
  ])('loses at most the last second of spans on SIGKILL (database %s), and says who holds the lock meanwhile', async (_label, mode) => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-durable-'));
    dirs.push(dir);
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'ingest-child.fixture.ts'), dir, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    const reports: Array<{ at: number; count: number }> = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [at, count] = line.split(' ').map(Number);
        reports.push({ at: at!, count: count! });
      }
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Wait (bounded) until it has ingested for more than two seconds.
    const deadline = Date.now() + 20_000;
    while (!(reports.length > 0 && reports.at(-1)!.at - reports[0]!.at > 2200)) {
      if (Date.now() > deadline) throw new Error(`child made too little progress: ${reports.length} reports`);
      await new Promise((r) => setTimeout(r, 50));
    }

    await expect(openStore({ dataDir: dir })).rejects.toMatchObject({ code: 'store.failed', message: expect.stringMatching(/in use by another process/) });

    child.kill('SIGKILL');
    const killedAt = Date.now();
    await exited;
    const last = reports.at(-1)!.count;
    const secondBefore = [...reports].reverse().find((r) => r.at <= killedAt - 1000)!.count;

    const store = await openStore({ dataDir: dir });
    try {
      const { total } = await store.listTraces({ limit: 1 });
      const stored = total * 5;
      expect(stored).toBeLessThanOrEqual(last);
      expect(stored).toBeGreaterThanOrEqual(secondBefore);
      expect(stored).toBeGreaterThan(0);
    } finally {
      await store.dispose();
    }
  });
});
