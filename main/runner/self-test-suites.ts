// `clnrm self-test --suite basic|container|service|otel`: clnrm's self-test suites, done for real on the
// Docker engine this process reaches (inside a container: the engine socket the test file mounts).
// Every span describes work done here: `clnrm.plugin.registry` parses the built-in services and maps
// them through the service-plugin table; each suite is one `clnrm.step:<name>` under `clnrm.run` with
// `container.start|exec|stop` events for the containers it really started, ran in and stopped.
import type Docker from 'dockerode';
import { StudioError, toProblem } from '../../shared/errors';
import { decodeOtlpProtobuf, encodeOtlpProtobuf } from '../../shared/otlp';
import { formatClnrmSpanLine } from '../../shared/otlp/clnrm-ndjson-write';
import { parseTraceFile } from '../../shared/otlp/trace-file';
import type { Span } from '../../shared/model';
import { parseTestFile } from '../../shared/spec';
import { managedFilter, ServiceSet, type ServiceDefinition } from '../docker';
import { serviceFromSpec } from '../docker/from-spec';
import { errorStatus, type OpenSpan, type SelfTracer } from './self-trace';

export const SELF_TEST_SUITES = ['basic', 'container', 'service', 'otel'] as const;
export type SelfTestSuite = (typeof SELF_TEST_SUITES)[number];

/** The step each suite runs (its span is `clnrm.step:<step>`). */
export const SUITE_STEPS: Record<SelfTestSuite, string> = {
  basic: 'hello_world',
  container: 'container_lifecycle',
  service: 'service_registration',
  otel: 'otel_validation',
};

// `wait` returns as soon as SIGTERM arrives (a bare `sleep` would hold the stop for up to a second).
const KEEP_RUNNING = ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"];

/** The containers the suites use, as a test file: parsing it and mapping its services is the plugin-registry work. */
export const SUITE_SERVICES_SOURCE = `[meta]
name = "clnrm_self_test_services"

[service.hello]
plugin = "generic_container"
image = "cleanroom/busybox:latest"
args = ${JSON.stringify(KEEP_RUNNING)}

[service.lifecycle]
plugin = "generic_container"
image = "cleanroom/busybox:latest"
args = ${JSON.stringify(KEEP_RUNNING)}

[service.registry_db]
plugin = "generic_container"
image = "cleanroom/busybox:latest"
args = ["sh", "-c", "httpd -f -p 8080 -h /etc & trap 'exit 0' TERM; wait $!"]
health_check = { cmd = ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/passwd"], interval = 1, retries = 20 }

[service.registry_api]
plugin = "generic_container"
image = "cleanroom/busybox:latest"
args = ${JSON.stringify(KEEP_RUNNING)}
depends_on = ["registry_db"]

[[scenario]]
name = "hello_world"
service = "hello"
run = "echo 'hello world'"

[[scenario]]
name = "container_lifecycle"
service = "lifecycle"
run = "sh -c 'echo $((6 * 7))'"

[[scenario]]
name = "service_registration"
service = "registry_api"
run = "wget -q -O - http://registry_db:8080/passwd"
`;

export interface SuiteStepResult {
  readonly suite: SelfTestSuite;
  readonly step: string;
  readonly passed: boolean;
  readonly message: string;
}

export interface SuiteRunOptions {
  readonly suites: readonly SelfTestSuite[];
  readonly docker: Docker;
  readonly tracer: SelfTracer;
  /** Every span the tracer has finished so far (the otel suite round-trips them). */
  readonly finished: () => readonly Span[];
  /** Called inside `clnrm.run` after the suites (the OTLP exporter's traced export). */
  readonly beforeRunEnds?: (run: OpenSpan) => Promise<SuiteStepResult | undefined>;
}

/** The parsed built-in services, and each step's command (its `[[scenario]]` of the same name). */
interface Registry {
  readonly services: ReadonlyMap<string, ServiceDefinition>;
  readonly commands: ReadonlyMap<string, readonly string[]>;
}

interface StepContext extends Registry {
  readonly docker: Docker;
  readonly span: OpenSpan;
  readonly finished: () => readonly Span[];
}

