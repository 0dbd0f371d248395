// The Chaos view's back end: a test file's experiment as a timeline (its services as lanes, its catalog
// as the palette), and saving the timeline's faults into the file through the comment-keeping writer
// (shared/chaos/experiment-toml.ts on shared/spec/writer): the diff is shown first, the edited file is
// checked with the real validator, written atomically (main/spec/write.ts) and can be undone.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeExperimentFaults } from '../../shared/chaos/experiment-toml';
import { timelineOf, type Timeline } from '../../shared/chaos/timeline';
import { applyUserCatalog } from '../../shared/chaos/user-catalog';
import { StudioError, formatLocation, type Problem } from '../../shared/errors';
import type { CallArgs, CallResponse } from '../../shared/ipc/contract';
import { isTemplate, parseTestFile } from '../../shared/spec';
import type { ExperimentTable } from '../../shared/spec/schema/chaos-experiment';
import { parseToml } from '../../shared/spec/toml-parse';
import { unifiedDiff } from '../../shared/spec/writer';
import { writeFileAtomic, type WriteHandle } from '../spec';
import { loadOpenedTestFile } from './test-files';
import type { UserPaths } from './user-paths';

export interface ChaosDeps {
  paths: UserPaths;
  env: Record<string, string | undefined>;
}

/** Undo handles kept (the newest); an older token answers `chaos.undo-unavailable`. */
const MAX_UNDOS = 100;

/** The experiment as written (the raw table: the timeline keeps the file's own timing texts and parameters). */
function writtenExperiment(source: string, file: string): ExperimentTable | undefined {
  const raw = parseToml(source, file);
  return raw.ok ? ((raw.value.chaos as { experiment?: ExperimentTable } | undefined)?.experiment ?? undefined) : undefined;
}

/** The refusal with the first place the edited file would be invalid. */
function refusal(message: string, file: string, problems: readonly Problem[] = []): StudioError {
  const first = problems[0];
  const where = first ? `: ${formatLocation({ file, line: first.line, column: first.column })}: ${first.message} [${first.code}]` : '';
  return new StudioError({ code: 'chaos.not-saved', message: `${message}${where}`, file });
}

export class StudioChaos {
  private readonly undos = new Map<string, WriteHandle>();

  constructor(private readonly deps: ChaosDeps) {}

  async experiment({ path }: CallArgs<'chaosExperiment'>): Promise<CallResponse<'chaosExperiment'>> {
    const { file, loaded, test } = await loadOpenedTestFile(this.deps.paths, this.deps.env, path);
    const { catalog } = applyUserCatalog(test.chaos?.catalog);
    const template = isTemplate(loaded.source);
    const rendered = typeof test.chaos?.experiment === 'object' ? test.chaos.experiment : undefined;
    const timeline = timelineOf(template ? rendered : writtenExperiment(loaded.source, file));
    // A file the timeline could not save back says so before any edit (the writer's own refusal).
    const preview = template || timeline.blocks.length === 0 ? undefined : writeExperimentFaults(loaded.source, timeline, file);
    const inline = preview && !preview.ok && /inline/.test(preview.problem.message) ? preview.problem.message : undefined;
    return {
      path: file,
      services: Object.keys(test.services),
      faults: catalog.list(),
      timeline,
      ...(template ? { notEditable: 'the file uses templates ({{ }} / {% %}); the timeline saves plain TOML only' } : inline ? { notEditable: inline } : {}),
    };
  }

  /** The edited text and its diff, checked with the validator; nothing written. */
  private async edited(path: string, timeline: Timeline) {
    const { file, loaded } = await loadOpenedTestFile(this.deps.paths, this.deps.env, path);
    if (isTemplate(loaded.source)) throw refusal('the file uses templates ({{ }} / {% %}); the timeline saves plain TOML only', file);
    const edit = writeExperimentFaults(loaded.source, timeline, file);
    if (!edit.ok) throw refusal(`the timeline cannot be written: ${edit.problem.message}`, file);
    const check = parseTestFile(edit.text, { file, env: this.deps.env });
    if (check.errors.length > 0) throw refusal('with this timeline the file would no longer validate; nothing was written', file, check.errors);
    return { file, before: loaded.source, after: edit.text, diff: edit.diff };
  }

  async preview({ path, timeline }: CallArgs<'chaosPreview'>): Promise<CallResponse<'chaosPreview'>> {
    const { file, diff } = await this.edited(path, timeline);
    return { path: file, diff };
  }

  async save({ path, timeline, diff }: CallArgs<'chaosSave'>): Promise<CallResponse<'chaosSave'>> {
    const e = await this.edited(path, timeline);
    // What is written is what was shown: a file edited since the preview gives another diff.
    if (e.diff !== diff) throw refusal('the file changed since its diff was shown; look at the new diff and save again', e.file);
    if (e.diff === '') throw refusal('nothing to save: the timeline is what the file says', e.file);
    const now = await readFile(e.file, 'utf8');
    if (now.replace(/^\uFEFF/, '') !== e.before) throw refusal('the file changed while it was being saved; save again', e.file);
    const handle = await writeFileAtomic(e.file, e.after);
    const token = randomBytes(16).toString('hex');
    this.undos.set(token, handle);
    for (const old of [...this.undos.keys()].slice(0, Math.max(0, this.undos.size - MAX_UNDOS))) this.undos.delete(old);
    return { path: e.file, diff: e.diff, undoToken: token };
  }

  async undo({ token }: CallArgs<'chaosUndo'>): Promise<CallResponse<'chaosUndo'>> {
    const handle = this.undos.get(token);
    if (!handle) throw new StudioError({ code: 'chaos.undo-unavailable', message: 'Nothing to undo with this token (undone already, or saved before the studio restarted).' });
    try {
      await handle.undo();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new StudioError({ code: 'chaos.undo-unavailable', message: `${handle.path} cannot be put back: ${message}; undo by hand (the diff shows what was saved).`, file: handle.path });
    }
    this.undos.delete(token);
    return { path: handle.path, diff: unifiedDiff(handle.written, handle.previous ?? '', handle.path) };
  }
}
