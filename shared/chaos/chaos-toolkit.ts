// Chaos Toolkit's experiment JSON (chaostoolkit.org, "experiment" reference) for the subset of our
// experiments that maps onto it: container faults as `process` actions running the docker CLI on the
// service's name, the fault proxy's Toxiproxy toxics as actions of the chaostoolkit-toxiproxy driver
// (`chaostoxi`), our timing as the activities' pauses, each revert also as a rollback, and the load URL as
// the steady-state hypothesis's HTTP probe. What has no Chaos Toolkit form (iptables faults, limits with no
// "previous value" to restore, span-judged assertions) is named in `skipped`; the whole experiment table
// travels in the `clnrm` extension, so an export imports back exactly.
import type { ExperimentTable } from '../spec/schema/chaos-experiment';
import type { ExperimentPlan, PlannedInjection } from './experiment-plan';
import { PROXY_FAULT_TOXICS } from './proxy-faults';
import { toxicDefinition } from './toxics';

export interface CtkProvider {
  readonly type: 'process' | 'python' | 'http';
  readonly [key: string]: unknown;
}

export interface CtkActivity {
  readonly type: 'action' | 'probe';
  readonly name: string;
  readonly provider: CtkProvider;
  readonly tolerance?: unknown;
  readonly pauses?: { readonly before?: number; readonly after?: number };
}

export interface CtkExperiment {
  readonly version: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly 'steady-state-hypothesis'?: { readonly title: string; readonly probes: readonly CtkActivity[] };
  readonly method: readonly CtkActivity[];
  readonly rollbacks: readonly CtkActivity[];
  readonly extensions: readonly [{ readonly name: 'clnrm'; readonly experiment: ExperimentTable }];
}

/** The driver module chaostoolkit-toxiproxy installs. */
export const CTK_TOXIC_MODULE = 'chaostoxi.toxic.actions';
export const CTK_PROXY_MODULE = 'chaostoxi.proxy.actions';

/** One fault's start and undo as Chaos Toolkit actions (undo absent when there is nothing to undo). */
interface Mapped {
  readonly inject: CtkActivity;
  readonly undo?: CtkActivity;
}

const docker = (name: string, args: readonly string[]): CtkActivity => ({ type: 'action', name, provider: { type: 'process', path: 'docker', arguments: [...args] } });
const python = (name: string, module: string, func: string, args: Record<string, unknown>): CtkActivity => ({ type: 'action', name, provider: { type: 'python', module, func, arguments: args } });

/** The actions for one planned fault, or why it has none. `n` numbers toxics so two on one proxy differ. */
function mapInjection(i: PlannedInjection, n: number): Mapped | string {
  const s = i.service;
  switch (i.fault) {
    case 'container_pause':
      return { inject: docker(`pause-${s}`, ['pause', s]), undo: docker(`unpause-${s}`, ['unpause', s]) };
    case 'container_kill':
      return { inject: docker(`kill-${s}`, ['kill', '--signal', String(i.params.signal ?? 'SIGKILL'), s]) };
    case 'container_stop':
      return { inject: docker(`stop-${s}`, ['stop', '-t', String(i.params.timeout_s ?? 10), s]), undo: docker(`start-${s}`, ['start', s]) };
    case 'container_restart':
      return { inject: docker(`restart-${s}`, ['restart', '-t', String(i.params.timeout_s ?? 10), s]) };
  }
  const toxic = PROXY_FAULT_TOXICS[i.fault];
  if (i.family !== 'proxy' || toxic === undefined) return `${i.fault} has no Chaos Toolkit action that we know undoes it (only container pause/kill/stop/restart and Toxiproxy toxics map)`;
  if (toxic === 'down') return { inject: python(`disable-proxy-${s}`, CTK_PROXY_MODULE, 'disable_proxy', { proxy_name: s }), undo: python(`enable-proxy-${s}`, CTK_PROXY_MODULE, 'enable_proxy', { proxy_name: s }) };
  if (toxicDefinition(toxic)?.origin !== 'toxiproxy') return `${i.fault} is our own toxic: Toxiproxy, which chaostoolkit-toxiproxy drives, does not have it`;
  const { stream, toxicity, ...attributes } = i.params;
  const name = `clnrm-${toxic}-${n}`;
  return {
    inject: python(`add-${toxic}-${s}`, CTK_TOXIC_MODULE, 'create_toxic', { for_proxy: s, toxic_name: name, toxic_type: toxic, stream: stream ?? 'downstream', toxicity: toxicity ?? 1, attributes }),
    undo: python(`remove-${toxic}-${s}`, CTK_TOXIC_MODULE, 'delete_toxic', { for_proxy: s, toxic_name: name }),
  };
}

/**
 * The experiment as Chaos Toolkit JSON: its faults and their undos in time order, each activity's
 * `pauses.before` the wait since the one before, the last one's `pauses.after` the rest of the plan.
 */
export function exportChaosToolkit(plan: ExperimentPlan, table: ExperimentTable, source: string): { experiment: CtkExperiment; skipped: string[] } {
  const skipped: string[] = [];
  const events: { atMs: number; activity: CtkActivity }[] = [];
  const rollbacks: CtkActivity[] = [];
  plan.injections.forEach((injection, n) => {
    const mapped = mapInjection(injection, n);
    if (typeof mapped === 'string') return void skipped.push(`${injection.path}: ${mapped}`);
    events.push({ atMs: injection.startMs, activity: mapped.inject });
    if (mapped.undo) {
      events.push({ atMs: injection.startMs + injection.durationMs, activity: mapped.undo });
      rollbacks.push(mapped.undo);
    }
  });
  // Stable: at one instant an undo declared earlier stays before a later fault's start.
  events.sort((a, b) => a.atMs - b.atMs);
  let previous = 0;
  const method = events.map(({ atMs, activity }, k) => {
    const before = (atMs - previous) / 1000;
    previous = atMs;
    const after = k === events.length - 1 ? (plan.totalMs - atMs) / 1000 : 0;
    const pauses = { ...(before > 0 ? { before } : {}), ...(after > 0 ? { after } : {}) };
    return Object.keys(pauses).length > 0 ? { ...activity, pauses } : activity;
  });
  const assertions = plan.phases.reduce((n, p) => n + p.assertions.length, 0);
  if (assertions > 0) skipped.push(`${assertions} assertion(s) judged by spans: Chaos Toolkit has no such probe (kept in the clnrm extension)`);
  const probe: CtkActivity | undefined = plan.load && {
    type: 'probe',
    name: 'load-url-answers',
    tolerance: 200,
    provider: { type: 'http', url: plan.load.url, method: plan.load.method, timeout: plan.load.timeoutMs / 1000 },
  };
  return {
    experiment: {
      version: '1.0.0',
      title: plan.name,
      description: table.description ?? `Exported by clnrm from ${source}`,
      tags: ['clnrm'],
      ...(probe ? { 'steady-state-hypothesis': { title: `${plan.load!.url} answers`, probes: [probe] } } : {}),
      method,
      rollbacks,
      extensions: [{ name: 'clnrm', experiment: table }],
    },
    skipped,
  };
}
