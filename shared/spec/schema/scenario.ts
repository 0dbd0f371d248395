// `[[steps]]` and `[[scenario]]`: what a test runs. Steps take `command` as an argv array (clnrm's
// form) or a shell-like string, which normalisation splits into argv.
import { z } from 'zod';
import { compileClnrmRegex } from '../regex';
import { anyMap, bool, int, nonNegInt, num, oneOf, shape, str, stringMap, strArray } from './common';
import { phaseSchema } from './scenario-phase';
import { serviceSchema } from './services';

const commandText = 'a command: an array like ["curl", "-f", "http://api:8080"] or a string like "curl -f http://api:8080"';

export const commandSchema = z.union([z.string().min(1, 'must not be empty'), z.array(z.string()).min(1, 'must not be empty')], shape(commandText));

export const stepSchema = z.object(
  {
    name: str('a step name like "check_health"').min(1, 'must not be empty'),
    command: commandSchema,
    expected_exit_code: int('an integer exit code like 0').optional(),
    expected_output_regex: str('a regular expression string like "ok|ready"')
      .refine((r) => compileClnrmRegex(r).ok, 'is not a valid regular expression')
      .optional(),
    workdir: str('a directory path like "/app"').optional(),
    env: stringMap('a table of strings like { LOG_LEVEL = "debug" }').optional(),
    continue_on_failure: bool().optional(),
    service: str('a service name defined under [service.<id>]').optional(),
  },
  shape('a table like [[steps]] with name and command'),
);

export const policySchema = z.object(
  {
    security_level: oneOf(['low', 'medium', 'high'], 'a security level').optional(),
    max_execution_time: nonNegInt('an integer number of seconds').optional(),
    max_memory_mb: nonNegInt('an integer number of megabytes').optional(),
    max_cpu_usage: num('a number between 0.0 and 1.0').min(0, 'must be between 0.0 and 1.0').max(1, 'must be between 0.0 and 1.0').optional(),
    allowed_network_hosts: strArray('an array of host names like ["api", "db"]').optional(),
    disallowed_commands: strArray('an array of command names like ["rm"]').optional(),
  },
  shape('a table like { security_level = "high" }'),
);

export const artifactsSchema = z.object(
  { collect: strArray('an array of collectors like ["spans:default"]') },
  shape('a table like { collect = ["spans:default"] }'),
);

/** One entry of `run = [{ service, command }, …]`: commands run at the same time, each in its service. */
export const serviceCommandSchema = z.object(
  {
    service: str('a service name defined under [service.<id>]').min(1, 'must not be empty'),
    command: commandSchema,
  },
  shape('a table like { service = "api", command = "curl -f http://api:8080" }'),
);

const runText = 'a command (a string like "clnrm self-test" or an array like ["clnrm", "self-test"]) or a list of { service, command } tables';

/** `run`: one command (string or argv), or a list of `{ service, command }` run in parallel. */
export const runSchema = z.union(
  [
    z.string().min(1, 'must not be empty'),
    z.array(z.string(), shape(runText)).min(1, 'must not be empty'),
    z.array(serviceCommandSchema, shape(runText)).min(1, 'must not be empty'),
  ],
  shape(runText),
);

