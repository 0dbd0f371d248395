// What the Electron shell tests lay out before importing main.ts (with `electron` mocked): a
// throwaway app root with the built files the shell checks for, the environment it reads, and
// stderr captured. `workerSource` becomes dist/store-worker.js, the database's writer thread.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';

export function prepareShellRoot(root: string, workerSource: string | undefined): { indexHtml: string; reported: string[] } {
  const indexHtml = join(root, 'dist/renderer/index.html');
  mkdirSync(join(root, 'dist/renderer'), { recursive: true });
  mkdirSync(join(root, 'dist/app'), { recursive: true });
  writeFileSync(indexHtml, '<!doctype html>');
  writeFileSync(join(root, 'dist/app/preload.cjs'), '');
  if (workerSource !== undefined) writeFileSync(join(root, 'dist/store-worker.js'), workerSource);
  const reported: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void reported.push(args.join(' ')));
  process.env.CLNRM_DATA_DIR = join(root, 'data');
  process.env.CLNRM_HTTP_PORT = '0';
  process.env.CLNRM_GRPC_PORT = '0';
  return { indexHtml, reported };
}
