// What the Suggestions panel remembers per test file across restarts: the suggestions the user
// rejected (never offered again for that file) and the ones accepted (to say, on a failed run, which
// accepted suggestion caught it). Kept as one JSON file in the data folder beside the trace database,
// written atomically; a store in memory keeps it in memory only. A damaged file is set aside, not trusted.
import { readFile, rename } from 'node:fs/promises';
import { z } from 'zod';
import type { Suggestion } from '../../shared/intelligence';
import { writeFileAtomic } from '../spec';

const AcceptedSchema = z.object({
  id: z.string(),
  /** The suggestion as written (an edited one with its edit), enough to evaluate it again. */
  suggestion: z.custom<Suggestion>((v) => typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string' && typeof (v as { edit?: unknown }).edit === 'object'),
  /** Epoch ms. */
  acceptedAt: z.number(),
  /** The undo token of the write that added it. */
  token: z.string(),
});
export type AcceptedSuggestion = z.infer<typeof AcceptedSchema>;

const FileMemorySchema = z.object({ rejected: z.array(z.string()).default([]), accepted: z.array(AcceptedSchema).default([]) });
type FileMemory = z.output<typeof FileMemorySchema>;
const MemorySchema = z.object({ version: z.literal(1), files: z.record(z.string(), FileMemorySchema) });

export const MEMORY_FILE = 'suggestions.json';

export class SuggestionMemory {
  private files: Record<string, FileMemory> | undefined;
  /** Writes one after another, so a later state never lands before an earlier one. */
  private writing: Promise<void> = Promise.resolve();

  /** `file`: where to keep it; undefined keeps it in memory (a store in memory). */
  constructor(private readonly file: string | undefined) {}

  private async load(): Promise<Record<string, FileMemory>> {
    if (this.files) return this.files;
    let text: string | undefined;
    if (this.file !== undefined) text = await readFile(this.file, 'utf8').catch(() => undefined);
    const parsed = text === undefined ? undefined : MemorySchema.safeParse(safeJson(text));
    if (parsed && !parsed.success && this.file !== undefined) {
      // Kept for the user to look at; the panel starts afresh rather than trusting half of it.
      await rename(this.file, `${this.file}.damaged-${Date.now()}`).catch(() => undefined);
    }
    this.files ??= parsed?.success ? parsed.data.files : {};
    return this.files;
  }

  async of(path: string): Promise<FileMemory> {
    return (await this.load())[path] ?? { rejected: [], accepted: [] };
  }

  private async update(path: string, change: (m: FileMemory) => FileMemory): Promise<FileMemory> {
    const files = await this.load();
    const next = change(files[path] ?? { rejected: [], accepted: [] });
    files[path] = next;
    const text = JSON.stringify({ version: 1, files }, null, 1);
    if (this.file !== undefined) {
      const file = this.file;
      this.writing = this.writing.catch(() => undefined).then(() => writeFileAtomic(file, text).then(() => undefined));
      await this.writing;
    }
    return next;
  }

  reject(path: string, id: string): Promise<FileMemory> {
    return this.update(path, (m) => ({ ...m, rejected: m.rejected.includes(id) ? m.rejected : [...m.rejected, id] }));
  }

  accept(path: string, accepted: readonly AcceptedSuggestion[]): Promise<FileMemory> {
    const ids = new Set(accepted.map((a) => a.id));
    return this.update(path, (m) => ({ ...m, accepted: [...m.accepted.filter((a) => !ids.has(a.id)), ...accepted] }));
  }

  /** Forgets what the write with this undo token accepted (it was undone). */
  undo(path: string, token: string): Promise<FileMemory> {
    return this.update(path, (m) => ({ ...m, accepted: m.accepted.filter((a) => a.token !== token) }));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
