// SYNTHETIC traces for the UI harness, the benchmarks and tests only — never shown to users as
// data. Deterministic (seeded) so screenshots and figures are comparable between runs.
// Shapes: 'wide' is a bushy, realistic-looking tree (fan-out 1..6 per span, ~10 levels at 1M
// spans), 'deep' is one parent chain (span k is the parent of span k+1), 'flat' is one root with
// every other span as its child.
import { buildSpan, fromPlain } from '../model';
import type { KeyValue, Resource, Span, SpanEvent, SpanKind } from '../model';
import { mulberry32 } from '../random';

export type SyntheticShape = 'wide' | 'deep' | 'flat';

export interface SyntheticOptions {
  readonly spans: number;
  readonly shape: SyntheticShape;
  readonly seed?: number;
  /** Fraction of spans with status error (default 0.01). */
  readonly errorRate?: number;
  /** Start of the root span, whole µs since the epoch (default 2025-11-22). */
  readonly startUs?: number;
}

const SERVICES = ['frontend', 'checkout', 'cart', 'payment', 'inventory', 'shipping', 'postgres', 'redis', 'email'];
// Who calls whom (indices into SERVICES): a layered architecture, as real service maps are.
const DOWNSTREAM: readonly (readonly number[])[] = [
  [1, 2], // frontend → checkout, cart
  [3, 4, 5, 8, 6], // checkout → payment, inventory, shipping, email, postgres
  [7, 6], // cart → redis, postgres
  [6], // payment → postgres
  [6, 7], // inventory → postgres, redis
  [7], // shipping → redis
  [], // postgres
  [], // redis
  [], // email
];

function childService(parent: number, rnd: () => number): number {
  const next = DOWNSTREAM[parent]!;
  if (next.length === 0 || rnd() < 0.45) return parent;
  return next[Math.floor(rnd() * next.length)]!;
}
const OPERATIONS: Record<string, readonly [string, SpanKind][]> = {
  frontend: [['GET /checkout', 'server'], ['POST /cart/items', 'server'], ['render checkout', 'internal']],
  checkout: [['PlaceOrder', 'server'], ['validate order', 'internal'], ['checkout.charge', 'client']],
  cart: [['GetCart', 'server'], ['AddItem', 'server'], ['cart.serialize', 'internal']],
  payment: [['Charge', 'server'], ['fraud check', 'internal'], ['POST /v1/charges', 'client']],
  inventory: [['Reserve', 'server'], ['stock lookup', 'internal']],
  shipping: [['Quote', 'server'], ['GetRates', 'client']],
  postgres: [['SELECT orders', 'client'], ['INSERT order_items', 'client'], ['UPDATE stock', 'client']],
  redis: [['GET cart:*', 'client'], ['SET session', 'client']],
  email: [['SendConfirmation', 'producer'], ['render template', 'internal']],
};

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

