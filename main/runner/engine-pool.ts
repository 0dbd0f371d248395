// The engines one run spreads its tests over (`clnrm run --engine URL…`, CLNRM_ENGINES; else the one engine
// of DOCKER_HOST): connected and pinged at the start, reaped one by one, watched while tests run. An engine
// that stops answering is marked lost: its `lost` signal aborts with a `runner.engine-lost` problem naming
// it, so its running tests end as errors and it takes no more. This is the runner's one engine seam: a later
// backend (Kubernetes, a namespace per run) is another `PoolEngine` with its own per-engine environment.
import type Docker from 'dockerode';
import { StudioError, toProblem, type Problem } from '../../shared/errors';
import type { TestFile } from '../../shared/spec';
import { connectDocker, dockerOptionsFromEnv, reapLeftovers, type DockerEndpoint } from '../docker';
import type { FaultsUndone, ReapReport } from '../docker/reaper';
import { DEFAULT_STEP_IMAGE } from './steps';

type Env = Readonly<Record<string, string | undefined>>;
type Reaped = Pick<ReapReport, 'executions' | 'errors'> & { faults?: FaultsUndone };

const SCHEME = /^(unix|tcp|ssh|npipe):\/\/\S+$/;
/** Bound on one health ping; an engine that is slower than this twice in a row is lost. */
const PING_TIMEOUT_MS = 2000;

/** Checks one --engine / CLNRM_ENGINES entry: an address as DOCKER_HOST takes it, with its scheme spelt out. */
export function checkEngineAddress(raw: string, from: string): string {
  const address = raw.trim();
  const refuse = (why: string): never => {
    throw new StudioError({ code: 'runner.engine-address', message: `${from}: "${raw}" ${why}; give unix:///path/docker.sock, tcp://host:2375 or ssh://user@host`, details: { address: raw } });
  };
  if (!SCHEME.test(address)) refuse('is not an engine address');
  try {
    dockerOptionsFromEnv({ DOCKER_HOST: address });
  } catch {
    refuse('cannot be read as an address');
  }
  return address;
}

/** The pool's addresses: `--engine` flags, else CLNRM_ENGINES (comma-separated); undefined means "the one engine of DOCKER_HOST". */
export function engineAddresses(flags: readonly string[] | undefined, env: Env): string[] | undefined {
  const fromFlags = (flags ?? []).length > 0;
  const listed = fromFlags ? [...flags!] : (env.CLNRM_ENGINES ?? '').split(',').filter((a) => a.trim() !== '');
  if (listed.length === 0) return undefined;
  const from = fromFlags ? '--engine' : 'CLNRM_ENGINES';
  const addresses = listed.map((a) => checkEngineAddress(a, from));
  const twice = addresses.find((a, i) => addresses.indexOf(a) !== i);
  if (twice !== undefined) throw new StudioError({ code: 'runner.engine-address', message: `${from}: ${twice} is listed twice; name each engine once (-j N already runs N tests on each)`, details: { address: twice } });
  return addresses;
}

/** One engine of the pool. */
export class PoolEngine {
  private readonly lostController = new AbortController();

  constructor(
    readonly docker: Docker,
    readonly endpoint: DockerEndpoint,
  ) {}

  get address(): string {
    return this.endpoint.address;
  }

  /** Aborts, with the `runner.engine-lost` StudioError as its reason, when the engine stops answering. */
  get lost(): AbortSignal {
    return this.lostController.signal;
  }

  get lostProblem(): Problem | undefined {
    const reason: unknown = this.lost.reason;
    return this.lost.aborted && reason instanceof StudioError ? reason.problem : undefined;
  }

  /** Pings within a bound (twice before giving up on a slow answer); a silent engine is marked lost and its problem returned. */
  async check(): Promise<Problem | undefined> {
    if (this.lost.aborted) return this.lostProblem;
    let failure: string | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      failure = await ping(this.docker);
      if (failure === undefined) return undefined;
    }
    this.markLost(failure!);
    return this.lostProblem;
  }

  private markLost(reason: string): void {
    const problem = {
      code: 'runner.engine-lost' as const,
      message: `the engine went away: ${this.address} stopped answering mid-run (${reason}). Tests running there failed; check that its dockerd is running and reachable from here.`,
      details: { engine: this.address, reason },
    };
    this.lostController.abort(new StudioError(problem));
  }
}

async function ping(docker: Docker): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([docker.ping(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS)))]);
    return undefined;
  } catch (error) {
    return toProblem(error).message;
  } finally {
    clearTimeout(timer);
  }
}

