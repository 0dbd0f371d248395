// Scroll geometry for the windowed waterfall. Up to MAX_SPACER the content is as tall as the rows
// (rows sit at fixed positions, so the browser scrolls them on the compositor and React only adds
// and removes rows at the edges). Chromium caps an element's height at 33,554,431 px, so beyond
// that (~1.07M rows) the scrollbar is scaled: scrollTop maps proportionally onto the row space
// and rows are re-placed on every scroll. Firefox caps lower (~17.9M px), so other engines get a
// smaller spacer (browser mode may open in any browser).

export const ROW_H = 28;
const isChromium = typeof navigator !== 'undefined' && /Chrome\//.test(navigator.userAgent);
export const MAX_SPACER = isChromium ? 32_000_000 : 15_000_000;

export interface Window {
  /** First row drawn. */
  first: number;
  /** Rows drawn (may run past the end; callers clamp). */
  count: number;
  /** Pixels of the first row hidden above the viewport. */
  offset: number;
  /** Height of the scrollable content. */
  spacer: number;
  /** Where row `r` goes in content coordinates: `rowBase + r * ROW_H`. */
  rowBase: number;
}

function scaleOf(rows: number, viewport: number, maxSpacer: number): { spacer: number; scale: number } {
  const total = rows * ROW_H;
  if (total <= maxSpacer) return { spacer: total, scale: 1 };
  return { spacer: maxSpacer, scale: (total - viewport) / (maxSpacer - viewport) };
}

export function windowFor(rows: number, viewport: number, scrollTop: number, maxSpacer = MAX_SPACER): Window {
  const { spacer, scale } = scaleOf(rows, viewport, maxSpacer);
  const virtualTop = Math.max(0, scrollTop) * scale;
  const first = Math.min(Math.max(0, rows - 1), Math.floor(virtualTop / ROW_H));
  return { first, count: Math.ceil(viewport / ROW_H) + 2, offset: virtualTop - first * ROW_H, spacer, rowBase: Math.max(0, scrollTop) - virtualTop };
}

/** The scrollTop that shows `row` (keeping it inside the viewport with the least movement). */
export function scrollTopFor(rows: number, viewport: number, scrollTop: number, row: number, maxSpacer = MAX_SPACER): number {
  const { scale } = scaleOf(rows, viewport, maxSpacer);
  const virtualTop = scrollTop * scale;
  const rowTop = row * ROW_H;
  let target = virtualTop;
  if (rowTop < virtualTop) target = rowTop;
  else if (rowTop + ROW_H > virtualTop + viewport) target = rowTop + ROW_H - viewport;
  return target / scale;
}
