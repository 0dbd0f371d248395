// One step of a scenario: run its command in the named service's container (exec) or, when no service
// is named, in a fresh container on the run network; then judge it against expected_exit_code and
// expected_output_regex. A failing command is a result with a reason, never an exception. Its
// `clnrm.step:<name>` span records clnrm's container events for what really happened: container.exec
// always, container.start / container.stop only when the step had a container of its own.
import type { StepSpec } from '../../shared/spec';
import { compileClnrmRegex } from '../../shared/spec/regex';
import { toProblem } from '../../shared/errors';
import type { CommandResult, ContainerLifecycle } from '../docker';
import type { ExecutionTrace, StepTrace } from './execution-trace';
import { errorStatus, nowMs } from './self-trace';
import type { ServiceSetPort } from './service-port';
import type { StepResult } from './types';

/** Image for steps that name no service (a one-off container). */
export const DEFAULT_STEP_IMAGE = 'cleanroom/busybox:latest';
const DEFAULT_STEP_TIMEOUT_MS = 60_000;
const TAIL_BYTES = 2000;

export interface StepContext {
  readonly set: ServiceSetPort;
  /** Service the scenario names (`[[scenario]] service`), used when the step names none. */
  readonly scenarioService?: string;
  /** Extra environment for the command (the OTLP wiring, so an instrumented command reports too). */
  readonly env: Readonly<Record<string, string>>;
  /** Time left for the scenario (ms); the step gets at most this. */
  readonly remainingMs: () => number;
  readonly trace: ExecutionTrace;
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

/** Where a step runs: its service, the scenario's, or a fresh container. */
export function stepTarget(step: StepSpec, scenarioService: string | undefined): string {
  const service = step.service ?? scenarioService;
  return service ?? `fresh:${DEFAULT_STEP_IMAGE}`;
}

async function execute(step: StepSpec, ctx: StepContext, trace: StepTrace, timeoutMs: number): Promise<CommandResult> {
  const service = step.service ?? ctx.scenarioService;
  const env = { ...ctx.env, ...step.env };
  const command = step.command.join(' ');
  const began = nowMs();
  if (service) {
    const result = await ctx.set.exec(service, { cmd: step.command, env, workdir: step.workdir, timeoutMs });
    trace.executed(ctx.set.service(service).containerId, command, result.exitCode, began, nowMs());
    return result;
  }
  let containerId: string | undefined;
  let startedAt = began;
  let exited: { at: number; exitCode: number | null } | undefined;
  const onLifecycle = (e: ContainerLifecycle): void => {
    containerId = e.containerId;
    if (e.type === 'started') {
      startedAt = e.at;
      trace.containerStarted(e.containerId, DEFAULT_STEP_IMAGE, e.at);
    } else exited = e;
  };
  const result = await ctx.set.runOnce({ image: DEFAULT_STEP_IMAGE, cmd: step.command, env, workdir: step.workdir, timeoutMs, onLifecycle }, `step-${step.name}`.replace(/[^a-zA-Z0-9_.-]/g, '_'));
  trace.executed(containerId, command, result.exitCode, startedAt, exited?.at ?? nowMs());
  if (containerId && exited) trace.containerStopped(containerId, exited.exitCode, exited.at);
  return result;
}

/** Runs one step (the `index`-th of its scenario) and returns its result plus the raw output, for span artifacts. */
export async function runStep(step: StepSpec, index: number, ctx: StepContext): Promise<{ result: StepResult; stdout: string }> {
  const target = stepTarget(step, ctx.scenarioService);
  const timeoutMs = Math.max(1, Math.min(DEFAULT_STEP_TIMEOUT_MS, ctx.remainingMs()));
  const trace = ctx.trace.step(step.name, index, target, step.command.join(' '));
  let result: CommandResult;
  try {
    result = await execute(step, ctx, trace, timeoutMs);
  } catch (error) {
    const message = toProblem(error).message;
    trace.span.end({ result: 'fail', 'error.type': 'container_error', 'error.message': message }, errorStatus(message));
    return {
      result: { name: step.name, target, command: [...step.command], verdict: 'error', exitCode: null, expectedExitCode: step.expectedExitCode, timedOut: false, durationMs: 0, message, stdoutTail: '', stderrTail: '' },
      stdout: '',
    };
  }
  const failure = judge(step, result, timeoutMs);
  const continued = failure !== undefined && step.continueOnFailure;
  const verdict = failure === undefined || continued ? 'passed' : 'failed';
  trace.span.end(
    {
      result: failure === undefined ? 'pass' : 'fail',
      'exit.code': result.exitCode ?? undefined,
      'step.expected_exit_code': step.expectedExitCode,
      'step.timed_out': result.timedOut,
      'step.continued': continued || undefined,
      'error.type': failure === undefined ? undefined : result.timedOut ? 'timeout' : 'step_failed',
      'error.message': failure,
    },
    failure && !continued ? errorStatus(failure) : { code: 'ok' },
  );
  return {
    result: {
      name: step.name,
      target,
      command: [...step.command],
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
