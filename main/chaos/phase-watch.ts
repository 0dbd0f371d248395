// The timing of deciding an experiment's phases while it runs (the judging is pure:
// shared/chaos/experiment-live.ts): every PHASE_CHECK_MS it asks the experiment where it is and judges each
// phase that has become ready, once. It keeps asking past the experiment's end, since recovery is decided
// after it, until every phase with assertions is decided or `close()` says the final judgement is being made.
import { decidePhases, readyPhases, type DecidedPhase, type ExperimentNow } from '../../shared/chaos/experiment-live';
import type { Request } from '../../shared/chaos/experiment-judge';
import type { ExperimentPlan, PhaseName } from '../../shared/chaos/experiment-plan';

/** How often the watch asks whether a phase is ready. */
export const PHASE_CHECK_MS = 500;

export interface PhaseWatchOptions {
  readonly plan: ExperimentPlan;
  readonly now: () => ExperimentNow;
  /** The requests so far on the experiment's axis; read only when a phase is ready. */
  readonly requests: () => readonly Request[];
  readonly onDecided: (decided: DecidedPhase) => void;
  readonly log: (message: string) => void;
}

export class PhaseWatch {
  private readonly decided = new Set<PhaseName>();
  private readonly judged: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PhaseWatchOptions) {
    this.judged = options.plan.phases.filter((p) => p.assertions.length > 0).length;
    if (this.judged > 0) this.timer = setInterval(() => this.check(), PHASE_CHECK_MS);
  }

  /** Decides the phases that are ready now (each reported once); what it decided. */
  check(): DecidedPhase[] {
    if (this.timer === undefined) return [];
    try {
      const now = this.options.now();
      const ready = readyPhases(this.options.plan, now, this.decided);
      if (ready.length === 0) return [];
      const decided = decidePhases(ready, this.options.requests(), now.elapsedMs);
      for (const d of decided) {
        this.decided.add(d.phase);
        this.options.onDecided(d);
      }
      if (this.decided.size === this.judged) this.close();
      return decided;
    } catch (error) {
      // A timer's throw would end the process: say it, and leave the phases to the judgement at the end.
      this.options.log(`chaos: phase verdicts while running stopped: ${(error as Error).message} (the end still judges every phase)`);
      this.close();
      return [];
    }
  }

  /** No more verdicts from here on (the final judgement is being made); safe to call more than once. */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
