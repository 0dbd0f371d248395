// One line of text per run event, for the progress chip of a running test (the CLI prints its own lines
// from the same events).
import type { RunEvent } from '../../../shared/run/events';

const ms = (v: number): string => (v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`);

export function runEventText(e: RunEvent): string {
  switch (e.type) {
    case 'run-started':
      return `${e.tests} test(s); receiver at ${e.receiver}`;
    case 'run-finished':
      return `run ${e.verdict} in ${ms(e.durationMs)}`;
    case 'test-started':
      return `test ${e.test}`;
    case 'test-finished':
      return `test ${e.test}: ${e.verdict}${e.engine !== undefined ? ` on ${e.engine}` : ''}${e.reason ? ` (${e.reason})` : ''}`;
    case 'execution-started':
      return `scenario ${e.scenario}${e.iterations > 1 ? ` (iteration ${e.iteration}/${e.iterations})` : ''}: starting services`;
    case 'phase':
      return `${e.phase} ${e.state === 'start' ? 'started' : `done${e.durationMs !== undefined ? ` in ${ms(e.durationMs)}` : ''}`}`;
    case 'service':
      return `service ${e.service}: ${e.state}${e.detail ? ` (${e.detail})` : ''}`;
    case 'step-started':
      return `step ${e.step} in ${e.target}`;
    case 'step-finished': {
      const r = e.result;
      return `step ${r.name}: ${r.verdict}${r.exitCode !== null ? ` (exit ${r.exitCode})` : ''}${r.message ? ` — ${r.message}` : ''}`;
    }
    case 'verdict':
      return `${e.passed ? '✓' : '✗'} ${e.expectation}`;
    case 'execution-finished':
      return `scenario ${e.scenario}: ${e.verdict}, ${e.spanCount} spans, ${e.expectations} expectation(s)`;
    case 'experiment-started':
      return `experiment ${e.experiment} started (${ms(e.totalMs)})`;
    case 'fault':
      return `fault ${e.fault} on ${e.target}: ${e.state}`;
    case 'phase-verdict':
      return `${e.phase}: ${e.verdicts.filter((v) => v.passed).length}/${e.verdicts.length} held (provisional)`;
    case 'warning':
      return `warning: ${e.message}`;
    case 'log':
      return `${e.source}: ${e.message}`;
  }
}
