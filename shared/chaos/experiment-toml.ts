// Writing the Chaos timeline's faults back into a test file: each block becomes one
// `[[chaos.experiment.injection]]` table, edited in place through the comment-keeping writer
// (shared/spec/writer), so every byte outside the experiment's injection tables stays as the user wrote
// it: existing tables are rewritten where they stand, extra ones go after the last, removed ones go.
// The short form's keys (`fault`/`target`/… on `[chaos.experiment]`) become a table of the full form.
import { createTwoFilesPatch } from 'diff';
import type { Problem } from '../errors';
import { insertTable, removeKey, removeTable, setTable, type EditResult } from '../spec/writer';
import { layoutOf } from '../spec/writer/blocks';
import { tomlKey, tomlValue } from '../spec/writer/toml-value';
import { parseToml } from '../spec/toml-parse';
import { injectionEntries, type Timeline } from './timeline';

const EXPERIMENT = 'chaos.experiment';
const INJECTION = `${EXPERIMENT}.injection`;
const SHORT_FORM_KEYS = ['fault', 'target', 'timing', 'duration_s'] as const;

export type ExperimentText = { ok: true; text: string; diff: string } | { ok: false; problem: Problem };

const refuse = (message: string): ExperimentText => ({ ok: false, problem: { code: 'chaos.experiment', message, path: EXPERIMENT } });

/** Applies one writer edit, or says why it could not be made. */
function step(result: EditResult): string | Problem {
  return result.ok ? result.text : result.problem;
}

/** The file's text with the experiment's faults replaced by the timeline's blocks (not yet validated against the schema). */
export function writeExperimentFaults(source: string, timeline: Timeline, file = 'test.clnrm.toml'): ExperimentText {
  if (timeline.blocks.length === 0) return refuse('an experiment needs at least one fault: drag one from the palette onto a lane');
  const parsed = parseToml(source, file);
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  const experiment = (parsed.value.chaos as Record<string, unknown> | undefined)?.experiment as Record<string, unknown> | undefined;
  const layout = layoutOf(source);
  const written = layout.blocks.filter((b) => b.header.path.startsWith(`${INJECTION}[`) && b.header.isArray && b.header.segments.length === 4).length;
  const inline = Array.isArray(experiment?.injection) ? experiment.injection.length : 0;
  if (inline !== written) return refuse(`${file} writes its injections inline (injection = [...]); the timeline edits [[chaos.experiment.injection]] tables only — rewrite them as tables first`);
  let text: string | Problem = source;
  if (experiment === undefined) text = step(insertTable(source, EXPERIMENT, { name: timeline.name }, file));
  for (const key of SHORT_FORM_KEYS) {
    if (typeof text === 'string' && experiment?.[key] !== undefined) text = step(removeKey(text, EXPERIMENT, key, file));
  }
  const entries = timeline.blocks.map((b) => injectionEntries(b, timeline.steadyMs));
  // Rewritten where they stand, then removed from the end (so indices stay right), then appended.
  entries.slice(0, written).forEach((e, i) => {
    if (typeof text === 'string') text = step(setTable(text, `${INJECTION}[${i}]`, e, file));
  });
  for (let i = written - 1; i >= entries.length && typeof text === 'string'; i--) text = step(removeTable(text, `${INJECTION}[${i}]`, file));
  if (typeof text === 'string' && entries.length > written) text = appendInjections(text, entries.slice(written));
  if (typeof text !== 'string') return { ok: false, problem: text };
  const check = parseToml(text, file);
  if (!check.ok) return { ok: false, problem: check.problem };
  return { ok: true, text, diff: text === source ? '' : createTwoFilesPatch(file, file, source, text) };
}

/** New injection tables after the last one, or after the experiment's last table when it has none. */
function appendInjections(source: string, entries: readonly Record<string, unknown>[]): string {
  const layout = layoutOf(source);
  const mine = layout.blocks.filter((b) => b.header.path.startsWith(`${INJECTION}[`));
  const anchor = mine.length > 0 ? mine : layout.blocks.filter((b) => b.header.path === EXPERIMENT || b.header.path.startsWith(`${EXPERIMENT}.`));
  const last = anchor[anchor.length - 1]!;
  let at = last.end;
  while (at > last.headerLine + 1 && layout.lines[at - 1]!.trim() === '') at--;
  const tables = entries.flatMap((e) => ['', '[[chaos.experiment.injection]]', ...Object.entries(e).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`)]);
  const lines = [...layout.lines];
  lines.splice(at, 0, ...tables);
  return lines.join('\n');
}