export function generateTrace(options: SyntheticOptions): Span[] {
  const n = Math.max(0, Math.floor(options.spans));
  const rnd = mulberry32(options.seed ?? 42);
  const errorRate = options.errorRate ?? 0.01;
  const traceId = hex(Math.floor(rnd() * 0xffffffff), 8) + '5ca1ab1e' + hex(options.seed ?? 42, 8) + hex(n, 8);
  const resources = new Map<string, Resource>();
  for (const s of SERVICES) {
    resources.set(s, {
      attributes: [
        { key: 'service.name', value: { stringValue: s } },
        { key: 'service.version', value: { stringValue: '1.4.2' } },
        { key: 'deployment.environment', value: { stringValue: 'cleanroom' } },
      ],
    });
  }
  // Attribute lists are shared per operation (immutable) so a million spans stay light.
  const sharedAttrs = new Map<string, readonly KeyValue[]>();
  const attrsFor = (service: string, op: string): readonly KeyValue[] => {
    const key = `${service}/${op}`;
    let a = sharedAttrs.get(key);
    if (!a) {
      const list: KeyValue[] = [{ key: 'code.namespace', value: { stringValue: `com.example.${service}` } }];
      if (op.startsWith('GET') || op.startsWith('POST')) {
        list.push({ key: 'http.request.method', value: { stringValue: op.split(' ')[0]! } }, { key: 'http.route', value: { stringValue: op.split(' ')[1]! } });
        list.push({ key: 'http.response.status_code', value: { intValue: '200' } });
      }
      if (service === 'postgres') list.push({ key: 'db.system', value: { stringValue: 'postgresql' } }, { key: 'db.statement', value: { stringValue: op } });
      if (service === 'redis') list.push({ key: 'db.system', value: { stringValue: 'redis' } });
      a = list;
      sharedAttrs.set(key, a);
    }
    return a;
  };

  const startUs = new Float64Array(n);
  const endUs = new Float64Array(n);
  const parent = new Int32Array(n).fill(-1);
  const serviceOf = new Uint8Array(n);
  const baseUs = Math.floor(options.startUs ?? 1_763_800_000_000_000); // whole microseconds
  if (n > 0) {
    startUs[0] = baseUs;
    endUs[0] = baseUs + Math.max(n * 4, 40_000 + Math.floor(rnd() * 1_960_000));
  }
  if (options.shape === 'deep') {
    for (let i = 1; i < n; i++) {
      parent[i] = i - 1;
      startUs[i] = startUs[i - 1]! + 1;
      endUs[i] = Math.max(startUs[i]!, endUs[i - 1]! - 1 - Math.floor(rnd() * 3));
      serviceOf[i] = rnd() < 0.1 ? childService(serviceOf[i - 1]!, rnd) : serviceOf[i - 1]!;
    }
  } else if (options.shape === 'flat') {
    const d = endUs[0]! - startUs[0]!;
    for (let i = 1; i < n; i++) {
      parent[i] = 0;
      startUs[i] = startUs[0]! + Math.floor((d * (i - 1)) / n);
      endUs[i] = Math.min(endUs[0]!, startUs[i]! + 1 + Math.floor(rnd() * (d / 20)));
      serviceOf[i] = childService(0, rnd);
    }
  } else {
    // Breadth-first fan-out: each parent splits its time into sequential (sometimes parallel) slots.
    let next = 1;
    for (let p = 0; p < n && next < n; p++) {
      // Databases and mail are leaves (they call nobody), except when the tree would otherwise
      // stop growing before reaching the requested size.
      const leaf = DOWNSTREAM[serviceOf[p]!]!.length === 0 && p < next - 1;
      const k = leaf ? 0 : Math.min(n - next, 1 + Math.floor(rnd() * 6));
      if (k === 0) continue;
      const d = endUs[p]! - startUs[p]!;
      const parallel = rnd() < 0.5;
      const slot = parallel ? d : d / k;
      for (let c = 0; c < k; c++) {
        const i = next++;
        parent[i] = p;
        const s = startUs[p]! + Math.floor((parallel ? 0 : slot * c) + rnd() * slot * 0.15);
        startUs[i] = s;
        endUs[i] = Math.min(endUs[p]!, s + Math.max(1, Math.floor(slot * (0.4 + rnd() * 0.5))));
        serviceOf[i] = childService(serviceOf[p]!, rnd);
      }
    }
  }

  const spans: Span[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const service = SERVICES[serviceOf[i]!]!;
    const ops = OPERATIONS[service]!;
    const [name, kind] = i === 0 ? (['GET /checkout', 'server'] as const) : ops[Math.floor(rnd() * ops.length)]!;
    const isError = i > 0 && rnd() < errorRate;
    let events: SpanEvent[] | undefined;
    if (isError) {
      events = [{ name: 'exception', timeUnixNano: `${Math.floor((startUs[i]! + endUs[i]!) / 2)}000`, attributes: [
        { key: 'exception.type', value: { stringValue: 'TimeoutError' } },
        { key: 'exception.message', value: { stringValue: `upstream ${service} did not answer within 2s` } },
      ] }];
    } else if (rnd() < 0.03) {
      events = [{ name: 'cache.miss', timeUnixNano: `${Math.floor(startUs[i]! + (endUs[i]! - startUs[i]!) / 3)}000`, attributes: [] }];
    }
    spans[i] = buildSpan({
      traceId,
      spanId: hex(i + 1, 16),
      parentSpanId: parent[i]! >= 0 ? hex(parent[i]! + 1, 16) : undefined,
      name,
      kind,
      startTimeUnixNano: `${startUs[i]!}000`,
      endTimeUnixNano: `${endUs[i]!}000`,
      attributes: i === 0 ? [...attrsFor(service, name), { key: 'synthetic.spans', value: fromPlain(n) }] : attrsFor(service, name),
      ...(events ? { events } : {}),
      status: isError ? { code: 'error', message: `upstream ${service} timed out` } : { code: 'unset' },
      resource: resources.get(service)!,
      scope: { name: 'cleanroom.synthetic', version: '1.0.0' },
    });
  }
  return spans;
}
