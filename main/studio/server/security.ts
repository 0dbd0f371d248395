// Who may talk to the browser-mode server. The page can start containers and read files, so it
// must not be reachable by other web sites (cross-site requests, DNS rebinding) or by other users
// of the machine: every request needs the random token printed with the URL, the Host header must
// name our loopback address and port, and an Origin header, when sent, must be our own origin.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 32 random bytes, base64url: the secret in the printed URL. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function cookieName(port: number): string {
  // Cookies are per host, not per port: name ours by port so two studios never mix tokens.
  return `clnrm_studio_${port}`;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export type Refusal = { status: 401 | 403; reason: string };

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Host and Origin checks, shared by plain requests and the WebSocket upgrade. */
export function checkSite(req: IncomingMessage, port: number): Refusal | undefined {
  const host = req.headers.host;
  if (!host || !allowedHosts(port).includes(host.toLowerCase())) {
    return { status: 403, reason: `Host header ${JSON.stringify(host ?? '')} is not this studio (expected 127.0.0.1:${port})` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host.toLowerCase()}`) {
    return { status: 403, reason: `requests from ${JSON.stringify(origin)} are not allowed` };
  }
  return undefined;
}

export interface Credentials {
  /** The token came in the URL (the first visit): the response should set the cookie. */
  fromQuery: boolean;
}

/**
 * The token from `?token=` or (HTTP only) our cookie. Missing → 401, wrong → 403.
 * The WebSocket takes it from the URL only: the page sends it explicitly.
 */
export function checkToken(req: IncomingMessage, url: URL, port: number, token: string, allowCookie: boolean): Refusal | Credentials {
  const fromQuery = url.searchParams.get('token');
  const fromCookie = allowCookie ? cookieValue(req.headers.cookie, cookieName(port)) : undefined;
  const given = fromQuery ?? fromCookie;
  if (given === undefined || given === '') return { status: 401, reason: 'this studio needs the token from the URL that `clnrm studio` printed' };
  if (!sameSecret(given, token)) return { status: 403, reason: 'wrong token: use the URL that `clnrm studio` printed' };
  return { fromQuery: fromQuery !== null };
}

export function isRefusal(x: Refusal | Credentials | undefined): x is Refusal {
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
  // The token is in the page URL: never send it on as a Referer.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
