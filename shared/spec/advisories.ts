// Warnings about a valid document that would otherwise mislead: sections whose layer does not act
// on them yet (`spec.not-yet`, named, never silent), service `type` values clnrm does not know
// (`spec.service-type`), a `wait_for_span` that can only time out (`spec.self-wait`), and a
// `parallel_services` list that disagrees with the `run` list it describes.
import type { Problem } from '../errors';
import { HALTING_TYPES } from '../chaos/experiment-halt';
import { checkExpectChaos, JUDGED_CHAOS_KEYS } from '../chaos/expect-chaos';
import { DELAY_MS_MEANING } from '../chaos/scenario-injection';
import { healingNotActedOn } from '../healing/not-yet';
import { thresholdRules } from '../perf/regression-thresholds';
import { intelligenceNotActedOn } from '../intelligence/not-yet';
import type { Locator } from './locate';
import { formatPath, type PathSegment } from './path';
import type { RawTestFile } from './schema/root';
import { UNJUDGED_PHASE_KEYS } from './schema/scenario-phase';
import { ENGINE_STATS_TICK_MS, RESOURCE_TOGGLES, statsIntervalMs } from './schema/v2';
import { CLNRM_SERVICE_TYPES, type ServiceSection } from './schema/services';
import { didYouMean } from './suggest';

/** `[performance]` keys the runner acts on (stats sampling, baselines, regression thresholds); the rest wait for the performance layer. */
const PERFORMANCE_ACTED_ON = new Set(['sample_stats_ms', 'baseline', 'baseline_name', 'regression', 'metrics']);

/**
 * A wait that can only time out: spans named `clnrm.*` come from a clnrm process, and unless the
 * service itself runs clnrm (its args name it), the only clnrm processes are the runner (whose step
 * spans exist only after services are ready) and a clnrm the scenario starts inside this service.
 */
export function isSelfProducedWait(service: Pick<ServiceSection, 'wait_for_span' | 'args'>): boolean {
  const name = service.wait_for_span;
  if (name === undefined || !name.startsWith('clnrm.')) return false;
  return !(service.args ?? []).some((a) => /(^|[\s/])clnrm(\s|$)/.test(a));
}

export function adviseDocument(doc: RawTestFile, locator: Locator, file?: string): Problem[] {
  const out: Problem[] = [];
  const warn = (code: Problem['code'], segments: PathSegment[], message: string): void => {
    const loc = locator.key(segments);
    out.push({ code, message, file, line: loc.line, column: loc.column, path: formatPath(segments) });
  };
  notYet(doc, warn);
  sampleIntervalAdvice(doc, warn);
  metricsAdvice(doc, warn);
  thresholdsAdvice(doc, warn);
  for (const table of ['service', 'services'] as const) {
    for (const [id, svc] of Object.entries(doc[table] ?? {})) serviceAdvice(svc, [table, id], id, warn);
  }
  (doc.scenario ?? []).forEach((scenario, i) => {
    const services = scenario.services;
    if (services && !Array.isArray(services)) for (const [id, svc] of Object.entries(services)) serviceAdvice(svc, ['scenario', i, 'services', id], id, warn);
    if (Array.isArray(services)) services.forEach((svc, k) => serviceAdvice(svc, ['scenario', i, 'services', k], svc.name ?? `#${k}`, warn));
    parallelAdvice(scenario, i, warn);
  });
  return out;
}

type Warn = (code: Problem['code'], segments: PathSegment[], message: string) => void;

