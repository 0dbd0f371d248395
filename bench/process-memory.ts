// Peak resident memory of this process's descendants (the studio's server process and Chromium's
// processes), sampled from /proc while a benchmark case runs. RSS counts shared pages once per
// process, so the sum over Chromium's processes over-states what they use together.
import { readFileSync, readdirSync } from 'node:fs';

export interface MemoryPeak {
  /** Largest sum seen, in MiB, per group and over all. */
  serverMiB: number;
  chromiumMiB: number;
  totalMiB: number;
}

function descendants(root: number): Array<{ pid: number; name: string }> {
  const children = new Map<number, number[]>();
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis.
      const close = stat.lastIndexOf(')');
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const out: Array<{ pid: number; name: string }> = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push({ pid, name: names.get(pid) ?? '' });
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples every `everyMs` until stopped; `stop()` answers the peaks. */
export function sampleMemory(everyMs = 200): { stop(): MemoryPeak } {
  const peak: MemoryPeak = { serverMiB: 0, chromiumMiB: 0, totalMiB: 0 };
  const sample = (): void => {
    let server = 0;
    let chromium = 0;
    for (const p of descendants(process.pid)) {
      if (/chrom/i.test(p.name)) chromium += rssMiB(p.pid);
      else if (p.name === 'node' || p.name.startsWith('node')) server += rssMiB(p.pid);
    }
    peak.serverMiB = Math.max(peak.serverMiB, server);
    peak.chromiumMiB = Math.max(peak.chromiumMiB, chromium);
    peak.totalMiB = Math.max(peak.totalMiB, server + chromium);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { ...peak };
    },
  };
}
