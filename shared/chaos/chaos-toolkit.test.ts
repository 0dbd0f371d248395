import { describe, expect, it } from 'vitest';
import type { ExperimentTable } from '../spec/schema/chaos-experiment';
import { FaultCatalog } from './catalog';
import { exportChaosToolkit } from './chaos-toolkit';
import { importChaosToolkit } from './chaos-toolkit-import';
import { planExperiment } from './experiment-plan';

const TABLE: ExperimentTable = {
  name: 'mixed',
  load: { url: 'http://api:8080/items/1', rate_per_s: 10 },
  steady_state: { duration_s: 4, assertion: [{ type: 'success_rate', min_success_rate: 0.99 }] },
  injection: [
    { fault: 'container_pause', target: 'service:db', duration_s: 3 },
    { fault: 'latency', target: 'service:cache', timing: 'after_steady_state_1s', duration_s: 5, latency: 800, jitter: 50 },
    { fault: 'cpu_limit', target: 'service:api', duration_s: 2, cpus: 0.5 },
    { fault: 'container_kill', target: 'service:worker', timing: 'after_steady_state_6s', signal: 'SIGTERM' },
  ],
  recovery: { duration_s: 6 },
};

function planOf(table: ExperimentTable) {
  const planned = planExperiment({ experiment: table, services: ['api', 'db', 'cache', 'worker'], portsOf: (s) => (s === 'api' ? [8080] : s === 'cache' ? [7001] : []), catalog: new FaultCatalog() });
  expect(planned.problems).toEqual([]);
  return planned.plan!;
}

describe('export to Chaos Toolkit', () => {
  const { experiment, skipped } = exportChaosToolkit(planOf(TABLE), TABLE, 'mixed.clnrm.toml');

  it('lays the faults and their undos out in time, with the waits as pauses and the rest of the plan after the last', () => {
    expect(experiment.method.map((a) => [a.name, a.pauses ?? {}])).toEqual([
      ['pause-db', { before: 4 }],
      ['add-latency-cache', { before: 1 }],
      ['unpause-db', { before: 2 }],
      ['remove-latency-cache', { before: 3 }],
      // The kill's window is the planner's default 10 s, then 6 s of recovery.
      ['kill-worker', { after: 16 }],
    ]);
    expect(experiment.method[4]!.provider).toEqual({ type: 'process', path: 'docker', arguments: ['kill', '--signal', 'SIGTERM', 'worker'] });
    expect(experiment.method[1]!.provider).toEqual({
      type: 'python',
      module: 'chaostoxi.toxic.actions',
      func: 'create_toxic',
      arguments: { for_proxy: 'cache', toxic_name: 'clnrm-latency-1', toxic_type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 800, jitter: 50 } },
    });
    expect(experiment.rollbacks.map((a) => a.name)).toEqual(['unpause-db', 'remove-latency-cache']);
    expect(experiment['steady-state-hypothesis']!.probes[0]).toMatchObject({ tolerance: 200, provider: { type: 'http', url: 'http://api:8080/items/1', method: 'GET' } });
  });

  it('names what has no Chaos Toolkit form and keeps the whole table in its extension', () => {
    expect(skipped).toEqual([
      expect.stringMatching(/^chaos\.experiment\.injection\[2\]: cpu_limit has no Chaos Toolkit action/),
      '1 assertion(s) judged by spans: Chaos Toolkit has no such probe (kept in the clnrm extension)',
    ]);
    expect(experiment.extensions[0]).toEqual({ name: 'clnrm', experiment: TABLE });
  });

  it('imports back exactly through the extension', () => {
    expect(importChaosToolkit(JSON.parse(JSON.stringify(experiment)), 'x.json')).toEqual({ experiment: TABLE, notes: ['restored exactly from the clnrm extension'], problems: [] });
  });

  it('without the extension, imports the faults at the same times and for the same lengths', () => {
    const foreign = JSON.parse(JSON.stringify({ ...experiment, extensions: [] })) as unknown;
    const imported = importChaosToolkit(foreign, 'x.json');
    expect(imported.problems).toEqual([]);
    const times = (t: ExperimentTable) => planOf(t).injections.map((i) => [i.fault, i.service, i.startMs, i.durationMs]);
    expect(times(imported.experiment!)).toEqual(times(TABLE).filter(([fault]) => fault !== 'cpu_limit'));
    expect(imported.experiment!.load).toEqual({ url: 'http://api:8080/items/1', method: 'GET' });
    expect(imported.experiment!.recovery).toEqual({ duration_s: 6, assertion: [{ type: 'success_rate', min_success_rate: 1 }] });
  });
});

describe('import from Chaos Toolkit', () => {
  const action = (name: string, provider: Record<string, unknown>, pauses?: Record<string, number>) => ({ type: 'action', name, provider, ...(pauses ? { pauses } : {}) });

  it("reads chaostoolkit-toxiproxy's shorthands and a proxy taken down, and names what it leaves out", () => {
    const imported = importChaosToolkit(
      {
        title: 'toxics',
        method: [
          action('slow', { type: 'python', module: 'chaostoxi.toxic.actions', func: 'create_latency_toxic', arguments: { for_proxy: 'db', toxic_name: 't', latency: 300 } }, { before: 2 }),
          action('down', { type: 'python', module: 'chaostoxi.proxy.actions', func: 'disable_proxy', arguments: { proxy_name: 'cache' } }, { after: 1 }),
          action('up', { type: 'python', module: 'chaostoxi.proxy.actions', func: 'enable_proxy', arguments: { proxy_name: 'cache' } }, { after: 2 }),
          action('fast', { type: 'python', module: 'chaostoxi.toxic.actions', func: 'delete_toxic', arguments: { for_proxy: 'db', toxic_name: 't' } }, { after: 3 }),
          action('k8s', { type: 'python', module: 'chaosk8s.pod.actions', func: 'terminate_pods' }),
        ],
      },
      'toxics.json',
    );
    expect(imported.problems).toEqual([]);
    expect(imported.experiment!.injection).toEqual([
      { fault: 'latency', target: 'service:db', latency: 300, timing: 'after_steady_state', duration_s: 3 },
      { fault: 'down', target: 'service:cache', timing: 'after_steady_state', duration_s: 1 },
    ]);
    expect(imported.experiment!.steady_state).toEqual({ duration_s: 2 });
    expect(imported.experiment!.recovery).toEqual({ duration_s: 3 });
    expect(imported.notes).toEqual([
      expect.stringMatching(/^\/method\/4 \(action "k8s"\): not imported/),
      expect.stringMatching(/^no HTTP probe in the steady-state hypothesis/),
    ]);
  });

  it('refuses what is not an experiment, and one of which nothing maps, saying where and why', () => {
    expect(importChaosToolkit([1, 2], 'a.json').problems[0]!.message).toMatch(/^a\.json is not a Chaos Toolkit experiment: .*"method" array/);
    expect(importChaosToolkit({ method: [{ type: 'probe', name: 'p' }] }, 'b.json').problems).toEqual([
      { code: 'chaos.import', message: 'b.json: no action of its method maps to a fault we can inject (see the notes)' },
    ]);
    expect(importChaosToolkit({ method: [], extensions: [{ name: 'clnrm', experiment: { injection: 'x' } }] }, 'c.json').problems[0]!.message).toMatch(/^c\.json: the clnrm extension's experiment is not one we can read/);
  });
});
