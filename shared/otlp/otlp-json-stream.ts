// One OTLP JSON request (`{"resourceSpans": …}`) read as a stream, in two passes over the text:
// the first checks the document's structure and keeps each ResourceSpans' and ScopeSpans' envelope
// (resource, scope, schemaUrl — which encoders often write after the spans), the second parses and
// decodes the spans one by one with their envelope (a syntax error inside a span surfaces there).
// A reader that keeps the text may instead decode each ResourceSpans as soon as the first pass has
// read it whole (`takeResourcesRead`, `decodeResourceText`: one JSON.parse, every envelope known),
// so a file yields spans while it is still arriving; the second pass then decodes only the
// ResourceSpans it was not given. Memory holds envelopes and one chunk, never the document; errors
// name the JSON path (shape) or line and column (syntax).
import type { InstrumentationScope, Resource, Span } from '../model';
import { decodeResource, decodeScope, decodeSpan, resourceSpansPieces } from './json-decode';
import { JsonReadContext, parseJsonExact, readArray, readObject, type JsonObject } from './json-read';
import { JsonStreamScanner, type Interest, type JsonPathPart } from './json-scan';
import { Rejections, type OtlpDecodeResult } from './result';

const OTLP_JSON = new JsonReadContext('otlp.decode', 'Invalid OTLP/JSON trace request');

/** The chosen spelling of a list key (camelCase wins over snake_case, as the decoder's pick does). */
type ListKey = { camel: string; snake: string; chosen?: string };

interface ScopeEnvelope {
  fields: JsonObject;
  decoded?: InstrumentationScope;
}

interface ResourceEnvelope {
  fields: JsonObject;
  decoded?: Resource;
  scopeKey: ListKey;
  scopes: Map<number, ScopeEnvelope>;
}

/** Where the first pass read one whole ResourceSpans: its index, and the offsets of its text (end exclusive). */
export interface ResourceRead {
  index: number;
  start: number;
  end: number;
}

/** Thrown by the first pass when a second top-level value starts: the file is JSON Lines, not one document. */
export class SecondDocument extends Error {}

function rsPath(i: number): string {
  return `resourceSpans[${i}]`;
}

function ssPath(i: number, j: number): string {
  return `resourceSpans[${i}].scopeSpans[${j}]`;
}

export class OtlpJsonStream {
  /** False once the first pass found the top level is not an OTLP request (another format). */
  isOtlp = false;
  private readonly rootKey: ListKey = { camel: 'resourceSpans', snake: 'resource_spans' };
  private readonly resources = new Map<number, ResourceEnvelope>();
  private readonly rejections = new Rejections();
  private out: Span[] = [];
  /** ResourceSpans the first pass has read whole and nobody has taken yet. */
  private resourcesRead: ResourceRead[] = [];
  private openedAt = 0;
  /** ResourceSpans whose spans were handed out by decodeResourceText: the second pass passes over them. */
  private readonly decodedResources = new Set<number>();
  private readonly envelopeScanner = this.newScanner(1);
  private readonly spanScanner = this.newScanner(2);
  private envelopesEnded = false;

  /** First pass: checks and remembers envelopes; returns nothing. */
  scanEnvelopes(chunk: string): void {
    this.envelopeScanner.push(chunk);
  }

  /** Ends the first pass: every envelope's shape is checked. */
  endEnvelopes(): void {
    this.envelopeScanner.end();
    // Envelope shape errors surface here (before any span when the passes do not overlap).
    for (const [i, rs] of this.resources) {
      rs.decoded ??= decodeResource(rs.fields, rsPath(i));
      for (const [j, ss] of rs.scopes) ss.decoded ??= decodeScope(ss.fields, ssPath(i, j));
    }
    this.envelopesEnded = true;
  }

  /** The ResourceSpans the first pass has read whole since the last call, in order. */
  takeResourcesRead(): ResourceRead[] {
    const read = this.resourcesRead;
    this.resourcesRead = [];
    return read;
  }

  /**
   * The spans of ResourceSpans `index` from its whole text (`start` to `end` of what takeResourcesRead
   * gave), in pieces of at most `size`: the text is parsed at once (a SyntaxError is thrown here),
   * the spans decoded as the pieces are taken. Take them all.
   */
  decodeResourceText(index: number, text: string, size = Number.POSITIVE_INFINITY): Iterable<Span[]> {
    const value = parseJsonExact(text);
    this.decodedResources.add(index);
    return resourceSpansPieces(value, rsPath(index), this.rejections, size);
  }

  /** Every ResourceSpans the first pass found was decoded from its text: no second pass is needed. */
  get allDecoded(): boolean {
    return this.decodedResources.size === this.resources.size;
  }

  /** Second pass: the spans completed by this chunk (of the ResourceSpans not decoded from their text). */
  decodeSpans(chunk: string): Span[] {
    this.spanScanner.push(chunk);
    return this.take();
  }

  /** Ends the second pass: the last spans, and the partial-success summary of the whole request. */
  end(): { spans: Span[]; result: OtlpDecodeResult } {
    if (!this.envelopesEnded) throw new Error('OtlpJsonStream.end before endEnvelopes');
    if (!this.allDecoded) this.spanScanner.end(); // a second pass was needed, and ran
    return { spans: this.take(), result: this.rejections.finish([]) };
  }