/** `[[scenario.expect.cross_service]]` (clnrm's v2 design): relations between one service's spans and another's. */
export const crossServiceSchema = z.object(
  {
    type: oneOf(['api_to_db_query', 'cache_hit_rate'], 'a cross-service check'),
    /** The calling span (exact or glob). */
    api_span: str('a span name like "api.user.get"').min(1, 'must not be empty'),
    db_span: str('a span name like "db.query"').min(1, 'must not be empty').optional(),
    /** A regular expression the db span's statement must contain a match of. */
    query_matches: str('a regular expression like "SELECT .* FROM users"')
      .refine((r) => compileClnrmRegex(r).ok, 'is not a valid regular expression')
      .optional(),
    connection_reused: bool().optional(),
    cache_span: str('a span name like "cache.lookup"').min(1, 'must not be empty').optional(),
    expected_hit_rate: z
      .object(
        {
          eq: num('a rate between 0.0 and 1.0').min(0, 'must be between 0.0 and 1.0').max(1, 'must be between 0.0 and 1.0').optional(),
          gte: num('a rate between 0.0 and 1.0').min(0, 'must be between 0.0 and 1.0').max(1, 'must be between 0.0 and 1.0').optional(),
          lte: num('a rate between 0.0 and 1.0').min(0, 'must be between 0.0 and 1.0').max(1, 'must be between 0.0 and 1.0').optional(),
        },
        shape('a table like { gte = 0.8 }'),
      )
      .refine((b) => b.eq !== undefined || b.gte !== undefined || b.lte !== undefined, 'needs at least one of eq, gte, lte (e.g. { gte = 0.8 })')
      .optional(),
    description: str().optional(),
  },
  shape('a table like { type = "api_to_db_query", api_span = "api.user.get", db_span = "db.query" }'),
);

/** Expectations written inside a scenario (`[[scenario.expect.cross_service]]`): judged over that scenario's spans. */
export const scenarioExpectSchema = z.object(
  { cross_service: z.array(crossServiceSchema, shape('an array of tables [[scenario.expect.cross_service]]')).optional() },
  shape('a table [scenario.expect]'),
);

/** A service declared inside a scenario: the `[service.<id>]` fields; in the list form, `name` is its id. */
const scenarioServiceSchema = serviceSchema.extend({ name: str('a service id like "db"').min(1, 'must not be empty').optional() });

/** `[scenario.services]` (a table of id → service) or `[[scenario.services]]` (a list with `name`). */
export const scenarioServicesSchema = z.union(
  [
    z.record(z.string(), scenarioServiceSchema, shape('a table of services like { db = { image = "postgres:16" } }')),
    z.array(scenarioServiceSchema, shape('an array of tables [[scenario.services]] each with name and image')),
  ],
  shape('a table [scenario.services] of id = { image = ... } or tables [[scenario.services]] with name and image'),
);

export const scenarioSchema = z
  .object(
    {
      name: str('a scenario name like "happy_path"').min(1, 'must not be empty'),
      run: runSchema.optional(),
      steps: z.array(stepSchema, shape('an array of tables [[scenario.steps]]')).optional(),
      service: str('a service name defined under [service.<id>]').optional(),
      concurrent: bool().optional(),
      timeout_ms: nonNegInt('an integer number of milliseconds like 30000').optional(),
      policy: policySchema.optional(),
      artifacts: artifactsSchema.optional(),
      /** The scenario passes only when its run or a step fails (chaos files); expectations still apply. */
      expect_failure: bool().optional(),
      /** The services a `run` list runs in (clnrm's chaos files): must be the services that list names. */
      parallel_services: strArray('an array of service names like ["node_a", "node_b"]').optional(),
      services: scenarioServicesSchema.optional(),
      expect: scenarioExpectSchema.optional(),
      /** clnrm's one-fault form (shared/chaos/scenario-injection.ts): its delay_ms is when the fault starts. */
      chaos_injection: anyMap('a table like { type = "kill_container", delay_ms = 500 }').optional(),
      /** `false` turns off this scenario's faults (its phases' chaos and its chaos_injection). */
      chaos_enabled: bool().optional(),
      /** Phases in order, a chaos phase among them (./scenario-phase.ts). */
      phase: z.array(phaseSchema, shape('tables [[scenario.phase]] with name')).optional(),
    },
    shape('a table like [[scenario]] with name and run or steps'),
  )
  .refine((s) => s.run !== undefined || s.service !== undefined || (s.steps?.length ?? 0) > 0, {
    message: "needs `run` (or `service`) or at least one [[scenario.steps]] entry",
  });

export type StepSection = z.infer<typeof stepSchema>;
export type ScenarioSection = z.infer<typeof scenarioSchema>;
export type CrossServiceExpectation = z.infer<typeof crossServiceSchema>;
