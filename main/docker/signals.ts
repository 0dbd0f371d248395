// Cleanup when the user interrupts: on SIGINT/SIGTERM run the cleanup once (bounded), then exit with
// 128 + signal number as shells expect. A second signal while cleaning up exits at once.
import { constants } from 'node:os';

export interface SignalCleanupOptions {
  readonly signals?: readonly NodeJS.Signals[];
  /** Bound on the cleanup. Default 15000. */
  readonly timeoutMs?: number;
  /** Default process.exit; tests pass their own. */
  readonly exit?: (code: number) => void;
  /** Told which signal arrived (e.g. to print "stopping, removing containers…"). */
  readonly onSignal?: (signal: NodeJS.Signals) => void;
  /** Default `process`; tests pass an EventEmitter. */
  readonly target?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/** Installs the handlers; returns a function that removes them (call it when the run ends normally). */
export function installSignalCleanup(cleanup: () => Promise<void>, options: SignalCleanupOptions = {}): () => void {
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const target = options.target ?? process;
  let cleaning = false;
  const handler = (signal: NodeJS.Signals) => {
    const code = 128 + (constants.signals[signal] ?? 0);
    if (cleaning) return exit(code);
    cleaning = true;
    options.onSignal?.(signal);
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.timeoutMs ?? 15_000);
    });
    void Promise.race([cleanup().catch(() => undefined), bound]).then(() => {
      clearTimeout(timer);
      exit(code);
    });
  };
  for (const s of signals) target.on(s, handler);
  return () => {
    for (const s of signals) target.off(s, handler);
  };
}
