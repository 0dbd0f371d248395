// Invariants about the spans of one name: presence with kind and parent, counts, status, duration
// and self-time bounds, attribute constants / enumerations / ranges / formats, and events. A name seen in every
// run gets the plain forms; one seen only in some runs gets forms that pass where it is absent
// (`when_present`, or "no such span" rules with count = 0), so no correct run fails them.
import type { Digest, NameStats, AttributeStats } from './digest';
import type { Invariant } from './types';
import { aboveObservedMinimum, bufferedBounds, observedRange, roundOut, structural, type Bounds } from './confidence';
import { quantileSorted as quantile } from '../perf/stats';

const MAX_ENUMERATION = 8;
const MIN_PREFIX = 3;

interface Context {
  readonly st: NameStats;
  readonly runs: number;
  /** Seen in every run. */
  readonly always: boolean;
  /** At most one span of this name per run: "at least one matches" then means "the one matches". */
  readonly single: boolean;
  readonly buffer: number;
  /** The longest stall seen on another name of its services (ms): upper time bounds keep at least this much room. */
  readonly stall: number;
}

const q = (s: string) => JSON.stringify(s);

function only<K>(m: Map<K, number>): K | undefined {
  return m.size === 1 ? m.keys().next().value : undefined;
}

/** `[[expect.span]]` entry with `when_present` for a name that some runs lack. */
function spanEntry(c: Context, fields: Record<string, unknown>): Record<string, unknown> {
  return { name: c.st.name, ...fields, ...(c.always ? {} : { when_present: true }) };
}

function base(c: Context, kind: Invariant['kind'], summary: string, confidence: number, evidence: readonly string[] = c.st.evidence) {
  return { kind, subject: c.st.name, summary, support: c.st.runs, confidence, evidence, conditional: !c.always } as const;
}

