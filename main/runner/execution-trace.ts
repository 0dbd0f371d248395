// The runner's own spans for one execution, shaped like clnrm's: per service a `clnrm.service.start`
// (with its `clnrm.container.start`), per step a `clnrm.step:<name>` (with `clnrm.container.exec` and
// clnrm's container.* events), then `clnrm.cleanup` (a `clnrm.container.stop` per service, container.stop
// / container.remove / cleanup.complete events) and, after a failure, `clnrm.recovery` under it. All are
// children of `clnrm.run`, as clnrm parents them. The execution's spans are kept so its expectations can
// judge them next to the `clnrm.run` and `clnrm.test` spans as they are at that moment.
import type { Span } from '../../shared/model';
import type { ServiceEvent } from '../docker';
import { errorStatus, type AttributeValues, type OpenSpan, type SelfTracer } from './self-trace';

export interface ExecutionTraceOptions {
  readonly runSpan: OpenSpan;
  readonly testSpan: OpenSpan;
  /** The run's tracer; the execution's spans get `clnrm.execution_id` on top. */
  readonly tracer: SelfTracer;
  readonly executionId: string;
  readonly test: string;
  readonly scenario: string;
  readonly iteration: number;
  /** Service id → its `type` (clnrm's plugin name) and image, for span attributes. */
  readonly services: ReadonlyMap<string, { type: string; image: string }>;
  /** The container of a started service (undefined before creation). */
  readonly containerOf: (service: string) => string | undefined;
}

/** What a step's span needs to record clnrm's container events truthfully. */
export interface StepTrace {
  readonly span: OpenSpan;
  /** A fresh container was created and started for the step. */
  containerStarted(containerId: string, image: string, atMs: number): void;
  /** The command ran (in a service's container or the fresh one). */
  executed(containerId: string | undefined, command: string, exitCode: number | null, startMs: number, endMs: number): void;
  /** The fresh container exited. */
  containerStopped(containerId: string, exitCode: number | null, atMs: number): void;
}

export class ExecutionTrace {
  /** Every span of this execution once ended (the tracer's sink stores them too). */
  readonly spans: Span[] = [];
  private readonly open = new Map<string, OpenSpan>();
  private cleanup?: OpenSpan;
  private readonly options: ExecutionTraceOptions;
  private readonly tracer: SelfTracer;

  constructor(options: ExecutionTraceOptions) {
    this.options = options;
    this.tracer = options.tracer.with({ 'clnrm.execution_id': options.executionId }, this.spans);
  }

  private base(): AttributeValues {
    return { 'test.name': this.options.test, 'clnrm.scenario': this.options.scenario, 'clnrm.iteration': this.options.iteration };
  }

  private start(name: string, attributes: AttributeValues, parent: OpenSpan = this.options.runSpan, startMs?: number): OpenSpan {
    return parent.child(name, attributes, { tracer: this.tracer, ...(startMs !== undefined ? { startMs } : {}) });
  }

  /** Routes the service set's lifecycle events to the service-start and cleanup spans. */
  readonly onServiceEvent = (e: ServiceEvent): void => {
    if (e.type === 'removed') {
      this.cleanup?.event('container.remove', { resource: e.detail }, e.at);
      return;
    }
    if (!e.service) return;
    const info = this.options.services.get(e.service);
    const containerId = this.options.containerOf(e.service);
    switch (e.type) {
      case 'creating': {
        const service = this.start('clnrm.service.start', { ...this.base(), 'service.name': e.service, 'service.type': info?.type ?? 'generic_container', component: 'service_manager' }, undefined, e.at);
        this.open.set(`service:${e.service}`, service);
        this.open.set(`container:${e.service}`, this.start('clnrm.container.start', { 'container.image': info?.image, component: 'container_backend' }, service, e.at));
        break;
      }
      case 'started': {
        const container = this.open.get(`container:${e.service}`);
        container?.end({ 'container.id': containerId }, undefined, e.at);
        this.open.get(`service:${e.service}`)?.event('container.start', { 'container.image': info?.image, 'container.id': containerId }, e.at);
        break;
      }
      case 'ready':
        this.open.get(`service:${e.service}`)?.end({ 'container.id': containerId, result: 'pass' }, { code: 'ok' }, e.at);
        break;
      case 'stopping':
        this.open.set(`stop:${e.service}`, this.start('clnrm.container.stop', { 'container.id': containerId, 'service.name': e.service, component: 'container_backend' }, this.cleanupSpan(), e.at));
        break;
      case 'stopped': {
        const exit = /^exit (\d+)$/.exec(e.detail ?? '')?.[1];
        this.open.get(`stop:${e.service}`)?.end({ exit_code: exit === undefined ? undefined : Number(exit), 'container.state': e.detail }, undefined, e.at);
        this.cleanupSpan().event('container.stop', { 'container.id': containerId, exit_code: exit ?? e.detail }, e.at);
        break;
      }
    }
  };

