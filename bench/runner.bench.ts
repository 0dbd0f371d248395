// `npm run bench:runner`: what our Docker layer costs over raw dockerode, and what parallel start levels
// buy. Prints figures (median and spread over rounds); asserts nothing. Needs a Docker engine and the
// cleanroom/busybox image (resources/images/build.sh).
//   1. raw dockerode: create → start → exec → stop/remove, N containers one after another
//   2. ServiceSet: the same N containers as independent services (one parallel level), exec each, dispose
//   3. parallel vs sequential start: N independent services vs the same N chained by depends_on
import type Docker from 'dockerode';
import { connectDocker } from '../main/docker/connect';
import { execInContainer } from '../main/docker/exec';
import { ServiceSet } from '../main/docker/service-set';
import type { ServiceDefinition } from '../main/docker/service';
import { imageExists } from '../main/docker/images';

const IMAGE = 'cleanroom/busybox:latest';
const N = Number(process.env.BENCH_SERVICES ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IDLE = ['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'];

interface Figures {
  [phase: string]: number[];
}

function record(figures: Figures, phase: string, ms: number): void {
  (figures[phase] ??= []).push(ms);
}

async function time<T>(figures: Figures, phase: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await fn();
  record(figures, phase, performance.now() - start);
  return result;
}

async function rawRound(docker: Docker, figures: Figures, round: number): Promise<void> {
  const total = performance.now();
  const containers: Docker.Container[] = [];
  for (let i = 0; i < N; i++) {
    const c = await time(figures, 'create', () =>
      docker.createContainer({ name: `clnrm-bench-raw-${process.pid}-${round}-${i}`, Image: IMAGE, Cmd: IDLE, Labels: { 'clnrm.bench': 'raw' } }),
    );
    await time(figures, 'start', () => c.start());
    containers.push(c);
  }
  for (const c of containers) await time(figures, 'exec', () => execInContainer(docker, c.id, { cmd: ['echo', 'hi'] }));
  for (const c of containers) await time(figures, 'stop+remove', () => c.remove({ force: true }));
  record(figures, 'total', performance.now() - total);
}

function services(chained: boolean): ServiceDefinition[] {
  return Array.from({ length: N }, (_, i) => ({ id: `s${i}`, image: IMAGE, command: IDLE, dependsOn: chained && i > 0 ? [`s${i - 1}`] : [] }));
}

async function setRound(docker: Docker, figures: Figures, chained: boolean, withExec: boolean): Promise<void> {
  const total = performance.now();
  const set = new ServiceSet(docker, { services: services(chained), stopTimeoutMs: 2000 });
  try {
    await time(figures, 'start (network + containers)', () => set.start());
    if (withExec) for (const s of set.services()) await time(figures, 'exec', () => set.exec(s.id, { cmd: ['echo', 'hi'] }));
    await time(figures, 'stop (graceful)', () => set.stop());
  } finally {
    await time(figures, 'dispose (remove)', () => set.dispose());
  }
  record(figures, 'total', performance.now() - total);
}

function print(title: string, figures: Figures): void {
  console.log(`\n${title}`);
  for (const [phase, values] of Object.entries(figures)) {
    const sorted = [...values].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(`  ${phase.padEnd(30)} median ${median.toFixed(1).padStart(8)} ms   min ${sorted[0]!.toFixed(1).padStart(8)}   max ${sorted.at(-1)!.toFixed(1).padStart(8)}   (n=${values.length})`);
  }
}

async function main(): Promise<void> {
  let docker: Docker;
  try {
    docker = (await connectDocker(process.env)).docker;
  } catch (error) {
    console.error(`bench:runner needs Docker: ${(error as Error).message}`);
    process.exit(2);
  }
  if (!(await imageExists(docker, IMAGE))) {
    console.error(`bench:runner needs ${IMAGE}: run resources/images/build.sh`);
    process.exit(2);
  }
  console.log(`bench:runner — ${N} busybox containers, ${ROUNDS} rounds each (BENCH_SERVICES, BENCH_ROUNDS to change)`);

  const raw: Figures = {};
  for (let r = 0; r < ROUNDS; r++) await rawRound(docker, raw, r);
  print(`1. raw dockerode, ${N} containers one after another (per-container ops; total per round)`, raw);

  const set: Figures = {};
  for (let r = 0; r < ROUNDS; r++) await setRound(docker, set, false, true);
  print(`2. ServiceSet, the same ${N} containers as one parallel level (+ network, labels, readiness, graceful stop)`, set);

  const parallel: Figures = {};
  const sequential: Figures = {};
  for (let r = 0; r < ROUNDS; r++) {
    await setRound(docker, parallel, false, false);
    await setRound(docker, sequential, true, false);
  }
  print(`3a. ServiceSet start, ${N} independent services (1 level, parallel)`, parallel);
  print(`3b. ServiceSet start, ${N} chained services (${N} levels, sequential)`, sequential);
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const p = median(parallel['start (network + containers)']!);
  const s = median(sequential['start (network + containers)']!);
  console.log(`\n  start speed-up, parallel vs sequential: ${(s / p).toFixed(2)}× (${s.toFixed(0)} ms → ${p.toFixed(0)} ms)`);
}

await main();
