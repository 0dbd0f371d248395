// window.__harness: timings and scroll measurements the benchmark and e2e tests read.
import { frameStats } from '../app/frame-stats';

export interface HarnessTimings {
  spans: number;
  shape: string;
  generateMs: number;
  /** openTrace() called → first waterfall rows painted (tree build + flatten + render + paint). */
  openToPaintMs: number;
  /** Building the typed-array tree alone. */
  buildTreeMs: number;
  /** Navigation start → first rows painted, minus trace generation. */
  pageToPaintMinusGenerateMs: number;
}

export interface ScrollStats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  rowsTravelled: number;
  /** Time inside our scroll render (read scrollTop + React render + commit), per rendered frame. */
  renderP50: number;
  renderP95: number;
}

declare global {
  interface Window {
    __harness?: {
      painted: Promise<HarnessTimings>;
      scroll(durationMs: number, pxPerFrame: number): Promise<ScrollStats>;
    };
  }
}

function measure(name: string): number {
  const m = performance.getEntriesByName(name, 'mark').at(-1);
  return m ? m.startTime : NaN;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export function installHarnessProbe(info: { spans: number; shape: string }): void {
  const painted = new Promise<HarnessTimings>((resolve) => {
    window.addEventListener(
      'studio:rows-painted',
      () => {
        const paint = measure('waterfall:rows-painted');
        const generateMs = measure('harness:generate-end') - measure('harness:generate-start');
        resolve({
          ...info,
          generateMs,
          openToPaintMs: paint - measure('harness:open-start'),
          buildTreeMs: measure('trace:build-end') - measure('trace:build-start'),
          pageToPaintMinusGenerateMs: paint - generateMs,
        });
      },
      { once: true },
    );
  });

  async function scroll(durationMs: number, pxPerFrame: number): Promise<ScrollStats> {
    const el = document.querySelector<HTMLElement>('.wf-viewport');
    if (!el) throw new Error('no waterfall on the page');
    const firstRow = () => Number(el.dataset.firstRow ?? 0);
    const deltas: number[] = [];
    frameStats.samples.length = 0;
    frameStats.enabled = true;
    let travelled = 0;
    return new Promise((resolve) => {
      let last = -1;
      let prevRow = firstRow();
      const end = performance.now() + durationMs;
      const frame = (now: number) => {
        if (last >= 0) deltas.push(now - last);
        last = now;
        const row = firstRow();
        travelled += Math.abs(row - prevRow);
        prevRow = row;
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) el.scrollTop = 0;
        else el.scrollTop += pxPerFrame;
        if (now < end) requestAnimationFrame(frame);
        else {
          frameStats.enabled = false;
          const sorted = [...deltas].sort((a, b) => a - b);
          const render = [...frameStats.samples].sort((a, b) => a - b);
          resolve({
            frames: sorted.length,
            p50: percentile(sorted, 50),
            p95: percentile(sorted, 95),
            max: sorted.at(-1) ?? NaN,
            rowsTravelled: travelled,
            renderP50: percentile(render, 50),
            renderP95: percentile(render, 95),
          });
        }
      };
      requestAnimationFrame(frame);
    });
  }

  window.__harness = { painted, scroll };
}
