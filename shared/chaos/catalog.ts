// The fault catalog: every fault type the chaos layer knows, assembled from one list per family, and
// the validator for one fault instance (a fault id plus its parameters). The fault proxy's toxics are a
// family of their own (./proxy-faults.ts, from the toxic definitions in ./toxics.ts).
import type { Problem } from '../errors';
import { closest } from '../spec/suggest';
import { CONTAINER_FAULTS, PROCESS_FAULTS, RESOURCE_FAULTS } from './container-faults';
import type { FaultParams, FaultSpec, ParameterSpec, ParameterValue } from './fault-spec';
import { describeRange } from './fault-spec';
import { NETWORK_FAULTS } from './network-faults';
import { PROXY_FAULTS } from './proxy-faults';

const FAMILY_LISTS: readonly (readonly FaultSpec[])[] = [CONTAINER_FAULTS, PROCESS_FAULTS, RESOURCE_FAULTS, NETWORK_FAULTS, PROXY_FAULTS];

export const BUILT_IN_FAULTS: readonly FaultSpec[] = FAMILY_LISTS.flat();

/** A catalog: the built-in faults, with a file's `[chaos.catalog]` entries narrowing or adding to them. */
export class FaultCatalog {
  private readonly byId: ReadonlyMap<string, FaultSpec>;

  constructor(faults: readonly FaultSpec[] = BUILT_IN_FAULTS) {
    const byId = new Map<string, FaultSpec>();
    for (const fault of faults) {
      if (byId.has(fault.id)) throw new Error(`fault id "${fault.id}" is listed twice in the catalog`);
      byId.set(fault.id, fault);
    }
    this.byId = byId;
  }

  list(): FaultSpec[] {
    return [...this.byId.values()];
  }

  get(id: string): FaultSpec | undefined {
    return this.byId.get(id);
  }

  /** The fault's parameters checked and completed with defaults, or the problems (all of them) with where. */
  validate(id: string, params: Readonly<Record<string, unknown>>, path = 'chaos'): { params?: FaultParams; problems: Problem[] } {
    const spec = this.byId.get(id);
    if (!spec) {
      const hint = closest(id, this.byId.keys());
      const message = `unknown fault "${id}"${hint ? ` — did you mean "${hint}"?` : ''} (run \`clnrm chaos faults\` for the list)`;
      return { problems: [{ code: 'chaos.unknown-fault', message, path }] };
    }
    return validateParams(spec, params, path);
  }
}

export function validateParams(spec: FaultSpec, params: Readonly<Record<string, unknown>>, path: string): { params?: FaultParams; problems: Problem[] } {
  const problems: Problem[] = [];
  const out: Record<string, ParameterValue> = {};
  const known = spec.parameters.map((p) => p.name);
  for (const key of Object.keys(params)) {
    if (known.includes(key)) continue;
    const hint = closest(key, known);
    const list = known.length > 0 ? `its parameters: ${known.join(', ')}` : 'it takes no parameters';
    problems.push({ code: 'chaos.param', message: `${spec.id} has no parameter "${key}"${hint ? ` — did you mean "${hint}"?` : ''} (${list})`, path: `${path}.${key}` });
  }
  for (const p of spec.parameters) {
    const value = params[p.name] ?? ('default' in p ? p.default : undefined);
    if (value === undefined) {
      if (p.required) problems.push({ code: 'chaos.param', message: `${spec.id} needs ${p.name} (${p.description})`, path: `${path}.${p.name}` });
      continue;
    }
    const error = checkValue(p, value);
    if (error) problems.push({ code: 'chaos.param', message: `${spec.id}.${p.name} ${error}`, path: `${path}.${p.name}`, details: { range: describeRange(p) } });
    else out[p.name] = value as ParameterValue;
  }
  return problems.length > 0 ? { problems } : { params: out, problems };
}

/** Why `value` does not fit `p`, or undefined when it does. */
export function checkValue(p: ParameterSpec, value: unknown): string | undefined {
  switch (p.type) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number in ${describeRange(p)}, not ${JSON.stringify(value)}`;
      if (p.integer && !Number.isInteger(value)) return `must be a whole number in ${describeRange(p)}, not ${value}`;
      if (value < p.min || value > p.max) return `must be in ${describeRange(p)}, not ${value}`;
      return undefined;
    }
    case 'enum':
      if (typeof value !== 'string' || !p.values.includes(value)) return `must be one of ${p.values.join(', ')}, not ${JSON.stringify(value)}`;
      return undefined;
    case 'bool':
      return typeof value === 'boolean' ? undefined : `must be true or false, not ${JSON.stringify(value)}`;
    case 'service':
    case 'string':
      if (typeof value !== 'string' || value === '') return `must be a non-empty string, not ${JSON.stringify(value)}`;
      if (p.type === 'string' && p.pattern && !new RegExp(p.pattern).test(value)) return `must match /${p.pattern}/ (${p.description}), not ${JSON.stringify(value)}`;
      return undefined;
  }
}
