// A Chaos Toolkit experiment (JSON) as our `[chaos.experiment]` table. An experiment we exported carries
// its table in the `clnrm` extension and comes back exactly. Any other: the method is walked on a clock
// (each activity's pauses), docker CLI `process` actions and chaostoolkit-toxiproxy actions become
// injections, an undo (unpause, start, delete_toxic, enable_proxy) ends the fault it undoes, and the
// steady-state hypothesis's HTTP probe becomes the load URL with success-rate assertions before and after
// (Chaos Toolkit checks its hypothesis before and after the method). Everything else is named in `notes`
// with its JSON pointer: nothing is dropped silently.
import { z } from 'zod';
import type { Problem } from '../errors';
import { experimentSchema, type ExperimentTable } from '../spec/schema/chaos-experiment';
import { CTK_PROXY_MODULE, CTK_TOXIC_MODULE } from './chaos-toolkit';
import { DEFAULT_FAULT_MS } from './experiment-plan';

const activitySchema = z.object({
  type: z.string(),
  name: z.string().optional(),
  provider: z.object({ type: z.string() }).passthrough().optional(),
  pauses: z.object({ before: z.number().nonnegative().optional(), after: z.number().nonnegative().optional() }).optional(),
}).passthrough();

const ctkSchema = z.object({
  title: z.string().optional(),
  description: z.string().optional(),
  'steady-state-hypothesis': z.object({ probes: z.array(activitySchema).optional() }).passthrough().optional(),
  method: z.array(activitySchema),
  extensions: z.array(z.object({ name: z.string() }).passthrough()).optional(),
}).passthrough();

type Activity = z.infer<typeof activitySchema>;

/** Steady state before the first fault, when the Chaos Toolkit experiment gives none: its hypothesis is one probe. */
export const IMPORTED_STEADY_S = 5;
/** Recovery after the method, for the hypothesis checked again after it. */
export const IMPORTED_RECOVERY_S = 5;

export interface CtkImport {
  readonly experiment?: ExperimentTable;
  readonly notes: readonly string[];
  readonly problems: readonly Problem[];
}

/** A fault's start (`key` pairs it with its undo) or an undo, read from one activity. */
type Fault = { fault: string; target: string } & Record<string, unknown>;
type Step = { kind: 'start'; key: string; injection: Fault } | { kind: 'undo'; key: string };

function dockerStep(args: readonly string[]): Step | undefined {
  const [verb, ...rest] = args;
  const service = rest[rest.length - 1];
  if (service === undefined || service.startsWith('-')) return undefined;
  const flag = (names: string[]): string | undefined => {
    const at = rest.findIndex((a) => names.includes(a));
    return at >= 0 ? rest[at + 1] : undefined;
  };
  const target = `service:${service}`;
  if (verb === 'pause') return { kind: 'start', key: `pause:${service}`, injection: { fault: 'container_pause', target } };
  if (verb === 'unpause') return { kind: 'undo', key: `pause:${service}` };
  if (verb === 'kill') return { kind: 'start', key: `kill:${service}`, injection: { fault: 'container_kill', target, signal: flag(['--signal', '-s']) ?? 'SIGKILL' } };
  if (verb === 'stop') return { kind: 'start', key: `stop:${service}`, injection: { fault: 'container_stop', target, timeout_s: Number(flag(['-t', '--time', '--timeout']) ?? 10) } };
  if (verb === 'start') return { kind: 'undo', key: `stop:${service}` };
  if (verb === 'restart') return { kind: 'start', key: `restart:${service}`, injection: { fault: 'container_restart', target, timeout_s: Number(flag(['-t', '--time', '--timeout']) ?? 10) } };
  return undefined;
}

