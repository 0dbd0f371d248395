// The shapes of the knowledge store's files (main/healing/knowledge-store.ts reads and writes them):
// plain JSON a team can commit — the quarantine list, flakiness history, failure patterns seen, learned
// retry delays, repair proposals and the ones rejected. Each file carries `version` so a later format
// can be told apart. Pure: zod schemas and the empty value of each file.
import { z } from 'zod';
import { FAILURE_CLASSES } from './classes';
import { ClassificationSchema } from './schema';

const version = z.literal(1);
const testRef = { file: z.string().min(1), test: z.string().min(1) };

export const QuarantineFileSchema = z.object({
  version,
  tests: z.array(z.object({ ...testRef, since: z.string(), reason: z.string(), consecutivePasses: z.number().int().nonnegative() })),
});

/** A test's pass/fail sequence (`P`/`F`, oldest first, at most the history window) and its scores. */
export const FlakinessFileSchema = z.object({
  version,
  tests: z.array(
    z.object({
      ...testRef,
      scenario: z.string(),
      outcomes: z.string().regex(/^[PF]*$/, 'expected a string of P (pass) and F (fail)'),
      score: z.number().min(0).max(1),
      failureRate: z.number().min(0).max(1),
      updatedAt: z.string(),
    }),
  ),
});

/** How often each test failed with each class, and the last evidence. */
export const FailurePatternsFileSchema = z.object({
  version,
  patterns: z.array(z.object({ ...testRef, class: z.enum(FAILURE_CLASSES), count: z.number().int().positive(), lastSeen: z.string(), lastEvidence: z.string() })),
});

/** The `adaptive` retry strategy's learned first delay per failure class. */
export const RetryDelaysFileSchema = z.object({
  version,
  classes: z.array(z.object({ class: z.enum(FAILURE_CLASSES), delayMs: z.number().nonnegative(), healed: z.number().int().nonnegative(), notHealed: z.number().int().nonnegative() })),
});

export const ProposalSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{8}$/, 'expected 8 hex digits'),
  ...testRef,
  kind: z.string(),
  description: z.string(),
  reason: z.string(),
  evidence: z.array(z.string()),
  diff: z.string(),
  classification: ClassificationSchema,
  verified: z.boolean(),
  /** Reruns with the patch applied to a copy, and how many passed. */
  verification: z.object({ runs: z.number().int().nonnegative(), passed: z.number().int().nonnegative(), note: z.string().optional() }),
  runId: z.string(),
  createdAt: z.string(),
});
export type Proposal = z.infer<typeof ProposalSchema>;

export const ProposalsFileSchema = z.object({ version, proposals: z.array(ProposalSchema) });

/** Applied proposals (for undo) and rejected ones (never proposed again for the same file text). */
export const DecisionsFileSchema = z.object({
  version,
  rejected: z.array(z.object({ id: z.string(), ...testRef, kind: z.string(), diff: z.string(), at: z.string() })),
  applied: z.array(z.object({ id: z.string(), ...testRef, diff: z.string(), at: z.string() })),
});

export const KNOWLEDGE_FILES = {
  quarantine: { name: 'quarantine.json', schema: QuarantineFileSchema, empty: { version: 1, tests: [] } },
  flakiness: { name: 'flakiness.json', schema: FlakinessFileSchema, empty: { version: 1, tests: [] } },
  patterns: { name: 'failure-patterns.json', schema: FailurePatternsFileSchema, empty: { version: 1, patterns: [] } },
  retryDelays: { name: 'retry-delays.json', schema: RetryDelaysFileSchema, empty: { version: 1, classes: [] } },
  proposals: { name: 'proposals.json', schema: ProposalsFileSchema, empty: { version: 1, proposals: [] } },
  decisions: { name: 'decisions.json', schema: DecisionsFileSchema, empty: { version: 1, rejected: [], applied: [] } },
} as const;

export type KnowledgeKind = keyof typeof KNOWLEDGE_FILES;
export type KnowledgeOf<K extends KnowledgeKind> = z.infer<(typeof KNOWLEDGE_FILES)[K]['schema']>;
