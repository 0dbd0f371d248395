// A test file's `[chaos.catalog]` (the seed's failure catalog): `[[chaos.catalog.fault]]` entries with an
// id and parameters given as ranges. An entry with a built-in id narrows that fault (its ranges must lie
// inside ours, its choices be a subset); an entry with a new id is the user's own fault: listed and
// validated, but not injectable (no injector of ours knows what it does).
import type { PathSegment } from '../spec/path';
import type { ChaosSection } from '../spec/schema/v2';
import { BUILT_IN_FAULTS, checkValue, FaultCatalog } from './catalog';
import type { FaultSpec, ParameterSpec } from './fault-spec';

type CatalogSection = NonNullable<ChaosSection['catalog']>;
type UserEntry = NonNullable<CatalogSection['fault']>[number];
type UserParameter = NonNullable<UserEntry['parameters']>[string];

export interface CatalogIssue {
  /** Where in the file, from the document root. */
  readonly at: PathSegment[];
  readonly message: string;
}

/** The built-in catalog with the file's entries applied, and what is wrong with them (code chaos.catalog). */
export function applyUserCatalog(section: CatalogSection | undefined): { catalog: FaultCatalog; issues: CatalogIssue[] } {
  const issues: CatalogIssue[] = [];
  const faults = new Map(BUILT_IN_FAULTS.map((f) => [f.id, f]));
  const seen = new Set<string>();
  for (const [i, entry] of (section?.fault ?? []).entries()) {
    const at: PathSegment[] = ['chaos', 'catalog', 'fault', i];
    if (seen.has(entry.id)) {
      issues.push({ at: [...at, 'id'], message: `fault "${entry.id}" is declared twice in [chaos.catalog]; keep one entry` });
      continue;
    }
    seen.add(entry.id);
    const builtIn = faults.get(entry.id);
    const parameters: ParameterSpec[] = [];
    for (const [name, raw] of Object.entries(entry.parameters ?? {})) {
      const where = [...at, 'parameters', name];
      const own = toParameter(name, raw);
      if (typeof own === 'string') {
        issues.push({ at: where, message: `${entry.id}.${name} ${own}` });
        continue;
      }
      if (!builtIn) {
        parameters.push(own);
        continue;
      }
      const ours = builtIn.parameters.find((p) => p.name === name);
      const problem = ours ? narrowingProblem(ours, own) : `is not a parameter of the built-in fault ${entry.id} (its parameters: ${builtIn.parameters.map((p) => p.name).join(', ') || 'none'})${injectionHint(name)}`;
      if (problem) issues.push({ at: where, message: `${entry.id}.${name} ${problem}` });
      else parameters.push(own);
    }
    faults.set(entry.id, builtIn ? narrowed(builtIn, parameters, entry.description) : userFault(entry, parameters));
  }
  return { catalog: new FaultCatalog([...faults.values()]), issues };
}

/** The seed's catalog puts keys on a fault that belong to the injection using it. */
function injectionHint(name: string): string {
  if (/duration/.test(name)) return "; an injection's duration_s sets how long a fault lasts";
  if (/^(target|source)$/.test(name)) return "; an injection's target = \"service:NAME\" says where it applies";
  return '';
}

/** A user's parameter as ours, or why it makes no sense. */
function toParameter(name: string, raw: UserParameter): ParameterSpec | string {
  if (typeof raw === 'string') {
    const choices = raw.split('|');
    return choices.length > 1
      ? { name, type: 'enum', values: choices, description: `one of ${choices.join(', ')}` }
      : { name, type: 'string', default: raw, description: `default "${raw}"` };
  }
  const type = raw.type ?? (raw.values ? 'enum' : raw.min !== undefined || raw.max !== undefined || typeof raw.default === 'number' ? 'number' : 'string');
  const description = raw.description ?? '';
  switch (type) {
    case 'number':
    case 'int': {
      const min = raw.min ?? -Number.MAX_VALUE;
      const max = raw.max ?? Number.MAX_VALUE;
      if (min > max) return `has min ${min} above max ${max}`;
      const p: ParameterSpec = { name, type: 'number', unit: raw.unit ?? '', min, max, integer: type === 'int' || undefined, description };
      return withDefault(p, raw.default);
    }
    case 'enum':
      if (!raw.values || raw.values.length === 0) return 'is an enum and needs values = ["a", "b"]';
      return withDefault({ name, type: 'enum', values: raw.values, description }, raw.default);
    case 'bool':
      return withDefault({ name, type: 'bool', description }, raw.default);
    case 'string':
      return withDefault({ name, type: 'string', description }, raw.default);
    default:
      return `has type "${type}"; use "number", "int", "string", "enum" or "bool"`;
  }
}

function withDefault(p: ParameterSpec, value: string | number | boolean | undefined): ParameterSpec | string {
  if (value === undefined) return p;
  const error = checkValue(p, value);
  return error ? `default ${error}` : ({ ...p, default: value } as ParameterSpec);
}

/** Why the user's parameter does not fit inside ours, or undefined. */
function narrowingProblem(ours: ParameterSpec, theirs: ParameterSpec): string | undefined {
  if (ours.type === 'number' && theirs.type === 'number') {
    // An open end of the user's range keeps ours.
    const min = theirs.min === -Number.MAX_VALUE ? ours.min : theirs.min;
    const max = theirs.max === Number.MAX_VALUE ? ours.max : theirs.max;
    if (min < ours.min || max > ours.max) {
      return `range ${min}–${max} must lie inside the built-in ${ours.min}–${ours.max}${ours.unit ? ` ${ours.unit}` : ''}`;
    }
    if (theirs.unit && theirs.unit !== ours.unit) return `is in ${ours.unit}, not ${theirs.unit}`;
    return undefined;
  }
  if (ours.type === 'enum' && theirs.type === 'enum') {
    const extra = theirs.values.filter((v) => !ours.values.includes(v));
    return extra.length > 0 ? `allows ${extra.join(', ')}, which the built-in does not (${ours.values.join(', ')})` : undefined;
  }
  // A string default for a service parameter names the peer; any other type change is a mistake.
  if (ours.type === theirs.type || (ours.type === 'service' && theirs.type === 'string')) return undefined;
  return `is a ${ours.type} parameter in the built-in fault, not a ${theirs.type}`;
}

function narrowed(builtIn: FaultSpec, parameters: readonly ParameterSpec[], description: string | undefined): FaultSpec {
  return {
    ...builtIn,
    description: description ?? builtIn.description,
    parameters: builtIn.parameters.map((ours) => {
      const theirs = parameters.find((p) => p.name === ours.name);
      if (!theirs) return ours;
      const merged = { ...ours, ...theirs, type: ours.type, description: theirs.description || ours.description } as ParameterSpec;
      if (merged.type === 'number' && ours.type === 'number') {
        return { ...merged, min: Math.max(merged.min, ours.min), max: Math.min(merged.max, ours.max), unit: ours.unit, integer: ours.integer };
      }
      return merged;
    }),
  };
}

function userFault(entry: UserEntry, parameters: ParameterSpec[]): FaultSpec {
  return {
    id: entry.id,
    family: 'user',
    description: `${entry.description ?? 'a fault declared in [chaos.catalog]'}${entry.type ? ` (${entry.type})` : ''}`,
    parameters,
    needs: [],
    revertible: false,
    injectable: false,
    revert: 'not injected: no injector of ours knows what this user-declared fault does',
  };
}
