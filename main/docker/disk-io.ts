// Disk bytes of a container, read from the kernel's per-process I/O counters (`/proc/<pid>/io`: read_bytes,
// write_bytes — what the processes caused to be read from and written to storage) of every process in the
// container's cgroup. Why not the engine's stats: on cgroup v1 with this kernel the blkio controller counts
// nothing (`blkio_stats` comes back empty, even for a container that writes with fsync), while the per-process
// counters do (checked on Docker 20.10 here). Only possible when the engine runs on this machine and its processes are visible here (same
// PID namespace, enough privilege to read them): otherwise `openDiskCounter` answers undefined and samples
// carry no disk bytes — absent, not zero.
//
// Counting: a process's counters include those of the children it has reaped, so the sum over the live
// processes covers everything their trees did — except commands started by `docker exec`, which the
// engine's shim (outside the container) reaps. A process whose parent is not in the container (the
// container's first process, an exec'd command) is a *root*; when a root goes away, its last read counters
// are kept, so the series never falls. What an exec'd command does in its last interval before exiting is missed.
import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';

export interface DiskBytes {
  readonly readBytes: number;
  readonly writeBytes: number;
}

interface ProcessReading extends DiskBytes {
  readonly parent: number;
}

/** Where /proc and the cgroup file systems are (tests point them elsewhere). */
export interface ProcRoots {
  readonly proc: string;
  readonly cgroup: string;
}
const HOST: ProcRoots = { proc: '/proc', cgroup: '/sys/fs/cgroup' };

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // gone, or not ours to read
  }
};

/** The cgroup folder holding the container's processes, from its first process's `/proc/<pid>/cgroup`. */
export function containerCgroup(procCgroup: string, containerId: string, roots: ProcRoots = HOST): string | undefined {
  for (const line of procCgroup.split('\n')) {
    const [, controllers, path] = line.split(':', 3) as [string, string | undefined, string | undefined];
    if (path === undefined || !path.includes(containerId)) continue;
    // v2: "0::/system.slice/docker-<id>.scope"; v1: "8:pids:/docker/<id>", "1:name=systemd:/…".
    const dir = controllers === '' ? `${roots.cgroup}${path}` : `${roots.cgroup}/${controllers!.replace(/^name=/, '')}${path}`;
    if (readText(`${dir}/cgroup.procs`) !== undefined) return dir;
  }
  return undefined;
}

/** `/proc/<pid>/stat` and `/proc/<pid>/io` of one process; undefined when it is gone or unreadable. */
function readProcess(roots: ProcRoots, pid: number): { key: string; reading: ProcessReading } | undefined {
  const stat = readText(`${roots.proc}/${pid}/stat`);
  const io = readText(`${roots.proc}/${pid}/io`);
  if (stat === undefined || io === undefined) return undefined;
  // The command name may hold spaces and parentheses: fields are counted after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const field = (name: string): number | undefined => {
    const m = new RegExp(`^${name}: (\\d+)$`, 'm').exec(io);
    return m ? Number(m[1]) : undefined;
  };
  const readBytes = field('read_bytes');
  const writeBytes = field('write_bytes');
  if (readBytes === undefined || writeBytes === undefined || fields.length < 20) return undefined;
  // Field 4 is the parent, field 22 the start time: pid + start time tells a reused pid apart.
  return { key: `${pid}:${fields[19]}`, reading: { parent: Number(fields[1]), readBytes, writeBytes } };
}

export class ContainerDiskCounter {
  private previous = new Map<string, ProcessReading & { root: boolean }>();
  private departed = { readBytes: 0, writeBytes: 0 };

  constructor(
    private readonly cgroupDir: string,
    private readonly roots: ProcRoots = HOST,
  ) {}

  /** The container's disk bytes so far; undefined once its cgroup is gone (the container stopped). */
  read(): DiskBytes | undefined {
    const procs = readText(`${this.cgroupDir}/cgroup.procs`);
    if (procs === undefined) return undefined;
    const pids = procs.split('\n').filter(Boolean).map(Number);
    const live = new Map<string, ProcessReading>();
    for (const pid of pids) {
      const p = readProcess(this.roots, pid);
      if (p) live.set(p.key, p.reading);
    }
    const inside = new Set(pids);
    for (const [key, was] of this.previous) {
      if (live.has(key) || !was.root) continue;
      this.departed = { readBytes: this.departed.readBytes + was.readBytes, writeBytes: this.departed.writeBytes + was.writeBytes };
    }
    const next = new Map<string, ProcessReading & { root: boolean }>();
    let readBytes = this.departed.readBytes;
    let writeBytes = this.departed.writeBytes;
    for (const [key, r] of live) {
      next.set(key, { ...r, root: !inside.has(r.parent) });
      readBytes += r.readBytes;
      writeBytes += r.writeBytes;
    }
    this.previous = next;
    return { readBytes, writeBytes };
  }
}

/**
 * A disk counter for a running container when its processes can be read on this machine; undefined for a
 * remote engine, a container that is not running, or counters this process may not read.
 */
export async function openDiskCounter(docker: Docker, containerId: string, roots: ProcRoots = HOST): Promise<ContainerDiskCounter | undefined> {
  let pid: number;
  let id: string;
  try {
    const info = await docker.getContainer(containerId).inspect();
    pid = info.State.Pid;
    id = info.Id;
  } catch {
    return undefined;
  }
  if (!(pid > 0)) return undefined;
  // The pid is the engine's host's: it names this container's process here only when its cgroup says so.
  const cgroupDir = containerCgroup(readText(`${roots.proc}/${pid}/cgroup`) ?? '', id, roots);
  if (cgroupDir === undefined || readProcess(roots, pid) === undefined) return undefined;
  return new ContainerDiskCounter(cgroupDir, roots);
}