/** chaostoolkit-toxiproxy: `create_toxic` (and its typed shorthands), `delete_toxic`, `disable_proxy`/`enable_proxy`. */
function toxiproxyStep(module: string, func: string, args: Record<string, unknown>): Step | undefined {
  const proxy = typeof args.for_proxy === 'string' ? args.for_proxy : typeof args.proxy_name === 'string' ? args.proxy_name : undefined;
  if (proxy === undefined) return undefined;
  const target = `service:${proxy}`;
  if (module === CTK_PROXY_MODULE && func === 'disable_proxy') return { kind: 'start', key: `down:${proxy}`, injection: { fault: 'down', target } };
  if (module === CTK_PROXY_MODULE && func === 'enable_proxy') return { kind: 'undo', key: `down:${proxy}` };
  if (module !== CTK_TOXIC_MODULE) return undefined;
  const key = `toxic:${proxy}:${String(args.toxic_name)}`;
  if (func === 'delete_toxic') return { kind: 'undo', key };
  const SHORTHANDS: Record<string, [string, string[]]> = {
    create_latency_toxic: ['latency', ['latency', 'jitter']],
    create_bandwith_degradation_toxic: ['bandwidth', ['rate']],
    create_slow_connection_close_toxic: ['slow_close', ['delay']],
    create_timeout_toxic: ['timeout', ['timeout']],
    create_slicer_toxic: ['slicer', ['average_size', 'size_variation', 'delay']],
    create_limiter_toxic: ['limit_data', ['bytes_limit']],
  };
  if (func === 'create_toxic') {
    const attributes = typeof args.attributes === 'object' && args.attributes !== null ? (args.attributes as Record<string, unknown>) : {};
    const extra = { ...(args.stream !== undefined ? { stream: args.stream } : {}), ...(args.toxicity !== undefined ? { toxicity: args.toxicity } : {}) };
    return { kind: 'start', key, injection: { fault: String(args.toxic_type), target, ...attributes, ...extra } };
  }
  const shorthand = SHORTHANDS[func];
  if (!shorthand) return undefined;
  const [fault, names] = shorthand;
  const attributes = Object.fromEntries(names.filter((n) => args[n] !== undefined).map((n) => [n === 'bytes_limit' ? 'bytes' : n, args[n]]));
  return { kind: 'start', key, injection: { fault, target, ...attributes } };
}

function stepOf(a: Activity): Step | undefined {
  const p = a.provider;
  if (a.type !== 'action' || !p) return undefined;
  if (p.type === 'process' && p.path === 'docker') {
    const args = Array.isArray(p.arguments) ? p.arguments.map(String) : typeof p.arguments === 'string' ? p.arguments.trim().split(/\s+/) : [];
    return dockerStep(args);
  }
  if (p.type === 'python' && typeof p.module === 'string' && typeof p.func === 'string') {
    const args = typeof p.arguments === 'object' && p.arguments !== null ? (p.arguments as Record<string, unknown>) : {};
    return toxiproxyStep(p.module, p.func, args);
  }
  return undefined;
}

const round = (s: number): number => Math.round(s * 1000) / 1000;

/** A fault on the method's clock; `order` is where its start stands in the method (ties keep it). */
type Timed = Fault & { startS: number; order: number; duration_s?: number };

/** The method on a clock: faults with their start and length (to their undo, or to the method's end). */
function walkMethod(method: readonly Activity[], notes: string[]): { faults: Timed[]; endS: number } {
  let clock = 0;
  const open = new Map<string, Fault & { startS: number; order: number }>();
  const faults: Timed[] = [];
  method.forEach((a, i) => {
    clock += a.pauses?.before ?? 0;
    const step = stepOf(a);
    if (!step) notes.push(`/method/${i} (${a.type} ${JSON.stringify(a.name ?? '')}): not imported — only docker CLI actions (pause, unpause, kill, stop, start, restart) and chaostoolkit-toxiproxy actions map to faults`);
    else if (step.kind === 'start') open.set(step.key, { ...step.injection, startS: clock, order: i });
    else {
      const started = open.get(step.key);
      if (!started) notes.push(`/method/${i}: undoes a fault the method did not start; ignored`);
      else {
        open.delete(step.key);
        faults.push({ ...started, duration_s: round(clock - started.startS) });
      }
    }
    clock += a.pauses?.after ?? 0;
  });
  for (const [key, started] of open) {
    // A kill or restart has nothing to undo: its window is the planner's default, as for one written without duration_s.
    if (key.startsWith('kill:') || key.startsWith('restart:')) faults.push(started);
    else {
      faults.push({ ...started, duration_s: round(clock - started.startS) });
      notes.push(`${started.fault} on ${started.target} is not undone in the method: it lasts to the method's end (${round(clock)} s); our runner undoes it then`);
    }
  }
  return { faults: faults.sort((a, b) => a.startS - b.startS || a.order - b.order), endS: clock };
}