  /** Services that did not become ready: their spans end with the reason. */
  servicesFailed(message: string): void {
    for (const [key, span] of this.open) if (key.startsWith('service:') || key.startsWith('container:')) span.end({ result: 'fail', 'error.type': 'service_error' }, errorStatus(message));
  }

  step(name: string, index: number, target: string, command: string): StepTrace {
    const span = this.start(`clnrm.step:${name}`, { ...this.base(), 'step.name': name, 'step.index': index, 'step.target': target, command, component: 'step_executor' });
    let execSpan: OpenSpan | undefined;
    return {
      span,
      containerStarted: (containerId, image, atMs) => span.event('container.start', { 'container.image': image, 'container.id': containerId }, atMs),
      executed: (containerId, cmd, exitCode, startMs, endMs) => {
        execSpan = this.start('clnrm.container.exec', { 'container.id': containerId, command: cmd, component: 'container_backend' }, span, startMs);
        execSpan.end({ exit_code: exitCode ?? undefined }, undefined, endMs);
        span.event('container.exec', { command: cmd, exit_code: exitCode === null ? 'none' : String(exitCode) }, endMs);
      },
      containerStopped: (containerId, exitCode, atMs) => span.event('container.stop', { 'container.id': containerId, exit_code: exitCode === null ? 'none' : String(exitCode) }, atMs),
    };
  }

  private cleanupSpan(): OpenSpan {
    this.cleanup ??= this.start('clnrm.cleanup', { ...this.base(), 'cleanup.triggered': true, component: 'cleanup' });
    return this.cleanup;
  }

  /** Opens `clnrm.cleanup` (idempotent): call before stopping the services. */
  beginCleanup(): void {
    this.cleanupSpan();
  }

  /**
   * Ends `clnrm.cleanup`; after a failure (`failure` set) a `clnrm.recovery` child records that the
   * failed execution's resources were removed so the next one starts clean.
   */
  endCleanup(removedOk: boolean, failure: string | undefined, problems: readonly string[]): void {
    const cleanup = this.cleanupSpan();
    if (failure !== undefined) {
      const recovery = this.start('clnrm.recovery', { ...this.base(), 'recovery.strategy': 'cleanup', 'recovery.reason': failure, component: 'cleanup' }, cleanup);
      recovery.end({ 'recovery.success': removedOk }, removedOk ? { code: 'ok' } : errorStatus(problems.join('; ')));
    }
    cleanup.event('cleanup.complete', { success: removedOk });
    cleanup.end({ 'cleanup.success': removedOk }, removedOk ? { code: 'ok' } : errorStatus(problems.join('; ')));
  }

  /**
   * The runner's spans as this execution's expectations see them: the execution's own, and `clnrm.run`
   * and `clnrm.test` as they are now, `result` saying whether this execution has failed so far.
   */
  judged(failedSoFar: boolean): Span[] {
    const result = failedSoFar ? 'fail' : 'pass';
    return [...this.spans, this.options.runSpan.snapshot({ result }), this.options.testSpan.snapshot({ result })];
  }
}