function notYet(doc: RawTestFile, warn: Warn): void {
  const later = (segments: PathSegment[], what: string, layer: string): void =>
    warn('spec.not-yet', segments, `${what} arrives with ${layer} (not acted on yet): validated, but this run ignores it`);
  chaosNotYet(doc, warn, later);
  const healing = doc.self_healing ? healingNotActedOn(doc.self_healing) : [];
  if (healing.length > 0) later(['self_healing', ...healing[0]!], `[self_healing] ${healing.map((p) => formatPath(p)).join(', ')} (classification, retries, quarantine and repairs are acted on)`, 'later parts of the self-healing layer');
  const intelligence = doc.intelligence ? intelligenceNotActedOn(doc.intelligence) : [];
  if (intelligence.length > 0) later(['intelligence', ...intelligence[0]!], `[intelligence] ${intelligence.map((p) => formatPath(p)).join(', ')} (sources, thresholds, buffer factor and generation rules are acted on by suggest and generate)`, 'later parts of the intelligence layer');
  const perf = Object.keys(doc.performance ?? {}).filter((k) => !PERFORMANCE_ACTED_ON.has(k));
  if (perf.length > 0) later(['performance', perf[0]!], `[performance] ${perf.join(', ')} (only stats sampling, baselines and regression thresholds are acted on)`, 'the performance layer');
  const unjudged = doc.expect?.chaos ? checkExpectChaos(doc.expect.chaos).unjudged : [];
  if (unjudged.length > 0) {
    warn('spec.not-yet', ['expect', 'chaos', unjudged[0]!], `[expect.chaos] ${unjudged.join(', ')}: no check of ours gives ${unjudged.length === 1 ? 'it' : 'them'} a meaning, so ${unjudged.length === 1 ? 'it is' : 'they are'} not judged (judged: ${JUDGED_CHAOS_KEYS.join(', ')})`);
  }
  (doc.scenario ?? []).forEach((s, i) => {
    if (s.chaos_injection?.delay_ms !== undefined) warn('chaos.delay-meaning', ['scenario', i, 'chaos_injection', 'delay_ms'], DELAY_MS_MEANING);
    if (s.chaos_enabled === false && (s.phase || s.chaos_injection)) warn('spec.not-yet', ['scenario', i, 'chaos_enabled'], `chaos_enabled = false: scenario \`${s.name}\` runs without its ${s.phase ? 'phases' : 'chaos_injection'} (nothing of it is injected or judged)`);
    (s.phase ?? []).forEach((p, j) =>
      (p.expect ?? []).forEach((e, k) => {
        const keys = UNJUDGED_PHASE_KEYS.filter((key) => e[key] !== undefined);
        if (keys.length > 0) warn('spec.not-yet', ['scenario', i, 'phase', j, 'expect', k, keys[0]!], `phase \`${p.name}\` ${keys.join(', ')}: no check of ours gives ${keys.length === 1 ? 'it' : 'them'} a meaning, so ${keys.length === 1 ? 'it is' : 'they are'} not judged`);
      }),
    );
  });
  if (doc.cleanup?.artifacts !== undefined) {
    warn('spec.not-yet', ['cleanup', 'artifacts'], '[cleanup] artifacts is not acted on: the runner writes no artifact files besides the [report] outputs, which are always kept');
  }
}

/** What of `[chaos]` the runner does not act on: experiments and the catalog are run and checked. */
function chaosNotYet(doc: RawTestFile, warn: Warn, later: (segments: PathSegment[], what: string, layer: string) => void): void {
  const chaos = doc.chaos;
  if (!chaos) return;
  const ignored = Object.keys(chaos).filter((k) => k !== 'experiment' && k !== 'patterns' && k !== 'catalog' && k !== 'enabled');
  if (ignored.length > 0) later(['chaos', ignored[0]!], `[chaos] ${ignored.join(', ')} (only [chaos.experiment], [chaos.patterns] and [chaos.catalog] are acted on)`, 'later parts of the chaos layer');
  if (typeof chaos.experiment === 'string') later(['chaos', 'experiment'], `[chaos] experiment = "${chaos.experiment}" (a name without a table)`, 'later parts of the chaos layer');
  const e = typeof chaos.experiment === 'object' ? chaos.experiment : undefined;
  const phases = [['steady_state', e?.steady_state], ['during_chaos', e?.during_chaos], ['recovery', e?.recovery]] as const;
  for (const [name, phase] of phases) {
    (phase?.assertion ?? []).forEach((a, i) => {
      if (a.abort_on_fail !== true || (HALTING_TYPES as readonly string[]).includes(a.type)) return;
      warn('chaos.cannot-halt', ['chaos', 'experiment', name, 'assertion', i, 'abort_on_fail'], `abort_on_fail cannot halt a ${a.type} assertion: only its whole phase decides it, so it is judged when the experiment ends (success_rate, latency, degraded_performance and max_downtime halt the experiment the moment they fail)`);
    });
  }
}

function sampleIntervalAdvice(doc: RawTestFile, warn: Warn): void {
  const asked = statsIntervalMs(doc.performance);
  if (asked === undefined || asked >= ENGINE_STATS_TICK_MS) return;
  const [path, key] = doc.performance?.sample_stats_ms !== undefined ? [['performance', 'sample_stats_ms'], 'sample_stats_ms'] : [['performance', 'metrics', 'resources', 'sample_interval_ms'], 'sample_interval_ms'];
  warn('perf.sample-interval', path, `${key} = ${asked} is finer than the engine measures (it reads a container's counters once a second): samples come every ${ENGINE_STATS_TICK_MS} ms`);
}

