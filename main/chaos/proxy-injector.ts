// Proxy faults of an experiment through the fault proxy's own API (Toxiproxy's): a toxic added to the
// proxy of each of the service's ports, or the proxies switched off (`down`); undone by removing the
// toxic or switching them on again. The runner puts the proxy in front of the service when its
// services start (scenario-services.ts), and heartbeats it while the experiment runs.
import { proxyAction } from '../../shared/chaos/proxy-faults';
import type { FaultParams } from '../../shared/chaos/fault-spec';
import { StudioError } from '../../shared/errors';
import { faultProxyName } from './proxy/interpose';
import type { Revert } from './faults';

export interface ProxyTarget {
  /** The proxy's API from here, e.g. `http://127.0.0.1:49160`. */
  readonly api: string;
  readonly service: string;
  readonly ports: readonly number[];
}

async function call(api: string, method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${api}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(5000) });
  if (!res.ok) {
    const text = await res.text();
    throw new StudioError({ code: 'chaos.inject-failed', message: `fault proxy ${method} ${path}: ${res.status} ${text.slice(0, 200)}` });
  }
  await res.arrayBuffer().catch(() => undefined);
}

/** Injects `faultId` on every port proxy of the service; the Revert undoes it on each. */
export async function injectProxyFault(target: ProxyTarget, faultId: string, params: FaultParams, name: string): Promise<Revert> {
  const action = proxyAction(faultId, params);
  const proxies = target.ports.map((port) => faultProxyName(target.service, port));
  const done: string[] = [];
  const undo = async (): Promise<void> => {
    for (const p of done.splice(0)) {
      if (action.kind === 'down') await call(target.api, 'POST', `/proxies/${p}`, { enabled: true });
      else await call(target.api, 'DELETE', `/proxies/${p}/toxics/${name}`);
    }
  };
  try {
    for (const p of proxies) {
      if (action.kind === 'down') await call(target.api, 'POST', `/proxies/${p}`, { enabled: false });
      else await call(target.api, 'POST', `/proxies/${p}/toxics`, { name, ...action.toxic });
      done.push(p);
    }
  } catch (error) {
    await undo().catch(() => undefined);
    throw error;
  }
  return undo;
}

/** Tells the proxy its driver is alive (its dead-man timer drops every toxic when the beats stop). */
export async function heartbeat(api: string): Promise<void> {
  await call(api, 'POST', '/heartbeat');
}
