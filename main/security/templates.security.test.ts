// Hostile test files through every way main/ reads them: `clnrm validate`, `clnrm run` (runTests) and
// the studio's validation. The template escape runs nothing; a runaway is stopped; and the slow,
// budget-respecting kind is stopped at the parse thread's deadline while the studio keeps answering.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing';
import { runTests } from '../runner';
import { parseDeadlineMs, parseInThread } from '../spec';
import { openStore, type TraceStore } from '../store';
import { createStudioHandlers } from '../studio/handlers';
import { UserPaths } from '../studio/user-paths';

// What an escape would run: it writes a file (seen from any thread) where `pwned()` looks.
const escape = () => `{{ range.constructor("return process.getBuiltinModule('fs').writeFileSync('${join(dir, 'pwned')}', 'x')")() }}`;
const pwned = () => existsSync(join(dir, 'pwned'));
const RUNAWAY = '{% for i in range(0, 3000000) %}{% endfor %}';
// Within every budget (few steps, little output) but slow: hashing a 4 MB string 90,000 times.
const SLOW = '{% set s = "xxxx" %}{% for i in range(0, 20) %}{% set s = s ~ s %}{% endfor %}{% for i in range(0, 90000) %}{% set h = sha256(s=s) %}{% endfor %}';

const fileWith = (template: string) => `[meta]\nversion = "1"\nname = "x_${template}"\n\n[[scenario]]\nname = "s"\nrun = "true"\n`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'clnrm-sec-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, template: string): string {
  writeFileSync(join(dir, name), fileWith(template));
  return name;
}

describe('clnrm validate', () => {
  it('refuses a template escape at its line and runs nothing', async () => {
    const r = await runCli(['validate', write('evil.clnrm.toml', escape())], { cwd: dir });
    expect(pwned()).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/evil\.clnrm\.toml:3:\d+: error: template refused: `constructor` cannot be read in a template.*\[template\.unsafe\]/);
  });

  it('stops a runaway loop with template.limit', async () => {
    const r = await runCli(['validate', write('loop.clnrm.toml', RUNAWAY)], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/loop\.clnrm\.toml:3:\d+: error: template stopped: range\(\) of 3,000,000 values.*\[template\.limit\]/);
  });
});

describe('clnrm run', () => {
  it('reports the escape as the test error and starts nothing', async () => {
    const summary = await runTests({ sources: [{ file: 'evil.clnrm.toml', source: fileWith(escape()) }], cwd: dir, env: {}, writeReports: false });
    expect(pwned()).toBe(false);
    expect(summary.errors).toBe(1);
    expect(summary.tests[0]!.problems?.[0]).toMatchObject({ code: 'template.unsafe', line: 3 });
  });
});

describe('the parse thread', () => {
  it('gives large files more time: 10 s plus 5 s per MiB', () => {
    expect(parseDeadlineMs('x')).toBe(10_000);
    expect(parseDeadlineMs('x'.repeat(4 * 1024 * 1024))).toBe(30_000);
  });

  it('stops a parse at its deadline, then parses the next file in a new thread', async () => {
    const slow = await parseInThread(fileWith(SLOW), { file: 'slow.clnrm.toml' }, 200);
    expect(slow.errors).toEqual([expect.objectContaining({ code: 'template.limit', file: 'slow.clnrm.toml', message: expect.stringMatching(/longer than 0.2 s/) })]);
    const next = await parseInThread(fileWith('{{ svc }}'), { file: 'ok.clnrm.toml' });
    expect(next.errors).toEqual([]);
    expect(next.tests[0]!.name).toBe('x_clnrm');
  });
});

describe("the studio's validation", () => {
  let store: TraceStore;
  beforeEach(async () => {
    store = await openStore({ inMemory: true });
  });
  afterEach(async () => {
    await store.dispose();
  });

  it('refuses the escape and keeps answering while a slow file is validated', async () => {
    // Validation is the subject: a runner that is never asked to run.
    const runner = { start: () => Promise.reject(new Error('not used')), cancel: async () => false, dispose: async () => undefined };
    const paths = new UserPaths(dir);
    await paths.addRoot(dir);
    const handlers = createStudioHandlers({ store, paths, env: {}, runner });
    const evil = await handlers.validateFile({ path: write('evil.clnrm.toml', escape()) });
    expect(pwned()).toBe(false);
    expect(evil.problems[0]).toMatchObject({ code: 'template.unsafe', line: 3 });

    write('ok.clnrm.toml', '{{ svc }}');
    let settled = false;
    const slow = Promise.resolve(handlers.validateFile({ path: write('slow.clnrm.toml', SLOW) })).finally(() => (settled = true));
    // Other calls are answered while the slow file renders in the parse thread.
    for (let i = 0; i < 5; i++) await handlers.listTestFiles({ folder: dir });
    expect((await handlers.listTestFiles({ folder: dir })).files).toHaveLength(3);
    expect(settled).toBe(false);
    const result = await slow;
    expect(result.problems[0]).toMatchObject({ code: 'template.limit', message: expect.stringMatching(/longer than 10 s/) });
  }, 60_000);
});
