// A streaming JSON scanner for documents too large to hold: text arrives in chunks (split
// anywhere), the syntax of everything is checked, and only the values a caller asks for are cut
// out as text (to be parsed with JSON.parse); the rest is skipped without building anything. It
// keeps only the unfinished token or captured value between chunks. Errors carry line and column.

export type JsonPathPart = string | number;

/**
 * What to do with the value at a path: cut out its text, walk into it, check and skip it, or skim
 * over it (an object or array is passed by its brackets and strings only, its syntax unchecked:
 * much faster, for values that a later pass checks).
 */
export type Interest = 'capture' | 'descend' | 'skip' | 'skim';

export interface ScanHandlers {
  /** `kind` is what the value is: walking into a scalar is the same as skipping it. */
  interest(path: readonly JsonPathPart[], kind: 'object' | 'array' | 'scalar'): Interest;
  /** A captured value, whole. */
  value(path: readonly JsonPathPart[], text: string): void;
  /** A top-level value starts (the first is 0): a caller may refuse a second. */
  root?(index: number): void;
  /** An object or array is walked into ('descend'); `offset` is the stream offset of its bracket. */
  opened?(path: readonly JsonPathPart[], offset: number): void;
  /** An object or array walked into has closed; `offset` is the stream offset just after it. */
  closed?(path: readonly JsonPathPart[], offset: number): void;
}

export class JsonScanError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    /** Offset in the stream of the character at fault. */
    readonly offset: number,
  ) {
    super(`${reason} at line ${line} column ${column}`);
  }
}

