// The knowledge store: the folder of plain JSON files self-healing learns into (layout: README.md in
// this folder). `.clnrm/` in the working folder, or in `--data-dir`'s folder when one is given. Each
// file is read through its schema — a broken one is a `healing.knowledge` error naming the file, the
// place and what to do, never a crash — and written atomically (temporary file, then rename), so a
// reader sees the old or the new file, never half of one. Two processes writing the same file at once:
// the last rename wins (no lock; a run writes its files once, at its end).
import { mkdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { StudioError } from '../../shared/errors';
import { KNOWLEDGE_FILES, type KnowledgeKind, type KnowledgeOf } from '../../shared/healing/knowledge';
import { writeFileAtomic } from '../spec/write';

export const KNOWLEDGE_DIR = '.clnrm';

export function knowledgeDir(dataDir: string | undefined, cwd: string): string {
  return join(dataDir !== undefined ? relativeTo(cwd, dataDir) : cwd, KNOWLEDGE_DIR);
}

const relativeTo = (cwd: string, path: string): string => (path.startsWith('/') ? path : join(cwd, path));

export class KnowledgeStore {
  constructor(readonly dir: string) {}

  /** A test file as the knowledge files name it: relative to the folder holding `.clnrm/`, `/`-separated. */
  testFile(absolute: string): string {
    return relative(join(this.dir, '..'), absolute).split(sep).join('/');
  }

  /** The absolute path of a test file named as `testFile` names it. */
  absolute(testFile: string): string {
    return resolve(this.dir, '..', testFile);
  }

  path(kind: KnowledgeKind): string {
    return join(this.dir, KNOWLEDGE_FILES[kind].name);
  }

  async read<K extends KnowledgeKind>(kind: K): Promise<KnowledgeOf<K>> {
    const file = this.path(kind);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(KNOWLEDGE_FILES[kind].empty) as KnowledgeOf<K>;
      throw new StudioError({ code: 'io.read', message: `cannot read ${file}: ${(error as Error).message}`, file });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw broken(file, `is not JSON (${(error as Error).message})`);
    }
    const parsed = KNOWLEDGE_FILES[kind].schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw broken(file, `does not have the shape of ${KNOWLEDGE_FILES[kind].name}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
    }
    return parsed.data as KnowledgeOf<K>;
  }

  async write<K extends KnowledgeKind>(kind: K, value: KnowledgeOf<K>): Promise<void> {
    // Checked on the way out too: what we write must read back.
    KNOWLEDGE_FILES[kind].schema.parse(value);
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.path(kind), `${JSON.stringify(value, null, 2)}\n`);
  }
}

function broken(file: string, what: string): StudioError {
  return new StudioError({ code: 'healing.knowledge', message: `${file} ${what}. Fix the file (it is plain JSON, see main/healing/README.md) or delete it to start that record afresh.`, file });
}