/** `[performance.metrics]` keys that change nothing: every run's metrics carry those figures, and every resource is sampled. */
function metricsAdvice(doc: RawTestFile, warn: Warn): void {
  const metrics = doc.performance?.metrics;
  if (!metrics) return;
  const inert = Object.keys(metrics).filter((k) => k !== 'resources');
  if (inert.length > 0) {
    warn('spec.not-yet', ['performance', 'metrics', inert[0]!], `[performance.metrics] ${inert.join(', ')}: latency percentiles and histograms, throughput, counts and error rates per span name are computed for every run (clnrm perf history|compare, the Performance view), so ${inert.length === 1 ? 'this key changes' : 'these keys change'} nothing`);
  }
  const toggles = RESOURCE_TOGGLES.filter((k) => metrics.resources?.[k] !== undefined);
  if (toggles.length > 0) {
    warn('spec.not-yet', ['performance', 'metrics', 'resources', toggles[0]!], `[performance.metrics.resources] ${toggles.join(', ')}: CPU, memory, network and disk (local engine) are always sampled together, so ${toggles.length === 1 ? 'this key changes' : 'these keys change'} nothing`);
  }
}

/** `[performance.regression.thresholds]` keys that set no limit the runner checks. */
function thresholdsAdvice(doc: RawTestFile, warn: Warn): void {
  const table = doc.performance?.regression?.thresholds;
  if (!table) return;
  for (const { key, why } of thresholdRules(table).ignored) {
    warn('toml.unknown-key', ['performance', 'regression', 'thresholds', key], `[performance.regression.thresholds] ${key} ${why}`);
  }
}

function serviceAdvice(svc: ServiceSection, at: PathSegment[], id: string, warn: Warn): void {
  const known = CLNRM_SERVICE_TYPES as readonly string[];
  if (svc.type !== undefined && !known.includes(svc.type.toLowerCase())) {
    warn('spec.service-type', [...at, 'type'], `service \`${id}\` has type "${svc.type}", which is not one of clnrm's service types${didYouMean(svc.type, known)} (known: ${known.join(', ')}); it is used as the plugin name`);
  }
  if (svc.type !== undefined && svc.plugin !== undefined && svc.type !== svc.plugin) {
    warn('spec.service-type', [...at, 'type'], `service \`${id}\` has type "${svc.type}" but plugin "${svc.plugin}": plugin wins; remove type (it is older clnrm's name for plugin)`);
  }
  if (isSelfProducedWait(svc)) {
    warn(
      'spec.self-wait',
      [...at, 'wait_for_span'],
      `service \`${id}\` waits for "${svc.wait_for_span}", a span clnrm emits only after services are ready (the runner's own spans, or a clnrm that this service's scenario starts); honoured literally it can only time out, so the runner treats this wait as satisfied at start (remove it, or wait for a span the service emits while starting)`,
    );
  }
}

function parallelAdvice(scenario: NonNullable<RawTestFile['scenario']>[number], i: number, warn: Warn): void {
  if (!scenario.parallel_services) return;
  const list = Array.isArray(scenario.run) ? scenario.run.filter((e) => typeof e !== 'string') : [];
  if (list.length === 0) {
    warn('spec.reference', ['scenario', i, 'parallel_services'], `scenario \`${scenario.name}\`: parallel_services applies to a run list like run = [{ service = "a", command = "..." }]; without one it changes nothing`);
    return;
  }
  const inRun = new Set(list.map((e) => e.service));
  const listed = new Set(scenario.parallel_services);
  const extra = [...listed].filter((s) => !inRun.has(s));
  const unlisted = [...inRun].filter((s) => !listed.has(s));
  if (extra.length > 0 || unlisted.length > 0) {
    const parts = [extra.length > 0 ? `lists ${extra.join(', ')} that the run list does not use` : '', unlisted.length > 0 ? `omits ${unlisted.join(', ')} that the run list uses` : ''];
    warn('spec.reference', ['scenario', i, 'parallel_services'], `scenario \`${scenario.name}\`: parallel_services ${parts.filter(Boolean).join(' and ')}; the run list decides what runs`);
  }
}
