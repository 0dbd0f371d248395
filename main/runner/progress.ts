// Human output of a run, one renderer of the run's typed events: a line per event (CI logs), and on a
// terminal a status line at the bottom that is rewritten in place (what is running now); then a summary
// with each failure's reasons.
import { formatProblem } from '../../shared/errors';
import type { RunEvent } from '../../shared/run';
import { describeQuarantine } from '../../shared/healing';
import { determinismLine, failureLines, healedLines } from './reports';
import { suiteLines } from './suite-report';
import type { RunSummary } from './types';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const MARK: Record<string, string> = { passed: '✓', failed: '✗', error: '!', skipped: '-' };

export interface Progress {
  readonly onEvent: (event: RunEvent) => void;
  /** Clears the status line (call before printing the summary). */
  readonly finish: () => void;
}

export function createProgress(write: (line: string) => void, tty: boolean, verbose = false): Progress {
  const running = new Map<string, string>();
  const decided = decidedWhileRunning();
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
    const line = describeEvent(event, verbose);
    const changed = decided(event);
    if (event.type === 'test-started') running.set(event.test, 'starting');
    if (event.type === 'execution-started') running.set(event.test, `${event.scenario}${event.iterations > 1 ? ` ${event.iteration}/${event.iterations}` : ''}`);
    if (event.type === 'test-finished') running.delete(event.test);
    if (line !== undefined) print(line);
    if (changed !== undefined) print(changed);
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

/** The progress line for one event (undefined: the event prints nothing at this verbosity). */
export function describeEvent(event: RunEvent, verbose: boolean): string | undefined {
  switch (event.type) {
    case 'run-started':
      return `clnrm run ${event.runId}: ${event.tests} test(s) from ${event.files} file(s); OTLP receiver on ${event.receiver}`;
    case 'test-started':
      return `▶ ${event.test}  (${event.file})`;
    case 'execution-started':
      return verbose || event.iterations > 1 ? `  ${event.test}: scenario ${event.scenario}${event.iterations > 1 ? ` iteration ${event.iteration}/${event.iterations}` : ''} (execution ${event.executionId})` : undefined;
    case 'phase':
      if (event.phase === 'services' && event.state === 'end') return `  ${event.test}: services ready in ${secs(event.durationMs ?? 0)}`;
      return verbose && event.state === 'end' ? `  ${event.test}: ${event.phase} done in ${secs(event.durationMs ?? 0)}` : undefined;
    case 'service':
      return verbose && (event.state === 'ready' || event.state === 'failed') ? `  ${event.test}: service ${event.service} ${event.state}${event.detail ? ` (${event.detail})` : ''}` : undefined;
    case 'step-finished': {
      const s = event.result;
      const detail = s.verdict === 'passed' ? `exit ${s.exitCode}${s.continued ? `, failure continued: ${s.message}` : ''}` : (s.message ?? s.verdict);
      return `  ${event.test}: ${MARK[s.verdict]} step ${s.name} [${s.target}] ${secs(s.durationMs)} — ${detail}`;
    }
    case 'verdict':
      return verbose && !event.passed ? `      ✗ ${event.expectation}: ${event.message}` : undefined;
    case 'execution-finished':
      return `  ${event.test}: ${MARK[event.verdict]} scenario ${event.scenario}${event.iteration > 1 ? ` #${event.iteration}` : ''}: ${event.spanCount} spans, ${event.expectations - event.failedExpectations}/${event.expectations} expectations passed`;
    case 'test-finished':
      return `${MARK[event.verdict]} ${event.test} ${event.verdict} in ${secs(event.durationMs)}${event.engine !== undefined ? ` on ${event.engine}` : ''}`;
    case 'fault':
      return `  ${event.test}: fault ${event.fault} on ${event.target} ${event.state}${event.detail ? ` (${event.detail})` : ''}`;
    case 'phase-verdict': {
      const failed = event.verdicts.filter((v) => !v.passed);
      const why = failed.map((v) => `${v.path}: ${v.message}`).join('; ');
      return `  ${event.test}: chaos: ${event.phase} ${failed.length === 0 ? 'passed' : 'failed'} (${event.verdicts.length - failed.length}/${event.verdicts.length}) at ${secs(event.decidedAtMs)}${why ? ` — ${why}` : ''}`;
    }
    case 'warning':
      return `warning: ${event.message}`;
    case 'log':
      return `  ${event.source}: ${event.message}`;
    case 'step-started':
    case 'run-finished':
    case 'experiment-started': // the chaos layer's log line says it
      return undefined;
  }
}

/**
 * Remembers each phase assertion decided while the experiment ran; when the end's verdict of one differs
 * (spans that arrived late), the line that says so.
 */
function decidedWhileRunning(): (event: RunEvent) => string | undefined {
  const early = new Map<string, { passed: boolean; atMs: number }>();
  return (event) => {
    if (event.type === 'phase-verdict') for (const v of event.verdicts) early.set(`${event.executionId} ${v.path}`, { passed: v.passed, atMs: event.decidedAtMs });
    if (event.type !== 'verdict') return undefined;
    const was = early.get(`${event.executionId} ${event.expectation}`);
    if (was === undefined || was.passed === event.passed) return undefined;
    const word = (passed: boolean): string => (passed ? 'passed' : 'failed');
    return `  ${event.test}: chaos: ${event.expectation} ${word(event.passed)} at the end, not ${word(was.passed)} as decided at ${secs(was.atMs)} (spans that arrived later changed it)`;
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
    lines.push(`${MARK[t.verdict]} ${t.name} (${t.file}) — ${t.verdict}${t.quarantine?.state === 'quarantined' ? ' (quarantined)' : ''}`);
    for (const line of failureLines(t)) lines.push(`    ${line}`);
  }
  lines.push(...healedLines(summary));
  const noted = summary.tests.filter((t) => t.quarantine);
  if (noted.length > 0) lines.push('', 'Quarantine:');
  for (const t of noted) lines.push(`${t.name}: ${describeQuarantine(t.quarantine!)}`);
  // The verdict of every [determinism] check, passed ones too: "it was deterministic" is a result.
  const checked = summary.tests.filter((t) => (t.determinism ?? []).length > 0);
  if (checked.length > 0) lines.push('', 'Determinism:');
  for (const t of checked) for (const d of t.determinism!) lines.push(`${d.passed ? MARK.passed : MARK.failed} ${t.name}: ${determinismLine(d)}`);
  lines.push(
    '',
    `${summary.tests.length} test(s): ${summary.passed} passed, ${summary.failed} failed, ${summary.errors} errors, ${summary.skipped} skipped${summary.quarantined ? `, ${summary.quarantined} quarantined` : ''} in ${secs(summary.durationMs)}`,
  );
  // The release verdict comes last: it is what a release pipeline reads.
  for (const suite of summary.suites ?? []) lines.push(...suiteLines(suite, suite.show));
  return lines;
}
