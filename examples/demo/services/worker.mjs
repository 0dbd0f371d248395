// worker: processes order jobs. A job runs in an internal `job.process` span and records the order in db;
// a job that cannot be fulfilled (db answers 409) ends with an ERROR span and a 409 to the caller.
import { SpanStatusCode } from '@opentelemetry/api';
import { callJson, HttpError, preciseNow } from '../http-kit.mjs';

export const defaultPort = 7003;

export function routes(tracer, env) {
  const dbUrl = env.DB_URL ?? 'http://db:7002';
  let processed = 0;
  return [
    { method: 'GET', route: '/health', pattern: /^\/health$/, traced: false, handler: async () => ({ body: { status: 'ok', processed } }) },
    {
      method: 'POST',
      route: '/jobs',
      pattern: /^\/jobs$/,
      handler: async (_req, _params, body) => {
        if (!body || typeof body.item !== 'string' || !Number.isInteger(body.qty)) throw new HttpError(400, 'body must be {"item": string, "qty": integer}');
        return tracer.startActiveSpan('job.process', { startTime: preciseNow(), attributes: { 'job.type': 'order', 'order.item': body.item, 'order.qty': body.qty } }, async (span) => {
          try {
            const res = await callJson(tracer, 'db.query', dbUrl, {
              method: 'POST',
              path: '/tables/orders',
              body,
              attributes: { 'db.system.name': 'memdb', 'db.operation.name': 'INSERT' },
            });
            if (res.status !== 201) {
              const reason = res.body?.error ?? `db answered ${res.status}`;
              span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
              throw new HttpError(res.status >= 500 ? 502 : res.status, reason);
            }
            processed += 1;
            span.addEvent('order.recorded', { 'order.id': res.body.id }, preciseNow());
            return { status: 201, body: res.body };
          } finally {
            span.end(preciseNow());
          }
        });
      },
    },
  ];
}
