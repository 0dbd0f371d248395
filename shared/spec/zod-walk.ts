// Introspection of zod v4 schemas: unwrap wrappers (optional, default, pipe …) and pick the union
// member that fits a value, so the unknown-key walk can follow the parsed TOML through the schema.
import type { z } from 'zod';

type AnySchema = z.ZodType;
interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  getter?: () => AnySchema;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  items?: AnySchema[];
  rest?: AnySchema | null;
  shape?: Record<string, AnySchema>;
  catchall?: AnySchema;
  discriminator?: string;
  values?: unknown[];
}

export function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strips optional/nullable/default/catch/readonly/pipe/lazy until a structural schema remains. */
export function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (let guard = 0; guard < 64; guard++) {
    const def = defOf(current);
    if (def.innerType && ['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional'].includes(def.type)) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else return current;
  }
  return current;
}

function kindOf(value: unknown): 'object' | 'array' | 'other' {
  if (Array.isArray(value)) return 'array';
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return 'object';
  return 'other';
}

function literalValues(schema: AnySchema): unknown[] {
  const def = defOf(unwrap(schema));
  if (def.type === 'literal' || def.type === 'enum') {
    return def.values ?? Object.values((def as unknown as { entries?: Record<string, unknown> }).entries ?? {});
  }
  return [];
}

/** The member of a union that a value of this kind would be checked against (undefined: none fits). */
export function pickUnionMember(schema: AnySchema, value: unknown): AnySchema | undefined {
  const def = defOf(schema);
  const options = (def.options ?? []).map(unwrap);
  const kind = kindOf(value);
  if (def.discriminator && kind === 'object') {
    const tag = (value as Record<string, unknown>)[def.discriminator];
    return options.find((o) => {
      const field = defOf(o).shape?.[def.discriminator!];
      return field !== undefined && literalValues(field).includes(tag);
    });
  }
  const fits = options.filter((o) => {
    const t = defOf(o).type;
    if (kind === 'object') return t === 'object' || t === 'record';
    if (kind === 'array') return t === 'array' || t === 'tuple';
    return false;
  });
  // With both a record and an object for a table, the object is the stricter reading only if the
  // record would reject the value; prefer the record (any key allowed) to avoid false warnings.
  return fits.find((o) => defOf(o).type === 'record') ?? fits[0];
}
