// Test support for the Suggestions panel's calls: a test folder with one test file, a real store on
// disk, the handlers called through the contract's validation as a transport calls them, and stored
// executions of that file (api's GET /items calling db's SELECT items, one trace each).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleCall } from '../../shared/ipc/validate';
import type { CallResponse } from '../../shared/ipc/contract';
import type { Span } from '../../shared/model';
import { openStore, type TraceStore } from '../store';
import { makeSpan, resourceFor } from '../store/test-spans';
import { createStudioHandlers, type HandlerDeps, type StudioRunner } from './handlers';
import { UserPaths } from './user-paths';

export const TEST = `# Items: api reads one item from db.
[meta]
name = "items"

[services.api]
image = "cleanroom/busybox"

[[scenario]]
name = "read"
service = "api"
run = "true"  # keep this comment
`;
const stillRunner: StudioRunner = { start: async () => ({ runId: '0123456789ab' }), cancel: async () => false, dispose: async () => undefined };
const environment = { host: 'h', platform: 'p', engine: 'e', clnrmVersion: '0.1.0', ci: false };

type SuggestionCall = 'suggestionsForFile' | 'acceptSuggestions' | 'undoAccept' | 'rejectSuggestion';

export interface PanelFixture {
  /** The temporary folder: tests/ holds the file, data/ the store. */
  readonly dir: string;
  readonly file: string;
  /** Set by openPanel. */
  store?: TraceStore;
}

/** A fresh folder with the test file in tests/; `dispose` closes the store and removes the folder. */
export function panelFolder(): PanelFixture & { dispose(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-suggest-panel-'));
  mkdirSync(join(dir, 'tests'));
  const file = join(dir, 'tests', 'items.clnrm.toml');
  writeFileSync(file, TEST);
  const fixture: PanelFixture & { dispose(): Promise<void> } = {
    dir,
    file,
    async dispose() {
      await fixture.store?.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** Opens the store in the fixture's data folder and the handlers over it, with `extra` deps. */
export async function openPanel(f: PanelFixture, extra: Pick<HandlerDeps, 'remoteTimeoutMs'> = {}) {
  const store = await openStore({ dataDir: join(f.dir, 'data') });
  f.store = store;
  const paths = new UserPaths(f.dir);
  await paths.addRoot(join(f.dir, 'tests'));
  const handlers = createStudioHandlers({ store, paths, env: {}, runner: stillRunner, ...extra });
  const call = (name: string, payload: unknown) => handleCall(handlers, name, JSON.parse(JSON.stringify(payload)));
  return {
    call,
    async ok<N extends SuggestionCall>(name: N, payload: unknown): Promise<CallResponse<N>> {
      const reply = await call(name, payload);
      if (!reply.ok) throw new Error(`${name} failed: ${reply.error.code} ${reply.error.message}`);
      return reply.value as CallResponse<N>;
    },
    async code(name: string, payload: unknown): Promise<string> {
      const reply = await call(name, payload);
      return reply.ok ? 'ok' : reply.error.code;
    },
  };
}

/** Trace 100 + k: api's GET /items calling db's SELECT items (an ERROR when `failed`); `tags` go on both resources. */
export function itemsTrace(k: number, failed = false, tags: Record<string, string> = {}): Span[] {
  const at = startOf(k);
  return [
    makeSpan({ trace: 100 + k, span: k * 10 + 1, name: 'GET /items', kind: 'server', resource: resourceFor('api', tags), startMs: at, durationMs: 30 + k, attrs: { 'http.route': '/items' } }),
    makeSpan({ trace: 100 + k, span: k * 10 + 2, parent: k * 10 + 1, name: 'SELECT items', kind: 'client', resource: resourceFor('db', tags), startMs: at + 5, durationMs: 10 + k, status: failed ? 'error' : 'unset', attrs: { 'db.system': 'memdb' } }),
  ];
}

const startOf = (k: number) => 1_700_000_000_000 + k * 60_000;

/** Execution k of the fixture's file: its run, its record and its one trace, itemsTrace(k). */
export async function storeExecution(f: PanelFixture, k: number, failed = false): Promise<string> {
  const { file } = f;
  const store = f.store!;
  const runId = `run${String(k).padStart(9, '0')}`;
  const executionId = `exe${String(k).padStart(9, '0')}`;
  const at = startOf(k);
  await store.recordRun({ id: runId, origin: 'studio', startedAt: at, environment, files: [file], verdict: failed ? 'failed' : 'passed', passed: failed ? 0 : 1, failed: failed ? 1 : 0, errors: 0, skipped: 0 });
  await store.recordExecution({ id: executionId, runId, testFile: file, testFileHash: '', testName: 'items', scenario: 'read', iteration: 1, startedAt: at, verdict: failed ? 'failed' : 'passed', failedExpectations: failed ? 1 : 0, failedSteps: 0 });
  store.ingest(itemsTrace(k, failed, { 'clnrm.execution_id': executionId }));
  await store.commit();
  return executionId;
}
