// Errors are values: a code from one closed union, a message that says what to do, and where it
// happened. They cross IPC, the CLI and reports unchanged. Add a code here before using it.

export type ErrorCode =
  // test files
  | 'toml.syntax'
  | 'toml.unknown-key'
  | 'toml.shape'
  | 'toml.template'
  | 'toml.env-unset'
  | 'toml.duplicate'
  | 'template.unsafe'
  | 'template.limit'
  | 'spec.reference'
  | 'spec.cycle'
  /** A section or key that is parsed and validated but whose layer does not act on it yet (chaos, self-healing…). */
  | 'spec.not-yet'
  /** A service `type` outside clnrm's plugin names, or one that disagrees with `plugin`. */
  | 'spec.service-type'
  /** A `wait_for_span` that only the service's own scenario could produce (it can only time out). */
  | 'spec.self-wait'
  | 'spec.host-access'
  // trace files and payloads
  | 'trace.format'
  | 'trace.invalid'
  | 'trace.not-found'
  | 'otlp.decode'
  | 'otlp.content-type'
  | 'otlp.too-large'
  | 'otlp.busy'
  | 'otlp.export-failed'
  // environment
  | 'io.read'
  | 'io.write'
  | 'cli.usage'
  | 'port.in-use'
  | 'docker.unavailable'
  | 'docker.image-missing'
  | 'docker.failed'
  | 'docker.wait-timeout'
  | 'docker.bad-command'
  | 'runner.cancelled'
  | 'runner.timeout'
  | 'runner.skipped'
  | 'runner.self-test-failed'
  /** A `[limits]` bound the execution would exceed (max_containers). */
  | 'runner.limit'
  | 'store.failed'
  | 'store.invalid'
  | 'store.not-found'
  | 'store.query'
  | 'plugin.failed'
  | 'plugin.cycle'
  | 'ipc.invalid'
  | 'ipc.unavailable'
  | 'studio.path-denied'
  /** A trace file upload from a page that cannot go on (unknown or expired id, a chunk out of order, too large, too many at once). */
  | 'studio.upload'
  // performance
  /** A time-series CSV (`clnrm perf changes`) that is not a header row plus numeric metric columns. */
  | 'perf.csv'
  // store host (a running studio serving its data folder to CLI commands)
  /** The studio that holds the data folder stopped answering (it quit, or hangs) during a command. */
  | 'host.unreachable'
  /** The store host refused a request: wrong or missing secret, a Host or Origin that is not loopback. */
  | 'host.refused'
  /** A host file that cannot be trusted (another user's, readable by others, malformed). */
  | 'host.untrusted'
  // chaos: the fault proxy (main/chaos/proxy) and its Toxiproxy-compatible API
  | 'chaos.invalid-toxic'
  | 'chaos.invalid-proxy'
  | 'chaos.bad-request'
  | 'chaos.not-found'
  | 'chaos.exists'
  | 'chaos.listen-failed'
  // intelligence (suggested assertions)
  /** A suggestion would change what the test file already says. */
  | 'suggest.conflict'
  /** No runs to learn from (no trace files, no stored runs of the test). */
  | 'suggest.no-runs'
  /** `--accept` named an id that is not among the suggestions. */
  | 'suggest.unknown-id'
  /** The file cannot be edited safely (templates) or would no longer validate after the edit. */
  | 'suggest.not-written'
  /** A Jaeger or Tempo query API (`--from`) could not be read: bad URL, HTTP error, timeout, too large, wrong shape. */
  | 'suggest.source'
  // chaos faults
  /** A fault id that is neither built in nor declared in `[chaos.catalog]`. */
  | 'chaos.unknown-fault'
  /** A fault's parameter missing, of the wrong type or out of its range. */
  | 'chaos.param'
  /** A `[chaos.catalog]` entry that contradicts itself or the built-in fault it narrows. */
  | 'chaos.catalog'
  /** The environment cannot inject this fault (remote engine, no nsenter/iptables, no memory limit…). */
  | 'chaos.unavailable'
  | 'chaos.inject-failed'
  | 'chaos.revert-failed'
  /** A `[chaos.experiment]` / `[expect.resilience]` that cannot be planned: a bad target or timing, no fault. */
  | 'chaos.experiment'
  /** A warning: `delay_ms` in a scenario's chaos_injection is when the fault starts, not added latency. */
  | 'chaos.delay-meaning'
  /** `abort_on_fail` on an assertion only its whole phase decides (recovery, failover): judged at the end, never halts (a warning). */
  | 'chaos.cannot-halt'
  /** A Chaos Toolkit experiment that cannot be read, or of which nothing maps to our faults. */
  | 'chaos.import'
  // stats sampling
  /** `[performance] sample_stats_ms` below what the engine measures: sampled at the engine's 1 s instead (a warning). */
  | 'perf.sample-interval'
  // healing
  /** A knowledge-store file (`.clnrm/*.json`) that is not valid JSON or not of its shape. */
  | 'healing.knowledge'
  /** `clnrm heal RUN_ID` / `--last`: no such run, or no run yet. */
  | 'healing.no-run'
  /** `clnrm heal --apply|--reject|--undo ID`: no proposal with that id. */
  | 'healing.no-proposal'
  /** A proposal's diff no longer applies to the file (the file changed since). */
  | 'healing.patch-stale'
  // perf: baselines (`clnrm perf baseline`)
  /** No stored baseline with that id, or no stored run of the test to save one from. */
  | 'perf.baseline-not-found'
  // intelligence: test generation and live collection windows
  /** `clnrm generate` would overwrite an existing file (without --force). */
  | 'generate.exists'
  /** No common path or error pattern gave a test file that validates and passes on its runs. */
  | 'generate.nothing'
  /** A live collection window (`--live`) received no spans, or its receiver could not start. */
  | 'suggest.live'
  // suggestions panel (studio)
  /** An edited snippet is not valid TOML or no longer says one suggestion of its kind. */
  | 'suggest.edit-invalid'
  /** An undo token that is unknown (used already, or from before the studio restarted) or whose file changed since. */
  | 'suggest.undo-unavailable'
  // failures view (studio)
  /** Applying a proposal with a hunk choice that names no hunk of its diff, or none at all. */
  | 'healing.hunks'
  // chaos view (studio)
  /** A timeline's save refused: a template, the edited file would not validate, or the file changed since its diff was shown. */
  | 'chaos.not-saved'
  /** An undo token that is unknown (used already, or from before the studio restarted) or whose file changed since. */
  | 'chaos.undo-unavailable'
  // runner: span relay for remote engines
  /** `CLNRM_RELAY` is not always, never or auto. */
  | 'relay.mode'
  /** A relay's spans did not all come home: it died, its end marker was short, a record was damaged, or the engine connection broke. */
  | 'relay.lost'
  // engine pool (`clnrm run --engine`, CLNRM_ENGINES)
  /** An --engine / CLNRM_ENGINES entry that is not an engine address (unix://, tcp://, ssh://, npipe://). */
  | 'runner.engine-address'
  /** An engine of the run's pool stopped answering mid-run: its running tests fail with this, naming it. */
  | 'runner.engine-lost'
  // big traces (studio store → UI)
  /** A binary trace frame that fails its framing or header checks (truncated, wrong version, unknown origin). */
  | 'ipc.frame'
  // chaos patterns
  /** A `[chaos.patterns]` validation that cannot be planned: no target, a check its pattern cannot make, a bad timing table, or beside [chaos.experiment]. */
  | 'chaos.pattern'
  | 'internal';

