// The self-healing corpus (main/healing/corpus.ts) on the real engine: each labelled case run once with
// up to 2 retries per execution; prints the confusion matrix of labelled vs predicted class, top-1
// accuracy (target ≥ 90 %), and the share of transient failures a retry healed (target ≥ 70 %).
// Prints figures; asserts nothing. Run: npm run bench:heal (needs Docker and resources/images/build.sh).
import { loadavg } from 'node:os';
import { basename } from 'node:path';
import { FAILURE_CLASSES, type FailureClass } from '../shared/healing';
import { CORPUS, runCase, type CaseOutcome } from '../main/healing/corpus';
import { probeDocker } from '../main/docker/test-support';
import { openStore } from '../main/store';

const SHORT: Record<FailureClass, string> = {
  transient_network_error: 'net',
  resource_exhaustion: 'res',
  container_startup_failure: 'start',
  flaky_test: 'flaky',
  determinism_violation: 'determ',
  timing_sensitivity: 'timing',
  configuration_error: 'config',
  invalid_test_definition: 'invalid',
  assertion_failure: 'assert',
  infrastructure_failure: 'infra',
};

function matrix(outcomes: readonly CaseOutcome[]): string[] {
  const columns = [...FAILURE_CLASSES, 'none'] as const;
  const label = (c: string) => (c === 'none' ? 'none' : SHORT[c as FailureClass]);
  const head = `${'labelled \\ predicted'.padEnd(26)}${columns.map((c) => label(c).padStart(8)).join('')}`;
  const rows = FAILURE_CLASSES.filter((cls) => outcomes.some((o) => o.case.label === cls)).map((cls) => {
    const mine = outcomes.filter((o) => o.case.label === cls);
    return `${cls.padEnd(26)}${columns.map((c) => String(mine.filter((o) => (o.predicted ?? 'none') === c).length || '.').padStart(8)).join('')}`;
  });
  return [head, ...rows];
}

async function main(): Promise<void> {
  const probe = await probeDocker(['cleanroom/busybox:latest']);
  if (!probe.docker) throw new Error(`bench:heal needs Docker: ${probe.reason}`);
  const store = await openStore({ inMemory: true });
  const outcomes: CaseOutcome[] = [];
  const began = Date.now();
  try {
    for (const c of CORPUS) {
      const outcome = await runCase(c, { store, retries: 2, seed: 1 });
      outcomes.push(outcome);
      const conf = outcome.classification ? ` (${Math.round(outcome.classification.confidence * 100)} %)` : '';
      const healing = c.transient ? `  ${outcome.healed ? `healed after ${outcome.retries} retr${outcome.retries === 1 ? 'y' : 'ies'}` : 'NOT healed'}` : '';
      console.log(`${outcome.predicted === c.label ? '✓' : '✗'} ${basename(c.file).padEnd(30)} ${c.label.padEnd(26)} → ${(outcome.predicted ?? 'none') + conf}${healing}`);
    }
  } finally {
    await store.dispose();
  }
  const correct = outcomes.filter((o) => o.predicted === o.case.label).length;
  const transient = outcomes.filter((o) => o.case.transient);
  const healed = transient.filter((o) => o.healed).length;
  console.log('\nConfusion matrix (rows: labelled class, columns: predicted):');
  for (const line of matrix(outcomes)) console.log(line);
  console.log(`\ntop-1 accuracy: ${correct}/${outcomes.length} = ${((100 * correct) / outcomes.length).toFixed(1)} % (target ≥ 90 %)`);
  console.log(`transient failures healed by retry: ${healed}/${transient.length} = ${((100 * healed) / transient.length).toFixed(1)} % (target ≥ 70 %)`);
  console.log(`wall ${((Date.now() - began) / 1000).toFixed(1)} s; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on 2 cores`);
}

await main();
