// The Suggestions slice against a fake back end: what it asks for, which answer wins, and what an accept, an undo,
// a refusal and a rejection leave on screen (the diff, the problem, the file version the Tests view re-reads).
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/errors';
import { useStudio } from '../../app/store';
import { fakeApi, resetStudioBeforeEach } from '../../app/store-testing';
import { DEFAULT_MIN_SUPPORT, DEFAULT_SOURCE, DEFAULT_THRESHOLD, type SuggestionsData } from './store.suggestions';

resetStudioBeforeEach();
const FILE = '/t/items.clnrm.toml';
const valid = { ok: true, problems: [], warnings: [], hostAccess: [], contentHash: 'a'.repeat(64) };

function data(ids: string[], extra: Partial<SuggestionsData> = {}): SuggestionsData {
  return {
    path: FILE,
    learnedFromSource: { kind: 'runs', description: 'the passed runs of the last 20 stored', evidenceInStore: true },
    runs: [],
    learnedFrom: 3,
    belowThreshold: 0,
    notes: [],
    rejected: [],
    accepted: [],
    failures: [],
    suggestions: ids.map((id) => ({ id, kind: 'span', summary: id, snippet: '', support: 3, confidence: 0.9, conditional: false, evidence: [], failsOn: [] })),
    ...extra,
  };
}

