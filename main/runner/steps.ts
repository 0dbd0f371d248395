// One step of a scenario: run its command in the named service's container (exec) or, when no service
// is named, in a fresh container on the run network; then judge it against expected_exit_code and
// expected_output_regex. A failing command is a result with a reason, never an exception.
import type { StepSpec } from '../../shared/spec';
import { compileClnrmRegex } from '../../shared/spec/regex';
import { toProblem } from '../../shared/errors';
import type { CommandResult, ServiceSet } from '../docker';
import type { OpenSpan } from './self-trace';
import { errorStatus } from './self-trace';
import type { StepResult } from './types';

/** Image for steps that name no service (a one-off container). */
export const DEFAULT_STEP_IMAGE = 'cleanroom/busybox:latest';
const DEFAULT_STEP_TIMEOUT_MS = 60_000;
const TAIL_BYTES = 2000;

export interface StepContext {
  readonly set: ServiceSet;
  /** Service the scenario names (`[[scenario]] service`), used when the step names none. */
  readonly scenarioService?: string;
  /** Extra environment for the command (the OTLP wiring, so an instrumented command reports too). */
  readonly env: Readonly<Record<string, string>>;
  /** Time left for the scenario (ms); the step gets at most this. */
  readonly remainingMs: () => number;
  readonly parentSpan: OpenSpan;
}

const tail = (text: string) => (text.length > TAIL_BYTES ? `…${text.slice(-TAIL_BYTES)}` : text);

function judge(step: StepSpec, result: CommandResult, timeoutMs: number): string | undefined {
  if (result.timedOut) return `did not finish within ${timeoutMs} ms`;
  if (result.exitCode !== step.expectedExitCode) {
    const said = (result.stderr || result.stdout).trim().split('\n').slice(-1)[0] ?? '';
    return `exited ${result.exitCode}, expected ${step.expectedExitCode}${said ? ` (last output: ${JSON.stringify(said.slice(0, 200))})` : ''}`;
  }
  if (step.expectedOutputRegex !== undefined) {
    const compiled = compileClnrmRegex(step.expectedOutputRegex);
    if (!compiled.ok) return `expected_output_regex ${JSON.stringify(step.expectedOutputRegex)} is not a valid pattern: ${compiled.message}`;
    if (!compiled.regex.test(result.stdout)) {
      const shown = result.stdout.trim().slice(0, 300);
      // `$` means end of output (as in clnrm's Rust regex), and output usually ends with a newline.
      const hint = compiled.regex.test(result.stdout.replace(/\r?\n$/, '')) ? ' (it matches without the final newline: end the pattern with \\n?$ or use (?m))' : '';
      return `output does not match /${step.expectedOutputRegex}/; stdout was ${shown ? JSON.stringify(shown) : 'empty'}${hint}`;
    }
  }
  return undefined;
}

/** Runs one step and returns its result (plus the raw output, for span artifacts). */
export async function runStep(step: StepSpec, ctx: StepContext): Promise<{ result: StepResult; stdout: string }> {
  const service = step.service ?? ctx.scenarioService;
  const target = service ?? `fresh:${DEFAULT_STEP_IMAGE}`;
  const timeoutMs = Math.max(1, Math.min(DEFAULT_STEP_TIMEOUT_MS, ctx.remainingMs()));
  const span = ctx.parentSpan.child(`clnrm.step:${step.name}`, { 'clnrm.step': step.name, 'clnrm.service': service, 'process.command_args': step.command.join(' ') });
  const execSpan = span.child(service ? 'clnrm.container.exec' : 'clnrm.container.run', { 'clnrm.service': service, 'container.image.name': service ? undefined : DEFAULT_STEP_IMAGE });
  const env = { ...ctx.env, ...step.env };
  let result: CommandResult;
  try {
    result = service
      ? await ctx.set.exec(service, { cmd: step.command, env, workdir: step.workdir, timeoutMs })
      : await ctx.set.runOnce({ image: DEFAULT_STEP_IMAGE, cmd: step.command, env, workdir: step.workdir, timeoutMs }, `step-${step.name}`.replace(/[^a-zA-Z0-9_.-]/g, '_'));
  } catch (error) {
    const message = toProblem(error).message;
    execSpan.end({}, errorStatus(message));
    span.end({ 'clnrm.step.verdict': 'error' }, errorStatus(message));
    return {
      result: { name: step.name, target, command: step.command, verdict: 'error', exitCode: null, expectedExitCode: step.expectedExitCode, timedOut: false, durationMs: 0, message, stdoutTail: '', stderrTail: '' },
      stdout: '',
    };
  }
  execSpan.end({ 'process.exit.code': result.exitCode ?? undefined, 'clnrm.timed_out': result.timedOut });
  const failure = judge(step, result, timeoutMs);
  const continued = failure !== undefined && step.continueOnFailure;
  const verdict = failure === undefined || continued ? 'passed' : 'failed';
  span.end(
    { 'process.exit.code': result.exitCode ?? undefined, 'clnrm.step.expected_exit_code': step.expectedExitCode, 'clnrm.step.verdict': verdict, 'clnrm.duration_ms': Math.round(result.durationMs) },
    failure && !continued ? errorStatus(failure) : { code: 'unset' },
  );
  return {
    result: {
      name: step.name,
      target,
      command: step.command,
      verdict,
      exitCode: result.exitCode,
      expectedExitCode: step.expectedExitCode,
      timedOut: result.timedOut,
      durationMs: result.durationMs,
      ...(failure ? { message: failure } : {}),
      ...(continued ? { continued: true } : {}),
      stdoutTail: tail(result.stdout),
      stderrTail: tail(result.stderr),
    },
    stdout: result.stdout,
  };
}
