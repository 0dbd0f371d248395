// Errors and warnings for trace files: always with the file name, and the line / column / JSON path
// when known, so a user can open the file at the right place.
import { StudioError, type ErrorCode, type Problem } from '../errors';

export interface FileWhere {
  file?: string;
  line?: number;
  column?: number;
  path?: string;
}

export function fileProblem(code: ErrorCode, message: string, where: FileWhere): Problem {
  const out: { -readonly [K in keyof Problem]: Problem[K] } = { code, message };
  if (where.file !== undefined) out.file = where.file;
  if (where.line !== undefined) out.line = where.line;
  if (where.column !== undefined) out.column = where.column;
  if (where.path) out.path = where.path;
  return out;
}

export function fileError(code: ErrorCode, message: string, where: FileWhere): StudioError {
  return new StudioError(fileProblem(code, message, where));
}

/** Line and column (1-based) of a character offset in `text`. */
export function lineColumnAt(text: string, offset: number, firstLine = 1): { line: number; column: number } {
  let line = firstLine;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Where a JSON.parse SyntaxError happened, when the engine says (V8 gives "position N" or "line L column C"). */
export function syntaxErrorWhere(error: unknown, text: string, firstLine = 1): { line: number; column?: number } {
  const message = error instanceof Error ? error.message : '';
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]) + firstLine - 1, column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (pos) return lineColumnAt(text, Number(pos[1]), firstLine);
  return { line: firstLine };
}
