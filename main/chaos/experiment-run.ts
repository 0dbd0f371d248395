// Running an experiment's plan against an execution's containers: each fault injected at its planned
// time and undone at its end, the load generator (when the file has one) sending throughout, and
// everything undone at once on stop — the end of the steps, a failure, or the run's cancellation. A
// runner that dies leaves its faults to the reaper, which undoes them from the containers' labels
// (main/chaos/revert.ts).
import type Docker from 'dockerode';
import type { FaultCatalog } from '../../shared/chaos/catalog';
import type { ExperimentPlan, PlannedInjection } from '../../shared/chaos/experiment-plan';
import type { Halt } from '../../shared/chaos/experiment-halt';
import type { ExperimentNow } from '../../shared/chaos/experiment-live';
import type { InjectionOutcome } from '../../shared/chaos/experiment-results';
import type { Span } from '../../shared/model';
import { proxiedServices } from '../../shared/chaos/experiment-plan';
import { injectFault, type Revert } from './faults';
import { heartbeat, injectProxyFault, type ProxyTarget } from './proxy-injector';
import { LoadGenerator } from './load-generator';

export interface ExperimentRunOptions {
  readonly docker: Docker;
  readonly plan: ExperimentPlan;
  readonly catalog: FaultCatalog;
  /** The run (the containers' clnrm.run_id): fault markers and rules carry it, so the reaper finds them if we die. */
  readonly runId: string;
  readonly engineIsLocal: boolean;
  readonly containerOf: (service: string) => string | undefined;
  /** The fault proxy in front of a service (for `proxy` faults), when the runner put one there. */
  readonly proxyOf?: (service: string) => ProxyTarget | undefined;
  /** Where the load URL's port is published, when the plan has a load generator. */
  readonly loadTarget?: { readonly host: string; readonly port: number };
  readonly tags: Readonly<Record<string, string>>;
  readonly ingest: (span: Span) => void;
  readonly log: (message: string) => void;
  /** Asked every HALT_CHECK_MS while the experiment runs: a halt it returns stops the experiment at once. */
  readonly haltCheck?: (now: HaltCheckInput) => Halt | undefined;
  /** A fault put in, taken out, or failing either way, at `offsetMs` from the experiment's start (the studio's live timeline). */
  readonly onFault?: (injection: PlannedInjection, state: 'injected' | 'reverted' | 'failed', offsetMs: number, detail?: string) => void;
}

export interface HaltCheckInput {
  /** ms since the experiment's start. */
  readonly elapsedMs: number;
  /** Epoch µs of the start (the judge's axis). */
  readonly startedAtUs: number;
  readonly outcomes: readonly InjectionOutcome[];
}

interface Slot {
  readonly injection: PlannedInjection;
  outcome: { -readonly [K in keyof InjectionOutcome]: InjectionOutcome[K] };
  injecting?: Promise<Revert | undefined>;
  reverted: boolean;
}

/** The proxies' dead-man timer: toxics are dropped this long after the runner's last heartbeat. */
export const PROXY_DEAD_MAN_MS = 10_000;
/** How often `abort_on_fail` assertions are judged while the experiment runs. */
export const HALT_CHECK_MS = 500;

const nowMs = (): number => performance.timeOrigin + performance.now();

