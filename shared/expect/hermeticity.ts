// `[expect.hermeticity]`: the run touched nothing outside the test. Every span's resource is checked
// (clnrm looks at the first span only), and "external service" is decided from the host a span
// points at, not from the mere presence of a network attribute (a call to the test's own postgres
// container is hermetic). The exact rule is in SEMANTICS.md.
import { findAttribute, toText } from '../model';
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
  for (const service of index.services) exact.add(service.toLowerCase());
  for (const r of index.resources) {
    const hostName = findAttribute(r.attributes, 'host.name');
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
  const { keyStart, keyId, keys } = index.attributeKeys();
  let lastRaw: string | undefined;
  let lastOutside: string | undefined;
  const isHostKey = new Uint8Array(keys.length);
  keys.forEach((k, id) => {
    if (HOST_KEYS.has(k)) isHostKey[id] = 1;
  });
  for (let i = 0; i < spans.length; i++) {
    const from = keyStart[i]!;
    const to = keyStart[i + 1]!;
    for (let a = from; a < to; a++) {
      if (isHostKey[keyId[a]!] !== 1) continue;
      const kv = spans[i]!.attributes[a - from]!;
      const value = kv.value;
      const raw = 'stringValue' in value ? value.stringValue : toText(value);
      // Consecutive spans often name the same peer: reuse the last verdict before the map.
      let outside: string | undefined;
      if (raw === lastRaw) outside = lastOutside;
      else {
        outside = verdicts.get(raw);
        if (outside === undefined && !verdicts.has(raw)) {
          const host = hostOf(raw);
          outside = allowedHost(host) ? undefined : host;
          verdicts.set(raw, outside);
        }
        lastRaw = raw;
        lastOutside = outside;
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
  // Spans of one ResourceSpans share the Resource object: each distinct resource is read once.
  const { spans, resources, resourceId } = index;
  const got = resources.map((r) => {
    const v = findAttribute(r.attributes, key);
    return v === undefined ? undefined : toText(v);
  });
  const resourceOk = got.map((g) => g === want);
  const bad: number[] = [];
  const actual = new Set<string>();
  for (let i = 0; i < resourceId.length; i++) {
    const r = resourceId[i]!;
    if (resourceOk[r]) continue;
    bad.push(i);
    if (actual.size < 5) actual.add(got[r] === undefined ? '(missing)' : q(got[r]!));
  }
  return bad.length === 0
    ? {
        expectation,
        kind: 'hermeticity',
        passed: true,
        message: `all ${plural(spans.length, 'span')} (${plural(resources.length, 'resource')}) have ${key}=${q(want)}`,
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

function forbidKeys(forbidden: readonly string[], index: TraceIndex): ExpectationResult {
  const bad: number[] = [];
  const found = new Set<string>();
  const { keyStart, keyId, keys } = index.attributeKeys();
  const isForbidden = new Uint8Array(keys.length);
  let any = false;
  keys.forEach((k, id) => {
    if (forbidden.includes(k)) {
      isForbidden[id] = 1;
      any = true;
    }
  });
  for (let i = 0; any && i < keyStart.length - 1; i++) {
    let hit = false;
    for (let a = keyStart[i]!; a < keyStart[i + 1]!; a++) {
      if (isForbidden[keyId[a]!] === 1) {
        hit = true;
        found.add(keys[keyId[a]!]!);
      }
    }
    if (hit) bad.push(i);
  }
  return bad.length === 0
    ? {
        expectation: 'expect.hermeticity.span_attrs.forbid_keys',
        kind: 'hermeticity',
        passed: true,
        message: `no span carries ${forbidden.map(q).join(', ')}`,
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