interface Frame {
  array: boolean;
  /** Children are checked only: no interest calls, no path bookkeeping. */
  skip: boolean;
  /** Where to expect the next token (see step()). */
  expect: 'first' | 'key' | 'colon' | 'value' | 'next';
  key: JsonPathPart;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NUMBER_CHAR = /[0-9.eE+-]/;
const SKIM_STOP = /["{}[\]]/g;
const LITERALS = ['true', 'false', 'null'];
const INCOMPLETE = -1;

export class JsonStreamScanner {
  private buf = '';
  private pos = 0;
  /** Stream offset of buf[0], and newlines before it (for positions in errors). */
  private base = 0;
  private linesBefore = 0;
  private lastLineStart = 0;
  private readonly stack: Frame[] = [];
  private readonly path: JsonPathPart[] = [];
  private roots = 0;
  /** > 0 while inside a skimmed value (this many brackets deep). */
  private skimDepth = 0;

  constructor(private readonly handlers: ScanHandlers) {}

  /** Characters consumed so far (for progress). */
  get offset(): number {
    return this.base + this.pos;
  }

  push(chunk: string): void {
    this.buf = this.pos === this.buf.length ? chunk : this.buf + chunk;
    this.run(false);
    this.compact();
  }

  end(): void {
    this.run(true);
    if (this.stack.length > 0) throw this.fail('the JSON ends early (unclosed object or array): the file was cut short');
    if (this.roots === 0) throw this.fail('there is no JSON value');
  }

  private run(final: boolean): void {
    while (true) {
      if (this.skimDepth > 0) {
        const end = this.skim(this.pos);
        if (end === INCOMPLETE) {
          if (final) throw this.fail('the JSON ends early (unclosed object or array): the file was cut short');
          return;
        }
        this.pos = end;
        this.valueDone();
      }
      const b = this.buf;
      let i = this.pos;
      while (i < b.length) {
        const c = b.charCodeAt(i);
        if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
        i++;
      }
      this.pos = i;
      if (i >= b.length) return;
      const used = this.step(i, final);
      if (used === INCOMPLETE) {
        if (final) throw this.fail(this.skimDepth > 0 ? 'the JSON ends early (unclosed object or array): the file was cut short' : 'the JSON ends inside a value: the file was cut short');
        return;
      }
      this.pos = used;
    }
  }

  /** Reads one token at `i`; returns where the next one may start, or INCOMPLETE. */
  private step(i: number, final: boolean): number {
    const frame = this.stack[this.stack.length - 1];
    const c = this.buf.charCodeAt(i);
    if (frame === undefined) {
      this.handlers.root?.(this.roots);
      const end = this.valueAt(i, final);
      if (end !== INCOMPLETE) this.roots++;
      return end;
    }
    switch (frame.expect) {
      case 'first':
        if (c === (frame.array ? 93 : 125)) return this.close(i);
        return frame.array ? this.valueAt(i, final) : this.keyAt(frame, i);
      case 'key':
        return this.keyAt(frame, i);
      case 'colon':
        if (c !== 58) throw this.fail('expected ":" after an object key', i);
        frame.expect = 'value';
        return i + 1;
      case 'value':
        return this.valueAt(i, final);
      case 'next':
        if (c === 44) {
          frame.expect = frame.array ? 'value' : 'key';
          if (frame.array) frame.key = (frame.key as number) + 1;
          return i + 1;
        }
        if (c === (frame.array ? 93 : 125)) return this.close(i);
        throw this.fail(`expected "," or "${frame.array ? ']' : '}'}"`, i);
    }
  }

  private keyAt(frame: Frame, i: number): number {
    if (this.buf.charCodeAt(i) !== 34) throw this.fail('expected an object key (a string in double quotes)', i);
    const end = this.stringEnd(i);
    if (end === INCOMPLETE) return INCOMPLETE;
    if (!frame.skip) {
      const raw = this.buf.slice(i + 1, end - 1);
      frame.key = raw.includes('\\') ? (JSON.parse(this.buf.slice(i, end)) as string) : raw;
    }
    frame.expect = 'colon';
    return end;
  }

  private valueAt(i: number, final: boolean): number {
    const parent = this.stack[this.stack.length - 1];
    const inSkip = parent?.skip === true;
    const c = this.buf.charCodeAt(i);
    let interest: Interest = 'skip';
    if (!inSkip) {
      if (parent) this.path.push(parent.key);
      interest = this.handlers.interest(this.path, c === 123 ? 'object' : c === 91 ? 'array' : 'scalar');
    }
    if ((c === 123 || c === 91) && interest !== 'capture' && interest !== 'skim') {
      // path keeps this value's key while its frame is open (popped in close()).
      const skip = inSkip || interest !== 'descend';
      this.stack.push({ array: c === 91, skip, expect: 'first', key: c === 91 ? 0 : '' });
      if (!skip) this.handlers.opened?.(this.path, this.base + i);
      return i + 1;
    }
    if (c === 123 || c === 91) {
      if (interest === 'skim') {
        this.skimDepth = 0;
        // Unfinished, the skim goes on in the next chunk with this value's path kept (see run()).
        const skimmed = this.skim(i);
        if (skimmed !== INCOMPLETE) this.valueDone();
        return skimmed;
      }
    }
    const end = c === 123 || c === 91 ? this.containerEnd(i) : this.scalarEnd(i, final);
    if (end === INCOMPLETE) {
      if (!inSkip && parent) this.path.pop();
      return INCOMPLETE;
    }
    if (interest === 'capture') this.capture(i, end);
    this.valueDone();
    return end;
  }

  /** Hands a captured value's text over; its syntax error (from the handler's parse) is reported where it is in the stream. */
  private capture(i: number, end: number): void {
    const text = this.buf.slice(i, end);
    try {
      this.handlers.value(this.path, text);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      // Checked again by a scanner of its own, which says what is wrong and where.
      const checker = new JsonStreamScanner({ interest: () => 'skip', value: () => undefined });
      try {
        checker.push(text);
        checker.end();
      } catch (problem) {
        if (problem instanceof JsonScanError) throw this.fail(problem.reason, i + problem.offset);
      }
      throw this.fail(error.message, i);
    }
  }

  /** A value in the innermost open container (or at the top level) is complete. */
  private valueDone(): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent && !parent.skip) this.path.pop();
    if (parent) parent.expect = 'next';
  }

  /**
   * Passes over a skimmed object or array from `from` by brackets and strings, `skimDepth` deep;
   * returns its end, or INCOMPLETE having consumed the chunk (an unfinished string is kept).
   */
  private skim(from: number): number {
    const b = this.buf;
    let depth = this.skimDepth;
    for (let j = from; j < b.length; j++) {
      // The next quote or bracket, found by the regex engine (most characters are neither).
      SKIM_STOP.lastIndex = j;
      if (SKIM_STOP.exec(b) === null) break;
      j = SKIM_STOP.lastIndex - 1;
      const c = b.charCodeAt(j);
      if (c === 34) {
        const end = this.stringEnd(j, false);
        if (end === INCOMPLETE) {
          this.skimDepth = depth;
          this.pos = j;
          return INCOMPLETE;
        }
        j = end - 1;
      } else if (c === 123 || c === 91) depth++;
      else if ((c === 125 || c === 93) && --depth === 0) {
        this.skimDepth = 0;
        return j + 1;
      }
    }
    this.skimDepth = depth;
    this.pos = b.length;
    return INCOMPLETE;
  }

