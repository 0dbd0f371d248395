// The whole `.clnrm.toml` document as clnrm v1 accepts it, plus the v2 layers. Plain `z.object`
// everywhere so unknown keys can be found by walking `.shape` (unknown keys are warnings, not errors).
import { z } from 'zod';
import { expectSchema } from './expect';
import { shape } from './common';
import { metaSchema, testSectionSchema } from './meta';
import { otelHeadersSchema, otelSchema, propagatorsSchema } from './otel';
import {
  assertionsSchema,
  cleanupSchema,
  determinismSchema,
  limitsSchema,
  matrixSchema,
  otelValidationSchema,
  reportSchema,
  templateSectionSchema,
  varsSchema,
} from './run-config';
import { scenarioSchema, stepSchema } from './scenario';
import { serviceMapSchema } from './services';
import {
  chaosSchema,
  intelligenceSchema,
  layersSchema,
  orchestrationSchema,
  performanceSchema,
  pluginsSchema,
  selfHealingSchema,
} from './v2';

export const testFileSchema = z.object({
  meta: metaSchema.optional(),
  test: testSectionSchema.optional(),
  vars: varsSchema.optional(),
  matrix: matrixSchema.optional(),
  otel: otelSchema.optional(),
  otel_headers: otelHeadersSchema.optional(),
  otel_propagators: propagatorsSchema.optional(),
  service: serviceMapSchema.optional(),
  services: serviceMapSchema.optional(),
  steps: z.array(stepSchema, shape('an array of tables [[steps]]')).optional(),
  scenario: z.array(scenarioSchema, shape('an array of tables [[scenario]]')).optional(),
  expect: expectSchema.optional(),
  assertions: assertionsSchema.optional(),
  otel_validation: otelValidationSchema.optional(),
  determinism: determinismSchema.optional(),
  limits: limitsSchema.optional(),
  report: reportSchema.optional(),
  cleanup: cleanupSchema.optional(),
  orchestration: orchestrationSchema.optional(),
  chaos: chaosSchema.optional(),
  performance: performanceSchema.optional(),
  intelligence: intelligenceSchema.optional(),
  self_healing: selfHealingSchema.optional(),
  plugins: pluginsSchema.optional(),
  layers: layersSchema.optional(),
  template: templateSectionSchema.optional(),
});

/** Canonical order of top-level tables (the formatter writes them in this order). */
export const SECTION_ORDER: readonly string[] = Object.keys(testFileSchema.shape);

export type RawTestFile = z.infer<typeof testFileSchema>;
