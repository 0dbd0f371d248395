import { mulberry32U32 } from '../random';
// Arguments and randomness for the template functions (template-functions.ts, template-fake.ts).
//
// Tera passes function arguments by keyword only (`fake_int_range(min=1, max=10)`); nunjucks passes
// positional values and then, when keywords were written, one object marked `__keywords`. `readArgs`
// accepts both: positional values fill the declared names in order, keywords win.
//
// Randomness: clnrm seeds each call from its `seed=` argument (same seed, same value). Calls without
// one draw their seed from a per-render generator, seeded by `[determinism] seed` when the file has
// one (repeatable renders), otherwise from `globalThis.crypto`.

export type Args = Record<string, unknown>;

/** Thrown by a template function for a bad argument; the message names the function and the fix. */
export class TemplateArgError extends Error {}

export function readArgs(raw: unknown[], names: readonly string[]): Args {
  const out: Args = {};
  let positional = raw;
  const last = raw[raw.length - 1];
  if (last !== null && typeof last === 'object' && (last as { __keywords?: boolean }).__keywords) {
    positional = raw.slice(0, -1);
    for (const [key, value] of Object.entries(last)) if (key !== '__keywords') out[key] = value;
  }
  positional.forEach((value, index) => {
    const name = names[index];
    if (name !== undefined && !(name in out)) out[name] = value;
  });
  return out;
}

export function requireString(fn: string, args: Args, name: string): string {
  const value = args[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateArgError(`${fn}() requires a string \`${name}\` argument, e.g. ${fn}(${name}="…")`);
}

export function optionalInt(fn: string, args: Args, name: string, fallback: number): number {
  const value = args[name];
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new TemplateArgError(`${fn}() argument \`${name}\` must be a whole number, got ${JSON.stringify(value)}`);
  }
  return n;
}

export function requireInt(fn: string, args: Args, name: string): number {
  if (args[name] === undefined || args[name] === null) {
    throw new TemplateArgError(`${fn}() requires a whole-number \`${name}\` argument, e.g. ${fn}(${name}=10)`);
  }
  return optionalInt(fn, args, name, 0);
}

export function requireList(fn: string, args: Args, name: string): unknown[] {
  const value = args[name];
  if (!Array.isArray(value)) throw new TemplateArgError(`${fn}() requires a list \`${name}\` argument, e.g. ${fn}(${name}=["a", "b"])`);
  return value;
}

/** Deterministic 32-bit generator (mulberry32): small, fast, good enough for test data, never for secrets. */
export class Rng {
  readonly nextU32: () => number;
  constructor(seed: number) {
    // Fold seeds wider than 32 bits (clnrm's are u64) so 2**32 + 1 and 1 differ.
    this.nextU32 = mulberry32U32((Math.trunc(seed) ^ Math.trunc(seed / 0x100000000)) >>> 0);
  }
  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 0x100000000;
  }
  /** Uniform integer in [min, max) (min when the range is empty). */
  int(min: number, max: number): number {
    if (max <= min) return min;
    return min + Math.floor(this.next() * (max - min));
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.nextU32() & 0xff;
    return out;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += (this.nextU32() & 15).toString(16);
    return s;
  }
}

// shared/ has neither DOM nor Node types; Web Crypto is on globalThis in Node 20, Electron and browsers.
type WebCrypto = { getRandomValues(array: Uint32Array): Uint32Array };

export function randomSeed(): number {
  const buf = new Uint32Array(1);
  (globalThis as unknown as { crypto: WebCrypto }).crypto.getRandomValues(buf);
  return buf[0]!;
}

/** The seeds of one render: a call's own `seed=` wins, else the next seed of the render's generator. */
export class SeedSource {
  private readonly rng: Rng;
  constructor(seed?: number) {
    this.rng = new Rng(seed ?? randomSeed());
  }
  seedFor(fn: string, args: Args): number {
    if (args.seed === undefined || args.seed === null) return this.rng.nextU32();
    const seed = typeof args.seed === 'string' && args.seed.trim() !== '' ? Number(args.seed) : args.seed;
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0) {
      throw new TemplateArgError(`${fn}() argument \`seed\` must be a whole number ≥ 0, got ${JSON.stringify(args.seed)}`);
    }
    return seed;
  }
  rngFor(fn: string, args: Args): Rng {
    return new Rng(this.seedFor(fn, args));
  }
}
