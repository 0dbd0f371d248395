// Resource + scope pairs ("origins") and their row ids in the `origins` table. Many spans share
// one pair, so a span's origin is found by the objects it points at (the spans of one request
// share them), then by the pair's JSON; a new pair gets the next id and is handed to `add`.
import type { InstrumentationScope, Resource } from '../../shared/model';
import { originKey, resourceInfo, scopeJson } from './schema';

export class OriginRegistry {
  private readonly ids = new Map<string, number>();
  private nextId = 1;
  private lastResource: Resource | undefined;
  private lastScope: InstrumentationScope | undefined;
  private lastId = 0;

  /** `known`: originKey → id pairs already stored; `add` stores a new origin. */
  constructor(
    known: Iterable<readonly [key: string, id: number]>,
    private readonly add: (id: number, resourceJson: string, scopeJson: string) => void,
  ) {
    for (const [key, id] of known) {
      this.ids.set(key, id);
      this.nextId = Math.max(this.nextId, id + 1);
    }
  }

  idOf(resource: Resource, scope: InstrumentationScope): number {
    if (resource === this.lastResource && scope === this.lastScope) return this.lastId;
    const resourceText = resourceInfo(resource).json;
    const scopeText = scopeJson(scope);
    const key = originKey(resourceText, scopeText);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(key, id);
      this.add(id, resourceText, scopeText);
    }
    this.lastResource = resource;
    this.lastScope = scope;
    this.lastId = id;
    return id;
  }
}
