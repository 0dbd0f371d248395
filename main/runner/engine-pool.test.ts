// The pool's inputs without Docker: which addresses make a pool (--engine over CLNRM_ENGINES over
// DOCKER_HOST), which are refused and why (also through the CLI), and which images a test needs on an engine
// before it goes there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing';
import { SELF_TEST_SOURCE } from './self-test';
import { parseTestFile } from '../../shared/spec/parse';
import { StudioError } from '../../shared/errors';
import { engineAddresses, testImages } from './engine-pool';

const refusal = (f: () => unknown): { code: string; message: string } => {
  try {
    f();
  } catch (error) {
    if (error instanceof StudioError) return error.problem;
    throw error;
  }
  throw new Error('not refused');
};

describe('engine addresses', () => {
  it('takes --engine flags over CLNRM_ENGINES, and neither means the one engine of DOCKER_HOST', () => {
    const env = { CLNRM_ENGINES: 'tcp://10.0.0.5:2375, ssh://me@box', DOCKER_HOST: 'tcp://x:1' };
    expect(engineAddresses(['unix:///var/run/docker.sock', 'tcp://127.0.0.1:23770'], env)).toEqual(['unix:///var/run/docker.sock', 'tcp://127.0.0.1:23770']);
    expect(engineAddresses([], env)).toEqual(['tcp://10.0.0.5:2375', 'ssh://me@box']);
    expect(engineAddresses(undefined, { DOCKER_HOST: 'tcp://x:1' })).toBeUndefined();
    expect(engineAddresses(undefined, { CLNRM_ENGINES: ' , ' })).toBeUndefined();
  });

  it('refuses an address without a scheme, an unreadable one and one listed twice, saying where it came from', () => {
    expect(refusal(() => engineAddresses(['10.0.0.5:2375'], {}))).toMatchObject({ code: 'runner.engine-address', message: expect.stringMatching(/^--engine: "10\.0\.0\.5:2375" is not an engine address; give unix:/) });
    expect(refusal(() => engineAddresses(undefined, { CLNRM_ENGINES: 'http://box:2375' }))).toMatchObject({ code: 'runner.engine-address', message: expect.stringMatching(/^CLNRM_ENGINES: "http:\/\/box:2375"/) });
    expect(refusal(() => engineAddresses(['tcp://[::1:2375'], {}))).toMatchObject({ code: 'runner.engine-address', message: expect.stringContaining('cannot be read as an address') });
    expect(refusal(() => engineAddresses(['tcp://a:1', 'tcp://a:1'], {}))).toMatchObject({ code: 'runner.engine-address', message: expect.stringContaining('tcp://a:1 is listed twice') });
  });
});

describe('images a test needs on its engine', () => {
  it("lists the services' images, scenario services' too, and busybox only when a step runs in a fresh container", () => {
    const source = `[meta]
name = "t"

[services.api]
image = "cleanroom/demo:latest"

[[scenario]]
name = "in_api"
service = "api"
run = "echo hi"

[[scenario]]
name = "fresh"

[scenario.services.extra]
image = "cleanroom/node:20"

[[scenario.steps]]
name = "anywhere"
command = ["true"]
`;
    const parsed = parseTestFile(source, { file: 't.clnrm.toml' });
    expect(parsed.errors).toEqual([]);
    expect(testImages(parsed.tests[0]!).sort()).toEqual(['cleanroom/busybox:latest', 'cleanroom/demo:latest', 'cleanroom/node:20']);
    const onlyApi = { ...parsed.tests[0]!, scenarios: [parsed.tests[0]!.scenarios[0]!] };
    expect(testImages(onlyApi)).toEqual(['cleanroom/demo:latest']);
  });
});

describe('clnrm run --engine and CLNRM_ENGINES', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-engines-'));
  const file = join(dir, 'a.clnrm.toml');
  writeFileSync(file, SELF_TEST_SOURCE);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an --engine that is not an address before anything runs (exit 2)', async () => {
    const result = await runCli(['run', file, '--data-dir', dir, '--engine', '10.0.0.5:2375']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--engine: "10\.0\.0\.5:2375" is not an engine address; give unix:/);
  });

  it('refuses a bad CLNRM_ENGINES entry as the run\'s environment problem (exit 2)', async () => {
    const result = await runCli(['run', file, '--data-dir', dir], { env: { CLNRM_ENGINES: 'tcp://127.0.0.1:1,box' } });
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/CLNRM_ENGINES: "box" is not an engine address.*\[runner\.engine-address\]/s);
  });

  it('leaves out an engine that does not answer, with a warning, and says docker.unavailable when none does', async () => {
    const nowhere = `unix://${join(dir, 'no-engine.sock')}`;
    const result = await runCli(['run', file, '--data-dir', dir, '--engine', nowhere, '--engine', `${nowhere}2`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`engine ${nowhere} left out of this run`);
    expect(result.stdout + result.stderr).toMatch(/Docker is not reachable at unix:\/\/.*no-engine\.sock.*\[docker\.unavailable\]/s);
  });
});
