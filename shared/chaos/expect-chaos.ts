// clnrm's `[expect.chaos]`: what an execution that went through faults must show afterwards. Each key we
// judge has one meaning, from the execution's faults, steps, containers, the engine's leftovers and the
// runner's own cleanup spans (shared/expect/SEMANTICS.md has the table). A key that needs a fault says
// so when none ran, rather than passing on nothing. Keys we cannot judge are named by `validate`.
import type { Problem } from '../errors';
import type { ExpectationResult } from '../expect';
import type { Span } from '../model';

const BOOLEAN_KEYS = ['recovery_successful', 'recovery_verified', 'cleanup_spans_match_failures', 'no_zombie_processes', 'no_crashes', 'network_degradation_detected', 'graceful_degradation'] as const;
type BooleanKey = (typeof BOOLEAN_KEYS)[number];
/** Every key `[expect.chaos]` judges. */
export const JUDGED_CHAOS_KEYS: readonly string[] = [...BOOLEAN_KEYS, 'zombie_processes', 'resource_cleanup'];

/** A fault as it ran, in epoch µs (`endUs` unset while it was never undone, e.g. a kill). */
export interface FaultWindow {
  readonly fault: string;
  readonly family: string;
  readonly service: string;
  readonly startUs: number;
  readonly endUs?: number;
  /** It ends its target's processes (kill, stop, OOM): that container ending early is not a crash. */
  readonly ends: boolean;
  readonly undone: boolean;
  readonly error?: string;
}

export interface ChaosEvidence {
  readonly faults: readonly FaultWindow[];
  readonly steps: readonly { readonly name: string; readonly verdict: string }[];
  /** Service containers: did each end before the runner stopped it? */
  readonly containers: readonly { readonly service: string; readonly endedBeforeStop: boolean; readonly restarts: number; readonly exitCode: number | null }[];
  /** The execution's resources still on the engine after its cleanup (undefined: not listed). */
  readonly leftovers?: { readonly containers: readonly string[]; readonly networks: readonly string[]; readonly volumes: readonly string[] };
  /** The runner's spans of the execution (`clnrm.cleanup`, `clnrm.recovery`, …). */
  readonly runnerSpans: readonly Span[];
  /** The system's spans. */
  readonly system: readonly Span[];
}

/** What of a `[expect.chaos]` table cannot be read: each key's problem at `expect.chaos.<key>`, and the keys not judged. */
export function checkExpectChaos(table: Readonly<Record<string, unknown>>): { errors: Problem[]; unjudged: string[] } {
  const errors: Problem[] = [];
  const unjudged: string[] = [];
  const bad = (key: string, message: string): void => void errors.push({ code: 'toml.shape', message, path: `expect.chaos.${key}` });
  for (const [key, value] of Object.entries(table)) {
    if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') bad(key, `${key} must be true or false`);
    } else if (key === 'zombie_processes') {
      if (zombieLimit(value) === undefined) bad(key, 'zombie_processes must be a count ≥ 0 or { eq = N } / { lte = N }');
    } else if (key === 'resource_cleanup') {
      if (value !== 'complete') bad(key, 'resource_cleanup must be "complete"');
    } else unjudged.push(key);
  }
  return { errors, unjudged };
}

/** True when a key of the table is judged from the engine's leftovers (the runner lists them only then). */
export function needsLeftovers(table: Readonly<Record<string, unknown>>): boolean {
  return ['no_zombie_processes', 'zombie_processes', 'resource_cleanup'].some((k) => k in table);
}

function zombieLimit(value: unknown): { op: 'eq' | 'lte'; n: number } | undefined {
  const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (count(value)) return { op: 'eq', n: value };
  if (typeof value !== 'object' || value === null) return undefined;
  const { eq, lte } = value as { eq?: unknown; lte?: unknown };
  if (count(eq) && lte === undefined) return { op: 'eq', n: eq };
  if (count(lte) && eq === undefined) return { op: 'lte', n: lte };
  return undefined;
}

const result = (key: string, passed: boolean, message: string, spans: readonly string[] = []): ExpectationResult => ({ expectation: `expect.chaos.${key}`, kind: 'chaos', passed, message, spans: [...spans] });

