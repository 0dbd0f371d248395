// What `clnrm suggest` and the studio's Suggestions panel share about one test file: what the file
// already says (so mining skips it and flags conflicts) and writing accepted suggestions into it —
// through the comment-keeping writer, re-validated, atomic, and never over an edit made meanwhile.
import { readFile } from 'node:fs/promises';
import type { Problem } from '../../shared/errors';
import { applySuggestions, type ExistingTest, type Suggestion } from '../../shared/intelligence';
import { isTemplate, parseTestFile, type TestFile } from '../../shared/spec';
import { parseToml } from '../../shared/spec/toml-parse';
import { writeFileAtomic, type LoadedTestFile } from '../spec';

/** The file's tables as written (to skip what it asserts); for a template, its rendered expectations. */
export function existingOf(loaded: LoadedTestFile, test: TestFile): ExistingTest {
  const raw = parseToml(loaded.source, loaded.path);
  return {
    raw: raw.ok ? raw.value : { expect: test.expect, orchestration: test.orchestration },
    config: { expect: test.expect, temporal: test.orchestration?.temporal, distributed: test.orchestration?.distributed_tracing, knownHosts: Object.keys(test.services) },
  };
}

export type WriteOutcome =
  | { readonly ok: true; readonly ids: readonly string[]; readonly skipped: readonly string[]; readonly diff: string; readonly before: string; readonly after: string }
  /** `problems`: where the edited text would no longer validate (file:line:col), when that is why. */
  | { readonly ok: false; readonly problem: Problem; readonly problems: readonly Problem[] };

/**
 * Writes the chosen suggestions into `loaded`'s file (shown to the user as `shown`). Refuses a template,
 * an edit the writer or the schema rejects, and a file that changed on disk since it was loaded.
 */
export async function writeSuggestions(loaded: LoadedTestFile, shown: string, chosen: readonly Suggestion[], env: Record<string, string | undefined>): Promise<WriteOutcome> {
  const refuse = (message: string, problems: readonly Problem[] = []): WriteOutcome => ({ ok: false, problem: { code: 'suggest.not-written', message, file: shown }, problems });
  if (isTemplate(loaded.source)) {
    return refuse('the file uses templates ({{ }} / {% %}); the writer edits plain TOML only. Add the snippets by hand (--format toml prints them).');
  }
  const applied = applySuggestions(loaded.source, chosen, shown);
  if (!applied.ok) return { ok: false, problem: applied.problem, problems: [] };
  const check = parseTestFile(applied.text, { file: shown, env });
  if (check.errors.length) return refuse('with these suggestions the file would no longer validate; nothing was written', check.errors);
  // Never overwrite an edit made while we were mining.
  const now = await readFile(loaded.path, 'utf8').catch(() => undefined);
  if (now?.replace(/^\uFEFF/, '') !== loaded.source) return refuse('the file changed while suggestions were mined; run the command again');
  if (applied.written.length) await writeFileAtomic(loaded.path, applied.text);
  return { ok: true, ids: applied.written, skipped: applied.skipped, diff: applied.diff, before: loaded.source, after: applied.text };
}
