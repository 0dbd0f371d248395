// The Suggestions panel's calls against a real store on disk, through the contract's validation as a
// transport makes them: suggestions mined from a file's passed executions with their evidence, a
// preview on every stored execution and on the open trace, a failed execution's catchers, accepting
// (plain and edited) with the file's other bytes kept, undo, rejections surviving a restart, and
// every refusal with its code.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTestFile } from '../../shared/spec';
import { hexId } from '../store/test-spans';
import { TEST, openPanel, panelFolder, storeExecution as storeExecutionOf } from './suggestions-test-support';

const PASSED = 5;

let fixture: ReturnType<typeof panelFolder>;
let dir: string;
let file: string;
const open = () => openPanel(fixture);
const storeExecution = (k: number, failed = false) => storeExecutionOf(fixture, k, failed);

beforeEach(() => {
  fixture = panelFolder();
  ({ dir, file } = fixture);
});
afterEach(() => fixture.dispose());

describe('the Suggestions panel calls', () => {
  it('mines the passed executions, previews every execution and the open trace, and names what would catch a failure', async () => {
    const api = await open();
    for (let k = 0; k < PASSED; k++) await storeExecution(k);
    const failed = await storeExecution(PASSED, true);
    const r = await api.ok('suggestionsForFile', { path: file, minConfidence: 0.9, traceId: hexId(100 + PASSED, 32) });

    expect(r.learnedFrom).toBe(PASSED);
    expect(r.runs.map((e) => e.executionId)[0]).toBe(failed);
    expect(r.notes.join(' ')).toMatch(/1 execution\(s\) that did not pass are previewed but not learned from/);
    const span = r.suggestions.find((s) => s.kind === 'span' && s.summary.includes('"SELECT items"'))!;
    expect(span).toMatchObject({ support: PASSED, conditional: false });
    expect(span.confidence).toBeGreaterThanOrEqual(0.9);
    expect(span.evidence).toContainEqual({ traceId: hexId(100, 32), spanId: hexId(2, 16), name: 'SELECT items' });
    // Every suggestion holds on the runs it came from; those about the status fail the failed execution.
    const catchers = r.suggestions.filter((s) => s.failsOn.length > 0);
    expect(catchers.length).toBeGreaterThan(0);
    expect(catchers.every((s) => s.failsOn.length === 1 && s.failsOn[0] === failed && /ERROR|error|status/i.test(s.snippet))).toBe(true);
    expect(r.openTrace).toEqual({ traceId: hexId(100 + PASSED, 32), executionId: failed, spanCount: 2 });
    expect(catchers.every((s) => s.onOpenTrace === false)).toBe(true);
    expect(span.onOpenTrace).toBe(true);
    expect(r.failures).toEqual([{ executionId: failed, runId: `run${String(PASSED).padStart(9, '0')}`, caughtBy: [], wouldCatch: catchers.map((s) => s.id) }]);
    // A higher threshold than 5 runs support shows fewer, and says how many it held back.
    const strict = await api.ok('suggestionsForFile', { path: file });
    expect(strict.suggestions.length).toBeLessThan(r.suggestions.length);
    expect(strict.belowThreshold).toBeGreaterThan(0);
  });

  it('accepts two (one edited), keeps every other byte, re-validates, and undoes exactly that write', async () => {
    const api = await open();
    for (let k = 0; k < PASSED; k++) await storeExecution(k);
    const before = await api.ok('suggestionsForFile', { path: file, minConfidence: 0.9 });
    const span = before.suggestions.find((s) => s.kind === 'span' && s.summary.includes('"SELECT items"'))!;
    const count = before.suggestions.find((s) => s.kind === 'count' && s.snippet.includes('"GET /items"'))!;
    const edited = count.snippet.replace('eq = 1', 'gte = 1');
    expect(edited).not.toBe(count.snippet);

    const accepted = await api.ok('acceptSuggestions', { path: file, minConfidence: 0.9, ids: [span.id, count.id], edited: { [count.id]: edited } });
    expect(accepted.written).toEqual([span.id, count.id]);
    expect(accepted.undoToken).toMatch(/^[0-9a-f]{32}$/);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(TEST)).toBe(true);
    expect(text).toContain('name = "SELECT items"');
    expect(text).toContain('"GET /items" = { gte = 1 }');
    expect(accepted.diff).toMatch(/^\+name = "SELECT items"$/m);
    expect(parseTestFile(text).errors).toEqual([]);

    // The file now says them: no longer offered, remembered as accepted.
    const after = await api.ok('suggestionsForFile', { path: file, minConfidence: 0.9 });
    expect(after.suggestions.map((s) => s.id)).not.toContain(span.id);
    // The edited one is listed as accepted, not offered again as a conflict with its own edit.
    expect(after.suggestions.map((s) => s.id)).not.toContain(count.id);
    expect(after.accepted.map((a) => a.id)).toEqual([span.id, count.id]);
    expect(after.accepted[1]!.snippet).toContain('gte = 1');

    const undone = await api.ok('undoAccept', { token: accepted.undoToken });
    expect(undone.diff).toMatch(/^-name = "SELECT items"$/m);
    expect(readFileSync(file, 'utf8')).toBe(TEST);
    const again = await api.ok('suggestionsForFile', { path: file, minConfidence: 0.9 });
    expect(again.accepted).toEqual([]);
    expect(again.suggestions.map((s) => s.id)).toEqual(expect.arrayContaining([span.id, count.id]));
    expect(await api.code('undoAccept', { token: accepted.undoToken })).toBe('suggest.undo-unavailable');
  });

  it('refuses an undo once the file changed, an edit that says something else, unknown ids and paths outside the folders', async () => {
    const api = await open();
    for (let k = 0; k < PASSED; k++) await storeExecution(k);
    const { suggestions } = await api.ok('suggestionsForFile', { path: file, minConfidence: 0.9 });
    const span = suggestions.find((s) => s.kind === 'span')!;
    expect(await api.code('acceptSuggestions', { path: file, minConfidence: 0.9, ids: [span.id], edited: { [span.id]: '[meta]\nname = "x"' } })).toBe('suggest.edit-invalid');
    expect(await api.code('acceptSuggestions', { path: file, minConfidence: 0.9, ids: [span.id], edited: { [span.id]: `${span.snippet}\n\n[expect.counts]\nspans_total = { eq = 1 }` } })).toBe('suggest.edit-invalid');
    expect(await api.code('acceptSuggestions', { path: file, minConfidence: 0.9, ids: [span.id], edited: { [span.id]: '[[expect.span]\nname =' } })).toBe('suggest.edit-invalid');
    expect(await api.code('acceptSuggestions', { path: file, minConfidence: 0.9, ids: ['span-00000000'] })).toBe('suggest.unknown-id');
    expect(await api.code('acceptSuggestions', { path: file, ids: ['not an id'] })).toBe('ipc.invalid');
    expect(await api.code('suggestionsForFile', { path: join(dir, 'elsewhere.clnrm.toml') })).toBe('studio.path-denied');
    expect(await api.code('suggestionsForFile', { path: file, minConfidence: 2 })).toBe('ipc.invalid');
    expect(readFileSync(file, 'utf8')).toBe(TEST);

    const { undoToken } = await api.ok('acceptSuggestions', { path: file, minConfidence: 0.9, ids: [span.id] });
    writeFileSync(file, readFileSync(file, 'utf8') + '\n# my own edit\n');
    expect(await api.code('undoAccept', { token: undoToken })).toBe('suggest.undo-unavailable');
    expect(readFileSync(file, 'utf8')).toContain('# my own edit');
  });

  it('remembers a rejection per file across a restart of the studio', async () => {
    let api = await open();
    for (let k = 0; k < PASSED; k++) await storeExecution(k);
    const first = await api.ok('suggestionsForFile', { path: file, minConfidence: 0.9 });
    const gone = first.suggestions[0]!.id;
    expect((await api.ok('rejectSuggestion', { path: file, id: gone })).rejected).toEqual([gone]);
    expect((await api.ok('suggestionsForFile', { path: file, minConfidence: 0.9 })).suggestions.map((s) => s.id)).not.toContain(gone);

    await fixture.store?.dispose();
    api = await open();
    const again = await api.ok('suggestionsForFile', { path: file, minConfidence: 0.9 });
    expect(again.rejected).toEqual([gone]);
    expect(again.suggestions.map((s) => s.id)).not.toContain(gone);
    expect(again.suggestions.length).toBe(first.suggestions.length - 1);
    expect(await api.code('acceptSuggestions', { path: file, minConfidence: 0.9, ids: [gone] })).toBe('suggest.unknown-id');
  });

  it('sets a damaged memory file aside and starts afresh', async () => {
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'suggestions.json'), '{"version": 1, "files": {"x": {"rejected": 5}}}');
    const api = await open();
    for (let k = 0; k < 3; k++) await storeExecution(k);
    expect((await api.ok('suggestionsForFile', { path: file, minConfidence: 0.8 })).rejected).toEqual([]);
    expect(readdirSync(join(dir, 'data')).some((f) => f.startsWith('suggestions.json.damaged-'))).toBe(true);
    expect((await api.ok('rejectSuggestion', { path: file, id: 'span-00000001' })).rejected).toEqual(['span-00000001']);
    expect(JSON.parse(readFileSync(join(dir, 'data', 'suggestions.json'), 'utf8'))).toMatchObject({ version: 1, files: { [file]: { rejected: ['span-00000001'] } } });
  });

  it('says there is nothing to learn from when the file has no stored runs', async () => {
    const api = await open();
    const r = await api.ok('suggestionsForFile', { path: file });
    expect(r).toMatchObject({ learnedFrom: 0, suggestions: [], runs: [], failures: [] });
    expect(r.notes[0]).toMatch(/No finished run of this file/);
  });
});