/** Every image a test starts: its services', and busybox when a step runs in a fresh container. */
export function testImages(test: TestFile): string[] {
  const images = new Set<string>();
  for (const s of Object.values(test.services)) if (s.image) images.add(s.image);
  for (const scenario of test.scenarios) {
    for (const s of scenario.services) if (s.image) images.add(s.image);
    const fresh = scenario.steps.some((step) => (step.service ?? scenario.service) === undefined) || (scenario.runArgv !== undefined && scenario.service === undefined);
    if (fresh) images.add(DEFAULT_STEP_IMAGE);
  }
  return [...images];
}

async function hasImage(docker: Docker, image: string): Promise<boolean> {
  return docker
    .getImage(image)
    .inspect()
    .then(() => true, () => false);
}

export class EnginePool {
  private constructor(readonly engines: readonly PoolEngine[]) {}

  /** A pool of one engine already connected (a caller's own, or DOCKER_HOST's): today's single-engine run. */
  static of(connection: { docker: Docker; endpoint: DockerEndpoint }): EnginePool {
    return new EnginePool([new PoolEngine(connection.docker, connection.endpoint)]);
  }

  /**
   * Connects to each address (or to DOCKER_HOST's engine when there are none). An engine that does not answer
   * is left out with a warning; when none answers, the first one's `docker.unavailable` is thrown.
   */
  static async connect(addresses: readonly string[] | undefined, env: Env, warn: (message: string) => void): Promise<EnginePool> {
    if (!addresses) return EnginePool.of(await connectDocker(env));
    const tried = await Promise.allSettled(addresses.map((address) => connectDocker({ ...env, DOCKER_HOST: address })));
    const engines: PoolEngine[] = [];
    for (const [i, t] of tried.entries()) {
      if (t.status === 'fulfilled') engines.push(new PoolEngine(t.value.docker, t.value.endpoint));
      else warn(`engine ${addresses[i]} left out of this run: ${toProblem(t.reason).message}`);
    }
    const failed = tried.find((t): t is PromiseRejectedResult => t.status === 'rejected');
    if (engines.length === 0) throw failed!.reason;
    return new EnginePool(engines);
  }

  get several(): boolean {
    return this.engines.length > 1;
  }

  /** For the run record: every engine's address, and whether all of them run on this machine. */
  get endpoint(): DockerEndpoint {
    return { address: this.engines.map((e) => e.address).join(','), local: this.engines.every((e) => e.endpoint.local) };
  }

  live(): PoolEngine[] {
    return this.engines.filter((e) => !e.lost.aborted);
  }

  /** Leftovers of crashed executions, reaped on every engine (each engine's failure is its own). */
  async reap(): Promise<{ engine: PoolEngine; report: Reaped }[]> {
    const reapOne = (engine: PoolEngine): Promise<Reaped> => reapLeftovers(engine.docker).catch((e: unknown) => ({ executions: [], errors: [toProblem(e).message] }));
    return Promise.all(this.engines.map(async (engine) => ({ engine, report: await reapOne(engine) })));
  }

  /**
   * Which engines may take each test: those holding all its images. A test no engine can start goes to any
   * engine, where it fails with the usual `docker.image-missing`. One engine takes everything unchecked.
   */
  async placement(tests: readonly TestFile[]): Promise<(test: TestFile, engine: PoolEngine) => boolean> {
    if (!this.several) return () => true;
    const wanted = new Map(tests.map((t) => [t, testImages(t)]));
    const images = [...new Set([...wanted.values()].flat())];
    const present = new Map<PoolEngine, Set<string>>();
    await Promise.all(
      this.engines.map(async (engine) => {
        const found = await Promise.all(images.map(async (image) => ((await hasImage(engine.docker, image)) ? [image] : [])));
        present.set(engine, new Set(found.flat()));
      }),
    );
    const holds = (test: TestFile, engine: PoolEngine): boolean => (wanted.get(test) ?? testImages(test)).every((i) => present.get(engine)!.has(i));
    const nowhere = new Set(tests.filter((t) => !this.engines.some((e) => holds(t, e))));
    return (test, engine) => nowhere.has(test) || holds(test, engine);
  }

  /** Pings every live engine each `intervalMs` while tests run (a lost one aborts its `lost`); returns the stop. Only a pool of several is watched. */
  watch(intervalMs: number): () => void {
    if (!this.several) return () => undefined;
    let checking = false;
    const timer = setInterval(() => {
      if (checking) return;
      checking = true;
      void Promise.all(this.live().map((engine) => engine.check())).finally(() => (checking = false));
    }, intervalMs);
    return () => clearInterval(timer);
  }
}
