// `[[steps]]` and `[[scenario]]`: what a test runs. Steps take `command` as an argv array (clnrm's
// form) or a shell-like string, which normalisation splits into argv.
import { z } from 'zod';
import { compileClnrmRegex } from '../regex';
import { bool, int, nonNegInt, num, oneOf, shape, str, stringMap, strArray } from './common';

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

export const scenarioSchema = z
  .object(
    {
      name: str('a scenario name like "happy_path"').min(1, 'must not be empty'),
      run: z.union([z.string().min(1, 'must not be empty'), z.array(z.string()).min(1, 'must not be empty')], shape('a command: a string like "clnrm self-test" or an array like ["clnrm", "self-test"]')).optional(),
      steps: z.array(stepSchema, shape('an array of tables [[scenario.steps]]')).optional(),
      service: str('a service name defined under [service.<id>]').optional(),
      concurrent: bool().optional(),
      timeout_ms: nonNegInt('an integer number of milliseconds like 30000').optional(),
      policy: policySchema.optional(),
      artifacts: artifactsSchema.optional(),
    },
    shape('a table like [[scenario]] with name and run or steps'),
  )
  .refine((s) => s.run !== undefined || s.service !== undefined || (s.steps?.length ?? 0) > 0, {
    message: "needs `run` (or `service`) or at least one [[scenario.steps]] entry",
  });

export type StepSection = z.infer<typeof stepSchema>;
export type ScenarioSection = z.infer<typeof scenarioSchema>;
