// The disk counter's bookkeeping over a made-up /proc and cgroup tree: which cgroup folder holds a
// container's processes (v1 and v2 spellings), reaped children not counted twice, an exec'd command's
// bytes kept after it exits, a reused pid told apart, and no counter where the engine's processes are not
// this machine's. The real-engine check (a container writing 32 MiB) is in ./stats-sampler.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainerDiskCounter, containerCgroup, openDiskCounter, type ProcRoots } from './disk-io';

const ID = 'c0ffee'.repeat(10) + 'abcd';
let roots: ProcRoots;
let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'clnrm-disk-io-'));
  roots = { proc: join(base, 'proc'), cgroup: join(base, 'cgroup') };
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** A process as /proc shows it: parent, start time (clock ticks), storage bytes. */
function proc(pid: number, parent: number, start: number, readBytes: number, writeBytes: number, comm = 'sh'): void {
  mkdirSync(join(roots.proc, String(pid)), { recursive: true });
  const stat = [`${pid} (${comm}) S`, parent, ...Array<string>(17).fill('0'), start, '0', '0'].join(' ');
  writeFileSync(join(roots.proc, String(pid), 'stat'), `${stat}\n`);
  writeFileSync(join(roots.proc, String(pid), 'io'), `rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: ${readBytes}\nwrite_bytes: ${writeBytes}\ncancelled_write_bytes: 0\n`);
  writeFileSync(join(roots.proc, String(pid), 'cgroup'), `8:pids:/docker/${ID}\n0::/\n`);
}
const gone = (pid: number): void => rmSync(join(roots.proc, String(pid)), { recursive: true });
function cgroupProcs(...pids: number[]): string {
  const dir = join(roots.cgroup, 'pids', 'docker', ID);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cgroup.procs'), pids.map((p) => `${p}\n`).join(''));
  return dir;
}

describe('containerCgroup', () => {
  it('finds the folder of the first controller line naming the container that exists here', () => {
    const dir = cgroupProcs(10);
    expect(containerCgroup(`12:memory:/other\n8:pids:/docker/${ID}\n0::/\n`, ID, roots)).toBe(dir);
    // Listed first but not mounted here: the next line is tried.
    expect(containerCgroup(`9:cpu,cpuacct:/docker/${ID}\n8:pids:/docker/${ID}\n`, ID, roots)).toBe(dir);
    const v2 = join(roots.cgroup, 'system.slice', `docker-${ID}.scope`);
    mkdirSync(v2, { recursive: true });
    writeFileSync(join(v2, 'cgroup.procs'), '10\n');
    expect(containerCgroup(`0::/system.slice/docker-${ID}.scope\n`, ID, roots)).toBe(v2);
    expect(containerCgroup('8:pids:/docker/someone-else\n0::/\n', ID, roots)).toBeUndefined();
  });
});

describe('ContainerDiskCounter', () => {
  it('sums the live processes, counts a reaped child once, keeps an exited exec root, tells a reused pid apart', () => {
    const dir = cgroupProcs(10, 11);
    proc(10, 5, 100, 1000, 2000); // the container's first process (its parent, the shim, is outside)
    proc(11, 10, 101, 10, 20_000, 'dd (32) MiB'); // its child
    const counter = new ContainerDiskCounter(dir, roots);
    expect(counter.read()).toEqual({ readBytes: 1010, writeBytes: 22_000 });

    // The child exits and its parent reaps it: the parent's counters now include the child's.
    gone(11);
    proc(10, 5, 100, 1010, 22_000);
    cgroupProcs(10);
    expect(counter.read()).toEqual({ readBytes: 1010, writeBytes: 22_000 });

    // An exec'd command (parent: the shim, outside) writes, then exits: its bytes stay in the series.
    proc(20, 6, 500, 0, 50_000);
    cgroupProcs(10, 20);
    expect(counter.read()).toEqual({ readBytes: 1010, writeBytes: 72_000 });
    gone(20);
    cgroupProcs(10);
    expect(counter.read()).toEqual({ readBytes: 1010, writeBytes: 72_000 });

    // Pid 20 again, a new process (another start time): counted on its own.
    proc(20, 6, 900, 7, 5);
    cgroupProcs(10, 20);
    expect(counter.read()).toEqual({ readBytes: 1017, writeBytes: 72_005 });
  });

  it('answers undefined once the container cgroup is gone', () => {
    const dir = cgroupProcs(10);
    proc(10, 5, 100, 1, 2);
    const counter = new ContainerDiskCounter(dir, roots);
    expect(counter.read()).toEqual({ readBytes: 1, writeBytes: 2 });
    rmSync(dir, { recursive: true });
    expect(counter.read()).toBeUndefined();
  });
});

describe('openDiskCounter', () => {
  const engine = (inspect: () => Promise<unknown>): Docker => ({ getContainer: () => ({ inspect }) }) as unknown as Docker;

  it('opens only when the engine pid is this machine process of that container', async () => {
    cgroupProcs(10);
    proc(10, 5, 100, 3, 4);
    const counter = await openDiskCounter(engine(async () => ({ Id: ID, State: { Pid: 10 } })), ID, roots);
    expect(counter?.read()).toEqual({ readBytes: 3, writeBytes: 4 });
    // A remote engine's pid names some other process here (or none), a stopped container has pid 0.
    expect(await openDiskCounter(engine(async () => ({ Id: 'f'.repeat(64), State: { Pid: 10 } })), ID, roots)).toBeUndefined();
    expect(await openDiskCounter(engine(async () => ({ Id: ID, State: { Pid: 99 } })), ID, roots)).toBeUndefined();
    expect(await openDiskCounter(engine(async () => ({ Id: ID, State: { Pid: 0 } })), ID, roots)).toBeUndefined();
    expect(await openDiskCounter(engine(() => Promise.reject(new Error('no such container'))), ID, roots)).toBeUndefined();
  });
});
