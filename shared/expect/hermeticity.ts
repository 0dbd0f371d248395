// `[expect.hermeticity]`: the run touched nothing outside the test. Every span's resource is checked
// (clnrm looks at the first span only), and "external service" is decided from the host a span
// points at, not from the mere presence of a network attribute (a call to the test's own postgres
// container is hermetic). The exact rule is in SEMANTICS.md.
import { findAttribute, toText } from '../model';
import type { Resource } from '../model';
import type { HermeticityExpectation } from '../spec/schema/expect';
import type { ExpectationResult } from './types';
import type { TraceIndex } from './trace-index';
import { nameMatcher } from './trace-index';
import { evidence, plural, q } from './util';

/** Span attributes that name the remote host of an operation (old and new semantic conventions). */
export const HOST_ATTRIBUTES = [
  'net.peer.name',
  'net.peer.ip',
  'server.address',
  'network.peer.address',
  'http.host',
  'http.url',
  'url.full',
  'db.connection_string',
  'messaging.url',
] as const;
const HOST_KEYS: ReadonlySet<string> = new Set(HOST_ATTRIBUTES);

/** Host part of a URL, `host:port`, `user@host/db` connection string, or a bare host name. */
export function hostOf(value: string): string {
  let v = value.trim();
  const scheme = v.indexOf('://');
  if (scheme >= 0) v = v.slice(scheme + 3);
  const at = v.lastIndexOf('@', v.search(/[/?#]|$/));
  if (at >= 0) v = v.slice(at + 1);
  v = v.split(/[/?#;,]/)[0] ?? '';
  if (v.startsWith('[')) return v.slice(1, v.indexOf(']') > 0 ? v.indexOf(']') : undefined).toLowerCase();
  // One colon means host:port; several mean a bare IPv6 address.
  const colons = v.split(':').length - 1;
  if (colons === 1) v = v.slice(0, v.indexOf(':'));
  return v.toLowerCase();
}

function isLoopbackOrDocker(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0') return true;
  if (host === 'host.docker.internal' || host === 'host.testcontainers.internal') return true;
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (!m) return false;
  const a = Number(m[1]);
  const b = Number(m[2]);
  // 127/8 loopback; 172.16/12 is Docker's default bridge and user-network range.
  return a === 127 || (a === 172 && b >= 16 && b <= 31);
}

/** The allowed-host predicate: loopback, Docker bridge, known hosts, the services that reported spans. */
export function hostPolicy(
  index: TraceIndex,
  knownHosts: readonly string[],
  allowed: readonly string[],
): (host: string) => boolean {
  const exact = new Set<string>();
  for (const h of knownHosts) exact.add(h.toLowerCase());
  const seen = new Set<Resource>();
  let last: Resource | undefined;
  for (const s of index.spans) {
    // Consecutive spans usually share their resource object: skip the set lookup then.
    if (s.resource === last || seen.has(s.resource)) continue;
    last = s.resource;
    seen.add(s.resource);
    exact.add(s.serviceName.toLowerCase());
    const hostName = findAttribute(s.resource.attributes, 'host.name');
    if (hostName) exact.add(toText(hostName).toLowerCase());
  }
  const globs = allowed.map((p) => nameMatcher(p.toLowerCase()));
  return (host) => host === '' || isLoopbackOrDocker(host) || exact.has(host) || globs.some((g) => g(host));
}

function noExternalServices(
  h: HermeticityExpectation,
  index: TraceIndex,
  knownHosts: readonly string[],
): ExpectationResult {
  const allowedHost = hostPolicy(index, knownHosts, h.allowed_hosts ?? []);
  // Attribute values repeat across spans (same peers); decide each distinct value once.
  const verdicts = new Map<string, string | undefined>();
  const offending: number[] = [];
  const hosts = new Set<string>();
  const { spans } = index;
  for (let i = 0; i < spans.length; i++) {
    const attrs = spans[i]!.attributes;
    for (let k = 0; k < attrs.length; k++) {
      const kv = attrs[k]!;
      if (!HOST_KEYS.has(kv.key)) continue;
      const value = kv.value;
      const raw = 'stringValue' in value ? value.stringValue : toText(value);
      let outside = verdicts.get(raw);
      if (outside === undefined && !verdicts.has(raw)) {
        const host = hostOf(raw);
        outside = allowedHost(host) ? undefined : host;
        verdicts.set(raw, outside);
      }
      if (outside !== undefined) {
        offending.push(i);
        if (hosts.size < 10) hosts.add(`${outside} (${kv.key} on ${q(spans[i]!.name)})`);
        break;
      }
    }
  }
  return offending.length === 0
    ? {
        expectation: 'expect.hermeticity.no_external_services',
        kind: 'hermeticity',
        passed: true,
        message: `no span of ${index.spans.length} points at a host outside the test`,
        spans: [],
      }
    : {
        expectation: 'expect.hermeticity.no_external_services',
        kind: 'hermeticity',
        passed: false,
        message:
          `${plural(offending.length, 'span')} reach hosts outside the test: ${[...hosts].join(', ')}. ` +
          'Declare the host as a service or list it in allowed_hosts if it is part of the test.',
        spans: evidence(index, offending),
      };
}

function resourceMustMatch(key: string, want: string, index: TraceIndex): ExpectationResult {
  const expectation = `expect.hermeticity.resource_attrs.must_match.${q(key)}`;
  if (index.spans.length === 0) {
    return { expectation, kind: 'hermeticity', passed: false, message: 'no spans to check resources of', spans: [] };
  }
  // Spans of one ResourceSpans share the Resource object, so each distinct resource is read once,
  // and consecutive spans usually share it, which skips even the map lookup.
  const verdict = new Map<Resource, string | undefined>();
  const bad: number[] = [];
  const actual = new Set<string>();
  const { spans } = index;
  let last: Resource | undefined;
  let lastGot: string | undefined;
  for (let i = 0; i < spans.length; i++) {
    const r = spans[i]!.resource;
    if (r !== last) {
      if (verdict.has(r)) lastGot = verdict.get(r);
      else {
        const v = findAttribute(r.attributes, key);
        lastGot = v === undefined ? undefined : toText(v);
        verdict.set(r, lastGot);
      }
      last = r;
    }
    if (lastGot !== want) {
      bad.push(i);
      if (actual.size < 5) actual.add(lastGot === undefined ? '(missing)' : q(lastGot));
    }
  }
  return bad.length === 0
    ? {
        expectation,
        kind: 'hermeticity',
        passed: true,
        message: `all ${plural(spans.length, 'span')} (${plural(verdict.size, 'resource')}) have ${key}=${q(want)}`,
        spans: [],
      }
    : {
        expectation,
        kind: 'hermeticity',
        passed: false,
        message: `${plural(bad.length, 'span')} have resource ${key} ${[...actual].join(', ')} instead of ${q(want)}`,
        spans: evidence(index, bad),
      };
}

function forbidKeys(keys: readonly string[], index: TraceIndex): ExpectationResult {
  // A short list compared with === beats a Set lookup (length mismatch rejects most keys at once).
  const forbidden = [...new Set(keys)];
  const bad: number[] = [];
  const found = new Set<string>();
  const { spans } = index;
  for (let i = 0; i < spans.length; i++) {
    const attrs = spans[i]!.attributes;
    let hit = false;
    for (let k = 0; k < attrs.length; k++) {
      const key = attrs[k]!.key;
      if (forbidden.includes(key)) {
        hit = true;
        found.add(key);
      }
    }
    if (hit) bad.push(i);
  }
  return bad.length === 0
    ? {
        expectation: 'expect.hermeticity.span_attrs.forbid_keys',
        kind: 'hermeticity',
        passed: true,
        message: `no span carries ${keys.map(q).join(', ')}`,
        spans: [],
      }
    : {
        expectation: 'expect.hermeticity.span_attrs.forbid_keys',
        kind: 'hermeticity',
        passed: false,
        message: `${plural(bad.length, 'span')} carry forbidden attributes ${[...found].map(q).join(', ')}`,
        spans: evidence(index, bad),
      };
}

export function evaluateHermeticity(
  h: HermeticityExpectation,
  index: TraceIndex,
  knownHosts: readonly string[],
  out: ExpectationResult[],
): void {
  if (h.no_external_services) out.push(noExternalServices(h, index, knownHosts));
  for (const [key, value] of Object.entries(h.resource_attrs?.must_match ?? {})) {
    out.push(resourceMustMatch(key, String(value), index));
  }
  if (h.span_attrs?.forbid_keys?.length) out.push(forbidKeys(h.span_attrs.forbid_keys, index));
}
