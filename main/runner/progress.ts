// Human output of a run: a line per event (CI logs), and on a terminal a status line at the bottom that
// is rewritten in place (what is running now); then a summary with each failure's reasons.
import { formatProblem } from '../../shared/errors';
import { executionFailureLines, failureLines } from './reports';
import type { RunEvent, RunSummary } from './types';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const MARK: Record<string, string> = { passed: '✓', failed: '✗', error: '!', skipped: '-' };

export interface Progress {
  readonly onEvent: (event: RunEvent) => void;
  /** Clears the status line (call before printing the summary). */
  readonly finish: () => void;
}

export function createProgress(write: (line: string) => void, tty: boolean, verbose = false): Progress {
  const running = new Map<string, string>();
  let statusShown = false;
  const print = (line: string) => {
    // Cursor up one line and clear it: the status line is replaced by the event line.
    write(statusShown ? `\x1b[1A\x1b[2K${line}` : line);
    statusShown = false;
  };
  const status = () => {
    if (!tty || running.size === 0) return;
    write(`… running: ${[...running].map(([test, what]) => `${test} (${what})`).join(', ')}`);
    statusShown = true;
  };
  const onEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'run-start':
        print(`clnrm run ${event.runId}: ${event.tests} test(s) from ${event.files} file(s); OTLP receiver on ${event.receiver}`);
        break;
      case 'test-start':
        running.set(event.test, 'starting');
        print(`▶ ${event.test}  (${event.file})`);
        break;
      case 'scenario-start':
        running.set(event.test, `${event.scenario}${event.iterations > 1 ? ` ${event.iteration}/${event.iterations}` : ''}`);
        if (verbose || event.iterations > 1) print(`  ${event.test}: scenario ${event.scenario}${event.iterations > 1 ? ` iteration ${event.iteration}/${event.iterations}` : ''} (execution ${event.runId})`);
        break;
      case 'services-ready':
        print(`  ${event.test}: services ready in ${secs(event.durationMs)}: ${event.services.join(', ') || '(none)'}`);
        break;
      case 'step-end': {
        const s = event.step;
        const detail = s.verdict === 'passed' ? `exit ${s.exitCode}${s.continued ? `, failure continued: ${s.message}` : ''}` : (s.message ?? s.verdict);
        print(`  ${event.test}: ${MARK[s.verdict]} step ${s.name} [${s.target}] ${secs(s.durationMs)} — ${detail}`);
        break;
      }
      case 'scenario-end': {
        const e = event.execution;
        const failedExpectations = e.expectations.filter((x) => !x.passed).length;
        print(`  ${event.test}: ${MARK[e.verdict]} scenario ${e.scenario}${e.iteration > 1 ? ` #${e.iteration}` : ''}: ${e.spanCount} spans, ${e.expectations.length - failedExpectations}/${e.expectations.length} expectations passed`);
        if (verbose) for (const line of executionFailureLines(e)) print(`      ${line}`);
        break;
      }
      case 'test-end':
        running.delete(event.result.name);
        print(`${MARK[event.result.verdict]} ${event.result.name} ${event.result.verdict} in ${secs(event.result.durationMs)}`);
        break;
      case 'warning':
        print(`warning: ${event.message}`);
        break;
      case 'log':
        print(`  ${event.source}: ${event.message}`);
        break;
    }
    status();
  };
  return {
    onEvent,
    finish: () => {
      if (statusShown) write('\x1b[1A\x1b[2K');
      statusShown = false;
    },
  };
}

export function summaryLines(summary: RunSummary): string[] {
  const lines: string[] = [];
  if (summary.environmentProblem) {
    lines.push(`clnrm run: ${formatProblem(summary.environmentProblem)}`);
    if (summary.tests.length === 0) return lines;
  }
  const notPassed = summary.tests.filter((t) => t.verdict !== 'passed');
  if (notPassed.length > 0) lines.push('', 'Failures:');
  for (const t of notPassed) {
    lines.push(`${MARK[t.verdict]} ${t.name} (${t.file}) — ${t.verdict}`);
    for (const line of failureLines(t)) lines.push(`    ${line}`);
  }
  lines.push(
    '',
    `${summary.tests.length} test(s): ${summary.passed} passed, ${summary.failed} failed, ${summary.errors} errors, ${summary.skipped} skipped in ${secs(summary.durationMs)}`,
  );
  return lines;
}
