// Finding the studio that holds a folder: its host file must be trustworthy and the process at its
// address must say it is that studio, for that folder; anything else is ignored with a note.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type TraceStore } from '../store';
import { EventHub } from '../studio/events';
import { findStudioHost } from './host-client';
import { writeHostFile } from './host-file';
import { createHostHandlers } from './host-handlers';
import { startHostServer, type HostServer } from './host-server';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function studioOn(dataDir: string, answersFor = dataDir): Promise<HostServer> {
  const store: TraceStore = await openStore({ inMemory: true });
  const server = await startHostServer(createHostHandlers(store, new EventHub(), answersFor));
  cleanups.push(() => store.dispose(), () => server.close());
  await writeHostFile(dataDir, { pid: process.pid, url: server.url, secret: server.secret, dataDir, startedAt: Date.now() });
  return server;
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-host-client-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('findStudioHost', () => {
  it('finds the studio holding the folder, also through a symbolic link to it', async () => {
    const dir = folder();
    await studioOn(dir);
    expect(await findStudioHost(dir)).toMatchObject({ kind: 'host', client: { host: { pid: process.pid } } });
    const link = join(folder(), 'link');
    symlinkSync(dir, link);
    expect((await findStudioHost(link)).kind).toBe('host');
  });

  it('ignores a host file whose address answers for another folder', async () => {
    const dir = folder();
    await studioOn(dir, '/somewhere/else');
    expect(await findStudioHost(dir)).toEqual({ kind: 'none', note: expect.stringContaining(`answered by pid ${process.pid} for /somewhere/else`) });
  });

  it('ignores a host file whose studio does not answer', async () => {
    const dir = folder();
    const server = await studioOn(dir);
    await server.close();
    expect(await findStudioHost(dir)).toEqual({ kind: 'none', note: expect.stringMatching(/ignoring the host file .*stopped answering \(ECONNREFUSED\)/) });
  });
});
