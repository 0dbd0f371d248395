// Which Host headers the OTLP/HTTP receiver answers. A web page can make the browser POST to a
// loopback port; with DNS rebinding (a name of the attacker's that resolves to 127.0.0.1) the
// page could even read the answers. A rebinding attack always carries the attacker's own name in
// Host, so the receiver answers only names no attacker controls: IP literals, `localhost`,
// `host.docker.internal` (what containers send to when the receiver is bound to the bridge
// gateway), and the address it was bound to. A receiver bound to every interface (`0.0.0.0`, `::`:
// the user exposed it on purpose, e.g. `clnrm collect` inside a container, reached by its service name)
// answers any name: whoever can reach it needs no rebinding.
import { isIP } from 'node:net';

const FIXED_NAMES = new Set(['localhost', 'host.docker.internal']);
const EVERY_INTERFACE = new Set(['0.0.0.0', '::', '']);

/** The host name in a Host header (`[::1]:4318` → `::1`, `Example:80` → `example`), or undefined when malformed. */
export function hostName(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end > 0 ? value.slice(1, end) : undefined;
  }
  const name = value.split(':')[0]!;
  return name === '' ? undefined : name;
}

/** Undefined when the receiver may answer this Host header; otherwise why not. */
export function refuseHost(header: string | undefined, boundHost: string): string | undefined {
  if (header === undefined || header === '') return 'requests need a Host header';
  if (EVERY_INTERFACE.has(boundHost)) return undefined;
  const name = hostName(header);
  if (name !== undefined && (isIP(name) !== 0 || FIXED_NAMES.has(name) || name === boundHost.toLowerCase())) return undefined;
  return `Host ${JSON.stringify(header)} is not this receiver: send to an IP address, localhost or host.docker.internal (web pages on other names are refused)`;
}
