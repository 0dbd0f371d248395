// Timing repairs, in the readiness forms the runner honours (a service's `health_check`, which holds
// back the steps until it passes): a step refused by a service that was not listening yet gets a wait
// for that service's port; a service whose health check ran out of tries gets more of them. Pure.
import { setKey } from '../spec/writer';
import { clip } from './signals';
import { edited, refSuffix, servicesOf, stepsOf, type Repair, type RepairInput, type TomlTable } from './repair-kit';

const REFUSED = /connection refused|ECONNREFUSED|can't connect to remote host/i;
const WAIT_CLASSES: ReadonlySet<string> = new Set(['transient_network_error', 'timing_sensitivity']);

/** The port wait's pace: a try each second for up to this many seconds. */
export const PORT_WAIT_RETRIES = 30;
/** A health check's tries are multiplied by this after it ran out of them. */
export const HEALTH_RETRY_MULTIPLIER = 3;
/** The runner's default when a health check gives no `retries` (main/docker/service-set.ts). */
const DEFAULT_HEALTH_RETRIES = 30;

/**
 * The command that succeeds once something listens on the port inside the container. `nc` with a
 * connect timeout is the one probe busybox, Debian and Alpine images share (busybox's nc has no -z);
 * verification by rerun shows whether the image has it.
 */
export const portProbe = (port: number): string[] => ['sh', '-c', `nc -w 1 127.0.0.1 ${port} </dev/null`];

const escaped = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The port a command calls a service on (`api:8080`, `nc api 8080`, or the service's one declared port). */
export function portCalled(command: string, service: string, declaredPorts: unknown): number | undefined {
  const host = `(?:^|[^\\w.-])${escaped(service)}`;
  const withPort = new RegExp(`${host}(?::|\\s+)(\\d{1,5})\\b`).exec(command);
  if (withPort) return Number(withPort[1]);
  if (!new RegExp(`${host}(?![\\w-])`).test(command)) return undefined;
  const ports = Array.isArray(declaredPorts) ? declaredPorts.filter((p): p is number => typeof p === 'number') : [];
  return ports.length === 1 ? ports[0] : undefined;
}

const hasReadiness = (service: TomlTable): boolean => service.health_check !== undefined || service.wait_for_span !== undefined;

/** A refused connection in a step's output → a health check on the service the step called, for the port it called. */
export function waitForRefusedPort(input: RepairInput, parsed: TomlTable): Repair[] {
  if (!WAIT_CLASSES.has(input.classification.class)) return [];
  const refused = input.classification.evidence.filter((e) => e.kind === 'step' && e.ref !== undefined && REFUSED.test(e.detail));
  const steps = stepsOf(parsed);
  const services = servicesOf(parsed);
  const out: Repair[] = [];
  const done = new Set<string>();
  for (const e of refused) {
    const step = steps.find((s) => s.name === e.ref);
    if (!step) continue;
    for (const [id, service] of services) {
      if (done.has(id) || id === step.service || hasReadiness(service.value)) continue;
      const port = portCalled(step.command, id, service.value.ports);
      if (port === undefined) continue;
      done.add(id);
      const edit = setKey(input.source, service.path, 'health_check', { cmd: portProbe(port), interval: 1, retries: PORT_WAIT_RETRIES }, input.file);
      if (!edit.ok) continue;
      const repair = edited('wait-for-service-port', input, edit.text, `wait until service \`${id}\` accepts connections on port ${port} before the steps run (a health_check on [${service.path}], a try each second for up to ${PORT_WAIT_RETRIES} s)`, [
        `${e.detail}${refSuffix(e.ref)}`,
        `step \`${step.name}\` calls \`${id}\` on port ${port}: ${clip(step.command, 120)}`,
        `service \`${id}\` has no readiness check (health_check or wait_for_span): the steps started as soon as its container did, before it listened`,
      ]);
      if (repair) out.push(repair);
    }
  }
  return out;
}

const HEALTH_RAN_OUT = /service "([^"]+)": health check .* failed (\d+) times/;

/** A health check that ran out of tries (`docker.wait-timeout`) → the same check with more tries. */
export function raiseHealthRetries(input: RepairInput, parsed: TomlTable): Repair[] {
  if (input.classification.class !== 'timing_sensitivity') return [];
  const services = servicesOf(parsed);
  const out: Repair[] = [];
  for (const e of input.classification.evidence) {
    const m = e.kind === 'problem' && e.ref === 'docker.wait-timeout' ? HEALTH_RAN_OUT.exec(e.detail) : null;
    const service = m ? services.get(m[1]!) : undefined;
    const check = service?.value.health_check;
    if (!service || check === null || typeof check !== 'object' || Array.isArray(check)) continue;
    const { retries, interval } = check as TomlTable;
    const before = typeof retries === 'number' ? retries : DEFAULT_HEALTH_RETRIES;
    const after = before * HEALTH_RETRY_MULTIPLIER;
    const every = typeof interval === 'number' ? interval : 1;
    const edit = setKey(input.source, `${service.path}.health_check`, 'retries', after, input.file);
    if (!edit.ok) continue;
    const repair = edited('raise-health-check-retries', input, edit.text, `give service \`${m![1]}\`'s health check ${after} tries instead of ${before} (${every} s apart: up to ${after * every} s instead of ${before * every} s)`, [`${e.detail}${refSuffix(e.ref)}`]);
    if (repair) out.push(repair);
  }
  return out;
}
