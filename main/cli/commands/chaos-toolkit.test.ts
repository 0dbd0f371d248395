// `clnrm chaos export` and `clnrm chaos import` as a user runs them: an example's experiment out to a file
// and back as a [chaos.experiment] block that puts the example together again; refusals with their reasons.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing';

const EXAMPLE = fileURLToPath(new URL('../../../examples/chaos/db-paused-cache-serves.clnrm.toml', import.meta.url));

describe('clnrm chaos export / import (Chaos Toolkit)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clnrm-ctk-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exports an example and imports it back into the same experiment, which validates in the example', async () => {
    const out = join(dir, 'db-paused.json');
    const exported = await runCli(['chaos', 'export', EXAMPLE, '--out', out]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/not in Chaos Toolkit's form: 5 assertion\(s\) judged by spans/);
    const ctk = JSON.parse(await readFile(out, 'utf8')) as { method: { name: string }[] };
    expect(ctk.method.map((a) => a.name)).toEqual(['pause-db', 'unpause-db']);

    const imported = await runCli(['chaos', 'import', out]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('note: restored exactly from the clnrm extension');
    const original = parse(await readFile(EXAMPLE, 'utf8')) as { chaos: unknown };
    expect(parse(imported.stdout)).toEqual({ chaos: original.chaos });

    // The block in place of the example's own: the file still validates.
    const text = await readFile(EXAMPLE, 'utf8');
    const rebuilt = join(dir, 'rebuilt.clnrm.toml');
    await writeFile(rebuilt, `${text.slice(0, text.indexOf('[chaos.experiment]'))}${imported.stdout}\n${text.slice(text.indexOf('[expect'))}`);
    const validated = await runCli(['validate', rebuilt]);
    expect(validated.stderr).not.toMatch(/error/i);
    expect(validated.code).toBe(0);
  });

  it('says what is wrong: no experiment in the file, a file that is not JSON, nothing that maps', async () => {
    const plain = join(dir, 'plain.clnrm.toml');
    await writeFile(plain, '[meta]\nname = "x"\n\n[services.a]\nimage = "cleanroom/busybox"\n\n[[scenario]]\nname = "s"\nservice = "a"\nrun = "true"\n');
    expect(await runCli(['chaos', 'export', plain])).toMatchObject({ code: 2, stderr: expect.stringMatching(/plain\.clnrm\.toml has no \[chaos\.experiment\] table to export/) });
    const notJson = join(dir, 'exp.yaml');
    await writeFile(notJson, 'title: x\n');
    expect(await runCli(['chaos', 'import', notJson])).toMatchObject({ code: 2, stderr: expect.stringMatching(/exp\.yaml is not JSON: .*convert them to JSON first/s) });
    const k8s = join(dir, 'k8s.json');
    await writeFile(k8s, JSON.stringify({ title: 'pods', method: [{ type: 'action', name: 'kill-pod', provider: { type: 'python', module: 'chaosk8s.pod.actions', func: 'terminate_pods' } }] }));
    const r = await runCli(['chaos', 'import', k8s]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/note: \/method\/0 \(action "kill-pod"\): not imported/);
    expect(r.stderr).toMatch(/no action of its method maps to a fault we can inject \(see the notes\) \[chaos\.import\]/);
  });
});
