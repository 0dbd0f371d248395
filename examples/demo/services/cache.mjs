// cache: an in-memory key/value cache with a TTL. A miss answers 404 (not an error: the caller falls back).
import { HttpError, preciseNow } from '../http-kit.mjs';

export const defaultPort = 7001;
const TTL_MS = 60_000;

export function routes(tracer) {
  const entries = new Map();
  return [
    { method: 'GET', route: '/health', pattern: /^\/health$/, traced: false, handler: async () => ({ body: { status: 'ok', entries: entries.size } }) },
    {
      method: 'GET',
      route: '/cache/:key',
      pattern: /^\/cache\/(?<key>[^/]+)$/,
      handler: async (_req, { key }) => {
        const entry = entries.get(key);
        const hit = entry !== undefined && entry.expires > Date.now();
        tracer.startActiveSpan('cache.lookup', { startTime: preciseNow(), attributes: { 'cache.key': key, 'cache.hit': hit } }, (span) => span.end(preciseNow()));
        if (!hit) throw new HttpError(404, `cache miss for ${key}`);
        return { body: { key, value: entry.value } };
      },
    },
    {
      method: 'PUT',
      route: '/cache/:key',
      pattern: /^\/cache\/(?<key>[^/]+)$/,
      handler: async (_req, { key }, body) => {
        if (!body || !('value' in body)) throw new HttpError(400, 'body must be {"value": ...}');
        entries.set(key, { value: body.value, expires: Date.now() + TTL_MS });
        return { status: 204, body: {} };
      },
    },
  ];
}
