// `clnrm self-test --suite … --otel-exporter …` as a library: connects to the engine, runs the suites
// (self-test-suites.ts) with a self-tracer whose spans go to the chosen exporter, and reports. The
// tracer's resource takes `OTEL_RESOURCE_ATTRIBUTES` (so an outer `clnrm run` recognises the spans as
// its execution's), with `service.name` always `clnrm`.
import type Docker from 'dockerode';
import { toProblem, type Problem } from '../../shared/errors';
import type { Span } from '../../shared/model';
import { connectDocker, newId } from '../docker';
import { otlpExporter, parseResourceAttributes, stdoutExporter, type OtelExporterName } from './self-test-export';
import { runSelfTestSuites, type SelfTestSuite, type SuiteStepResult } from './self-test-suites';
import { SelfTracer } from './self-trace';

export interface SuiteSelfTestOptions {
  readonly suites: readonly SelfTestSuite[];
  readonly exporter: OtelExporterName;
  /** OTLP/HTTP base URL (exporter `otlp`). */
  readonly endpoint?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where NDJSON span lines go (exporter `stdout`). */
  readonly writeLine: (line: string) => void;
  readonly docker?: Docker;
}

export interface SuiteSelfTestOutcome {
  readonly results: SuiteStepResult[];
  /** Why the self-test could not run or report (Docker unavailable, the final export failed). */
  readonly problem?: Problem;
}

export async function runSuiteSelfTest(options: SuiteSelfTestOptions): Promise<SuiteSelfTestOutcome> {
  let docker: Docker;
  try {
    docker = options.docker ?? (await connectDocker(options.env)).docker;
  } catch (error) {
    return { results: [], problem: toProblem(error) };
  }
  const exporter = options.exporter === 'otlp' ? otlpExporter(options.endpoint ?? '') : stdoutExporter(options.writeLine);
  const resource = { 'clnrm.run_id': newId(), ...parseResourceAttributes(options.env.OTEL_RESOURCE_ATTRIBUTES), 'service.name': 'clnrm' };
  const finished: Span[] = [];
  const tracer = new SelfTracer(
    (span) => {
      finished.push(span);
      exporter.sink(span);
    },
    resource,
  );
  const results = await runSelfTestSuites({ suites: options.suites, docker, tracer, finished: () => finished, beforeRunEnds: exporter.beforeRunEnds });
  try {
    await exporter.flush();
  } catch (error) {
    return { results, problem: toProblem(error) };
  }
  return { results };
}