export class ExperimentRun {
  /** Epoch µs of the experiment's time zero (the judge's axis). */
  readonly startedAtUs: number;
  private readonly t0: number;
  private readonly slots: Slot[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly load: LoadGenerator | undefined;
  private readonly finished: Promise<void>;
  private finish!: () => void;
  private stopping: Promise<void> | undefined;
  private beating: NodeJS.Timeout | undefined;
  private watching: NodeJS.Timeout | undefined;
  private halt: Halt | undefined;
  /** When it began to stop, in ms from the start (its planned end when it ran its length). */
  private stoppingAtMs: number | undefined;

  constructor(private readonly options: ExperimentRunOptions) {
    this.t0 = nowMs();
    this.startedAtUs = this.t0 * 1000;
    const { plan } = options;
    this.slots = plan.injections.map((injection) => ({ injection, outcome: { path: injection.path, fault: injection.fault, service: injection.service, ...(injection.revertible ? {} : { irreversible: true }) }, reverted: false }));
    this.finished = new Promise((resolve) => (this.finish = resolve));
    this.load = plan.load && options.loadTarget ? new LoadGenerator({ load: plan.load, target: options.loadTarget, tags: options.tags, sink: options.ingest }) : undefined;
    this.load?.start();
    for (const slot of this.slots) {
      // A fault at time zero goes in now, so `faultsAtStart` has its injection to wait for.
      if (slot.injection.startMs <= 0) void this.inject(slot);
      else this.at(slot.injection.startMs, () => void this.inject(slot));
      this.at(slot.injection.startMs + slot.injection.durationMs, () => void this.revert(slot));
    }
    this.at(plan.totalMs, () => {
      // The timer may fire a hair early on the finer clock: the experiment ran its planned length.
      this.stoppingAtMs ??= plan.totalMs;
      void this.stop();
    });
    this.heartbeat();
    this.watch();
  }

  /** Halts the experiment when an `abort_on_fail` assertion fails (the check is the caller's: spans live there). */
  private watch(): void {
    const check = this.options.haltCheck;
    if (!check) return;
    this.watching = setInterval(() => {
      if (this.stopping) return;
      const halt = check({ elapsedMs: nowMs() - this.t0, startedAtUs: this.startedAtUs, outcomes: this.outcomes() });
      if (!halt) return;
      this.halt = halt;
      this.stoppingAtMs ??= halt.atMs;
      this.options.log(`chaos: experiment halted at ${(halt.atMs / 1000).toFixed(1)} s: ${halt.verdict.path} failed in ${halt.phase}: ${halt.verdict.message}; undoing every fault`);
      void this.stop();
    }, HALT_CHECK_MS);
  }

  /** What halted the experiment, if an `abort_on_fail` assertion did. */
  haltedBy(): Halt | undefined {
    return this.halt;
  }

  /** Keeps the proxies' dead-man timers from firing while we live (if we die, they drop their toxics). */
  private heartbeat(): void {
    const apis = [...new Set(proxiedServices(this.options.plan).flatMap((s) => this.options.proxyOf?.(s)?.api ?? []))];
    if (apis.length === 0) return;
    const beat = (): void => {
      for (const api of apis) heartbeat(api).catch((e: unknown) => this.options.log(`chaos: fault proxy heartbeat: ${(e as Error).message}`));
    };
    beat();
    this.beating = setInterval(beat, PROXY_DEAD_MAN_MS / 4);
  }

  /** Resolves once every fault planned at time zero is in, or failed to go in (for steps that must run under it). */
  async faultsAtStart(): Promise<void> {
    await Promise.all(this.slots.filter((s) => s.injection.startMs <= 0).map((s) => s.injecting));
  }

  /** Resolves when the plan has run its length (or was stopped) and every fault is undone. */
  done(): Promise<void> {
    return this.finished;
  }

  outcomes(): InjectionOutcome[] {
    return this.slots.map((s) => ({ ...s.outcome }));
  }

  /** Where the experiment is now, for judging its phases as they are decided (shared/chaos/experiment-live.ts). */
  now(): ExperimentNow {
    const elapsedMs = nowMs() - this.t0;
    const oldestOut = this.load?.oldestOutMs();
    const completeBeforeMs = oldestOut !== undefined ? oldestOut - this.t0 : elapsedMs;
    return { elapsedMs, outcomes: this.outcomes(), completeBeforeMs, ...(this.stoppingAtMs !== undefined ? { stoppingAtMs: this.stoppingAtMs } : {}) };
  }

  /** Undoes every fault now and stops the load; safe to call more than once. */
  stop(): Promise<void> {
    this.stoppingAtMs ??= nowMs() - this.t0;
    this.stopping ??= (async () => {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      clearInterval(this.beating);
      clearInterval(this.watching);
      await Promise.all(this.slots.map((s) => this.revert(s)));
      await this.load?.stop();
      this.finish();
    })();
    return this.stopping;
  }

  private at(offsetMs: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, Math.max(0, this.t0 + offsetMs - nowMs()));
    this.timers.add(timer);
  }

  private inject(slot: Slot): Promise<Revert | undefined> {
    const { injection } = slot;
    slot.injecting = (async () => {
      const containerId = this.options.containerOf(injection.service);
      try {
        if (!containerId) throw new Error(`service ${injection.service} has no running container`);
        const revert = injection.family === 'proxy' ? await this.injectThroughProxy(slot) : await injectFault({ docker: this.options.docker, containerId, runId: this.options.runId, engineIsLocal: this.options.engineIsLocal }, injection.fault, injection.params, this.options.catalog);
        slot.outcome.startedMs = nowMs() - this.t0;
        this.options.log(`chaos: ${injection.fault} on ${injection.service} at ${(slot.outcome.startedMs / 1000).toFixed(1)} s`);
        this.options.onFault?.(injection, 'injected', slot.outcome.startedMs);
        return revert;
      } catch (error) {
        slot.outcome.error = (error as Error).message;
        this.options.log(`chaos: ${injection.fault} on ${injection.service} could not be injected: ${slot.outcome.error}`);
        this.options.onFault?.(injection, 'failed', nowMs() - this.t0, slot.outcome.error);
        return undefined;
      }
    })();
    return slot.injecting;
  }

  private injectThroughProxy(slot: Slot): Promise<Revert> {
    const { injection } = slot;
    const proxy = this.options.proxyOf?.(injection.service);
    if (!proxy) throw new Error(`no fault proxy stands in front of ${injection.service}`);
    return injectProxyFault(proxy, injection.fault, injection.params, `clnrm-${this.slots.indexOf(slot)}`);
  }

  /** Waits for an injection under way, then undoes it once. A fault never injected has nothing to undo. */
  private async revert(slot: Slot): Promise<void> {
    if (slot.reverted) return;
    slot.reverted = true;
    const revert = await slot.injecting;
    if (!revert) return;
    try {
      await revert();
      slot.outcome.endedMs = nowMs() - this.t0;
      this.options.onFault?.(slot.injection, 'reverted', slot.outcome.endedMs);
    } catch (error) {
      slot.outcome.revertError = (error as Error).message;
      this.options.log(`chaos: ${slot.injection.fault} on ${slot.injection.service} could not be undone: ${slot.outcome.revertError} (the reaper retries from labels)`);
      this.options.onFault?.(slot.injection, 'failed', nowMs() - this.t0, `not undone: ${slot.outcome.revertError}`);
    }
  }
}
