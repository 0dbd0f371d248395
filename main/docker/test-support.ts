// Test support for suites that need a real Docker engine: probe once, and either run the suite, skip it
// loudly (developer machine without Docker), or fail it (CI=true: Docker is part of the CI contract).
import type Docker from 'dockerode';
import { connectDocker } from './connect';
import { imageExists } from './images';

export interface DockerProbe {
  readonly docker?: Docker;
  /** Why Docker tests cannot run here (set when `docker` is not). */
  readonly reason?: string;
}

export const BUSYBOX = 'cleanroom/busybox:latest';

export async function probeDocker(requiredImages: readonly string[] = [BUSYBOX]): Promise<DockerProbe> {
  let docker: Docker;
  try {
    docker = (await connectDocker(process.env, { pingTimeoutMs: 3000 })).docker;
  } catch (error) {
    return { reason: (error as Error).message };
  }
  const missing: string[] = [];
  for (const image of requiredImages) if (!(await imageExists(docker, image))) missing.push(image);
  if (missing.length > 0) return { reason: `image(s) ${missing.join(', ')} missing: run resources/images/build.sh` };
  return { docker };
}

/** True when the suite must run; otherwise prints a loud skip notice (or, under CI=true, the caller fails). */
export function announceDockerSkip(suite: string, probe: DockerProbe): void {
  if (probe.docker) return;
  if (process.env.CI === 'true') return;
  console.warn(`\n⚠⚠ SKIPPING Docker suite "${suite}": ${probe.reason}\n`);
}

/** Polls `check` until it returns true or the bound passes (a condition wait, not a fixed sleep). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Counts the engine's resources labelled with this execution (or with any managed one). */
export async function countLabelled(docker: Docker, executionId?: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const label = executionId ? [`clnrm.managed=true`, `clnrm.execution_id=${executionId}`] : ['clnrm.managed=true'];
  const filters = { label };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return { containers: containers.length, networks: networks.length, volumes: (volumes.Volumes ?? []).length };
}

/**
 * A test file whose one step sleeps `seconds` in an idle busybox service that stops on SIGTERM: a test that
 * mostly waits, as integration tests do (crash clean-up, engine pools, the pool bench).
 */
export function sleeperTestFile(name: string, seconds: number, scenario = 'wait'): string {
  return `[meta]
name = "${name}"

[services.idle]
image = "${BUSYBOX}"
args = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]

[[scenario]]
name = "${scenario}"

[[scenario.steps]]
name = "sleep"
service = "idle"
command = ["sleep", "${seconds}"]
`;
}