/** One result per judged key; an expected `false` inverts the check. */
export function judgeExpectChaos(table: Readonly<Record<string, unknown>>, ev: ChaosEvidence): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  for (const [key, value] of Object.entries(table)) {
    if ((BOOLEAN_KEYS as readonly string[]).includes(key) && typeof value === 'boolean') {
      const { holds, message, spans } = BOOLEAN_CHECKS[key as BooleanKey](ev);
      out.push(result(key, holds === value, value ? message : `expected not to hold: ${message}`, spans));
    } else if (key === 'zombie_processes' && zombieLimit(value)) out.push(zombies(key, zombieLimit(value)!, ev));
    else if (key === 'resource_cleanup' && value === 'complete') out.push(resourceCleanup(ev));
  }
  return out;
}

interface Check {
  readonly holds: boolean;
  readonly message: string;
  readonly spans?: readonly string[];
}

const injected = (ev: ChaosEvidence): FaultWindow[] => ev.faults.filter((f) => f.error === undefined);
const cleanupSpan = (ev: ChaosEvidence): Span | undefined => ev.runnerSpans.find((s) => s.name === 'clnrm.cleanup');
const cleanedUp = (span: Span | undefined): boolean => span !== undefined && span.status.code !== 'error';

function recovery(ev: ChaosEvidence): Check {
  const faults = injected(ev);
  if (faults.length === 0) return { holds: false, message: 'no fault was injected in this execution: there is nothing it recovered from' };
  const stuck = faults.filter((f) => !f.undone && !f.ends);
  const cleanup = cleanupSpan(ev);
  const spans = cleanup ? [cleanup.spanId] : [];
  if (stuck.length > 0) return { holds: false, message: `${stuck.map((f) => `${f.fault} on ${f.service}`).join(', ')} not undone`, spans };
  if (!cleanedUp(cleanup)) return { holds: false, message: `the cleanup after the faults ${cleanup ? `failed: ${cleanup.status.message ?? 'error status'}` : 'did not run'}`, spans };
  return { holds: true, message: `${faults.length} fault(s) undone (a kill by removing its container) and the cleanup succeeded`, spans };
}

function cleanupMatches(ev: ChaosEvidence): Check {
  const failedSteps = ev.steps.filter((s) => s.verdict === 'failed' || s.verdict === 'error');
  const cleanup = cleanupSpan(ev);
  const recoverySpan = ev.runnerSpans.find((s) => s.name === 'clnrm.recovery' && s.parentSpanId === cleanup?.spanId);
  const spans = [cleanup, recoverySpan].flatMap((s) => (s ? [s.spanId] : []));
  const causes = `${failedSteps.length} failed step(s), ${injected(ev).length} fault(s)`;
  if (!cleanedUp(cleanup)) return { holds: false, message: `${causes}, but clnrm.cleanup ${cleanup ? 'failed' : 'is missing'}`, spans };
  if (failedSteps.length > 0 && !recoverySpan) return { holds: false, message: `${causes}, but no clnrm.recovery under clnrm.cleanup`, spans };
  return { holds: true, message: `${causes}: clnrm.cleanup succeeded${recoverySpan ? ', with clnrm.recovery under it' : ''}`, spans };
}

function crashes(ev: ChaosEvidence): { crashed: string[]; expected: string[] } {
  const ended = new Set(injected(ev).filter((f) => f.ends).map((f) => f.service));
  const early = ev.containers.filter((c) => c.endedBeforeStop || c.restarts > 0);
  return { crashed: early.filter((c) => !ended.has(c.service)).map((c) => `${c.service} (exit ${c.exitCode ?? '?'}${c.restarts > 0 ? `, ${c.restarts} restart(s)` : ''})`), expected: early.filter((c) => ended.has(c.service)).map((c) => c.service) };
}

function noCrashes(ev: ChaosEvidence): Check {
  const { crashed, expected } = crashes(ev);
  if (crashed.length > 0) return { holds: false, message: `ended before the runner stopped it: ${crashed.join(', ')}` };
  const note = expected.length > 0 ? ` (${expected.join(', ')} ended by a fault, as planned)` : '';
  return { holds: true, message: `every one of ${ev.containers.length} service container(s) ran until the runner stopped it${note}` };
}

const inWindow = (s: Span, f: FaultWindow): boolean => s.startUs >= f.startUs && s.startUs < (f.endUs ?? Infinity);

