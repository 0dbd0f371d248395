// The fault proxy's toxics as catalog faults (family `proxy`): one fault per toxic, under Toxiproxy's
// names (its users know them; clnrm's own `network_latency` with `latency_ms` is a different form, left
// to a file's `[chaos.catalog]`). Parameters are the toxic's attributes with its units and ranges, plus
// `stream` and `toxicity`, so a fault in a test file validates against the ranges the proxy's API enforces.
import type { FaultSpec, ParameterSpec } from './fault-spec';
import { PROXY_DOWN, TOXIC_DEFINITIONS, type ToxicDefinition, type ToxicType } from './toxics';

/** Catalog id → what the proxy does for it: a toxic type, or `down` (the proxy's enabled = false). */
export const PROXY_FAULT_TOXICS: Readonly<Record<string, ToxicType | 'down'>> = Object.fromEntries([
  ...TOXIC_DEFINITIONS.map((d) => [d.type, d.type] as const),
  ['down', 'down'] as const,
]);

const REVERT = 'removes the toxic from the proxy (the proxy goes with the run, and its dead-man timer drops every toxic when the runner stops answering)';

function attributeParameter(a: ToxicDefinition['attributes'][number]): ParameterSpec {
  // An empty default (path_prefix: every request) is the attribute left out.
  if (a.kind === 'string') return { name: a.name, type: 'string', description: `${a.description} (${a.unit})`, ...(a.default !== '' ? { default: String(a.default) } : {}) };
  const min = a.min ?? 0;
  const max = a.max ?? Number.MAX_SAFE_INTEGER;
  const value = Number(a.default);
  // A default outside the range (Toxiproxy's zero values, e.g. bandwidth rate 0) means: say it.
  const fits = value >= min && value <= max;
  return { name: a.name, type: 'number', unit: a.unit, description: a.description, min, max, integer: a.kind === 'integer', ...(fits ? { default: value } : { required: true }) };
}

function toxicFault(id: string, d: ToxicDefinition): FaultSpec {
  const stream: ParameterSpec[] =
    d.scope === 'stream'
      ? [{ name: 'stream', type: 'enum', values: ['downstream', 'upstream'], default: 'downstream', description: 'downstream: server → client; upstream: client → server' }]
      : [];
  return {
    id,
    family: 'proxy',
    description: `${d.description}${d.origin === 'toxiproxy' ? ` (Toxiproxy's ${d.type})` : ''}`,
    parameters: [
      ...d.attributes.map(attributeParameter),
      ...stream,
      { name: 'toxicity', type: 'number', unit: 'fraction', min: 0, max: 1, default: 1, description: 'share of connections affected, decided per connection' },
    ],
    needs: ['docker', 'proxy'],
    revertible: true,
    revert: REVERT,
    injectable: true,
  };
}

export const PROXY_FAULTS: readonly FaultSpec[] = Object.entries(PROXY_FAULT_TOXICS).map(([id, type]) => {
  if (type !== 'down') return toxicFault(id, TOXIC_DEFINITIONS.find((d) => d.type === type)!);
  return {
    id,
    family: 'proxy',
    description: `${PROXY_DOWN.description.split(':')[0]}: connections to the service are refused (Toxiproxy's down).`,
    parameters: [],
    needs: ['docker', 'proxy'],
    revertible: true,
    revert: 'enables the proxy again (the same port listens again)',
    injectable: true,
  };
});

/** A proxy fault as what the proxy's API takes: a toxic to add, or the proxy switched off (`down`). */
export type ProxyAction =
  | { readonly kind: 'toxic'; readonly toxic: { readonly type: ToxicType; readonly stream?: string; readonly toxicity: number; readonly attributes: Readonly<Record<string, number | string>> } }
  | { readonly kind: 'down' };

/** The API request for a checked proxy fault (parameters already validated against the catalog). */
export function proxyAction(faultId: string, params: Readonly<Record<string, number | string | boolean>>): ProxyAction {
  const type = PROXY_FAULT_TOXICS[faultId];
  if (type === undefined) throw new Error(`${faultId} is not a proxy fault`);
  if (type === 'down') return { kind: 'down' };
  const { stream, toxicity, ...rest } = params;
  const attributes = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : v]));
  return { kind: 'toxic', toxic: { type, ...(typeof stream === 'string' ? { stream } : {}), toxicity: typeof toxicity === 'number' ? toxicity : 1, attributes } };
}
