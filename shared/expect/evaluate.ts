// The engine's entry point: builds one index over the spans and runs every expectation family
// against it, in the order the families appear in the test file format.
import type { Span } from '../model';
import type { EvaluationConfig, ExpectationResult } from './types';
import type { TraceIndex } from './trace-index';
import { buildTraceIndex } from './trace-index';
import { evaluateSpanRules } from './span';
import { evaluateGraph } from './graph';
import { evaluateCounts } from './counts';
import { evaluateWindow } from './window';
import { evaluateOrder } from './order';
import { evaluateStatus } from './status';
import { evaluateHermeticity } from './hermeticity';
import { evaluateTemporal } from './temporal';
import { evaluateDistributed } from './distributed';
import { evaluateCrossService } from './cross-service';

/** Evaluate against an index built earlier (lets callers time or reuse the index). */
export function evaluateWithIndex(index: TraceIndex, config: EvaluationConfig): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  const e = config.expect;
  if (e) {
    if (e.span) evaluateSpanRules(Array.isArray(e.span) ? e.span : [e.span], index, out);
    if (e.graph) evaluateGraph(e.graph, index, out);
    if (e.counts) evaluateCounts(e.counts, index, out);
    if (e.window) (Array.isArray(e.window) ? e.window : [e.window]).forEach((w, i) => evaluateWindow(w, i, index, out));
    if (e.order) evaluateOrder(e.order, index, out);
    if (e.status) evaluateStatus(e.status, index, out);
    if (e.hermeticity) evaluateHermeticity(e.hermeticity, index, config.knownHosts ?? [], out);
    if (e.cross_service) evaluateCrossService(e.cross_service, 'expect.cross_service', index, out);
  }
  if (config.scenarioCrossService) evaluateCrossService(config.scenarioCrossService.rules, config.scenarioCrossService.path, index, out);
  if (config.temporal) evaluateTemporal(config.temporal, index, out);
  if (config.distributed) evaluateDistributed(config.distributed, index, out);
  return out;
}

export function evaluateExpectations(spans: readonly Span[], config: EvaluationConfig): ExpectationResult[] {
  return evaluateWithIndex(buildTraceIndex(spans), config);
}
