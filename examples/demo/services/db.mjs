// db: an in-memory "database" of items and orders. Each operation runs in an internal `memdb.*` span
// carrying db.* attributes, under the server span continued from the caller. DEMO_DB_DELAY_MS = N makes every
// table request answer N ms later (so each caller's `db.query` span grows by N ms): an injected regression
// for the performance layer's tests.
import { SpanStatusCode } from '@opentelemetry/api';
import { HttpError, preciseNow } from '../http-kit.mjs';

export const defaultPort = 7002;

const MAX_DELAY_MS = 60_000;

/** DEMO_DB_DELAY_MS: 0 when unset; an integer 0‥60000, anything else is refused at start. */
export function delayFrom(env) {
  const text = env.DEMO_DB_DELAY_MS;
  if (text === undefined || text === '') return 0;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_DELAY_MS) throw new Error(`DEMO_DB_DELAY_MS must be an integer number of milliseconds from 0 to ${MAX_DELAY_MS}, got ${JSON.stringify(text)}`);
  return ms;
}

export function routes(tracer, env = {}) {
  const delayMs = delayFrom(env);
  const delayed = () => (delayMs > 0 ? new Promise((resolve) => setTimeout(resolve, delayMs)) : undefined);
  const items = new Map([
    ['1', { id: '1', name: 'widget', price: 3, stock: 50 }],
    ['2', { id: '2', name: 'gadget', price: 12, stock: 5 }],
    ['3', { id: '3', name: 'gizmo', price: 40, stock: 0 }],
  ]);
  const orders = new Map();
  let nextOrder = 1;

  function query(operation, table, fn) {
    return tracer.startActiveSpan(`memdb.${operation.toLowerCase()}`, { startTime: preciseNow(), attributes: { 'db.system.name': 'memdb', 'db.operation.name': operation, 'db.collection.name': table } }, (span) => {
      try {
        const result = fn();
        span.setAttribute('db.response.returned_rows', result ? 1 : 0);
        return result;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        throw error;
      } finally {
        span.end(preciseNow());
      }
    });
  }

  return [
    { method: 'GET', route: '/health', pattern: /^\/health$/, traced: false, handler: async () => ({ body: { status: 'ok', items: items.size, orders: orders.size } }) },
    {
      method: 'GET',
      route: '/tables/items/:id',
      pattern: /^\/tables\/items\/(?<id>[^/]+)$/,
      handler: async (_req, { id }) => {
        await delayed();
        const item = query('SELECT', 'items', () => items.get(id));
        if (!item) throw new HttpError(404, `item ${id} not found`);
        return { body: item };
      },
    },
    {
      method: 'POST',
      route: '/tables/orders',
      pattern: /^\/tables\/orders$/,
      handler: async (_req, _params, body) => {
        await delayed();
        if (!body || typeof body.item !== 'string' || !Number.isInteger(body.qty) || body.qty <= 0) {
          throw new HttpError(400, 'body must be {"item": string, "qty": positive integer}');
        }
        const item = query('SELECT', 'items', () => items.get(body.item));
        if (!item) throw new HttpError(404, `item ${body.item} not found`);
        if (item.stock < body.qty) throw new HttpError(409, `insufficient stock for item ${item.id}: ${item.stock} left, ${body.qty} asked`);
        const order = query('INSERT', 'orders', () => {
          item.stock -= body.qty;
          const created = { id: String(nextOrder++), item: item.id, qty: body.qty, total: item.price * body.qty };
          orders.set(created.id, created);
          return created;
        });
        return { status: 201, body: order };
      },
    },
  ];
}
