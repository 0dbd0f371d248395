// `host:port` addresses of the proxy API (Toxiproxy's `listen` and `upstream` strings), checked.
import type { AddressInfo } from 'node:net';
import { StudioError } from '../../../shared/errors';
import type { Address } from './connection';

/**
 * `host:port`, `[v6]:port` or `:port`. A listen address with no host binds 127.0.0.1 (never every
 * interface by accident); `localhost` is 127.0.0.1, as Toxiproxy resolves it.
 */
export function parseAddress(text: unknown, role: 'listen' | 'upstream'): Address {
  const bad = (why: string) =>
    new StudioError({ code: 'chaos.invalid-proxy', message: `${role} ${JSON.stringify(text)} is not usable: ${why}`, path: role });
  if (typeof text !== 'string' || text.length === 0 || text.length > 300) throw bad('give "host:port" (e.g. "127.0.0.1:0")');
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]/]*)):(\d{1,5})$/.exec(text);
  if (!match) throw bad('give "host:port", "[ipv6]:port" or ":port"');
  const port = Number(match[3]);
  const min = role === 'listen' ? 0 : 1;
  if (port < min || port > 65535) throw bad(`the port is ${min}–65535${role === 'listen' ? ' (0 = any free port)' : ''}`);
  let host = match[1] ?? match[2] ?? '';
  if (host === '') {
    if (role === 'upstream') throw bad('the upstream needs a host');
    host = '127.0.0.1';
  }
  if (role === 'listen' && host === 'localhost') host = '127.0.0.1';
  return { host, port };
}

export function formatAddress(info: AddressInfo | Address): string {
  const host = 'address' in info ? info.address : info.host;
  return host.includes(':') ? `[${host}]:${info.port}` : `${host}:${info.port}`;
}