/**
 * Our phases from the method's clock: the wait before the first fault is the steady state (or
 * IMPORTED_STEADY_S when there is none), the wait after the last one ends the recovery (or IMPORTED_RECOVERY_S).
 */
function phasesOf(faults: readonly Timed[], endS: number): { steadyS: number; recoveryS: number; injections: Fault[] } {
  const firstS = faults[0]!.startS;
  const lastEndS = Math.max(...faults.map((f) => f.startS + (f.duration_s ?? DEFAULT_FAULT_MS / 1000)));
  const injections = faults.map(({ startS, order: _order, ...rest }) => ({ ...rest, timing: startS === firstS ? 'after_steady_state' : `after_steady_state_${round(startS - firstS)}s` }));
  return { steadyS: firstS > 0 ? round(firstS) : IMPORTED_STEADY_S, recoveryS: endS > lastEndS ? round(endS - lastEndS) : IMPORTED_RECOVERY_S, injections };
}

export function importChaosToolkit(input: unknown, source: string): CtkImport {
  const parsed = ctkSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { notes: [], problems: [{ code: 'chaos.import', message: `${source} is not a Chaos Toolkit experiment: at /${issue.path.join('/')}: ${issue.message} (it needs at least a "method" array of activities)` }] };
  }
  const ctk = parsed.data;
  const ours = ctk.extensions?.find((e) => e.name === 'clnrm');
  if (ours) {
    const table = experimentSchema.safeParse(ours.experiment);
    if (table.success) return { experiment: table.data, notes: ['restored exactly from the clnrm extension'], problems: [] };
    return { notes: [], problems: [{ code: 'chaos.import', message: `${source}: the clnrm extension's experiment is not one we can read: ${table.error.issues[0]!.message}` }] };
  }
  const notes: string[] = [];
  const { faults, endS } = walkMethod(ctk.method, notes);
  if (faults.length === 0) return { notes, problems: [{ code: 'chaos.import', message: `${source}: no action of its method maps to a fault we can inject (see the notes)` }] };
  const probes = ctk['steady-state-hypothesis']?.probes ?? [];
  const http = probes.find((p) => p.provider?.type === 'http' && typeof p.provider.url === 'string');
  probes.forEach((p, i) => p !== http && notes.push(`/steady-state-hypothesis/probes/${i} (${JSON.stringify(p.name ?? '')}): not imported — only an HTTP probe maps (to the load URL)`));
  const { steadyS, recoveryS, injections } = phasesOf(faults, endS);
  const holds = [{ type: 'success_rate', min_success_rate: 1 }];
  const method = typeof http?.provider?.method === 'string' ? { method: http.provider.method.toUpperCase() } : {};
  const candidate = {
    name: ctk.title ?? 'imported',
    ...(ctk.description !== undefined ? { description: ctk.description } : {}),
    ...(http ? { load: { url: http.provider!.url, ...method } } : {}),
    steady_state: { duration_s: steadyS, ...(http ? { assertion: holds } : {}) },
    injection: injections,
    recovery: { duration_s: recoveryS, ...(http ? { assertion: holds } : {}) },
  };
  const checked = experimentSchema.safeParse(candidate);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    return { notes, problems: [{ code: 'chaos.import', message: `${source}: the imported experiment would not be valid at chaos.experiment.${issue.path.join('.')}: ${issue.message}` }] };
  }
  if (!http) notes.push('no HTTP probe in the steady-state hypothesis: the experiment has no load and no assertions; add [chaos.experiment.load] and assertions');
  const experiment = checked.data;
  return { experiment, notes, problems: [] };
}
