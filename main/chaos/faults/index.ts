// Injecting a fault by its catalog id: validate the parameters against the catalog (a file's
// `[chaos.catalog]` may narrow them), then run the family's injector. Returns the Revert.
import { FaultCatalog } from '../../../shared/chaos/catalog';
import { StudioError } from '../../../shared/errors';
import { CONTAINER_INJECTORS } from './container';
import { NETWORK_INJECTORS } from './network';
import { RESOURCE_INJECTORS } from './resource';
import type { FaultTarget, Injector, Revert } from './target';

export type { FaultTarget, Injector, Revert } from './target';

/** One injector per built-in fault id (the proxy's toxics are driven through the proxy, not here). */
export const INJECTORS: Readonly<Record<string, Injector>> = { ...CONTAINER_INJECTORS, ...RESOURCE_INJECTORS, ...NETWORK_INJECTORS };

export async function injectFault(
  target: FaultTarget,
  faultId: string,
  params: Readonly<Record<string, unknown>>,
  catalog: FaultCatalog = new FaultCatalog(),
): Promise<Revert> {
  const checked = catalog.validate(faultId, params);
  if (!checked.params) {
    const [first, ...rest] = checked.problems;
    throw new StudioError({ ...first!, message: `${first!.message}${rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : ''}`, details: { problems: checked.problems } });
  }
  const injector = INJECTORS[faultId];
  if (!injector || !catalog.get(faultId)?.injectable) {
    throw new StudioError({ code: 'chaos.unavailable', message: `fault "${faultId}" has no injector here: it is declared in [chaos.catalog] or served by the fault proxy` });
  }
  return injector(target, checked.params);
}
