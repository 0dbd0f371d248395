import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from './evaluate';
import { hostOf } from './hermeticity';
import { sid, spans } from './testing';
import type { Resource } from '../model';

describe('hostOf', () => {
  it('extracts hosts from URLs, host:port, connection strings and IPv6', () => {
    expect(hostOf('https://api.example.com:8443/v1?x=1')).toBe('api.example.com');
    expect(hostOf('postgres://user:pw@db:5432/app')).toBe('db');
    expect(hostOf('redis:6379')).toBe('redis');
    expect(hostOf('[::1]:8080')).toBe('::1');
    expect(hostOf('fe80::1')).toBe('fe80::1');
    expect(hostOf('Example.ORG')).toBe('example.org');
  });
});

describe('expect.hermeticity', () => {
  const env = (v: string): Resource => ({
    attributes: [
      { key: 'service.name', value: { stringValue: 'clnrm' } },
      { key: 'env', value: { stringValue: v } },
    ],
  });

  it('no_external_services allows loopback, docker bridge, declared hosts and reporting services', () => {
    const s = spans([
      { id: 'a', name: 'q', service: 'api', attrs: { 'net.peer.name': 'postgres' } },
      { id: 'b', name: 'q', service: 'api', attrs: { 'http.url': 'http://localhost:8080/x' } },
      { id: 'c', name: 'q', service: 'api', attrs: { 'server.address': '172.18.0.3' } },
      { id: 'd', name: 'q', service: 'cache', attrs: { 'net.peer.name': 'api' } },
    ]);
    const [r] = evaluateExpectations(s, { expect: { hermeticity: { no_external_services: true } }, knownHosts: ['postgres'] });
    expect(r).toMatchObject({ passed: true, expectation: 'expect.hermeticity.no_external_services' });
  });

  it('no_external_services flags outside hosts with the attribute and span', () => {
    const s = spans([
      { id: 'a', name: 'fetch', attrs: { 'url.full': 'https://api.github.com/repos' } },
      { id: 'b', name: 'fetch', attrs: { 'net.peer.name': 'mirror.internal.corp' } },
      { id: 'c', name: 'ok', attrs: { 'net.peer.name': 'localhost' } },
    ]);
    const [r] = evaluateExpectations(s, {
      expect: { hermeticity: { no_external_services: true, allowed_hosts: ['*.internal.corp'] } },
    });
    expect(r!.passed).toBe(false);
    expect(r!.spans).toEqual([sid('a')]);
    expect(r!.message).toContain('api.github.com (url.full on "fetch")');
  });

  it('resource_attrs.must_match checks every span, not only the first', () => {
    const s = spans([
      { id: 'a', name: 'x', resource: env('ci') },
      { id: 'b', name: 'y', resource: env('ci') },
      { id: 'c', name: 'z', resource: env('prod') },
    ]);
    const r = evaluateExpectations(s, {
      expect: { hermeticity: { resource_attrs: { must_match: { 'service.name': 'clnrm', env: 'ci' } } } },
    });
    expect(r.map((x) => [x.expectation, x.passed])).toEqual([
      ['expect.hermeticity.resource_attrs.must_match."service.name"', true],
      ['expect.hermeticity.resource_attrs.must_match."env"', false],
    ]);
    expect(r[1]!.spans).toEqual([sid('c')]);
    expect(r[1]!.message).toContain('"prod" instead of "ci"');
  });

  it('span_attrs.forbid_keys lists offending spans', () => {
    const s = spans([
      { id: 'a', name: 'x', attrs: { 'db.connection_string': 'pg://x' } },
      { id: 'b', name: 'y', attrs: { other: 1 } },
    ]);
    const [r] = evaluateExpectations(s, {
      expect: { hermeticity: { span_attrs: { forbid_keys: ['net.peer.name', 'db.connection_string'] } } },
    });
    expect(r).toMatchObject({ passed: false, spans: [sid('a')] });
    const [ok] = evaluateExpectations(s.slice(1), {
      expect: { hermeticity: { span_attrs: { forbid_keys: ['db.connection_string'] } } },
    });
    expect(ok).toMatchObject({ passed: true, message: 'no span carries "db.connection_string"' });
  });
});