  private close(i: number): number {
    const frame = this.stack.pop()!;
    if (!frame.skip) this.handlers.closed?.(this.path, this.base + i + 1);
    const parent = this.stack[this.stack.length - 1];
    if (!(parent?.skip ?? false) && parent) this.path.pop();
    if (parent) parent.expect = 'next';
    return i + 1;
  }

  private scalarEnd(i: number, final: boolean): number {
    const b = this.buf;
    const c = b.charCodeAt(i);
    if (c === 34) return this.stringEnd(i);
    if (c === 45 || (c >= 48 && c <= 57)) {
      // The run of characters a number can hold; one that reaches the chunk's end may go on in the next.
      let run = i + 1;
      while (run < b.length && NUMBER_CHAR.test(b[run]!)) run++;
      if (run >= b.length && !final) return INCOMPLETE;
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(b);
      if (!m || i + m[0].length !== run || /\w/.test(b[run] ?? ' ')) throw this.fail('malformed number', i);
      return run;
    }
    for (const word of LITERALS) {
      if (b.startsWith(word, i)) return i + word.length;
      if (!final && b.length - i < word.length && word.startsWith(b.slice(i))) return INCOMPLETE;
    }
    throw this.fail(`unexpected character ${JSON.stringify(b[i])}`, i);
  }

  /**
   * The end of the object or array opening at `i`, found by brackets and strings only: a captured
   * value is checked by the JSON.parse it goes to, so this is the fast way through most of a file.
   */
  private containerEnd(i: number): number {
    const b = this.buf;
    let depth = 0;
    for (let j = i; j < b.length; j++) {
      SKIM_STOP.lastIndex = j;
      if (SKIM_STOP.exec(b) === null) break;
      j = SKIM_STOP.lastIndex - 1;
      const c = b.charCodeAt(j);
      if (c === 34) {
        const end = this.stringEnd(j, false);
        if (end === INCOMPLETE) return INCOMPLETE;
        j = end - 1;
      } else if (c === 123 || c === 91) depth++;
      else if ((c === 125 || c === 93) && --depth === 0) return j + 1;
    }
    return INCOMPLETE;
  }

  /** The index after the closing quote of the string opening at `i`. */
  private stringEnd(i: number, check = true): number {
    const b = this.buf;
    let j = i + 1;
    while (true) {
      const q = b.indexOf('"', j);
      if (q < 0) return INCOMPLETE;
      let slashes = 0;
      for (let k = q - 1; k > i && b.charCodeAt(k) === 92; k--) slashes++;
      if (slashes % 2 === 0) {
        // Raw control characters are invalid in JSON strings; a newline here means an unclosed string.
        if (check) for (let k = i + 1; k < q; k++) if (b.charCodeAt(k) < 32) throw this.fail('control character in a string (an unclosed string?)', k);
        return q + 1;
      }
      j = q + 1;
    }
  }

  /** Drops consumed text (an unfinished token or captured value is not consumed), counting its lines for positions. */
  private compact(): void {
    const keep = this.pos;
    if (keep === 0) return;
    this.countLines(keep);
    this.base += keep;
    this.buf = this.buf.slice(keep);
    this.pos = 0;
  }

  private countLines(upTo: number): void {
    let n = this.buf.indexOf('\n');
    while (n >= 0 && n < upTo) {
      this.linesBefore++;
      this.lastLineStart = this.base + n + 1;
      n = this.buf.indexOf('\n', n + 1);
    }
  }

  private fail(message: string, at = this.pos): JsonScanError {
    let line = this.linesBefore + 1;
    let lineStart = this.lastLineStart;
    for (let n = this.buf.indexOf('\n'); n >= 0 && n < at; n = this.buf.indexOf('\n', n + 1)) {
      line++;
      lineStart = this.base + n + 1;
    }
    return new JsonScanError(message, line, this.base + at - lineStart + 1, this.base + at);
  }
}
