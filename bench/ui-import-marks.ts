// bench:ui's breakdown of "file → listed" (the real path's headline stays file chosen → row painted):
// page-clock milestones of one import through the Import control, taken by wrapping the page's
// `window.api` calls and events before the page's scripts run, printed in the order they happened
// (the studio stores a large file's first spans while its chunks still arrive, so the trace is
// usually listed before the upload ends). Sent as source text (see ui-studio.ts).
import type { Page } from 'playwright-core';

/** Defines `window.__benchImport` and `window.__benchWrapImport(api)`; the caller's setter calls the latter. */
export const IMPORT_MARKS_INIT = `(() => {
  const m = (window.__benchImport = { chosen: -1 });
  const now = () => performance.now();
  const once = (name) => { if (m.chosen >= 0 && m[name] === undefined) m[name] = now() - m.chosen; };
  document.addEventListener('change', (e) => {
    if (e.target instanceof HTMLInputElement && e.target.type === 'file') {
      for (const k of Object.keys(m)) delete m[k];
      m.chosen = now();
      const look = () => {
        if (document.querySelector('[role="grid"][aria-label="Traces"] [role="row"] [role="gridcell"]')) once('rowPainted');
        else requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    }
  }, true);
  window.__benchWrapImport = (api) => {
    const wrap = (name, before, after) => {
      const call = api[name];
      if (typeof call !== 'function') return;
      api[name] = async (request) => { before?.(request); const answer = await call(request); after?.(answer, request); return answer; };
    };
    wrap('importUploadStart', () => once('uploadStarted'));
    wrap('importUploadChunk', undefined, () => { m.lastChunkAnswered = now() - m.chosen; });
    wrap('importUploadFinish', () => once('finishCalled'), () => once('finishAnswered'));
    wrap('listTraces', undefined, (answer) => { if (answer.traces.length > 0) once('listAnswered'); });
    const on = api.on;
    api.on = (event, listener) => { if (event === 'spansAdded') on(event, () => once('firstSpansAdded')); return on(event, listener); };
  };
})()`;

/** The milestones, with what each one means; a branch that skips one shows a dash. */
const MILESTONES: Array<[key: string, label: string]> = [
  ['uploadStarted', 'upload opened'],
  ['firstSpansAdded', 'first spans stored (spansAdded)'],
  ['listAnswered', 'list answered with the trace'],
  ['rowPainted', 'row painted'],
  ['lastChunkAnswered', 'last chunk written by the studio'],
  ['finishCalled', 'import finish asked for'],
  ['finishAnswered', 'import finished'],
];

/** `handedAt`: the page's clock just before the bench gave Playwright the file (setInputFiles). */
/** The page's marks, from the file chosen (its change event); undefined when the page noted none. */
export async function importMarks(page: Page): Promise<Record<string, number | undefined> | undefined> {
  const m = (await page.evaluate('window.__benchImport')) as Record<string, number | undefined>;
  return m.chosen !== undefined && m.chosen >= 0 ? m : undefined;
}

export function printImportMarks(m: Record<string, number | undefined>, handedAt: number): void {
  console.log(`    setInputFiles → the page's change event: ${(m.chosen! - handedAt).toFixed(0)} ms (the bench handing over the file; in the Node-clock figure only)`);
  console.log('    breakdown (page clock, from the file chosen):');
  let previous = 0;
  const seen = MILESTONES.filter(([key]) => m[key] !== undefined).sort(([a], [b]) => m[a]! - m[b]!);
  for (const [key, label] of seen) {
    const at = m[key]!;
    console.log(`      ${label.padEnd(40)} +${at.toFixed(0).padStart(5)} ms  (step ${(at - previous).toFixed(0)} ms)`);
    previous = at;
  }
  for (const [key, label] of MILESTONES) if (m[key] === undefined) console.log(`      ${label.padEnd(40)}      —`);
}
