// Drag across an element to pick a horizontal range (as fractions of its width): the ruler and
// the minimap both zoom this way. A plain click (no real drag) does nothing.
import { useState } from 'react';
import type { PointerEvent } from 'react';

export interface RangeDrag {
  /** The range being dragged, as [from, to] fractions, or null. */
  range: readonly [number, number] | null;
  handlers: {
    onPointerDown(e: PointerEvent<HTMLElement>): void;
    onPointerMove(e: PointerEvent<HTMLElement>): void;
    onPointerUp(e: PointerEvent<HTMLElement>): void;
    onPointerCancel(): void;
  };
}

function fraction(e: PointerEvent<HTMLElement>): number {
  const rect = e.currentTarget.getBoundingClientRect();
  return Math.max(0, Math.min(1, (e.clientX - rect.left) / Math.max(rect.width, 1)));
}

export function useRangeDrag(onRange: (from: number, to: number) => void): RangeDrag {
  const [range, setRange] = useState<readonly [number, number] | null>(null);
  return {
    range,
    handlers: {
      onPointerDown(e) {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        const f = fraction(e);
        setRange([f, f]);
      },
      onPointerMove(e) {
        if (range) setRange([range[0], fraction(e)]);
      },
      onPointerUp(e) {
        if (!range) return;
        const to = fraction(e);
        setRange(null);
        const rect = e.currentTarget.getBoundingClientRect();
        if (Math.abs(to - range[0]) * rect.width >= 4) onRange(Math.min(range[0], to), Math.max(range[0], to));
      },
      onPointerCancel() {
        setRange(null);
      },
    },
  };
}
