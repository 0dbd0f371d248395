// The user's "Run anyway" for a test file that mounts host folders or sockets, remembered per file path
// and content hash in localStorage: a file confirmed once runs straight away after a reload or restart,
// and the same file with other content (another hash) asks again. Kept in the page, not on the server:
// it is the user's consent in this window's profile, not an access check (the server runs what a
// caller with the session asks for; UserPaths is that boundary).
import type { Validation } from './store.tests';

const CONSENT_KEY = 'cleanroom.hostAccessConfirmed';
/** Files remembered at most; the oldest confirmation is forgotten first (it then asks once more). */
export const MAX_REMEMBERED = 500;

/** A file that asks for host access and has not been confirmed with this content. */
export interface HostAccessRequest {
  path: string;
  contentHash: string;
  hostAccess: Validation['hostAccess'];
}

/** path → content hash, read defensively: stored data from an older or foreign version is ignored. */
function recallAll(): Map<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(CONSENT_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return new Map();
    const pairs = parsed.filter((e): e is [string, string] => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string');
    return new Map(pairs);
  } catch {
    return new Map();
  }
}

/** True when this file's current content was confirmed before. */
export function isConfirmed(path: string, contentHash: string): boolean {
  return recallAll().get(path) === contentHash;
}

/** Remembers "Run anyway" for each file's content (replacing an older content's confirmation). */
export function rememberConfirmed(requests: readonly HostAccessRequest[]): void {
  const all = recallAll();
  for (const { path, contentHash } of requests) {
    all.delete(path);
    all.set(path, contentHash);
  }
  const kept = [...all].slice(-MAX_REMEMBERED);
  try {
    localStorage.setItem(CONSENT_KEY, JSON.stringify(kept));
  } catch {
    // Storage unavailable: the run goes ahead now and the file asks again next time.
  }
}

/** The request a validated file makes, or null when it mounts nothing or was confirmed with this content. */
export function hostAccessRequest(path: string, validation: Validation): HostAccessRequest | null {
  if (validation.hostAccess.length === 0 || isConfirmed(path, validation.contentHash)) return null;
  return { path, contentHash: validation.contentHash, hostAccess: validation.hostAccess };
}
