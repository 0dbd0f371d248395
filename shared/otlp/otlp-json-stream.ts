// One OTLP JSON request (`{"resourceSpans": …}`) read as a stream, in two passes over the text:
// the first checks the document's structure (a file cut short fails here, before anything is
// stored) and keeps each ResourceSpans' and ScopeSpans' envelope (resource, scope, schemaUrl —
// which encoders often write after the spans), the second parses and decodes the spans one by one
// with their envelope (a syntax error inside a span surfaces there). Memory holds envelopes and one chunk, never
// the document; errors name the JSON path (shape) or line and column (syntax).
import type { InstrumentationScope, Resource, Span } from '../model';
import { decodeResource, decodeScope, decodeSpan } from './json-decode';
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
  private pass: 1 | 2 = 1;
  private readonly rootKey: ListKey = { camel: 'resourceSpans', snake: 'resource_spans' };
  private readonly resources = new Map<number, ResourceEnvelope>();
  private readonly rejections = new Rejections();
  private out: Span[] = [];
  private scanner = this.newScanner();

  /** First pass: checks and remembers envelopes; returns nothing. */
  scanEnvelopes(chunk: string): void {
    this.scanner.push(chunk);
  }

  /** Ends the first pass; the text must then be given again to decodeSpans. */
  endEnvelopes(): void {
    this.scanner.end();
    // Envelope shape errors surface here, before a single span is handed out.
    for (const [i, rs] of this.resources) {
      rs.decoded = decodeResource(rs.fields, rsPath(i));
      for (const [j, ss] of rs.scopes) ss.decoded = decodeScope(ss.fields, ssPath(i, j));
    }
    this.pass = 2;
    this.scanner = this.newScanner();
  }

  /** Second pass: the spans completed by this chunk. */
  decodeSpans(chunk: string): Span[] {
    this.scanner.push(chunk);
    return this.take();
  }

  /** Ends the second pass: the last spans, and the partial-success summary of the whole request. */
  end(): { spans: Span[]; result: OtlpDecodeResult } {
    this.scanner.end();
    return { spans: this.take(), result: this.rejections.finish([]) };
  }

  private take(): Span[] {
    const spans = this.out;
    this.out = [];
    return spans;
  }

  private newScanner(): JsonStreamScanner {
    return new JsonStreamScanner({
      interest: (path, kind) => this.interest(path, kind),
      value: (path, text) => this.value(path, text),
      root: (index) => {
        if (index > 0) throw new SecondDocument('more than one JSON document');
      },
    });
  }

  private interest(path: readonly JsonPathPart[], kind: 'object' | 'array' | 'scalar'): Interest {
    const n = path.length;
    if (n === 0) return kind === 'object' ? 'descend' : 'skip';
    const key = path[n - 1];
    if (n === 1) return this.listInterest(this.rootKey, key as string, kind);
    const rs = this.resourceEnvelope(path[1] as number);
    if (n === 2) return kind === 'object' ? 'descend' : 'capture';
    if (n === 3) {
      if (key === 'resource' || key === 'schemaUrl' || key === 'schema_url') return this.pass === 1 ? 'capture' : 'skip';
      return this.listInterest(rs.scopeKey, key as string, kind);
    }
    if (n === 4) return kind === 'object' ? 'descend' : 'capture';
    if (n === 5) {
      if (key === 'scope' || key === 'schemaUrl' || key === 'schema_url') return this.pass === 1 ? 'capture' : 'skip';
      if (key !== 'spans') return 'skip';
      if (kind !== 'array') return this.pass === 1 ? 'capture' : 'skip';
      // The spans' own syntax is checked when they are parsed, in the second pass.
      return this.pass === 1 ? 'skim' : 'descend';
    }
    return n === 6 && this.pass === 2 ? 'capture' : 'skip';
  }

  /** resourceSpans / scopeSpans: walked into when an array (pass 1 picks the spelling), checked by the reader otherwise. */
  private listInterest(list: ListKey, key: string, kind: 'object' | 'array' | 'scalar'): Interest {
    if (key !== list.camel && key !== list.snake) return 'skip';
    if (this.pass === 2) return key === list.chosen ? 'descend' : 'skip';
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
