// bench:ui's breakdown of "file → listed" (the real path's headline stays file chosen → row painted):
// page-clock milestones of one import through the Import control, taken by wrapping the page's
// `window.api` calls and events before the page's scripts run. While the import is being finished,
// the bench asks the studio for the upload's status every 20 ms itself (the page polls every 250 ms),
// so the end of the syntax check is known to about 20 ms. Sent as source text (see ui-studio.ts).
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
    wrap('importUploadFinish', (request) => {
      once('finishCalled');
      const status = api.importUploadStatus;
      const poll = setInterval(() => void status(request).then((s) => {
        if (s.phase === 'importing') once('checked');
        if (s.spans > 0) once('firstSpansRead');
      }, () => clearInterval(poll)), 20);
      m.stopPoll = () => clearInterval(poll);
    }, () => { m.stopPoll?.(); once('finishAnswered'); });
    wrap('listTraces', undefined, (answer) => { if (answer.traces.length > 0) once('listAnswered'); });
    const on = api.on;
    api.on = (event, listener) => { if (event === 'spansAdded') on(event, () => once('firstSpansAdded')); return on(event, listener); };
  };
})()`;

/** Milestones in order, with what each one means; a branch that skips one shows a dash. */
const MILESTONES: Array<[key: string, label: string]> = [
  ['uploadStarted', 'upload opened'],
  ['lastChunkAnswered', 'last chunk stored by the studio'],
  ['finishCalled', 'import asked for'],
  ['checked', 'syntax check done (phase "importing")'],
  ['firstSpansAdded', 'first batch stored (spansAdded)'],
  ['listAnswered', 'list answered with the trace'],
  ['rowPainted', 'row painted'],
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
  for (const [key, label] of MILESTONES) {
    const at = m[key];
    if (at === undefined) {
      console.log(`      ${label.padEnd(40)}      —`);
      continue;
    }
    console.log(`      ${label.padEnd(40)} +${at.toFixed(0).padStart(5)} ms  (step ${(at - previous).toFixed(0)} ms)`);
    previous = at;
  }
}
