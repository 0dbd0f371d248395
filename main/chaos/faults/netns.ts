// iptables rules inside a container's network namespace, entered from the engine's host with
// `nsenter -t <pid> -n` — so the image needs neither iptables nor NET_ADMIN, but we need root on the
// engine's host. Every rule carries `-m comment --comment clnrm:<run>`: a later start that knows only
// the run finds and deletes them (deleteRunRules).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { FaultTarget, Revert } from './target';
import { fail, inspect } from './target';

const run = promisify(execFile);

export interface IptablesRule {
  /** raw sees packets before Docker's DNS DNAT (dns_failure); filter for everything else. */
  readonly table: 'filter' | 'raw';
  readonly chain: 'INPUT' | 'OUTPUT';
  /** Match and target, without the comment, e.g. ['-s', '10.0.0.3', '-j', 'DROP']. */
  readonly spec: readonly string[];
}

export function ruleComment(runId: string): string {
  return `clnrm:${runId}`;
}

async function iptables(pid: number, args: readonly string[]): Promise<string> {
  const { stdout } = await run('nsenter', ['-t', String(pid), '-n', 'iptables', '-w', '5', ...args], { timeout: 15_000 });
  return stdout;
}

/** The container's pid on this host, after checking that we can enter its namespace at all. */
export async function enterablePid(target: FaultTarget): Promise<number> {
  if (!target.engineIsLocal) fail('chaos.unavailable', target, 'this fault enters the container\'s network namespace with nsenter, which needs the Docker engine on this machine; DOCKER_HOST points at a remote engine');
  if (process.getuid?.() !== 0) fail('chaos.unavailable', target, 'this fault runs nsenter + iptables on the engine\'s host, which needs root (run clnrm as root, or use the fault proxy\'s faults)');
  const info = await inspect(target);
  if (!info.State.Running || info.State.Pid <= 0) fail('chaos.inject-failed', target, `it is ${info.State.Status}, not running`);
  // With the engine in another pid namespace (clnrm in a container with the socket mounted) the pid is not ours.
  if (!ownsPid(info.State.Pid, info.Id)) fail('chaos.unavailable', target, `the engine's process ${info.State.Pid} is not visible here (clnrm runs in another pid namespace or on another machine than the engine)`);
  for (const tool of ['nsenter', 'iptables']) {
    try {
      await run(tool, ['--version'], { timeout: 5000 });
    } catch {
      fail('chaos.unavailable', target, `${tool} is not installed on this host (Debian: apt-get install ${tool === 'nsenter' ? 'util-linux' : 'iptables'})`);
    }
  }
  return info.State.Pid;
}

/** True when `pid` on this host is the container's process (its cgroup path names the container). */
function ownsPid(pid: number, containerId: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(containerId);
  } catch {
    return false;
  }
}

function ruleArgs(rule: IptablesRule, runId: string): string[] {
  return [rule.chain, ...rule.spec, '-m', 'comment', '--comment', ruleComment(runId)];
}

/** Inserts the rules (first in their chains), all or none; the Revert deletes exactly these. */
export async function addRules(target: FaultTarget, rules: readonly IptablesRule[]): Promise<Revert> {
  const pid = await enterablePid(target);
  const added: IptablesRule[] = [];
  const remove = async () => {
    for (const rule of added.splice(0)) {
      // A rule already gone (a reaper ran, the container restarted with a fresh namespace) is fine.
      await iptables(pid, ['-t', rule.table, '-D', ...ruleArgs(rule, target.runId)]).catch(() => undefined);
    }
  };
  for (const rule of rules) {
    try {
      await iptables(pid, ['-t', rule.table, '-I', ...ruleArgs(rule, target.runId)]);
      added.push(rule);
    } catch (error) {
      await remove();
      fail('chaos.inject-failed', target, `iptables -t ${rule.table} -I ${rule.chain} ${rule.spec.join(' ')} failed: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
    }
  }
  return async () => {
    const info = await target.docker.getContainer(target.containerId).inspect().catch(() => undefined);
    // The namespace died with the container's process: so did the rules.
    if (info?.State.Running && info.State.Pid === pid) await remove();
  };
}

/** Deletes every rule tagged with the run in the namespace of `pid`; returns how many. */
export async function deleteRunRules(pid: number, runId: string): Promise<number> {
  const tag = ruleComment(runId);
  let deleted = 0;
  for (const table of ['filter', 'raw'] as const) {
    const listing = await iptables(pid, ['-t', table, '-S']);
    for (const line of listing.split('\n')) {
      const ours = line.includes(`--comment ${tag} `) || line.includes(`--comment "${tag}"`);
      if (!line.startsWith('-A ') || !ours) continue;
      // Our rules' tokens never contain spaces (ids, IPs, numbers), so a split recovers them.
      const tokens = line.slice(3).split(' ').map((t) => t.replace(/^"(.*)"$/, '$1'));
      await iptables(pid, ['-t', table, '-D', ...tokens]);
      deleted++;
    }
  }
  return deleted;
}