/** Runs the suites under one `clnrm.run`; resolves with each step's result (never throws for a failing step). */
export async function runSelfTestSuites(options: SuiteRunOptions): Promise<SuiteStepResult[]> {
  const run = options.tracer.root('clnrm.run', {
    'clnrm.version': '0.1.0',
    'test.config': '<self-test>',
    'test.count': options.suites.length,
    'test.suite': options.suites.join(','),
    component: 'runner',
  });
  const results: SuiteStepResult[] = [];
  const registry = pluginRegistry(run);
  for (const [index, suite] of options.suites.entries()) {
    const stepName = SUITE_STEPS[suite];
    const span = run.child(`clnrm.step:${stepName}`, { 'step.name': stepName, 'step.index': index, 'test.suite': suite, component: 'step_executor' });
    let result: SuiteStepResult;
    try {
      const message = await SUITE_WORK[suite]({ ...registry, docker: options.docker, span, finished: options.finished });
      span.end({ result: 'pass', 'exit.code': 0 }, { code: 'ok' });
      result = { suite, step: stepName, passed: true, message };
    } catch (error) {
      const problem = toProblem(error);
      span.end({ result: 'fail', 'exit.code': 1, 'error.type': problem.code }, errorStatus(problem.message));
      result = { suite, step: stepName, passed: false, message: problem.message };
    }
    results.push(result);
  }
  const exported = await options.beforeRunEnds?.(run);
  if (exported) results.push(exported);
  const passed = results.every((r) => r.passed);
  run.end({ result: passed ? 'pass' : 'fail', 'test.passed': results.filter((r) => r.passed).length }, passed ? { code: 'ok' } : errorStatus(`${results.filter((r) => !r.passed).length} self-test step(s) failed`));
  return results;
}

/** `clnrm.plugin.registry`: the built-in services parsed and mapped through the service-plugin table. */
function pluginRegistry(run: OpenSpan): Registry {
  const span = run.child('clnrm.plugin.registry', { component: 'plugin.registry' });
  const parsed = parseTestFile(SUITE_SERVICES_SOURCE, { file: '<self-test services>' });
  const test = parsed.tests[0];
  if (parsed.errors.length > 0 || !test) {
    const message = parsed.errors.map((e) => e.message).join('; ') || 'no test parsed';
    span.end({ 'plugin.count': 0 }, errorStatus(message));
    throw new StudioError({ code: 'internal', message: `the self-test's own services do not parse: ${message}` });
  }
  const services = new Map(Object.values(test.services).map((s) => [s.id, serviceFromSpec(s)] as const));
  const plugins = [...new Set(Object.values(test.services).map((s) => s.plugin))];
  const commands = new Map(test.scenarios.filter((s) => s.runArgv).map((s) => [s.name, s.runArgv!] as const));
  span.end({ 'plugin.count': plugins.length, 'plugin.names': plugins.join(','), 'service.count': services.size }, { code: 'ok' });
  return { services, commands };
}

function fail(message: string): never {
  throw new StudioError({ code: 'runner.self-test-failed', message });
}

/**
 * Starts `ids` as one service set, runs `work`, then stops and removes it. Each service's start and stop
 * is a `clnrm.service.start` / `clnrm.container.stop` span under the step, and an event on the step.
 */
async function withServices<T>(ctx: StepContext, ids: readonly string[], work: (set: ServiceSet) => Promise<T>): Promise<T> {
  const open = new Map<string, OpenSpan>();
  const containerOf = (service: string) => set.services().find((s) => s.id === service)?.containerId;
  const set = new ServiceSet(ctx.docker, {
    services: ids.map((id) => ctx.services.get(id)!),
    stopTimeoutMs: 2000,
    onEvent: (e) => {
      if (!e.service) return;
      const image = ctx.services.get(e.service)?.image;
      if (e.type === 'creating') open.set(e.service, ctx.span.child('clnrm.service.start', { 'service.name': e.service, 'service.type': 'generic_container', 'container.image.name': image, component: 'service_manager' }, { startMs: e.at }));
      if (e.type === 'ready') {
        open.get(e.service)?.end({ 'container.id': containerOf(e.service) }, { code: 'ok' }, e.at);
        ctx.span.event('container.start', { 'service.name': e.service, 'container.id': containerOf(e.service), 'container.image.name': image }, e.at);
      }
      if (e.type === 'stopping') open.set(e.service, ctx.span.child('clnrm.container.stop', { 'service.name': e.service, 'container.id': containerOf(e.service) }, { startMs: e.at }));
      if (e.type === 'stopped') {
        open.get(e.service)?.end({ 'container.outcome': e.detail }, { code: 'ok' }, e.at);
        ctx.span.event('container.stop', { 'service.name': e.service, 'container.id': containerOf(e.service), 'container.outcome': e.detail }, e.at);
      }
    },
  });
  try {
    await set.start();
    const value = await work(set);
    await set.stop();
    return value;
  } catch (error) {
    const message = toProblem(error).message;
    for (const span of open.values()) span.end({}, errorStatus(message));
    throw error;
  } finally {
    await set.dispose();
  }
}

