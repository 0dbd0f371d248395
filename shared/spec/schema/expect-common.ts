// Building blocks shared by the expectation schemas (shared/spec/schema/expect.ts) and the v2
// orchestration constraints (orchestration-constraints.ts). Messages name the expected shape because
// they reach the user verbatim.
import { z } from 'zod';

export const nonEmptyName = (what: string) =>
  z.string({ error: `${what} must be a string (a span name, "*" allowed as a glob)` }).min(1, {
    error: `${what} must not be empty`,
  });

/** OTLP status as clnrm writes it; case-insensitive ("ok" is accepted, evaluators upper-case it). */
export const statusValueSchema = z
  .string({ error: 'status must be one of "OK", "ERROR", "UNSET"' })
  .refine((s) => ['OK', 'ERROR', 'UNSET'].includes(s.toUpperCase()), {
    error: 'status must be one of "OK", "ERROR", "UNSET"',
  });

export const SPAN_KIND_NAMES = ['internal', 'server', 'client', 'producer', 'consumer', 'unspecified'] as const;
/** Span kind, case-insensitive (clnrm files write "internal"; OTLP dumps sometimes "SPAN_KIND_SERVER"). */
export const spanKindSchema = z
  .string({ error: `kind must be one of ${SPAN_KIND_NAMES.map((k) => `"${k}"`).join(', ')}` })
  .refine((s) => (SPAN_KIND_NAMES as readonly string[]).includes(s.toLowerCase().replace(/^span_kind_/, '')), {
    error: `kind must be one of ${SPAN_KIND_NAMES.map((k) => `"${k}"`).join(', ')}`,
  });

/** Attribute value in an expectation; compared with the span's value as text (`"200"` matches int 200). */
export const attributeValueSchema = z.union([z.string(), z.number(), z.boolean()], {
  error: 'attribute value must be a string, number or boolean',
});

/**
 * A comparison instead of a plain value, as clnrm's example files write it:
 * `{ exists = true }`, `{ gte = 2 }`, `{ contains = "timeout" }`. Every given condition must hold.
 */
export const attributeMatcherSchema = z
  .object(
    {
      eq: attributeValueSchema.optional(),
      ne: attributeValueSchema.optional(),
      gt: z.number().optional(),
      gte: z.number().optional(),
      lt: z.number().optional(),
      lte: z.number().optional(),
      exists: z.boolean().optional(),
      contains: z.string().optional(),
    },
    { error: 'an attribute condition must be a table like { exists = true }, { gte = 2 } or { contains = "x" }' },
  )
  .refine((m) => Object.values(m).some((v) => v !== undefined), {
    error: 'an attribute condition needs one of eq, ne, gt, gte, lt, lte, exists, contains',
  });

/**
 * What `attrs.all` / `attrs.any` accept per key: a value (compared as text), a list (the attribute
 * equals one of them, or — for an array attribute — contains all of them), or a condition table.
 */
export const attributeExpectationSchema = z.union([attributeValueSchema, z.array(attributeValueSchema), attributeMatcherSchema], {
  error: 'attribute expectation must be a value, a list of values, or a condition like { gte = 1 } / { exists = true }',
});

export const count = z
  .number({ error: 'a count must be a whole number >= 0' })
  .int({ error: 'a count must be a whole number >= 0' })
  .min(0, { error: 'a count must be a whole number >= 0' });

/** `{ eq = 1 }`, `{ gte = 2, lte = 200 }` … at least one bound. */
export const countBoundSchema = z
  .object(
    { eq: count.optional(), gte: count.optional(), lte: count.optional() },
    { error: 'expected a count bound table like { eq = 1 } or { gte = 2, lte = 200 }' },
  )
  .refine((b) => b.eq !== undefined || b.gte !== undefined || b.lte !== undefined, {
    error: 'a count bound needs at least one of eq, gte, lte (e.g. { gte = 1 })',
  });

/** `["parent", "child"]` — exactly two non-empty names. */
export const namePair = (what: string) =>
  z.tuple([nonEmptyName(`${what}[0]`), nonEmptyName(`${what}[1]`)], {
    error: `each ${what} entry must be a pair of span names like ["a", "b"]`,
  });
export const pairList = (what: string) =>
  z.array(namePair(what), { error: `${what} must be a list of pairs like [["a", "b"], ["b", "c"]]` });

export const stringList = (what: string) =>
  z.array(z.string({ error: `${what} entries must be strings` }), {
    error: `${what} must be a list of strings like ["a", "b"]`,
  });

export const msBound = z.number({ error: 'milliseconds must be a number' }).min(0, { error: 'milliseconds must be >= 0' });
