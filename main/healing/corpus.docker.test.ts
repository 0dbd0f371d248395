// The labelled failure corpus on the real engine: each case classified as labelled, the transient ones
// healed by retry, the others not retried. Skips loudly without Docker; fails under CI=true.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceDockerSkip, probeDocker } from '../docker/test-support';
import { FAULT_PROXY_IMAGE } from '../chaos/proxy/interpose';
import { openStore, type TraceStore } from '../store';
import { CORPUS, runCase } from './corpus';

const probe = await probeDocker(['cleanroom/busybox:latest', FAULT_PROXY_IMAGE]);
announceDockerSkip('self-healing corpus', probe);

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe.skipIf(!probe.docker)('failure corpus (real engine)', () => {
  let store: TraceStore;
  beforeAll(async () => {
    store = await openStore({ inMemory: true });
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it.each(CORPUS.map((c) => [c.file.split('/').pop()!, c] as const))('%s', { timeout: 120_000 }, async (_name, c) => {
    const outcome = await runCase(c, { store, retries: 2 });
    expect(outcome.predicted, JSON.stringify(outcome.classification, null, 1)).toBe(c.label);
    expect(outcome.classification!.evidence.length).toBeGreaterThan(0);
    if (c.transient) expect({ healed: outcome.healed, verdict: outcome.verdict }).toEqual({ healed: true, verdict: 'passed' });
    else expect(outcome.retries).toBe(0);
  });
});