/** Runs the built-in scenario `name`'s command in `service` and checks its output. */
async function execChecked(ctx: StepContext, set: ServiceSet, service: string, name: string, expect: RegExp): Promise<string> {
  const cmd = [...(ctx.commands.get(name) ?? fail(`the built-in scenario "${name}" is missing`))];
  const span = ctx.span.child('clnrm.container.exec', { 'service.name': service, 'container.id': set.service(service).containerId, 'process.command': cmd.join(' ') });
  const result = await set.exec(service, { cmd, timeoutMs: 20_000 });
  span.end({ 'process.exit.code': result.exitCode ?? -1 }, result.exitCode === 0 ? { code: 'ok' } : errorStatus(`exited ${result.exitCode}`));
  ctx.span.event('container.exec', { 'service.name': service, 'process.command': cmd.join(' '), 'process.exit.code': result.exitCode ?? -1 });
  if (result.exitCode !== 0) fail(`${cmd.join(' ')} in ${service} exited ${result.exitCode}: ${(result.stderr || result.stdout).trim().slice(0, 200)}`);
  if (!expect.test(result.stdout)) fail(`${cmd.join(' ')} in ${service} printed ${JSON.stringify(result.stdout.slice(0, 200))}, expected ${String(expect)}`);
  return result.stdout.trim();
}

const SUITE_WORK: Record<SelfTestSuite, (ctx: StepContext) => Promise<string>> = {
  basic: (ctx) =>
    withServices(ctx, ['hello'], async (set) => {
      const said = await execChecked(ctx, set, 'hello', 'hello_world', /^hello world\n$/);
      return `container said "${said}"`;
    }),

  container: async (ctx) => {
    let runId = '';
    const said = await withServices(ctx, ['lifecycle'], async (set) => {
      runId = set.executionId;
      return execChecked(ctx, set, 'lifecycle', 'container_lifecycle', /^42\n$/);
    });
    // The lifecycle ends with removal: nothing labelled with the set's run may remain.
    const left = await ctx.docker.listContainers({ all: true, filters: managedFilter(runId) });
    if (left.length > 0) fail(`${left.length} container(s) of the lifecycle set were not removed`);
    return `created, ran (6*7=${said}), stopped and removed a container`;
  },

  service: (ctx) =>
    withServices(ctx, ['registry_db', 'registry_api'], async (set) => {
      const levels = set.plan.levels.map((l) => l.join('+')).join(' → ');
      if (levels !== 'registry_db → registry_api') fail(`start order was ${levels}, expected registry_db → registry_api (depends_on)`);
      // The dependent reaches its dependency by the service name registered on the run network.
      await execChecked(ctx, set, 'registry_api', 'service_registration', /^root:/);
      return `registry_db started before registry_api, which reached it by name`;
    }),

  otel: (ctx) => {
    const spans = ctx.finished();
    if (spans.length === 0) fail('no span has been recorded yet');
    const key = (s: Span) => `${s.spanId}>${s.parentSpanId ?? ''}:${s.name}:${s.startTimeUnixNano}`;
    const want = spans.map(key).sort().join('|');
    const protobuf = decodeOtlpProtobuf(encodeOtlpProtobuf(spans)).spans;
    const ndjson = parseTraceFile(spans.map(formatClnrmSpanLine).join('\n'), 'self-test.ndjson').spans;
    for (const [label, back] of [['OTLP protobuf', protobuf], ['clnrm NDJSON', ndjson]] as const) {
      if (back.map(key).sort().join('|') !== want) fail(`${spans.length} span(s) did not survive a ${label} round trip (${back.length} came back)`);
    }
    return Promise.resolve(`${spans.length} span(s) survived OTLP protobuf and clnrm NDJSON round trips`);
  },
};
