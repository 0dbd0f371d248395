// The example test files (examples/*.clnrm.toml) against the demo system: parse each, start its
// services through serviceFromSpec + ServiceSet, run its scenario commands in the named service and check
// exit codes and output patterns. (Span expectations are the runner's job; this proves the services and
// commands the examples rely on really work.)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { compileClnrmRegex } from '../../shared/spec/regex';
import { parseTestFile } from '../../shared/spec/parse';
import { serviceFromSpec } from './from-spec';
import { ServiceSet } from './service-set';
import { announceDockerSkip, countLabelled, probeDocker } from './test-support';

const probe = await probeDocker(['cleanroom/demo:latest']);
announceDockerSkip('examples', probe);
const examples = ['demo-read-through', 'demo-orders-deterministic', 'demo-fails-on-purpose'];
const load = (name: string) => {
  const file = fileURLToPath(new URL(`../../examples/${name}.clnrm.toml`, import.meta.url));
  const parsed = parseTestFile(readFileSync(file, 'utf8'), { file });
  expect(parsed.errors).toEqual([]);
  expect(parsed.warnings).toEqual([]);
  return parsed.tests[0]!;
};

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the demo image (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe('example test files', () => {
  it.each(examples)('%s parses without errors or warnings and maps onto services', (name) => {
    const test = load(name);
    const defs = Object.values(test.services).map((s) => serviceFromSpec(s));
    expect(defs.map((d) => d.id).sort()).toEqual(['api', 'cache', 'db', 'worker']);
  });
});

describe.skipIf(!probe.docker)('example scenarios on the demo system (real engine)', () => {
  const docker = probe.docker!;
  let set: ServiceSet | undefined;
  afterEach(async () => {
    await set?.dispose();
  });

  // One start of the demo (the services are the same in every file) keeps this suite quick; each file's
  // own service tables are checked above by the mapping test.
  it('services start healthy and every scenario command of every example behaves as written', { timeout: 90_000 }, async () => {
    const tests = examples.map(load);
    // Spans are not checked here (demo-system.test.ts does that): no exporter, so stopping is quick.
    const overrideEnv = { OTEL_TRACES_EXPORTER: 'none' };
    set = new ServiceSet(docker, { services: Object.values(tests[0]!.services).map((s) => serviceFromSpec(s, { overrideEnv })), stopTimeoutMs: 5000 });
    await set.start();
    for (const [i, test] of tests.entries()) {
      for (const scenario of test.scenarios) {
        const steps = scenario.runArgv ? [{ name: scenario.name, command: scenario.runArgv, service: scenario.service, expectedExitCode: 0, expectedOutputRegex: undefined }] : scenario.steps;
        for (const step of steps) {
          const result = await set.exec(step.service ?? scenario.service ?? 'api', { cmd: step.command, timeoutMs: 15_000 });
          expect(result.exitCode, `${examples[i]} / ${step.name}: ${result.stderr}`).toBe(step.expectedExitCode);
          if (step.expectedOutputRegex) {
            const compiled = compileClnrmRegex(step.expectedOutputRegex);
            expect(compiled.ok && compiled.regex.test(result.stdout), `${step.name} output ${result.stdout}`).toBe(true);
          }
        }
      }
    }
    const evidence = await set.stop();
    expect(evidence.map((e) => e.exitCode)).toEqual([0, 0, 0, 0]);
    await set.dispose();
    expect(await countLabelled(docker, set.executionId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
