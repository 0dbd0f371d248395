// `[meta]` (v1) and the legacy `[test.metadata]` that older clnrm files use instead.
import { z } from 'zod';
import { num, shape, str, strArray } from './common';

export const metaSchema = z.object(
  {
    name: str('a test name like "api_smoke"').min(1, 'must not be empty'),
    version: str('a version string like "1.0"').optional(),
    description: str('a description string').optional(),
    author: str('an author like "clnrm core team"').optional(),
    tags: strArray('an array of tags like ["chaos", "otel"]').optional(),
    // A generated test's provenance (the seed's keys; `clnrm generate` writes them).
    generated_by: str('a generator like "clnrm generate"').optional(),
    source_traces: z.union([z.string(), z.array(z.string())], shape('a trace file name or an array of run ids')).optional(),
    confidence: num('a confidence from 0 to 1, like 0.99').min(0, 'must be a confidence from 0 to 1').max(1, 'must be a confidence from 0 to 1').optional(),
  },
  shape('a table [meta] with name = "..."'),
);

export const testMetadataSchema = z.object(
  {
    name: str('a test name like "api_smoke"').min(1, 'must not be empty'),
    description: str('a description string').optional(),
    version: str('a version string like "1.0"').optional(),
    author: str('an author like "clnrm core team"').optional(),
    tags: strArray('an array of tags like ["chaos", "otel"]').optional(),
    timeout: str('a duration string like "60s"')
      .regex(/^\s*\d+\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days)\s*$/, {
        message: 'must be a duration like "30s", "5m" or "1h"',
      })
      .optional(),
  },
  shape('a table [test.metadata] with name = "..."'),
);

/** `[test.metadata]`; some older files put name/description directly under `[test]`, which is accepted too. */
export const testSectionSchema = z.object(
  {
    metadata: testMetadataSchema.optional(),
    name: str('a test name like "api_smoke"').min(1, 'must not be empty').optional(),
    description: str('a description string').optional(),
    timeout: testMetadataSchema.shape.timeout,
  },
  shape('a table [test.metadata]'),
);

export type MetaSection = z.infer<typeof metaSchema>;
export type TestMetadataSection = z.infer<typeof testMetadataSchema>;
