// "After the next paint": a task queued from the next animation frame runs once that frame has been
// drawn. Used to mark when rows reached the screen, and to let the first rows of a streamed trace
// paint before the rest of the stream is built.

export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => fn();
    ch.port2.postMessage(null);
  });
}

/**
 * Resolves after the next paint, or after `maxMs` when no frame comes (a hidden tab or window draws
 * no frames, and work waiting for one must not stall until it is shown again).
 */
export function nextPaint(maxMs = 250): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, maxMs);
    afterPaint(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