function networkDegradation(ev: ChaosEvidence): Check {
  const network = injected(ev).filter((f) => f.family === 'network' || f.family === 'proxy');
  if (network.length === 0) return { holds: false, message: 'no network or proxy fault ran in this execution' };
  const first = Math.min(...network.map((f) => f.startUs));
  const slowestBefore = new Map<string, number>();
  for (const s of ev.system) if (s.startUs < first) slowestBefore.set(s.name, Math.max(slowestBefore.get(s.name) ?? 0, s.durationUs));
  const hit = ev.system.filter((s) => network.some((f) => inWindow(s, f)) && (s.status.code === 'error' || s.durationUs > (slowestBefore.get(s.name) ?? Infinity)));
  const failedSteps = ev.steps.filter((s) => s.verdict === 'failed' || s.verdict === 'error');
  if (hit.length === 0 && failedSteps.length === 0) return { holds: false, message: `no span failed or got slower than before during ${network.map((f) => f.fault).join(', ')}, and no step failed` };
  return { holds: true, message: `during ${network.map((f) => f.fault).join(', ')}: ${hit.length} span(s) failed or slower than any before, ${failedSteps.length} step(s) failed`, spans: hit.slice(0, 20).map((s) => s.spanId) };
}

/** Root spans (requests entering the system) that were answered, without error, while `f` ran. */
function answeredDuring(ev: ChaosEvidence, f: FaultWindow): Span[] {
  const ids = new Set(ev.system.map((s) => s.spanId));
  const end = f.endUs ?? Infinity;
  return ev.system.filter((s) => (s.parentSpanId === undefined || !ids.has(s.parentSpanId)) && s.status.code !== 'error' && s.startUs + s.durationUs >= f.startUs && s.startUs + s.durationUs < end);
}

function gracefulDegradation(ev: ChaosEvidence): Check {
  const faults = injected(ev);
  if (faults.length === 0) return { holds: false, message: 'no fault was injected in this execution: nothing to degrade under' };
  const { crashed } = crashes(ev);
  if (crashed.length > 0) return { holds: false, message: `a service the faults did not target ended: ${crashed.join(', ')}` };
  const answered = faults.map((f) => answeredDuring(ev, f));
  const dark = faults.filter((_, i) => answered[i]!.length === 0);
  if (dark.length > 0) return { holds: false, message: `no request (root span) was answered without error while ${dark.map((f) => `${f.fault} on ${f.service}`).join(', ')} ran: the system stopped answering` };
  const ok = [...new Set(answered.flat())];
  return { holds: true, message: `the system kept answering during every fault (${ok.length} request(s) answered without error) and no other service ended`, spans: ok.slice(0, 20).map((s) => s.spanId) };
}

function noZombies(ev: ChaosEvidence): Check {
  if (!ev.leftovers) return { holds: false, message: "the engine's leftovers were not listed (the execution's resources were kept or the engine did not answer)" };
  const left = ev.leftovers.containers;
  return { holds: left.length === 0, message: left.length === 0 ? 'no container of the execution is left on the engine' : `left on the engine: ${left.join(', ')}` };
}

const BOOLEAN_CHECKS: Readonly<Record<BooleanKey, (ev: ChaosEvidence) => Check>> = {
  recovery_successful: recovery,
  recovery_verified: recovery,
  cleanup_spans_match_failures: cleanupMatches,
  no_zombie_processes: noZombies,
  no_crashes: noCrashes,
  network_degradation_detected: networkDegradation,
  graceful_degradation: gracefulDegradation,
};

function zombies(key: string, limit: { op: 'eq' | 'lte'; n: number }, ev: ChaosEvidence): ExpectationResult {
  if (!ev.leftovers) return result(key, false, noZombies(ev).message);
  const n = ev.leftovers.containers.length;
  const passed = limit.op === 'eq' ? n === limit.n : n <= limit.n;
  return result(key, passed, `${n} container(s) of the execution left on the engine (expected ${limit.op === 'eq' ? '' : '≤ '}${limit.n})${n > 0 ? `: ${ev.leftovers.containers.join(', ')}` : ''}`);
}

function resourceCleanup(ev: ChaosEvidence): ExpectationResult {
  if (!ev.leftovers) return result('resource_cleanup', false, noZombies(ev).message);
  const { containers, networks, volumes } = ev.leftovers;
  const left = [...containers, ...networks, ...volumes];
  return result('resource_cleanup', left.length === 0, left.length === 0 ? 'every container, network and volume of the execution was removed' : `left on the engine: ${left.join(', ')}`);
}