  private take(): Span[] {
    const spans = this.out;
    this.out = [];
    return spans;
  }

  private newScanner(pass: 1 | 2): JsonStreamScanner {
    return new JsonStreamScanner({
      interest: (path, kind) => this.interest(pass, path, kind),
      value: (path, text) => this.value(path, text),
      root: (index) => {
        if (index > 0) throw new SecondDocument('more than one JSON document');
      },
      opened: (path, offset) => {
        if (pass === 1 && path.length === 2) this.openedAt = offset;
      },
      closed: (path, offset) => {
        if (pass === 1 && path.length === 2) this.resourcesRead.push({ index: path[1] as number, start: this.openedAt, end: offset });
      },
    });
  }

  private interest(pass: 1 | 2, path: readonly JsonPathPart[], kind: 'object' | 'array' | 'scalar'): Interest {
    const n = path.length;
    if (n === 0) return kind === 'object' ? 'descend' : 'skip';
    const key = path[n - 1];
    if (n === 1) return this.listInterest(pass, this.rootKey, key as string, kind);
    if (n === 2 && pass === 2 && this.decodedResources.has(key as number)) return kind === 'scalar' ? 'skip' : 'skim';
    const rs = this.resourceEnvelope(path[1] as number);
    if (n === 2) return kind === 'object' ? 'descend' : 'capture';
    if (n === 3) {
      if (key === 'resource' || key === 'schemaUrl' || key === 'schema_url') return pass === 1 ? 'capture' : 'skip';
      return this.listInterest(pass, rs.scopeKey, key as string, kind);
    }
    if (n === 4) return kind === 'object' ? 'descend' : 'capture';
    if (n === 5) {
      if (key === 'scope' || key === 'schemaUrl' || key === 'schema_url') return pass === 1 ? 'capture' : 'skip';
      if (key !== 'spans') return 'skip';
      if (kind !== 'array') return pass === 1 ? 'capture' : 'skip';
      // The spans' own syntax is checked when they are parsed, in the second pass.
      return pass === 1 ? 'skim' : 'descend';
    }
    return n === 6 && pass === 2 ? 'capture' : 'skip';
  }

  /** resourceSpans / scopeSpans: walked into when an array (pass 1 picks the spelling), checked by the reader otherwise. */
  private listInterest(pass: 1 | 2, list: ListKey, key: string, kind: 'object' | 'array' | 'scalar'): Interest {
    if (key !== list.camel && key !== list.snake) return 'skip';
    if (pass === 2) return key === list.chosen ? 'descend' : 'skip';
    if (kind !== 'array') return 'capture';
    this.isOtlp ||= list === this.rootKey;
    if (list.chosen !== list.camel) list.chosen = key;
    return 'descend';
  }

  private value(path: readonly JsonPathPart[], text: string): void {
    const n = path.length;
    const where = pathText(path);
    const value = parseJsonExact(text);
    if (n === 1) {
      // resourceSpans: null means none; anything else not an array is the reader's error.
      this.isOtlp = true;
      readArray(OTLP_JSON, value, where);
      return;
    }
    const rs = this.resourceEnvelope(path[1] as number);
    if (n === 2 || n === 4) {
      readObject(OTLP_JSON, value, where);
      return;
    }
    const key = path[n - 1] as string;
    if (n === 3 && (key === 'resource' || key === 'schemaUrl' || key === 'schema_url')) rs.fields[key] = value;
    else if (n === 5 && key !== 'spans' && key !== 'scopeSpans' && key !== 'scope_spans') this.scopeEnvelope(rs, path[3] as number).fields[key] = value;
    else if (n === 6) this.decodeSpanAt(rs, path[1] as number, path[3] as number, path[5] as number, value);
    else readArray(OTLP_JSON, value, where);
  }

  private decodeSpanAt(rs: ResourceEnvelope, i: number, j: number, k: number, value: unknown): void {
    rs.decoded ??= decodeResource(rs.fields, rsPath(i));
    const ss = this.scopeEnvelope(rs, j);
    ss.decoded ??= decodeScope(ss.fields, ssPath(i, j));
    const span = decodeSpan(value, `${ssPath(i, j)}.spans[${k}]`, rs.decoded, ss.decoded, this.rejections);
    if (span) this.out.push(span);
  }

  private resourceEnvelope(i: number): ResourceEnvelope {
    let rs = this.resources.get(i);
    if (rs === undefined) {
      rs = { fields: {}, scopeKey: { camel: 'scopeSpans', snake: 'scope_spans' }, scopes: new Map() };
      this.resources.set(i, rs);
    }
    return rs;
  }

  private scopeEnvelope(rs: ResourceEnvelope, j: number): ScopeEnvelope {
    let ss = rs.scopes.get(j);
    if (ss === undefined) {
      ss = { fields: {} };
      rs.scopes.set(j, ss);
    }
    return ss;
  }
}

/** The decoder's way of naming a place: resourceSpans[0].scopeSpans[1].spans[2]. */
function pathText(path: readonly JsonPathPart[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}