describe('suggestions slice', () => {
  it('loads a file with the threshold and the open trace, and a new threshold asks again', async () => {
    const asked: unknown[] = [];
    const api = fakeApi({ suggestionsForFile: async (q: unknown) => (asked.push(q), data(['span-00000001'])) });
    useStudio.setState({ traceLoad: { status: 'ready', traceId: 'ab'.repeat(16) } });
    await useStudio.getState().openSuggestions(api, FILE);
    expect(asked).toEqual([{ path: FILE, minConfidence: DEFAULT_THRESHOLD, minSupport: DEFAULT_MIN_SUPPORT, source: DEFAULT_SOURCE, traceId: 'ab'.repeat(16) }]);
    expect(useStudio.getState()).toMatchObject({ suggestionsFile: FILE, suggestionsLoading: false, suggestionsData: { suggestions: [{ id: 'span-00000001' }] } });
    await useStudio.getState().setSuggestionThreshold(api, 0.8);
    expect(asked[1]).toMatchObject({ minConfidence: 0.8 });
  });

  it('keeps only the newest answer when the threshold moves while one is on its way', async () => {
    let release: (() => void) | undefined;
    const slow = new Promise<void>((r) => (release = r));
    const api = fakeApi({
      suggestionsForFile: async ({ minConfidence }: { minConfidence: number }) => {
        if (minConfidence === 0.7) await slow;
        return data([minConfidence === 0.7 ? 'span-00000007' : 'span-00000009']);
      },
    });
    useStudio.getState().showSuggestions(FILE);
    const first = useStudio.getState().setSuggestionThreshold(api, 0.7);
    await useStudio.getState().setSuggestionThreshold(api, 0.9);
    release!();
    await first;
    expect(useStudio.getState().suggestionsData?.suggestions.map((s) => s.id)).toEqual(['span-00000009']);
  });

  it('accepts with the edited snippets, shows the diff, refreshes the file and its checks; undo puts it back', async () => {
    const calls: string[] = [];
    const api = fakeApi({
      suggestionsForFile: async () => (calls.push('suggestions'), data([])),
      validateFile: async () => (calls.push('validate'), valid),
      acceptSuggestions: async (q: { ids: string[]; edited: Record<string, string> }) => (
        calls.push(`accept ${q.ids.join(',')} edited ${Object.keys(q.edited).join(',')}`), { path: FILE, diff: '+x', written: q.ids, skipped: [], undoToken: 'f'.repeat(32) }
      ),
      undoAccept: async ({ token }: { token: string }) => (calls.push(`undo ${token.slice(0, 2)}`), { path: FILE, diff: '-x' }),
    });
    useStudio.getState().showSuggestions(FILE);
    const version = useStudio.getState().writtenVersion;
    await useStudio.getState().acceptSuggestions(api, ['span-00000001', 'count-00000002'], { 'count-00000002': 'edited' });
    expect(calls).toEqual(['accept span-00000001,count-00000002 edited count-00000002', 'suggestions', 'validate']);
    expect(useStudio.getState()).toMatchObject({ lastAccept: { diff: '+x', written: ['span-00000001', 'count-00000002'] }, writtenVersion: version + 1 });
    expect(useStudio.getState().validations[FILE]).toEqual(valid);

    await useStudio.getState().undoLastAccept(api);
    expect(calls.slice(3)).toEqual(['undo ff', 'suggestions', 'validate']);
    expect(useStudio.getState()).toMatchObject({ lastAccept: null, lastUndo: { diff: '-x' }, writtenVersion: version + 2 });
  });

  it('learns from the chosen source and minimum support, and accepts with the same ones', async () => {
    const asked: unknown[] = [];
    const api = fakeApi({
      suggestionsForFile: async (q: unknown) => (asked.push(q), data(['span-00000001'])),
      validateFile: async () => valid,
      acceptSuggestions: async (q: unknown) => (asked.push(q), { path: FILE, diff: '+x', written: ['span-00000001'], skipped: [], undoToken: 'f'.repeat(32) }),
    });
    const source = { kind: 'traces' as const, traceIds: ['ab'.repeat(16)] };
    useStudio.getState().showSuggestions(FILE);
    await useStudio.getState().setSuggestionSource(api, source);
    await useStudio.getState().setSuggestionMinSupport(api, 1);
    expect(asked).toEqual([
      { path: FILE, minConfidence: DEFAULT_THRESHOLD, minSupport: DEFAULT_MIN_SUPPORT, source },
      { path: FILE, minConfidence: DEFAULT_THRESHOLD, minSupport: 1, source },
    ]);
    await useStudio.getState().acceptSuggestions(api, ['span-00000001']);
    expect(asked[2]).toEqual({ path: FILE, ids: ['span-00000001'], edited: {}, minConfidence: DEFAULT_THRESHOLD, minSupport: 1, source });
    // Another file's panel keeps learning from the same source.
    useStudio.getState().showSuggestions('/t/other.clnrm.toml');
    expect(useStudio.getState().suggestionSource).toBe(source);
  });

  it('shows a refused accept as the panel problem and writes nothing', async () => {
    const api = fakeApi({ acceptSuggestions: () => Promise.reject(new StudioError({ code: 'suggest.edit-invalid', message: 'keep exactly one [[expect.span]] entry' })) });
    useStudio.getState().showSuggestions(FILE);
    await useStudio.getState().acceptSuggestions(api, ['span-00000001'], { 'span-00000001': '[meta]' });
    expect(useStudio.getState()).toMatchObject({ suggestionsProblem: { code: 'suggest.edit-invalid' }, lastAccept: null, writtenVersion: 0 });
  });

  it('rejects through the back end and reloads the list; another file starts afresh', async () => {
    const rejected: string[] = [];
    const api = fakeApi({
      rejectSuggestion: async ({ id }: { id: string }) => (rejected.push(id), { rejected }),
      suggestionsForFile: async () => data(['span-00000002'], { rejected: [...rejected] }),
    });
    useStudio.getState().showSuggestions(FILE);
    await useStudio.getState().rejectSuggestion(api, 'span-00000001');
    expect(rejected).toEqual(['span-00000001']);
    expect(useStudio.getState().suggestionsData?.rejected).toEqual(['span-00000001']);
    useStudio.getState().showSuggestions('/t/other.clnrm.toml');
    expect(useStudio.getState()).toMatchObject({ suggestionsFile: '/t/other.clnrm.toml', suggestionsData: null, lastAccept: null });
  });
});
