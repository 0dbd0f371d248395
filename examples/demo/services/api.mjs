// api: the front door. GET /items/:id reads through the cache (cache.get → db.query on a miss → cache.set);
// POST /orders hands the order to the worker (worker.enqueue), which records it in db.
// Resilience (../resilience.mjs, each part off by default so the spans stay as they were): db reads retried
// with exponential backoff (DEMO_RETRY_*), cache calls behind a circuit breaker (DEMO_CACHE_BREAKER_*; with
// it on, a failed or short-circuited cache call falls back to db), and a deadline on every outgoing call
// (DEMO_CACHE_TIMEOUT_MS, DEMO_DB_TIMEOUT_MS; default 5000 ms).
import { callJson, HttpError } from '../http-kit.mjs';
import { CircuitBreaker, resilienceFrom, withRetries } from '../resilience.mjs';

export const defaultPort = 8080;

export function routes(tracer, env) {
  const cacheUrl = env.CACHE_URL ?? 'http://cache:7001';
  const dbUrl = env.DB_URL ?? 'http://db:7002';
  const workerUrl = env.WORKER_URL ?? 'http://worker:7003';
  const resilience = resilienceFrom(env);
  const breaker = resilience.breaker.threshold > 0 ? new CircuitBreaker(tracer, 'cache', resilience.breaker) : undefined;

  /** A cache call; behind the breaker, a failure or a short circuit is a miss (`undefined`) instead of an error. */
  async function cacheCall(spanName, options) {
    const call = () => callJson(tracer, spanName, cacheUrl, { ...options, timeoutMs: resilience.cacheTimeoutMs });
    if (!breaker) return call();
    const outcome = await breaker.call(spanName, options.attributes, call);
    return outcome.result;
  }

  const dbRead = (id) =>
    withRetries(tracer, resilience.retry, () =>
      callJson(tracer, 'db.query', dbUrl, { path: `/tables/items/${encodeURIComponent(id)}`, attributes: { 'db.system.name': 'memdb', 'db.operation.name': 'SELECT' }, timeoutMs: resilience.dbTimeoutMs }),
    );

  return [
    { method: 'GET', route: '/health', pattern: /^\/health$/, traced: false, handler: async () => ({ body: { status: 'ok' } }) },
    {
      method: 'GET',
      route: '/items/:id',
      pattern: /^\/items\/(?<id>[^/]+)$/,
      handler: async (_req, { id }) => {
        const key = `item:${id}`;
        const cached = await cacheCall('cache.get', { path: `/cache/${encodeURIComponent(key)}`, attributes: { 'cache.key': key } });
        if (cached?.status === 200) return { body: { ...cached.body.value, source: 'cache' } };
        const row = await dbRead(id);
        if (row.status === 404) throw new HttpError(404, `item ${id} not found`);
        if (row.status !== 200) throw new HttpError(502, `db answered ${row.status}`);
        await cacheCall('cache.set', { method: 'PUT', path: `/cache/${encodeURIComponent(key)}`, body: { value: row.body }, attributes: { 'cache.key': key } });
        return { body: { ...row.body, source: 'db' } };
      },
    },
    {
      method: 'POST',
      route: '/orders',
      pattern: /^\/orders$/,
      handler: async (_req, _params, body) => {
        if (!body || typeof body.item !== 'string' || !Number.isInteger(body.qty) || body.qty <= 0) {
          throw new HttpError(400, 'body must be {"item": string, "qty": positive integer}');
        }
        const job = await callJson(tracer, 'worker.enqueue', workerUrl, { method: 'POST', path: '/jobs', body: { item: body.item, qty: body.qty } });
        if (job.status === 201) return { status: 201, body: job.body };
        throw new HttpError(job.status >= 500 ? 502 : job.status, job.body?.error ?? `worker answered ${job.status}`);
      },
    },
  ];
}
