// The Chaos view's calls (shared/ipc/contract.ts): a test file's experiment as a timeline with its
// services and fault catalog, a save's diff shown first, the save itself (atomic, re-validated) and its
// undo. The shapes are the chaos layer's own (shared/chaos/fault-spec.ts, timeline.ts), declared here
// as zod so both sides check them.
import { z } from 'zod';

const ms = z.number().int().nonnegative().max(24 * 3600_000);
const ParameterValueSchema = z.union([z.number(), z.string(), z.boolean()]);

const parameterBase = { name: z.string(), description: z.string(), required: z.boolean().optional() };
export const ParameterSpecSchema = z.discriminatedUnion('type', [
  z.object({ ...parameterBase, type: z.literal('number'), unit: z.string(), min: z.number(), max: z.number(), integer: z.boolean().optional(), default: z.number().optional() }),
  z.object({ ...parameterBase, type: z.literal('string'), pattern: z.string().optional(), default: z.string().optional() }),
  z.object({ ...parameterBase, type: z.literal('enum'), values: z.array(z.string()).readonly(), default: z.string().optional() }),
  z.object({ ...parameterBase, type: z.literal('bool'), default: z.boolean().optional() }),
  z.object({ ...parameterBase, type: z.literal('service') }),
]);

export const FaultSpecSchema = z.object({
  id: z.string(),
  family: z.enum(['container', 'process', 'resource', 'network', 'proxy', 'user']),
  description: z.string(),
  parameters: z.array(ParameterSpecSchema).readonly(),
  needs: z.array(z.enum(['docker', 'local-engine-root', 'proxy'])).readonly(),
  revertible: z.boolean(),
  revert: z.string(),
  injectable: z.boolean(),
});

export const TimelineBlockSchema = z.object({
  id: z.string().min(1).max(64),
  fault: z.string().min(1).max(200),
  service: z.string().min(1).max(200),
  startMs: ms,
  durationMs: ms.positive(),
  params: z.record(z.string(), ParameterValueSchema),
  timing: z.string().max(200).optional(),
});

export const TimelineSchema = z.object({
  name: z.string(),
  steadyMs: ms,
  recoveryMs: ms,
  blocks: z.array(TimelineBlockSchema).max(200).readonly(),
});

const SaveRequestSchema = z.object({ path: z.string().min(1), timeline: TimelineSchema });

export const chaosCalls = {
  /** A test file's experiment on a timeline, the lanes (its services) and the faults its catalog offers. */
  chaosExperiment: {
    request: z.object({ path: z.string().min(1) }),
    response: z.object({
      path: z.string(),
      services: z.array(z.string()),
      faults: z.array(FaultSpecSchema),
      timeline: TimelineSchema,
      /** Why Save is off (a template, inline injections), when it is. */
      notEditable: z.string().optional(),
    }),
  },
  /** The diff a save of this timeline would make, after checking the edited file with the validator. */
  chaosPreview: {
    request: SaveRequestSchema,
    response: z.object({ path: z.string(), diff: z.string() }),
  },
  /** Writes the timeline's faults (atomic, re-validated); refused when the diff is no longer the one shown. */
  chaosSave: {
    request: SaveRequestSchema.extend({ diff: z.string() }),
    response: z.object({ path: z.string(), diff: z.string(), undoToken: z.string() }),
  },
  /** Puts the file back as it was before that save (refused when it changed since). */
  chaosUndo: {
    request: z.object({ token: z.string().regex(/^[0-9a-f]{32}$/, 'expected an undo token (32 hex digits)') }),
    response: z.object({ path: z.string(), diff: z.string() }),
  },
} as const;
