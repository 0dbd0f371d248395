import { describe, expect, it } from 'vitest';
import { MAX_SPACER, ROW_H, scrollTopFor, windowFor } from './geometry';

describe('waterfall geometry', () => {
  it('maps scrollTop to rows directly for small traces', () => {
    const w = windowFor(100, 280, 3 * ROW_H + 5);
    expect(w).toMatchObject({ first: 3, offset: 5, spacer: 100 * ROW_H, rowBase: 0 });
  });
  it('scales a 1M-row trace onto a capped spacer and reaches the last row', () => {
    const rows = 2_000_000;
    const viewport = 700;
    const end = windowFor(rows, viewport, MAX_SPACER - viewport);
    expect(end.spacer).toBe(MAX_SPACER);
    expect(end.first + Math.floor((viewport - 1 + end.offset) / ROW_H)).toBe(rows - 1);
    // Rows are placed so that the first drawn row starts `offset` above the viewport's top.
    expect(end.rowBase + end.first * ROW_H).toBeCloseTo(MAX_SPACER - viewport - end.offset, 3);
    const top = scrollTopFor(rows, viewport, 0, 500_000);
    const w = windowFor(rows, viewport, top);
    expect(w.first).toBeLessThanOrEqual(500_000);
    expect(w.first + w.count).toBeGreaterThan(500_000);
  });
});

describe('waterfall geometry below the cap', () => {
  it('keeps a 1M-row trace unscaled under a Chromium-sized cap so rows stay put while scrolling', () => {
    const a = windowFor(1_000_000, 700, 1_000_000, 32_000_000);
    const b = windowFor(1_000_000, 700, 1_000_000 + 3 * ROW_H, 32_000_000);
    expect(a.spacer).toBe(28_000_000);
    expect(a.rowBase).toBe(0);
    expect(b.first - a.first).toBe(3);
    // Under a Firefox-sized cap the same trace is scaled and still reaches its last row.
    const end = windowFor(1_000_000, 700, 15_000_000 - 700, 15_000_000);
    expect(end.spacer).toBe(15_000_000);
    expect(end.first + Math.floor((700 - 1 + end.offset) / ROW_H)).toBe(999_999);
  });
});
