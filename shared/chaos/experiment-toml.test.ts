import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTestFile } from '../spec';
import { parseToml } from '../spec/toml-parse';
import { writeExperimentFaults } from './experiment-toml';
import { moveBlock, newBlock, resizeBlock, timelineOf, type Timeline } from './timeline';

const example = readFileSync(new URL('../../examples/chaos/db-paused-cache-serves.clnrm.toml', import.meta.url), 'utf8');

function timelineIn(source: string): Timeline {
  const raw = parseToml(source);
  if (!raw.ok) throw new Error(raw.problem.message);
  return timelineOf((raw.value.chaos as { experiment?: never } | undefined)?.experiment);
}

/** The lines of `before` outside [from, to) of the injection tables must be in `after` unchanged, in order. */
function linesOutsideInjections(text: string): string[] {
  const out: string[] = [];
  let inside = false;
  for (const line of text.split('\n')) {
    if (/^\s*\[/.test(line)) inside = line.trim() === '[[chaos.experiment.injection]]';
    if (!inside && line.trim() !== '') out.push(line);
  }
  return out;
}

describe('writing the timeline into a test file', () => {
  it('writes nothing new when nothing changed', () => {
    const r = writeExperimentFaults(example, timelineIn(example));
    expect(r).toMatchObject({ ok: true, diff: '' });
    if (r.ok) expect(r.text).toBe(example);
  });

  it('rewrites a moved and resized fault in place, every byte outside its table kept', () => {
    const t = timelineIn(example);
    const moved = { ...t, blocks: [resizeBlock(moveBlock(t.blocks[0]!, 1500, 500), 1000, 500)] };
    const r = writeExperimentFaults(example, moved, 'db.clnrm.toml');
    if (!r.ok) throw new Error(r.problem.message);
    expect(r.text).toContain('timing = "after_steady_state_1.5s"\nduration_s = 4\n');
    expect(linesOutsideInjections(r.text)).toEqual(linesOutsideInjections(example));
    expect(r.diff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual(['-timing = "after_steady_state"', '-duration_s = 3', '+timing = "after_steady_state_1.5s"', '+duration_s = 4']);
    expect(parseTestFile(r.text, { file: 'db.clnrm.toml' }).errors).toEqual([]);
  });

  it('appends a new fault after the last one and removes one taken off', () => {
    const t = timelineIn(example);
    const added = { ...t, blocks: [...t.blocks, { ...newBlock('n', 'cpu_pressure', 'api', 4000, 500), params: { workers: 2 } }] };
    const r = writeExperimentFaults(example, added);
    if (!r.ok) throw new Error(r.problem.message);
    expect(r.text).toContain('duration_s = 3\n\n[[chaos.experiment.injection]]\nfault = "cpu_pressure"\ntarget = "service:api"\ntiming = "after_steady_state_1s"\nduration_s = 10\nworkers = 2\n\n[[chaos.experiment.during_chaos.assertion]]');
    expect(parseTestFile(r.text).errors).toEqual([]);
    const back = writeExperimentFaults(r.text, { ...t, blocks: t.blocks });
    if (!back.ok) throw new Error(back.problem.message);
    expect(back.text).toBe(example);
  });

  it('adds an experiment to a file without one, and turns the short form into a table', () => {
    const head = '# my test\n[meta]\nname = "t"\n\n[services.api]\nimage = "cleanroom/busybox:latest"\n\n[[scenario]]\nname = "s"\n\n[[scenario.steps]]\nname = "a"\nservice = "api"\ncommand = ["true"]\n';
    const t = { ...timelineIn(head), blocks: [newBlock('n', 'container_pause', 'api', 0, 500)] };
    const r = writeExperimentFaults(head, t);
    if (!r.ok) throw new Error(r.problem.message);
    expect(r.text.startsWith(head.trimEnd())).toBe(true);
    expect(r.text).toContain('[chaos.experiment]\nname = "experiment"\n\n[[chaos.experiment.injection]]\nfault = "container_pause"');
    expect(parseTestFile(r.text).errors).toEqual([]);
    const short = `${head}\n[chaos.experiment]\nname = "k"\nfault = "container_pause"\ntarget = "service:api"\ntiming = "at_2s"\n`;
    const s = writeExperimentFaults(short, timelineIn(short));
    if (!s.ok) throw new Error(s.problem.message);
    expect(s.text).toContain('[chaos.experiment]\nname = "k"\n\n[[chaos.experiment.injection]]\nfault = "container_pause"\ntarget = "service:api"\ntiming = "at_2s"\nduration_s = 10\n');
    expect(parseTestFile(s.text).errors).toEqual([]);
  });

  it('refuses an experiment without faults and inline injections', () => {
    expect(writeExperimentFaults(example, { ...timelineIn(example), blocks: [] })).toMatchObject({ ok: false, problem: { code: 'chaos.experiment' } });
    const inline = '[chaos.experiment]\ninjection = [{ fault = "container_pause", target = "db" }]\n';
    expect(writeExperimentFaults(inline, timelineIn(inline))).toMatchObject({ ok: false, problem: { message: expect.stringContaining('inline') } });
  });
});
