import { describe, expect, it } from 'vitest';
import { errorsOf, warningsOf } from '../spec/test-helpers';
import { FaultCatalog } from './catalog';
import { planScenarioInjection } from './scenario-injection';

const catalog = new FaultCatalog();
const plan = (table: Record<string, unknown>, scenarioService: string | null = 'victim') =>
  planScenarioInjection({ scenario: 'killed_mid_step', index: 1, table, services: ['victim', 'db'], portsOf: () => [], catalog, ...(scenarioService ? { scenarioService } : {}) });

const FILE = (injection: string) => `[meta]
name = "t"
version = "1"

[service.victim]
plugin = "generic_container"
image = "cleanroom/busybox:latest"

[[scenario]]
name = "s"
service = "victim"
run = "sleep 5"
chaos_injection = ${injection}
`;

describe("clnrm's chaos_injection as a one-fault plan", () => {
  it('maps kill_container to container_kill at delay_ms on the scenario service, lasting until the steps end', () => {
    const { planned, problems } = plan({ type: 'kill_container', delay_ms: 500, signal: 'SIGKILL' });
    expect(problems).toEqual([]);
    expect(planned!.untilStepsEnd).toBe(true);
    expect(planned!.path).toBe('scenario[1].chaos_injection');
    const [injection] = planned!.plan.injections;
    expect(injection).toMatchObject({ fault: 'container_kill', service: 'victim', startMs: 500, params: { signal: 'SIGKILL' }, revertible: false, path: 'scenario[1].chaos_injection' });
    expect(planned!.plan.phases.find((p) => p.name === 'recovery')).toMatchObject({ startMs: planned!.plan.totalMs, endMs: planned!.plan.totalMs });
  });

  it('takes any fault of the catalog, an explicit target and a duration', () => {
    const { planned } = plan({ type: 'container_pause', target: 'service:db', delay_ms: 0, duration_ms: 1500 });
    expect(planned!.untilStepsEnd).toBe(false);
    expect(planned!.plan.injections[0]).toMatchObject({ fault: 'container_pause', service: 'db', startMs: 0, durationMs: 1500 });
    expect(plan({ type: 'network_disconnect', delay_ms: 200 }).planned!.plan.injections[0]!.fault).toBe('network_disconnect');
  });

  it('says what is wrong, at the scenario key', () => {
    expect(plan({ delay_ms: 5 }).problems[0]).toMatchObject({ code: 'chaos.experiment', path: 'scenario[1].chaos_injection.type' });
    expect(plan({ type: 'kill_container', delay_ms: -1 }).problems[0]!.message).toMatch(/delay_ms must be a number of ms ≥ 0: delay_ms here is when the fault starts/);
    expect(plan({ type: 'kill_container' }, null).problems[0]!.message).toMatch(/needs a target: give the scenario a service/);
    expect(plan({ type: 'kill_container', signal: 'SIGNOPE' }).problems[0]).toMatchObject({ path: 'scenario[1].chaos_injection.signal' });
    const unknown = plan({ type: 'kill_containr' }).problems[0]!;
    expect(unknown.path).toBe('scenario[1].chaos_injection.type');
    expect(plan({ type: 'kill_container', target: 'dbb' }).problems[0]!.message).toMatch(/did you mean "db"/);
  });
});

describe('validate', () => {
  it('accepts clnrm forms and says which meaning delay_ms has', () => {
    expect(errorsOf(FILE('{ type = "kill_container", delay_ms = 500, signal = "SIGKILL" }'))).toEqual([]);
    expect(warningsOf(FILE('{ type = "network_disconnect", delay_ms = 200 }'))).toEqual([expect.stringMatching(/^13:\d+ chaos.delay-meaning delay_ms here is when the fault starts/)]);
  });

  it('refuses a bad fault at its line', () => {
    expect(errorsOf(FILE('{ type = "kill_container", delay_ms = 500, signal = "SIGNOPE" }'))).toEqual([expect.stringMatching(/^13:\d+ chaos\.(experiment|param) .*SIGNOPE/)]);
  });
});
