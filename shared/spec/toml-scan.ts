// A position scanner for TOML source. smol-toml gives values but no positions, so this walks the
// (already valid) text once and records where every table header, key and array element starts.
// It also reports which lines are headers and which lines continue a multi-line value, which the
// writer needs to reformat a file without touching string contents.
import { formatPath, type PathSegment } from './path';

export interface Position {
  /** 1-based line of the key (or header, or array element). */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** Where the value starts (same as the key for headers and elements). */
  readonly valueLine: number;
  readonly valueColumn: number;
}

export interface HeaderInfo {
  /** 0-based line index. */
  readonly lineIndex: number;
  /** Resolved path, e.g. `scenario[1].steps[0]`. */
  readonly path: string;
  readonly segments: readonly PathSegment[];
  /** Raw key segments as written (without indices). */
  readonly keys: readonly string[];
  readonly isArray: boolean;
}

export interface KeyLineInfo {
  readonly lineIndex: number;
  /** Path of the table the key sits in. */
  readonly tablePath: string;
  /** The key's own (possibly dotted) segments. */
  readonly keys: readonly string[];
  /** Offset in the line where the value starts. */
  readonly valueOffset: number;
  /** Last 0-based line the value occupies. */
  readonly endLineIndex: number;
  /** A `# comment` after the value on its last line ('' when none). */
  readonly comment: string;
}

export interface ScanResult {
  readonly positions: ReadonlyMap<string, Position>;
  readonly headers: readonly HeaderInfo[];
  readonly keyLines: readonly KeyLineInfo[];
}

class Cursor {
  pos = 0;
  line = 1;
  col = 1;
  lineStart = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }
  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }
  advance(n = 1): void {
    for (let k = 0; k < n && this.pos < this.text.length; k++) {
      if (this.text[this.pos] === '\n') {
        this.line++;
        this.col = 1;
        this.lineStart = this.pos + 1;
      } else this.col++;
      this.pos++;
    }
  }
  /** Moves over `n` characters known to hold no newline. */
  advanceInLine(n: number): void {
    this.pos += n;
    this.col += n;
  }
  /** Spaces and tabs only. */
  skipBlank(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.advance();
  }
  /** Whitespace, newlines and comments (inside arrays). */
  skipAll(): void {
    for (;;) {
      const ch = this.peek();
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') this.advance();
      else if (ch === '#') this.skipComment();
      else return;
    }
  }
  skipComment(): void {
    while (!this.done && this.peek() !== '\n') this.advance();
  }
}

function readBasicString(c: Cursor): string {
  const start = c.pos;
  c.advance(); // opening quote
  while (!c.done && c.peek() !== '"' && c.peek() !== '\n') c.advance(c.peek() === '\\' ? 2 : 1);
  c.advance();
  try {
    return JSON.parse(c.text.slice(start, c.pos)) as string;
  } catch {
    return c.text.slice(start + 1, c.pos - 1);
  }
}

function readLiteralString(c: Cursor): string {
  c.advance();
  const start = c.pos;
  while (!c.done && c.peek() !== "'" && c.peek() !== '\n') c.advance();
  const value = c.text.slice(start, c.pos);
  c.advance();
  return value;
}

function readMultiline(c: Cursor, quote: '"""' | "'''"): void {
  c.advance(3);
  while (!c.done) {
    if (quote === '"""' && c.peek() === '\\') {
      c.advance(2);
      continue;
    }
    if (c.startsWith(quote)) {
      c.advance(3);
      // Up to two extra quotes may belong to the content (`""""` ends with a quote inside).
      if (c.peek() === quote[0]) c.advance();
      if (c.peek() === quote[0]) c.advance();
      return;
    }
    c.advance();
  }
}

const BARE_KEY = /[A-Za-z0-9_-]+/y;

/** A dotted key `a."b.c".d` → ['a', 'b.c', 'd'], with the position of its first character. */
function readKey(c: Cursor): string[] {
  const keys: string[] = [];
  for (;;) {
    c.skipBlank();
    const ch = c.peek();
    if (ch === '"') keys.push(readBasicString(c));
    else if (ch === "'") keys.push(readLiteralString(c));
    else {
      BARE_KEY.lastIndex = c.pos;
      const match = BARE_KEY.exec(c.text);
      if (!match) return keys;
      c.advanceInLine(match[0].length);
      keys.push(match[0]);
    }
    c.skipBlank();
    if (c.peek() !== '.') return keys;
    c.advance();
  }
}

