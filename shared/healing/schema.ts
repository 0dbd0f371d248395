// Zod shapes of a classification and a healing record, for the run history (execution evidence) and
// anything else that reads them back from outside (IPC, stored JSON).
import { z } from 'zod';
import { EVIDENCE_KINDS, FAILURE_CLASSES } from './classes';

export const ClassificationSchema = z.object({
  class: z.enum(FAILURE_CLASSES),
  confidence: z.number().min(0).max(1),
  evidence: z.array(z.object({ kind: z.enum(EVIDENCE_KINDS), detail: z.string(), ref: z.string().optional() })).readonly(),
  pattern: z.number().int().positive().optional(),
});

export const HealingRecordSchema = z.object({
  attempts: z.array(z.object({ executionId: z.string(), verdict: z.enum(['failed', 'error']), classification: ClassificationSchema, delayMs: z.number().nonnegative(), retriedWith: z.string().optional() })).readonly(),
  healed: z.boolean(),
  stoppedBecause: z.string().optional(),
});
