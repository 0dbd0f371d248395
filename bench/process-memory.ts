// Peak resident memory of this process's descendants (the studio's server process and Chromium's
// processes), sampled from /proc while a benchmark case runs, two ways: RSS counts shared pages once
// per process, so its sum over Chromium's processes over-states what they use together; PSS (from
// smaps_rollup) shares each shared page among the processes that map it, so PSS sums to the memory
// the processes hold together.
import { readFileSync, readdirSync } from 'node:fs';

export interface MemoryPeak {
  /** Largest RSS sum seen, in MiB, per group and over all. */
  serverMiB: number;
  chromiumMiB: number;
  totalMiB: number;
  /** Largest PSS sum seen, in MiB, per group and over all. */
  serverPssMiB: number;
  chromiumPssMiB: number;
  totalPssMiB: number;
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

function pssMiB(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples every `everyMs` until stopped; `stop()` answers the peaks. */
export function sampleMemory(everyMs = 200): { stop(): MemoryPeak } {
  const peak: MemoryPeak = { serverMiB: 0, chromiumMiB: 0, totalMiB: 0, serverPssMiB: 0, chromiumPssMiB: 0, totalPssMiB: 0 };
  const sample = (): void => {
    const rss = { server: 0, chromium: 0 };
    const pss = { server: 0, chromium: 0 };
    for (const p of descendants(process.pid)) {
      const group = /chrom/i.test(p.name) ? 'chromium' : p.name === 'node' || p.name.startsWith('node') ? 'server' : undefined;
      if (group === undefined) continue;
      rss[group] += rssMiB(p.pid);
      pss[group] += pssMiB(p.pid);
    }
    peak.serverMiB = Math.max(peak.serverMiB, rss.server);
    peak.chromiumMiB = Math.max(peak.chromiumMiB, rss.chromium);
    peak.totalMiB = Math.max(peak.totalMiB, rss.server + rss.chromium);
    peak.serverPssMiB = Math.max(peak.serverPssMiB, pss.server);
    peak.chromiumPssMiB = Math.max(peak.chromiumPssMiB, pss.chromium);
    peak.totalPssMiB = Math.max(peak.totalPssMiB, pss.server + pss.chromium);
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