export interface SourceLocation {
  readonly file?: string;
  /** 1-based. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
}

export interface Problem extends SourceLocation {
  readonly code: ErrorCode;
  readonly message: string;
  /** Dotted key path inside the file, e.g. `service.api.ports[0]`. */
  readonly path?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** An Error carrying a Problem, for code paths that throw. */
export class StudioError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.message);
    this.name = 'StudioError';
    this.problem = problem;
  }
  get code(): ErrorCode {
    return this.problem.code;
  }
}

export function problem(code: ErrorCode, message: string, where: Omit<Problem, 'code' | 'message'> = {}): Problem {
  return { code, message, ...where };
}

/** `file:line:col` (parts that are known), for terminal output. */
export function formatLocation(where: SourceLocation): string {
  let out = where.file ?? '';
  if (where.line !== undefined) {
    out += `${out ? ':' : ''}${where.line}`;
    if (where.column !== undefined) out += `:${where.column}`;
  }
  return out;
}

export function formatProblem(p: Problem): string {
  const loc = formatLocation(p);
  return `${loc ? loc + ': ' : ''}${p.message} [${p.code}]`;
}

export function toProblem(error: unknown): Problem {
  if (error instanceof StudioError) return error.problem;
  // A StudioError from another bundle or realm (the browser-mode client, a worker) fails `instanceof`
  // but still carries its problem: keep its code rather than calling it 'internal'.
  if (isProblemCarrier(error)) return error.problem;
  if (error instanceof Error) return { code: 'internal', message: error.message };
  return { code: 'internal', message: String(error) };
}

function isProblemCarrier(error: unknown): error is { problem: Problem } {
  if (typeof error !== 'object' || error === null || !('problem' in error)) return false;
  const p = (error as { problem: unknown }).problem;
  return typeof p === 'object' && p !== null && typeof (p as Problem).code === 'string' && typeof (p as Problem).message === 'string';
}
