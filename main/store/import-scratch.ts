// For the store's import tests: in-memory stores and temporary folders and files, disposed and removed
// after each test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type StoreOptions, type TraceStore } from './index';

export interface ImportScratch {
  /** An in-memory store (more options on top). */
  memory(options?: StoreOptions): Promise<TraceStore>;
  tempDir(): string;
  /** `text` written to a file of that name in a new temporary folder; its path. */
  tempFile(name: string, text: string): string;
}

/** Registers the clean-up with the calling test file; `prefix` names its temporary folders. */
export function importScratch(prefix: string): ImportScratch {
  const stores: TraceStore[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.dispose();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  return {
    async memory(options = {}) {
      const s = await openStore({ inMemory: true, ...options });
      stores.push(s);
      return s;
    },
    tempDir,
    tempFile(name, text) {
      const path = join(tempDir(), name);
      writeFileSync(path, text);
      return path;
    },
  };
}