/** Scans `text`; never throws (stops quietly on text it does not understand). */
export function scanToml(text: string): ScanResult {
  const c = new Cursor(text);
  const positions = new Map<string, Position>();
  const headers: HeaderInfo[] = [];
  const keyLines: KeyLineInfo[] = [];
  const arrayCounts = new Map<string, number>();
  let table: PathSegment[] = [];

  /** `known` = how many leading segments are already recorded (their positions exist). */
  const record = (segments: PathSegment[], line: number, column: number, valueLine = line, valueColumn = column, known = 0): void => {
    // Implicitly defined parents (`[a.b]` defines `a`) point at their first mention.
    for (let i = Math.max(1, known + 1); i < segments.length; i++) {
      const parent = formatPath(segments.slice(0, i));
      if (!positions.has(parent)) positions.set(parent, { line, column, valueLine: line, valueColumn: column });
    }
    const key = formatPath(segments);
    if (!positions.has(key)) positions.set(key, { line, column, valueLine, valueColumn });
  };

  // Values nest (arrays of inline tables); an explicit stack keeps the walk iterative.
  type Frame = { kind: 'array'; path: PathSegment[]; index: number } | { kind: 'inline'; path: PathSegment[] };

  const scanValue = (path: PathSegment[]): void => {
    const stack: Frame[] = [];
    let pending: PathSegment[] | null = path;
    let lastFramePos = -1;
    while (!c.done) {
      if (pending) {
        const target: PathSegment[] = pending;
        pending = null;
        c.skipBlank();
        const ch = c.peek();
        if (ch === '[') {
          c.advance();
          stack.push({ kind: 'array', path: target, index: 0 });
        } else if (ch === '{') {
          c.advance();
          stack.push({ kind: 'inline', path: target });
        } else {
          if (c.startsWith('"""')) readMultiline(c, '"""');
          else if (c.startsWith("'''")) readMultiline(c, "'''");
          else if (ch === '"') readBasicString(c);
          else if (ch === "'") readLiteralString(c);
          else while (!c.done && !/[,\]}#\n\r]/.test(c.peek())) c.advance();
        }
      }
      const frame = stack[stack.length - 1];
      if (!frame) return;
      // On text that is not TOML (a raw template), stop rather than spin when nothing was consumed.
      if (c.pos === lastFramePos) return;
      lastFramePos = c.pos;
      if (frame.kind === 'array') {
        c.skipAll();
        if (c.peek() === ',') {
          c.advance();
          c.skipAll();
        }
        if (c.peek() === ']') {
          c.advance();
          stack.pop();
          continue;
        }
        if (c.done) return;
        const element = [...frame.path, frame.index++];
        record(element, c.line, c.col, c.line, c.col, element.length - 1);
        pending = element;
      } else {
        c.skipAll();
        if (c.peek() === ',') {
          c.advance();
          c.skipAll();
        }
        if (c.peek() === '}') {
          c.advance();
          stack.pop();
          continue;
        }
        if (c.done) return;
        const line = c.line;
        const column = c.col;
        const keys = readKey(c);
        if (keys.length === 0) return;
        c.skipBlank();
        if (c.peek() !== '=') return;
        c.advance();
        c.skipBlank();
        const full = [...frame.path, ...keys];
        record(full, line, column, c.line, c.col, frame.path.length);
        pending = full;
      }
    }
  };

  const resolve = (keys: string[], indexLast: boolean): PathSegment[] => {
    const out: PathSegment[] = [];
    keys.forEach((key, i) => {
      out.push(key);
      const isLast = i === keys.length - 1;
      if (isLast && indexLast) return;
      const count = arrayCounts.get(formatPath(out));
      if (count !== undefined && count > 0) out.push(count - 1);
    });
    return out;
  };

  while (!c.done) {
    c.skipAll();
    if (c.done) break;
    const lineIndex = c.line - 1;
    const line = c.line;
    const column = c.col;
    if (c.peek() === '[') {
      const isArray = c.peek(1) === '[';
      c.advance(isArray ? 2 : 1);
      const keys = readKey(c);
      c.skipBlank();
      c.advance(isArray ? 2 : 1);
      let segments: PathSegment[];
      if (isArray) {
        segments = resolve(keys, true);
        const arrayKey = formatPath(segments);
        const index = arrayCounts.get(arrayKey) ?? 0;
        arrayCounts.set(arrayKey, index + 1);
        record(segments, line, column);
        segments = [...segments, index];
      } else {
        segments = resolve(keys, false);
      }
      record(segments, line, column);
      table = segments;
      headers.push({ lineIndex, path: formatPath(segments), segments, keys, isArray });
      c.skipBlank();
      if (c.peek() === '#') c.skipComment();
      continue;
    }
    const keys = readKey(c);
    if (keys.length === 0) {
      c.skipComment(); // not a key: skip the rest of the line rather than loop forever
      c.advance();
      continue;
    }
    c.skipBlank();
    if (c.peek() !== '=') {
      c.skipComment();
      continue;
    }
    c.advance();
    c.skipBlank();
    const valueOffset = c.pos - c.lineStart;
    const full = [...table, ...keys];
    record(full, line, column, c.line, c.col, table.length);
    scanValue(full);
    c.skipBlank();
    let comment = '';
    if (c.peek() === '#') {
      const from = c.pos;
      c.skipComment();
      comment = c.text.slice(from, c.pos).trimEnd();
    }
    keyLines.push({ lineIndex, tablePath: formatPath(table), keys, valueOffset, endLineIndex: c.line - 1, comment });
  }
  return { positions, headers, keyLines };
}