function structure(c: Context): Invariant | undefined {
  const kind = only(c.st.kinds);
  const parent = only(c.st.parents);
  const fields: Record<string, unknown> = {};
  if (kind !== undefined) fields.kind = kind;
  if (parent !== undefined && parent !== '' && !parent.includes('*')) fields.parent = parent;
  if (Object.keys(fields).length === 0 && !c.always) return undefined;
  const parts = [fields.kind ? `kind ${fields.kind as string}` : '', fields.parent ? `parent ${q(fields.parent as string)}` : ''].filter(Boolean);
  const summary = `${c.always ? 'every run has' : 'when present,'} ${q(c.st.name)}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  return { ...base(c, 'span', summary, structural(c.st.runs)), edit: { type: 'entry', table: 'expect.span', entries: spanEntry(c, fields) } };
}

function count(c: Context): Invariant {
  const min = Math.min(...c.st.counts);
  const max = Math.max(...c.st.counts);
  const exact = min === max;
  const value = exact ? { eq: min } : { ...(min > 0 ? { gte: min } : {}), lte: max };
  const summary = exact ? `${q(c.st.name)} occurs exactly ${min} time(s) per run` : `${q(c.st.name)} occurs ${min}–${max} times per run`;
  return {
    ...base(c, 'count', summary, exact ? structural(c.runs) : observedRange(c.runs)),
    support: c.runs,
    conditional: false,
    edit: { type: 'key', table: 'expect.counts.by_name', key: c.st.name, value },
  };
}

function status(c: Context): Invariant | undefined {
  const s = only(c.st.statuses);
  if (s === undefined) return undefined;
  const upper = s.toUpperCase();
  if (c.always) {
    return {
      ...base(c, 'status', `every ${q(c.st.name)} ends with status ${upper}`, structural(c.st.runs)),
      edit: { type: 'key', table: 'expect.status.by_name', key: c.st.name, value: upper },
    };
  }
  if (s === 'error') return undefined;
  return {
    ...base(c, 'status', `no ${q(c.st.name)} ends in ERROR (seen ${upper} only)`, structural(c.st.runs)),
    edit: { type: 'entry', table: 'expect.span', entries: { name: c.st.name, status: 'ERROR', count: { eq: 0 } } },
  };
}

/**
 * Per service, the stalls seen: how far the self time (the time not covered by its children; a leaf's
 * duration) of each name of one service ran over its name's median. A loaded host stops a process now and
 * then for a scheduler slice or more, whatever the span does: a 0.1 ms insert was seen taking 4.6 ms in a
 * correct demo run after a select of the same service had taken 4.6 ms in a learned one, and on new real
 * runs at load 5–9 a `cache.set` spent 62 ms on its own where 60 learned runs had shown at most 24 ms — but
 * the service's server spans had shown 93 ms of their own. Self time keeps children's waits out.
 */
function stallsByService(digest: Digest): Map<string, Map<string, number>> {
  const stalls = new Map<string, Map<string, number>>();
  for (const st of digest.names) {
    if (st.services.size !== 1) continue;
    const sorted = [...st.selfTimes].sort((a, b) => a - b);
    const service = st.services.keys().next().value!;
    if (!stalls.has(service)) stalls.set(service, new Map());
    stalls.get(service)!.set(st.name, (sorted[sorted.length - 1]! - quantile(sorted, 0.5)) / 1000);
  }
  return stalls;
}

/**
 * The longest stall seen on another name of the services of `st` (ms): upper time bounds keep that much
 * room above the longest value seen. Its own stalls are already in its values (and in the buffer).
 */
function stallFor(st: NameStats, stalls: Map<string, Map<string, number>>): number {
  let most = 0;
  for (const service of st.services.keys()) for (const [name, ms] of stalls.get(service) ?? []) if (name !== st.name) most = Math.max(most, ms);
  return most;
}

/** Per name, the stall room (ms) its upper time bounds keep (the benchmark's mutants use it too). */
export function stallRoom(digest: Digest): Map<string, number> {
  const stalls = stallsByService(digest);
  return new Map(digest.names.map((st) => [st.name, stallFor(st, stalls)]));
}

/** Says why a bound lies so far above the longest value seen, when the stall decided it. */
const stallNote = (c: Context, b: Bounds) => (b.bySlack ? ` (the longest seen + a stall of ${roundOut(c.stall, 'up')} ms seen on another span of its service)` : '');

/**
 * Upper and lower duration bounds as two invariants merged into one rule: the lower one needs many
 * runs to reach the threshold (see confidence.ts), the upper one is what catches a slowdown.
 */
function durations(c: Context): Invariant[] {
  const b = bufferedBounds(c.st.durations.map((us) => us / 1000), c.buffer, c.stall);
  const lo = roundOut(b.lo, 'down');
  const hi = roundOut(b.hi, 'up');
  const room = stallNote(c, b);
  if (!c.single) {
    // "No span of this name lasts hi or longer": a bound on every one of them, and absent-safe.
    return [
      {
        ...base(c, 'duration', `no ${q(c.st.name)} lasts ${hi} ms or more${room}`, b.upperConfidence),
        edit: { type: 'entry', table: 'expect.span', entries: { name: c.st.name, duration_ms: { min: hi }, count: { eq: 0 } } },
      },
      ...selfTime(c, hi),
    ];
  }
  const merge = `duration ${c.st.name}`;
  const upper: Invariant = {
    ...base(c, 'duration', `${q(c.st.name)} lasts at most ${hi} ms${room}`, b.upperConfidence),
    merge,
    edit: { type: 'entry', table: 'expect.span', entries: spanEntry(c, { duration_ms: { max: hi } }) },
  };
  if (lo <= 0) return [upper, ...selfTime(c, hi)];
  const lower: Invariant = {
    ...base(c, 'duration', `${q(c.st.name)} lasts at least ${lo} ms`, aboveObservedMinimum(c.st.total)),
    subject: `${c.st.name} min`,
    merge,
    edit: { type: 'entry', table: 'expect.span', entries: spanEntry(c, { duration_ms: { min: lo } }) },
  };
  return [upper, lower, ...selfTime(c, hi)];
}

/**
 * An upper bound on self time (duration minus what the children cover), for a span with children when
 * it is tighter than the duration's: a span whose duration is bimodal (a cache hit, or a miss that adds
 * a db call) has a unimodal self time, so its own slowdown shows where the duration's bound hides it; and
 * a slowdown adds as much to the self time as to the duration, so a lower bound on it shows more of them.
 */
function selfTime(c: Context, durationHi: number): Invariant[] {
  if (!c.st.hasChildren) return [];
  const b = bufferedBounds(c.st.selfTimes.map((us) => us / 1000), c.buffer, c.stall);
  const hi = roundOut(b.hi, 'up');
  if (hi <= 0 || hi >= durationHi) return [];
  const room = stallNote(c, b);
  const subject = `${c.st.name} self`;
  if (!c.single) {
    return [
      {
        ...base(c, 'duration', `no ${q(c.st.name)} spends ${hi} ms or more on its own (children excluded)${room}`, b.upperConfidence),
        subject,
        edit: { type: 'entry', table: 'expect.span', entries: { name: c.st.name, self_ms: { min: hi }, count: { eq: 0 } } },
      },
    ];
  }
  return [
    {
      ...base(c, 'duration', `${q(c.st.name)} spends at most ${hi} ms on its own (children excluded)${room}`, b.upperConfidence),
      subject,
      merge: `duration ${c.st.name}`,
      edit: { type: 'entry', table: 'expect.span', entries: spanEntry(c, { self_ms: { max: hi } }) },
    },
  ];
}

function commonPrefix(values: Iterable<string>): string {
  let prefix: string | undefined;
  for (const v of values) {
    if (prefix === undefined) prefix = v;
    else {
      let i = 0;
      while (i < prefix.length && i < v.length && prefix[i] === v[i]) i++;
      prefix = prefix.slice(0, i);
    }
  }
  return prefix ?? '';
}

/** What one attribute key always satisfies on this name, with how sure that is. */
function attributeClaim(a: AttributeStats, c: Context): { value: unknown; text: string; confidence: number } | undefined {
  const values = [...a.values.keys()].sort();
  if (values.length === 1) return { value: values[0], text: `= ${q(values[0]!)}`, confidence: structural(c.st.runs) };
  if (!c.single) return undefined;
  // {false, true} says nothing about a boolean.
  const trivial = values.length === 2 && values[0] === 'false' && values[1] === 'true';
  if (!trivial && values.length <= MAX_ENUMERATION && [...a.values.values()].every((n) => n >= 2)) {
    return { value: values, text: `∈ {${values.join(', ')}}`, confidence: structural(a.spans - values.length) };
  }
  if (a.numeric && a.numbers.length === a.spans) {
    const integers = a.numbers.every(Number.isInteger);
    if (a.numbers.every((n) => n > 0)) {
      const b = bufferedBounds(a.numbers, c.buffer);
      const lo = integers ? Math.floor(b.lo) : roundOut(b.lo, 'down');
      const hi = integers ? Math.ceil(b.hi) : roundOut(b.hi, 'up');
      return { value: { gte: lo, lte: hi }, text: `in [${lo}, ${hi}]`, confidence: b.confidence };
    }
    const lo = Math.min(...a.numbers);
    const hi = Math.max(...a.numbers);
    return { value: { gte: lo, lte: hi }, text: `in [${lo}, ${hi}]`, confidence: observedRange(a.spans) };
  }
  const prefix = commonPrefix(a.values.keys());
  if (prefix.length >= MIN_PREFIX) return { value: { contains: prefix }, text: `contains ${q(prefix)}`, confidence: structural(c.st.runs) };
  return { value: { exists: true }, text: 'is set', confidence: structural(c.st.runs) };
}

function attributes(c: Context): Invariant[] {
  const out: Invariant[] = [];
  for (const key of [...c.st.attrs.keys()].sort()) {
    const a = c.st.attrs.get(key)!;
    if (a.spans !== c.st.total) continue;
    const claim = attributeClaim(a, c);
    if (!claim) continue;
    const summary = `${c.single ? '' : 'every '}${q(c.st.name)} has ${key} ${claim.text}`;
    if (c.single) {
      out.push({
        ...base(c, 'attribute', summary, claim.confidence, a.evidence),
        subject: `${c.st.name} ${key}`,
        merge: `attribute ${c.st.name}`,
        edit: { type: 'entry', table: 'expect.span', entries: spanEntry(c, { attrs: { all: { [key]: claim.value } } }) },
      });
    } else {
      // Repeated spans: "none differs" judges every one of them, and passes when there are none.
      out.push({
        ...base(c, 'attribute', summary, claim.confidence, a.evidence),
        subject: `${c.st.name} ${key}`,
        edit: { type: 'entry', table: 'expect.span', entries: { name: c.st.name, attrs: { all: { [key]: { ne: claim.value } } }, count: { eq: 0 } } },
      });
    }
  }
  return out;
}

function events(c: Context): Invariant[] {
  if (!c.single) return [];
  return [...c.st.events.entries()]
    .filter(([, n]) => n === c.st.total)
    .map(([event]) => event)
    .sort()
    .map((event) => ({
      ...base(c, 'event', `${q(c.st.name)} records event ${q(event)}`, structural(c.st.runs)),
      subject: `${c.st.name} ${event}`,
      merge: `event ${c.st.name}`,
      edit: { type: 'entry', table: 'expect.span', entries: spanEntry(c, { events: { all: [event] } }) },
    }));
}

export function mineSpans(digest: Digest, buffer: number): Invariant[] {
  const out: Invariant[] = [];
  const stalls = stallsByService(digest);
  for (const st of digest.names) {
    // A `*` in a name would be read as a glob by the engine: nothing exact can be said about it.
    if (st.name.includes('*')) continue;
    const c: Context = { st, runs: digest.runs, always: st.runs === digest.runs, single: st.counts.every((n) => n <= 1), buffer, stall: stallFor(st, stalls) };
    const s = structure(c);
    if (s) out.push(s);
    out.push(count(c));
    const st2 = status(c);
    if (st2) out.push(st2);
    out.push(...durations(c));
    out.push(...attributes(c), ...events(c));
  }
  return out;
}
