// All proxies of one fault-proxy server, by name: create (409 on a taken name), populate (create or
// replace when listen/upstream differ, as Toxiproxy), reset (every toxic removed, every proxy
// enabled), and toxic changes with their conflicts. Errors are StudioErrors with chaos.* codes; the
// API turns them into Toxiproxy's statuses.
import { NAME_PATTERN, validateToxic, validateToxicUpdate, type Toxic } from '../../../shared/chaos/toxics';
import { StudioError, toProblem } from '../../../shared/errors';
import { FaultProxy } from './proxy';

export interface ProxyInput {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (message: string, path?: string) => new StudioError({ code: 'chaos.invalid-proxy', message, ...(path ? { path } : {}) });

/** A proxy from API JSON: name and upstream required, listen defaults to 127.0.0.1:0, enabled to true. */
export function checkProxyInput(input: unknown, where = ''): ProxyInput {
  if (!isRecord(input)) throw invalid(`${where}a proxy is a JSON object like {"name": "db", "listen": "127.0.0.1:0", "upstream": "db:5432"}`);
  const extra = Object.keys(input).find((k) => !['name', 'listen', 'upstream', 'enabled'].includes(k));
  if (extra) throw invalid(`${where}unknown proxy field "${extra}" (fields: name, listen, upstream, enabled)`, extra);
  if (input.name === undefined || input.name === '') throw invalid(`missing required field: name${where ? ` at ${where.replace(/: $/, '')}` : ''}`, 'name');
  if (typeof input.name !== 'string' || !NAME_PATTERN.test(input.name)) throw invalid(`${where}a proxy name is 1–128 letters, digits, "_", "." or "-", starting with a letter or digit`, 'name');
  if (input.upstream === undefined || input.upstream === '') throw invalid(`missing required field: upstream${where ? ` at ${where.replace(/: $/, '')}` : ''}`, 'upstream');
  if (typeof input.upstream !== 'string') throw invalid(`${where}upstream is a "host:port" string`, 'upstream');
  if (input.listen !== undefined && typeof input.listen !== 'string') throw invalid(`${where}listen is a "host:port" string`, 'listen');
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') throw invalid(`${where}enabled is true or false`, 'enabled');
  return { name: input.name, listen: input.listen ?? '127.0.0.1:0', upstream: input.upstream, enabled: input.enabled ?? true };
}

export class ProxySet {
  private readonly proxies = new Map<string, FaultProxy>();

  list(): FaultProxy[] {
    return [...this.proxies.values()];
  }

  get(name: string): FaultProxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw new StudioError({ code: 'chaos.not-found', message: `proxy not found: ${name}` });
    return proxy;
  }

  async create(input: ProxyInput): Promise<FaultProxy> {
    if (this.proxies.has(input.name)) throw new StudioError({ code: 'chaos.exists', message: `proxy already exists: ${input.name}` });
    const proxy = new FaultProxy(input.name, input.listen, input.upstream);
    // Taken before listening, so two concurrent creates of one name cannot both win.
    this.proxies.set(input.name, proxy);
    try {
      if (input.enabled) await proxy.start();
    } catch (error) {
      this.proxies.delete(input.name);
      throw error;
    }
    return proxy;
  }

  /** Every input is checked before any proxy changes; then each is kept, created or replaced in order. */
  async populate(body: unknown): Promise<FaultProxy[]> {
    if (!Array.isArray(body)) throw invalid('populate takes a JSON array of proxies');
    const inputs = body.map((p, i) => checkProxyInput(p, `proxy ${i + 1}: `));
    const done: FaultProxy[] = [];
    try {
      for (const input of inputs) {
        const existing = this.proxies.get(input.name);
        if (existing && existing.sameAddresses(input.listen, input.upstream)) {
          done.push(existing);
          continue;
        }
        if (existing) await this.remove(input.name);
        done.push(await this.create(input));
      }
    } catch (error) {
      // As Toxiproxy: the answer names the proxies that were set up before the failure.
      const problem = toProblem(error);
      throw new StudioError({ ...problem, details: { ...problem.details, proxies: done.map((p) => p.toJSON()) } });
    }
    return done;
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    this.proxies.delete(name);
    await proxy.stop();
  }

  /** Toxiproxy's /reset: every proxy enabled, every toxic removed. */
  async reset(): Promise<void> {
    for (const proxy of this.proxies.values()) {
      await proxy.start();
      await proxy.removeAllToxics();
    }
  }

  async addToxic(proxyName: string, body: unknown): Promise<Toxic> {
    const proxy = this.get(proxyName);
    const check = validateToxic(body);
    if (!check.ok) throw new StudioError(check.problem);
    if (proxy.toxic(check.toxic.name)) throw new StudioError({ code: 'chaos.exists', message: `toxic already exists: ${check.toxic.name}` });
    await proxy.addToxic(check.toxic);
    return check.toxic;
  }

  async updateToxic(proxyName: string, toxicName: string, body: unknown): Promise<Toxic> {
    const proxy = this.get(proxyName);
    const existing = proxy.toxic(toxicName);
    if (!existing) throw new StudioError({ code: 'chaos.not-found', message: `toxic not found: ${toxicName}` });
    const check = validateToxicUpdate(existing, body);
    if (!check.ok) throw new StudioError(check.problem);
    await proxy.updateToxic(check.toxic);
    return check.toxic;
  }

  async removeToxic(proxyName: string, toxicName: string): Promise<void> {
    const proxy = this.get(proxyName);
    if (!proxy.toxic(toxicName)) throw new StudioError({ code: 'chaos.not-found', message: `toxic not found: ${toxicName}` });
    await proxy.removeToxic(toxicName);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.list().map((p) => p.stop()));
    this.proxies.clear();
  }
}
