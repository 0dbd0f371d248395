// What every repair shares: its shape, what it is proposed from, and the small readers of a test
// file's parsed TOML the repairs need (tables, steps by name, scenarios by name). Pure.
import type { Problem } from '../errors';
import { formatPath } from '../spec/path';
import { unifiedDiff } from '../spec/writer';
import type { Classification } from './classes';

export const REPAIR_KINDS = [
  'exclude-nondeterministic-attributes',
  'raise-memory-limit',
  'fix-unknown-key',
  'wait-for-service-port',
  'raise-health-check-retries',
  'widen-duration-bound',
  'run-steps-in-sequence',
] as const;
export type RepairKind = (typeof REPAIR_KINDS)[number];

export interface Repair {
  readonly kind: RepairKind;
  readonly description: string;
  readonly reason: string;
  readonly evidence: readonly string[];
  readonly text: string;
  readonly diff: string;
}

/** Durations (ms) of the spans an expectation names, in recent executions of the same test and scenario. */
export interface ObservedDurations {
  /** The expectation as results name it, e.g. `expect.span[0]`. */
  readonly expectation: string;
  /** One list per execution, oldest first (the failed execution's last). */
  readonly executions: readonly (readonly number[])[];
}

export interface RepairInput {
  /** The file's name as diffs show it. */
  readonly file: string;
  /** The test file's text now. */
  readonly source: string;
  readonly classification: Classification;
  /** The validator's warnings on the file (unknown keys with "did you mean"). */
  readonly warnings?: readonly Problem[];
  /** `resource_multiplier` of the file's resource_exhaustion classifier, if any. */
  readonly resourceMultiplier?: number;
  /** The failed execution's scenario. */
  readonly scenario?: string;
  /** Steps of the failed execution that failed or erred. */
  readonly failedSteps?: readonly string[];
  /** Expectations of the failed execution that failed. */
  readonly failedExpectations?: readonly string[];
  /** Span durations from the run history, for the failed duration bounds. */
  readonly observedDurations?: readonly ObservedDurations[];
}

export type TomlTable = Record<string, unknown>;

export const table = (value: TomlTable | undefined, key: string): TomlTable | undefined => {
  const t = value?.[key];
  return t !== null && typeof t === 'object' && !Array.isArray(t) ? (t as TomlTable) : undefined;
};

/** A key that may hold one table or an array of tables (`[x]` or `[[x]]`), with each one's table path. */
export function tables(value: TomlTable, key: string): { path: string; value: TomlTable }[] {
  const t = value[key];
  if (Array.isArray(t)) return t.flatMap((v, i) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? [{ path: `${key}[${i}]`, value: v as TomlTable }] : []));
  const one = table(value, key);
  return one ? [{ path: key, value: one }] : [];
}

/** The class and its confidence, as a repair's reason. */
const reasonOf = (c: Classification): string => `${c.class} (${Math.round(c.confidence * 100)} %)`;

export function edited(kind: RepairKind, input: RepairInput, text: string, description: string, evidence: readonly string[]): Repair | undefined {
  if (text === input.source) return undefined;
  return { kind, description, reason: reasonOf(input.classification), evidence, text, diff: unifiedDiff(input.source, text, input.file) };
}

export interface StepAt {
  readonly name: string;
  /** The command as one line of text (an argv joined by spaces). */
  readonly command: string;
  /** The service whose container runs it (the step's own or its scenario's), if any. */
  readonly service?: string;
}

const commandText = (c: unknown): string => (typeof c === 'string' ? c : Array.isArray(c) ? c.filter((x) => typeof x === 'string').join(' ') : '');
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Every step of the file with a name: top-level `[[steps]]`, each scenario's steps, and a scenario's `run` (named after it). */
export function stepsOf(parsed: TomlTable): StepAt[] {
  const out: StepAt[] = [];
  const add = (s: TomlTable, scenarioService?: string) => {
    const name = text(s.name);
    const service = text(s.service) ?? scenarioService;
    if (name) out.push({ name, command: commandText(s.command ?? s.run), ...(service ? { service } : {}) });
  };
  for (const s of tables(parsed, 'steps')) add(s.value);
  for (const sc of tables(parsed, 'scenario')) {
    const service = text(sc.value.service);
    if (sc.value.run !== undefined) add(sc.value, service);
    for (const s of tables(sc.value, 'steps')) add(s.value, service);
  }
  return out;
}

/** The `[[scenario]]` with this name, with its table path (`scenario[1]`). */
export function scenarioNamed(parsed: TomlTable, name: string | undefined): { path: string; value: TomlTable } | undefined {
  return name === undefined ? undefined : tables(parsed, 'scenario').find((s) => s.value.name === name);
}

/** The file's services by id, from `[service.*]` and `[services.*]`, with each one's table path. */
export function servicesOf(parsed: TomlTable): Map<string, { path: string; value: TomlTable }> {
  const out = new Map<string, { path: string; value: TomlTable }>();
  for (const key of ['service', 'services']) {
    for (const [id, v] of Object.entries(table(parsed, key) ?? {})) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.set(id, { path: formatPath([key, id]), value: v as TomlTable });
    }
  }
  return out;
}

/** `ref` of an evidence item as a suffix (` [api]`), or nothing. */
export const refSuffix = (ref: string | undefined): string => (ref ? ` [${ref}]` : '');
