// Who may talk to the browser-mode server. The page can start containers and read files, so it
// must not be reachable by other web sites (cross-site requests, DNS rebinding) or by other users
// of the machine. No secret ever travels in a cookie (cookies are not bound to a port: the browser
// would send ours to every server on 127.0.0.1) or stays valid in a URL (the opener's command line
// is world-readable in /proc): the URL carries a one-time launch code, which the page exchanges
// once (POST /session) for a session key it keeps in sessionStorage and sends only to us, as a
// WebSocket subprotocol. The Host header must name our loopback address and port, and an Origin
// header must be our own origin.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SESSION_PROTOCOL_PREFIX, STUDIO_PROTOCOL } from '../../../shared/ipc/browser-session';

/** A launch code not used within this long is dead (the printed link can be renewed with Enter). */
export const CODE_LIFETIME_MS = 10 * 60_000;

/** 32 random bytes, base64url (valid in a URL and as a subprotocol token). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export type Refusal = { status: 401 | 403; reason: string };

function sameSecret(given: string, known: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(known);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Host and Origin checks, shared by every request and the WebSocket upgrade. */
export function checkSite(req: IncomingMessage, port: number, originRequired = false): Refusal | undefined {
  const host = req.headers.host;
  if (!host || !allowedHosts(port).includes(host.toLowerCase())) {
    return { status: 403, reason: `Host header ${JSON.stringify(host ?? '')} is not this studio (expected 127.0.0.1:${port})` };
  }
  const origin = req.headers.origin;
  if (origin === undefined && originRequired) return { status: 403, reason: 'this request needs an Origin header (a browser sends one)' };
  if (origin !== undefined && origin !== `http://${host.toLowerCase()}`) {
    return { status: 403, reason: `requests from ${JSON.stringify(origin)} are not allowed` };
  }
  return undefined;
}

const NEW_LINK_HINT = 'press Enter in the terminal running `clnrm studio` for a new link';

/**
 * The studio's secrets: launch codes (in URLs; each works once, within CODE_LIFETIME_MS) and the
 * session keys they were exchanged for (held by pages, never in a URL or a cookie).
 */
export class StudioKeys {
  private readonly codes = new Map<string, number>();
  private readonly sessions = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A fresh one-time launch code. */
  issueCode(): string {
    const code = newSecret();
    this.codes.set(code, this.now() + CODE_LIFETIME_MS);
    return code;
  }

  /** Spends the code (it never works again) and answers a new session key. */
  exchange(code: string): Refusal | { session: string } {
    const found = [...this.codes.keys()].find((known) => sameSecret(code, known));
    if (found === undefined) return { status: 403, reason: `this link was already used or is not from this studio: ${NEW_LINK_HINT}` };
    const expires = this.codes.get(found)!;
    this.codes.delete(found);
    if (this.now() > expires) return { status: 403, reason: `this link expired (links work once, within ${CODE_LIFETIME_MS / 60_000} minutes): ${NEW_LINK_HINT}` };
    const session = newSecret();
    this.sessions.add(session);
    return { session };
  }

  /** The WebSocket's credentials: our protocol plus a known session key, both as subprotocols. */
  checkProtocols(header: string | undefined): Refusal | undefined {
    const offered = (header ?? '').split(',').map((p) => p.trim());
    const key = offered.find((p) => p.startsWith(SESSION_PROTOCOL_PREFIX))?.slice(SESSION_PROTOCOL_PREFIX.length);
    if (!offered.includes(STUDIO_PROTOCOL) || key === undefined || key === '') {
      return { status: 401, reason: 'this studio needs a session: open the link that `clnrm studio` printed' };
    }
    for (const known of this.sessions) if (sameSecret(key, known)) return undefined;
    return { status: 403, reason: `unknown session (was the studio restarted?): ${NEW_LINK_HINT}` };
  }
}

export function isRefusal(x: object | undefined): x is Refusal {
  return x !== undefined && 'status' in x;
}

/** The page's Content-Security-Policy: only our own scripts, styles and WebSocket; no framing. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // React and the graph library set style attributes; no inline scripts are allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Headers every response carries. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  // The launch code is in the first page URL: never send it on as a Referer.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
